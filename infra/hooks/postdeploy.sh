#!/bin/sh
# azd postdeploy: subscribe the function's blobs webhook to BlobCreated events under clips/.
# The webhook URL carries the blobs_extension system key, which the host creates only once the code
# runs, so this cannot be part of the Bicep. Re-running updates the same subscription.
set -eu

command -v az >/dev/null 2>&1 || { echo "postdeploy: 'az' is required (see docs/deploy.md)" >&2; exit 1; }
: "${AZURE_FUNCTION_APP_NAME:?run through azd (azd deploy / azd up)}"
: "${AZURE_RESOURCE_GROUP:?}" "${SERVICE_API_BASE_URL:?}" "${EVENTGRID_SYSTEM_TOPIC_NAME:?}" "${VOICEOPS_CLIPS_CONTAINER:?}"

key=""
attempt=0
while [ -z "$key" ] && [ "$attempt" -lt 12 ]; do
  key=$(az functionapp keys list -n "$AZURE_FUNCTION_APP_NAME" -g "$AZURE_RESOURCE_GROUP" \
        --query "systemKeys.blobs_extension" -o tsv 2>/dev/null || true)
  if [ -z "$key" ]; then
    attempt=$((attempt + 1))
    echo "postdeploy: waiting for the host to create the blobs_extension key ($attempt/12)"
    sleep 10
  fi
done
[ -n "$key" ] || { echo "postdeploy: no blobs_extension key; is transcribe_clip indexed? see docs/operations.md" >&2; exit 1; }

endpoint="${SERVICE_API_BASE_URL}/runtime/webhooks/blobs?functionName=Host.Functions.transcribe_clip&code=${key}"
az eventgrid system-topic event-subscription create \
  --name clips-to-transcribe-clip \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --system-topic-name "$EVENTGRID_SYSTEM_TOPIC_NAME" \
  --endpoint-type webhook \
  --endpoint "$endpoint" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with "/blobServices/default/containers/${VOICEOPS_CLIPS_CONTAINER}/blobs/" \
  --max-delivery-attempts 30 \
  --event-ttl 1440 \
  --output none
echo "postdeploy: Event Grid delivers new blobs in '${VOICEOPS_CLIPS_CONTAINER}' to transcribe_clip"
