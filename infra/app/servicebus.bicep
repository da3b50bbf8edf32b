// Service Bus namespace + the voice-commands queue between transcribe_clip and handle_commands.

@description('Required. Globally unique Service Bus namespace name.')
param name string

@description('Required. Azure region of the namespace.')
param location string

@description('Optional. Queue carrying one TranscriptEvent per clip (message id = clip id).')
param queueName string = 'voice-commands'

@description('Optional. Deliveries before a message is dead-lettered (each failed batch costs one).')
@minValue(1)
@maxValue(20)
param maxDeliveryCount int = 5

@description('Optional. Peek-lock duration; the host renews it up to host.json maxAutoLockRenewalDuration.')
param lockDuration string = 'PT1M'

@description('Optional. Window in which a re-sent clip id is dropped as a duplicate.')
param duplicateDetectionWindow string = 'PT1H'

@description('Optional. Time an unprocessed message lives before it is dead-lettered.')
param messageTimeToLive string = 'P1D'

@description('Optional. Tags applied to the namespace.')
param tags object = {}

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  // Standard: duplicate detection needs at least Standard; see docs/capacity.md for the throughput check
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = {
  parent: namespace
  name: queueName
  properties: {
    lockDuration: lockDuration
    maxDeliveryCount: maxDeliveryCount
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: messageTimeToLive
    enableBatchedOperations: true
    requiresSession: false
    enablePartitioning: false
    maxSizeInMegabytes: 1024
  }
}

output NAME string = namespace.name
output RESOURCE_ID string = namespace.id
// serviceBusEndpoint is https://<name>.servicebus.windows.net:443/ (suffix differs in sovereign clouds)
output FULLY_QUALIFIED_NAMESPACE string = replace(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':443/', '')
output QUEUE_NAME string = queue.name
