# azd preprovision: record who deploys. That principal becomes PostgreSQL's Entra administrator and
# the postprovision hook connects as it, from this machine, so its public IP is let through the firewall.
$ErrorActionPreference = 'Stop'

foreach ($tool in @('az', 'azd')) {
  if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) {
    Write-Error "preprovision: '$tool' is required (see docs/deploy.md)"
    exit 1
  }
}

$name = az ad signed-in-user show --query userPrincipalName -o tsv 2>$null
if ($LASTEXITCODE -eq 0 -and $name) {
  $kind = 'User'
} else {
  # signed in as a service principal (a pipeline): its display name is its PostgreSQL role name
  $appId = az account show --query user.name -o tsv
  $name = az ad sp show --id $appId --query displayName -o tsv
  $kind = 'ServicePrincipal'
}
azd env set AZURE_PRINCIPAL_NAME $name
azd env set AZURE_PRINCIPAL_TYPE $kind

try {
  $ip = (Invoke-RestMethod -Uri 'https://api.ipify.org' -TimeoutSec 10).ToString().Trim()
  azd env set AZURE_DEPLOYER_IP $ip
} catch {
  Write-Warning "preprovision: could not find this machine's public IP; set it with 'azd env set AZURE_DEPLOYER_IP <ip>'"
}
Write-Host "preprovision: PostgreSQL administrator will be $name ($kind)"
