// VoiceOps on Azure: azd provisions this file (azure.yaml → infra/main.bicep → infra/app/*.bicep).
// Plain resources only (no registry modules) so the offline checks in tests/infra can read every file.
targetScope = 'subscription'

@description('Required. azd environment name; seeds resource names and the azd-env-name tag.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Required. Primary region for all resources (one where Flex Consumption is offered).')
@minLength(1)
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Optional. Region for Azure OpenAI when the model or its quota is not offered in the primary region; empty uses the primary region.')
param openAiLocation string = ''

@description('Optional. Resource group name; empty derives rg-<environmentName>.')
param resourceGroupName string = ''

@description('Optional. Object id of the deploying user or pipeline principal (azd sets AZURE_PRINCIPAL_ID); empty skips its roles and the PostgreSQL administrator.')
param principalId string = ''

@description('Optional. Name of that principal (user principal name, or service principal display name); becomes its PostgreSQL role. Set by infra/hooks/preprovision.')
param principalName string = ''

@description('Optional. Kind of principal the deployer is.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param principalType string = 'User'

@description('Optional. Public IP of the machine running azd, let through the PostgreSQL firewall for the postprovision hook; empty for none.')
param deployerIpAddress string = ''

@description('Optional. Container the phone app uploads clips to.')
param clipsContainerName string = 'clips'

@description('Optional. Container for spoken replies and their JSON sidecars.')
param repliesContainerName string = 'replies'

@description('Optional. Service Bus queue between transcribe_clip and handle_commands.')
param queueName string = 'voice-commands'

@description('Optional. Days a clip is kept before the lifecycle rule deletes it.')
@minValue(1)
param clipRetentionDays int = 30

@description('Optional. Days a reply (audio and sidecar) is kept.')
@minValue(1)
param replyRetentionDays int = 90

@description('Optional. Browser origins allowed to PUT clips and GET replies directly (the web app); empty for none.')
param blobCorsAllowedOrigins array = []

@description('Optional. Flex Consumption upper bound on instances (derived in docs/capacity.md).')
@minValue(1)
@maxValue(1000)
param functionMaximumInstanceCount int = 70

@description('Optional. Memory per Flex Consumption instance in MB.')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

@description('Optional. Client id of the Entra app registration technicians sign in with (App Service Authentication); empty refuses every API call but the webhook and health.')
param authClientId string = ''

@description('Optional. Deliveries before a queue message is dead-lettered.')
@minValue(1)
@maxValue(20)
param serviceBusMaxDeliveryCount int = 5

@description('Optional. Peek-lock duration of the queue (ISO 8601).')
param serviceBusLockDuration string = 'PT1M'

@description('Optional. Azure OpenAI model deployment name (AZURE_OPENAI_DEPLOYMENT).')
param openAiDeploymentName string = 'gpt-4o'

@description('Optional. Azure OpenAI model; strict tool calling needs a gpt-4o-class model.')
param openAiModelName string = 'gpt-4o'

@description('Optional. Azure OpenAI model version.')
param openAiModelVersion string = '2024-11-20'

@description('Optional. Azure OpenAI deployment type.')
@allowed([
  'GlobalStandard'
  'Standard'
  'DataZoneStandard'
])
param openAiDeploymentSkuName string = 'GlobalStandard'

@description('Optional. Azure OpenAI capacity in thousands of tokens per minute (derived in docs/capacity.md).')
@minValue(1)
param openAiDeploymentCapacity int = 350

@description('Optional. Azure OpenAI data-plane API version the app uses.')
param openAiApiVersion string = '2024-10-21'

@description('Optional. PostgreSQL compute SKU (PgBouncer needs General Purpose or Memory Optimized).')
param postgresSkuName string = 'Standard_D2ds_v5'

@description('Optional. PostgreSQL compute tier matching postgresSkuName.')
@allowed([
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'GeneralPurpose'

@description('Optional. Database the app uses.')
param postgresDatabaseName string = 'voiceops'

@description('Optional. PgBouncer server connections per user/database pair (derived in docs/capacity.md).')
@minValue(1)
param pgbouncerDefaultPoolSize int = 10

@description('Optional. PgBouncer client connection limit.')
@minValue(1)
param pgbouncerMaxClientConn int = 600

@description('Optional. Connections each Function instance may hold open to PgBouncer (VOICEOPS_POOL_MAX_SIZE).')
@minValue(1)
param appPoolMaxSize int = 4

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = 'func-${resourceToken}'
var deploymentContainerName = 'app-package'
var systemTopicName = 'evgt-clips-${resourceToken}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-voiceops-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    systemTopicName: systemTopicName
    clipsContainerName: clipsContainerName
    repliesContainerName: repliesContainerName
    deploymentContainerName: deploymentContainerName
    clipRetentionDays: clipRetentionDays
    replyRetentionDays: replyRetentionDays
    corsAllowedOrigins: blobCorsAllowedOrigins
    tags: tags
  }
}

module serviceBus 'app/servicebus.bicep' = {
  name: 'servicebus'
  scope: rg
  params: {
    name: 'sb-${resourceToken}'
    location: location
    queueName: queueName
    maxDeliveryCount: serviceBusMaxDeliveryCount
    lockDuration: serviceBusLockDuration
    tags: tags
  }
}

module postgres 'app/postgres.bicep' = {
  name: 'postgres'
  scope: rg
  params: {
    name: 'psql-${resourceToken}'
    location: location
    databaseName: postgresDatabaseName
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    pgbouncerDefaultPoolSize: pgbouncerDefaultPoolSize
    pgbouncerMaxClientConn: pgbouncerMaxClientConn
    administratorPrincipalId: principalId
    administratorPrincipalName: principalName
    administratorPrincipalType: principalType
    deployerIpAddress: deployerIpAddress
    tags: tags
  }
}

module ai 'app/ai.bicep' = {
  name: 'ai'
  scope: rg
  params: {
    openAiName: 'oai-${resourceToken}'
    openAiLocation: !empty(openAiLocation) ? openAiLocation : location
    openAiDeploymentName: openAiDeploymentName
    openAiModelName: openAiModelName
    openAiModelVersion: openAiModelVersion
    openAiDeploymentSkuName: openAiDeploymentSkuName
    openAiDeploymentCapacity: openAiDeploymentCapacity
    speechName: 'spch-${resourceToken}'
    speechLocation: location
    tags: tags
  }
}

// Every connection is identity-based: <CONNECTION>__credential=managedidentity + __clientId.
// Binding names come from function_app.py: connection "AzureWebJobsStorage" (blob trigger),
// connection "SERVICEBUS" (queue output and trigger), %VOICEOPS_CLIPS_CONTAINER%, %VOICEOPS_QUEUE%.
var functionAppSettings = {
  AzureWebJobsStorage__accountName: storage.outputs.NAME
  AzureWebJobsStorage__blobServiceUri: storage.outputs.BLOB_ENDPOINT
  AzureWebJobsStorage__queueServiceUri: storage.outputs.QUEUE_ENDPOINT
  AzureWebJobsStorage__tableServiceUri: storage.outputs.TABLE_ENDPOINT
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.CLIENT_ID
  SERVICEBUS__fullyQualifiedNamespace: serviceBus.outputs.FULLY_QUALIFIED_NAMESPACE
  SERVICEBUS__credential: 'managedidentity'
  SERVICEBUS__clientId: identity.outputs.CLIENT_ID
  VOICEOPS_CLIPS_CONTAINER: clipsContainerName
  VOICEOPS_REPLIES_CONTAINER: repliesContainerName
  VOICEOPS_QUEUE: queueName
  VOICEOPS_STORAGE_ACCOUNT_URL: storage.outputs.BLOB_ENDPOINT
  // no password: the app asks Entra for a token per connection; port 6432 is the built-in PgBouncer
  VOICEOPS_DATABASE_URL: 'postgresql://${identity.outputs.NAME}@${postgres.outputs.HOST}:6432/${postgres.outputs.DATABASE}?sslmode=require'
  VOICEOPS_DATABASE_AUTH: 'entra'
  VOICEOPS_DATABASE_POOLER: 'pgbouncer'
  VOICEOPS_POOL_MAX_SIZE: string(appPoolMaxSize)
  VOICEOPS_RETENTION_DAYS: string(clipRetentionDays)
  // the worker records why a message failed on its last delivery, so it must know which one that is
  VOICEOPS_MAX_DELIVERY_COUNT: string(serviceBusMaxDeliveryCount)
  // callers are who App Service Authentication says they are; never dev tokens in Azure
  VOICEOPS_AUTH_MODE: 'appservice'
  VOICEOPS_STT: 'azure'
  VOICEOPS_TTS: 'azure'
  VOICEOPS_EXTRACTOR: 'cascade'
  AZURE_SPEECH_ENDPOINT: ai.outputs.SPEECH_ENDPOINT
  AZURE_SPEECH_REGION: ai.outputs.SPEECH_REGION
  AZURE_OPENAI_ENDPOINT: ai.outputs.OPENAI_ENDPOINT
  AZURE_OPENAI_DEPLOYMENT: ai.outputs.OPENAI_DEPLOYMENT
  AZURE_OPENAI_API_VERSION: openAiApiVersion
  AZURE_CLIENT_ID: identity.outputs.CLIENT_ID
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.APPLICATIONINSIGHTS_CONNECTION_STRING
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.CLIENT_ID};Authorization=AAD'
}

