# azd postdeploy: subscribe the function's blobs webhook to BlobCreated events under clips/.
# The webhook URL carries the blobs_extension system key, which the host creates only once the code
# runs, so this cannot be part of the Bicep. Re-running updates the same subscription.
$ErrorActionPreference = 'Stop'

if (-not (Get-Command az -ErrorAction SilentlyContinue)) {
  Write-Error "postdeploy: 'az' is required (see docs/deploy.md)"
  exit 1
}
foreach ($name in @('AZURE_FUNCTION_APP_NAME', 'AZURE_RESOURCE_GROUP', 'SERVICE_API_BASE_URL', 'EVENTGRID_SYSTEM_TOPIC_NAME', 'VOICEOPS_CLIPS_CONTAINER')) {
  if (-not [Environment]::GetEnvironmentVariable($name)) {
    Write-Error "postdeploy: $name is not set; run through azd (azd deploy / azd up)"
    exit 1
  }
}

$key = ''
for ($attempt = 1; $attempt -le 12 -and -not $key; $attempt++) {
  $key = az functionapp keys list -n $env:AZURE_FUNCTION_APP_NAME -g $env:AZURE_RESOURCE_GROUP `
    --query 'systemKeys.blobs_extension' -o tsv 2>$null
  if (-not $key) {
    Write-Host "postdeploy: waiting for the host to create the blobs_extension key ($attempt/12)"
    Start-Sleep -Seconds 10
  }
}
if (-not $key) {
  Write-Error 'postdeploy: no blobs_extension key; is transcribe_clip indexed? see docs/operations.md'
  exit 1
}

# quoted so that az does not split the URL at '&'
$endpoint = '"' + "$($env:SERVICE_API_BASE_URL)/runtime/webhooks/blobs?functionName=Host.Functions.transcribe_clip&code=$key" + '"'
az eventgrid system-topic event-subscription create `
  --name clips-to-transcribe-clip `
  --resource-group $env:AZURE_RESOURCE_GROUP `
  --system-topic-name $env:EVENTGRID_SYSTEM_TOPIC_NAME `
  --endpoint-type webhook `
  --endpoint $endpoint `
  --included-event-types Microsoft.Storage.BlobCreated `
  --subject-begins-with "/blobServices/default/containers/$($env:VOICEOPS_CLIPS_CONTAINER)/blobs/" `
  --max-delivery-attempts 30 `
  --event-ttl 1440 `
  --output none
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
Write-Host "postdeploy: Event Grid delivers new blobs in '$($env:VOICEOPS_CLIPS_CONTAINER)' to transcribe_clip"
