// Azure OpenAI (extraction with strict tool calling) and Azure AI Speech (STT/TTS), both keyless:
// local auth is off and each account has a custom subdomain, which Entra tokens require.

@description('Required. Name and custom subdomain of the Azure OpenAI account.')
param openAiName string

@description('Required. Region of the Azure OpenAI account (model availability and quota differ by region).')
param openAiLocation string

@description('Optional. Name of the model deployment the app calls (AZURE_OPENAI_DEPLOYMENT).')
param openAiDeploymentName string = 'gpt-4o'

@description('Optional. Model name; strict tool calling needs gpt-4o 2024-08-06 or later, or gpt-4o-mini 2024-07-18.')
param openAiModelName string = 'gpt-4o'

@description('Optional. Model version.')
param openAiModelVersion string = '2024-11-20'

@description('Optional. Deployment type: GlobalStandard has the largest default quota.')
@allowed([
  'GlobalStandard'
  'Standard'
  'DataZoneStandard'
])
param openAiDeploymentSkuName string = 'GlobalStandard'

@description('Optional. Deployment capacity in thousands of tokens per minute (docs/capacity.md derives it).')
@minValue(1)
param openAiDeploymentCapacity int = 350

@description('Required. Name and custom subdomain of the Azure AI Speech account.')
param speechName string

@description('Required. Region of the Speech account (also AZURE_SPEECH_REGION).')
param speechLocation string

@description('Optional. Tags applied to the accounts.')
param tags object = {}

resource openAi 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: openAiName
  location: openAiLocation
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  identity: {
    type: 'SystemAssigned'
  }
  // checkov:skip=CKV_AZURE_134:Flex Consumption without a virtual network reaches the account over its public endpoint; local auth is disabled so only Entra principals holding a role can call it
  properties: {
    customSubDomainName: openAiName
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
    }
  }
}

resource openAiDeployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: openAi
  name: openAiDeploymentName
  sku: {
    name: openAiDeploymentSkuName
    capacity: openAiDeploymentCapacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: openAiModelName
      version: openAiModelVersion
    }
    // a silent model upgrade could change extraction behaviour: upgrade deliberately
    versionUpgradeOption: 'NoAutoUpgrade'
  }
}

resource speech 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: speechName
  location: speechLocation
  tags: tags
  kind: 'SpeechServices'
  sku: {
    name: 'S0'
  }
  identity: {
    type: 'SystemAssigned'
  }
  // checkov:skip=CKV_AZURE_134:Flex Consumption without a virtual network reaches the account over its public endpoint; local auth is disabled so only Entra principals holding a role can call it
  properties: {
    customSubDomainName: speechName
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
    }
  }
}

output OPENAI_NAME string = openAi.name
output OPENAI_ENDPOINT string = openAi.properties.endpoint
output OPENAI_DEPLOYMENT string = openAiDeployment.name
output SPEECH_NAME string = speech.name
output SPEECH_ENDPOINT string = speech.properties.endpoint
output SPEECH_REGION string = speech.location
