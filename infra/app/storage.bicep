// Blob storage for clips, replies and the Flex deployment package, plus the Event Grid system topic
// that feeds the blob trigger (Flex Consumption supports only the EventGrid blob-trigger source).

@description('Required. Globally unique storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Required. Azure region of the storage account and its system topic.')
param location string

@description('Required. Name of the Event Grid system topic for the storage account.')
param systemTopicName string

@description('Optional. Container the phone app uploads clips to.')
param clipsContainerName string = 'clips'

@description('Optional. Container the worker writes spoken replies and sidecars to.')
param repliesContainerName string = 'replies'

@description('Required. Container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Optional. Days after upload that a clip is deleted by the lifecycle rule.')
@minValue(1)
param clipRetentionDays int = 30

@description('Optional. Days after creation that a reply (audio and sidecar) is deleted.')
@minValue(1)
param replyRetentionDays int = 90

@description('Optional. Origins allowed to PUT clips and GET replies from a browser (the web app); empty for none.')
param corsAllowedOrigins array = []

@description('Optional. Storage redundancy SKU.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string = 'Standard_ZRS'

@description('Optional. Tags applied to the storage resources.')
param tags object = {}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  // checkov:skip=CKV_AZURE_206:zone-redundant (ZRS) by default; geo-replication would copy voice recordings, which are personal data deleted after clipRetentionDays, to a second region (set skuName to GZRS to opt in)
  // checkov:skip=CKV_AZURE_35:phones PUT clips with user-delegation SAS from mobile networks and Event Grid reads the account; a deny-by-default firewall needs a virtual network this deployment does not have
  // checkov:skip=CKV_AZURE_59:the public endpoint serves SAS uploads from phones; anonymous blob access and shared keys are both off, so every request carries an Entra token or a user-delegation SAS
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    // identity-based access only: the host, the app and user-delegation SAS all use Entra
    allowSharedKeyAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: {
          enabled: true
          keyType: 'Account'
        }
        queue: {
          enabled: true
          keyType: 'Account'
        }
        table: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    cors: {
      corsRules: empty(corsAllowedOrigins) ? [] : [
        {
          allowedOrigins: corsAllowedOrigins
          allowedMethods: [
            'GET'
            'HEAD'
            'PUT'
            'OPTIONS'
          ]
          allowedHeaders: [
            '*'
          ]
          exposedHeaders: [
            'ETag'
            'x-ms-request-id'
          ]
          maxAgeInSeconds: 3600
        }
      ]
    }
  }
}

resource clipsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: clipsContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource repliesContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: repliesContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Voice recordings are personal data: they go after a fixed number of days whatever the app does.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-old-clips'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                '${clipsContainerName}/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterCreationGreaterThan: clipRetentionDays
                }
              }
              snapshot: {
                delete: {
                  daysAfterCreationGreaterThan: clipRetentionDays
                }
              }
            }
          }
        }
        {
          name: 'delete-old-replies'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                '${repliesContainerName}/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterCreationGreaterThan: replyRetentionDays
                }
              }
            }
          }
        }
      ]
    }
  }
  dependsOn: [
    clipsContainer
    repliesContainer
  ]
}

// The subscription to the function's blobs webhook is added by infra/hooks/postdeploy.*:
// its URL carries the blobs_extension system key, which exists only once the code is deployed.
resource systemTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: systemTopicName
  location: location
  tags: tags
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output NAME string = storage.name
output RESOURCE_ID string = storage.id
output BLOB_ENDPOINT string = storage.properties.primaryEndpoints.blob
output QUEUE_ENDPOINT string = storage.properties.primaryEndpoints.queue
output TABLE_ENDPOINT string = storage.properties.primaryEndpoints.table
output SYSTEM_TOPIC_NAME string = systemTopic.name