module functionApp 'app/function.bicep' = {
  name: 'function'
  scope: rg
  params: {
    planName: 'plan-${resourceToken}'
    name: functionAppName
    location: location
    identityId: identity.outputs.RESOURCE_ID
    storageBlobEndpoint: storage.outputs.BLOB_ENDPOINT
    deploymentContainerName: deploymentContainerName
    appSettings: functionAppSettings
    maximumInstanceCount: functionMaximumInstanceCount
    instanceMemoryMB: functionInstanceMemoryMB
    authClientId: authClientId
    tags: tags
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    functionPrincipalId: identity.outputs.PRINCIPAL_ID
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
    storageAccountName: storage.outputs.NAME
    serviceBusNamespaceName: serviceBus.outputs.NAME
    openAiName: ai.outputs.OPENAI_NAME
    speechName: ai.outputs.SPEECH_NAME
    applicationInsightsName: monitoring.outputs.APPLICATIONINSIGHTS_NAME
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.NAME
output SERVICE_API_NAME string = functionApp.outputs.NAME
output SERVICE_API_BASE_URL string = functionApp.outputs.BASE_URL
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.NAME
output VOICEOPS_STORAGE_ACCOUNT_URL string = storage.outputs.BLOB_ENDPOINT
output VOICEOPS_CLIPS_CONTAINER string = clipsContainerName
output VOICEOPS_REPLIES_CONTAINER string = repliesContainerName
output EVENTGRID_SYSTEM_TOPIC_NAME string = storage.outputs.SYSTEM_TOPIC_NAME
output SERVICEBUS_NAMESPACE string = serviceBus.outputs.NAME
output SERVICEBUS_FULLY_QUALIFIED_NAMESPACE string = serviceBus.outputs.FULLY_QUALIFIED_NAMESPACE
output VOICEOPS_QUEUE string = serviceBus.outputs.QUEUE_NAME
output POSTGRES_SERVER_NAME string = postgres.outputs.NAME
output POSTGRES_HOST string = postgres.outputs.HOST
output POSTGRES_DATABASE string = postgres.outputs.DATABASE
output POSTGRES_ADMIN_NAME string = postgres.outputs.ADMIN_NAME
output FUNCTION_IDENTITY_NAME string = identity.outputs.NAME
output FUNCTION_IDENTITY_CLIENT_ID string = identity.outputs.CLIENT_ID
output AZURE_OPENAI_ENDPOINT string = ai.outputs.OPENAI_ENDPOINT
output AZURE_OPENAI_DEPLOYMENT string = ai.outputs.OPENAI_DEPLOYMENT
output AZURE_OPENAI_API_VERSION string = openAiApiVersion
output AZURE_SPEECH_ENDPOINT string = ai.outputs.SPEECH_ENDPOINT
output AZURE_SPEECH_REGION string = ai.outputs.SPEECH_REGION
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.APPLICATIONINSIGHTS_CONNECTION_STRING
