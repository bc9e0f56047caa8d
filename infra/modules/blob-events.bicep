// Blob events from the lake reach the app through a Storage queue, not a webhook: no validation handshake, no
// function key in a URL, delivery works while the app is scaled to zero, and Event Grid authenticates with its own
// managed identity. Events Event Grid cannot deliver land as blobs in a dead-letter container.

@description('Name of the Event Grid system topic.')
param topicName string

@description('Azure region of the topic (the lake account\'s region).')
param location string

@description('Tags for the topic.')
param tags object

@description('Name of the lake storage account whose blob events are published.')
param lakeAccountName string

@description('Name of the runtime storage account holding the events queue and the dead-letter container.')
param runtimeAccountName string

@description('Queue the events are delivered to; the app\'s blobevents function reads it (DURAFLOW_BLOB_EVENTS_QUEUE).')
param queueName string

@description('Container that receives events that could not be delivered.')
param deadLetterContainerName string

@description('Lake containers whose new blobs are published; pipelines narrow further with their own prefix and suffix.')
@minLength(1)
param containers string[]

@description('Delivery attempts before an event is dead-lettered (1-30).')
@minValue(1)
@maxValue(30)
param maxDeliveryAttempts int = 30

@description('Minutes an event is retried before it is dead-lettered (1-1440).')
@minValue(1)
@maxValue(1440)
param eventTimeToLiveInMinutes int = 1440

var queueDataMessageSender = 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
var blobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource lake 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: lakeAccountName
}

resource runtime 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: runtimeAccountName

  resource queueService 'queueServices' existing = {
    name: 'default'

    resource queue 'queues' existing = {
      name: queueName
    }
  }

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource deadLetter 'containers' existing = {
      name: deadLetterContainerName
    }
  }
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: topicName
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: lake.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

// The topic's identity may only add messages to this one queue and write blobs to the dead-letter container.
resource canSend 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(runtime::queueService::queue.id, topic.id, queueDataMessageSender)
  scope: runtime::queueService::queue
  properties: {
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', queueDataMessageSender)
  }
}

resource canDeadLetter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(runtime::blobService::deadLetter.id, topic.id, blobDataContributor)
  scope: runtime::blobService::deadLetter
  properties: {
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributor)
  }
}

resource toQueue 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: 'blobs-to-duraflow'
  // Event Grid checks that it may deliver when the subscription is created; the roles must exist first.
  dependsOn: [
    canSend
    canDeadLetter
  ]
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    deliveryWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: runtime.id
          queueName: queueName
          queueMessageTimeToLiveInSeconds: -1
        }
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      isSubjectCaseSensitive: false
      enableAdvancedFilteringOnArrays: true
      advancedFilters: [
        {
          operatorType: 'StringBeginsWith'
          key: 'subject'
          values: [for container in containers: '/blobServices/default/containers/${container}/blobs/']
        }
        {
          // Only finished blobs: on a lake (ADLS Gen2), CreateFile raises BlobCreated for an empty file that is
          // still being written; FlushWithClose is the event for the completed file.
          operatorType: 'StringIn'
          key: 'data.api'
          values: [
            'PutBlob'
            'PutBlockList'
            'CopyBlob'
            'FlushWithClose'
          ]
        }
      ]
    }
    retryPolicy: {
      maxDeliveryAttempts: maxDeliveryAttempts
      eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: runtime.id
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
}

@description('Name of the system topic.')
output topicName string = topic.name
