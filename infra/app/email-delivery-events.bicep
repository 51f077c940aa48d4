// Event Grid system topic on the ACS resource delivering EmailDeliveryReportReceived events into a storage
// queue the app consumes. Delivery uses the topic's own managed identity (no storage key, which the account
// refuses anyway), so that identity gets Storage Queue Data Message Sender on the account.
param systemTopicName string
param communicationServiceName string
param storageAccountName string
param queueName string
@description('Queue for the SMS number\'s events: SMSReceived (STOP replies) and SMSDeliveryReportReceived; empty: no SMS number, no subscription.')
param smsInboundQueueName string = ''
param tags object = {}

// Storage Queue Data Message Sender
var storageQueueDataMessageSenderRoleId = 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'

resource communicationService 'Microsoft.Communication/communicationServices@2025-05-01' existing = {
  name: communicationServiceName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  // ACS is a global resource, so its system topic is too.
  location: 'global'
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: communicationService.id
    topicType: 'Microsoft.Communication.CommunicationServices'
  }
}

// Storage Queue Data Message Sender: Event Grid writes delivery reports into the queue as the topic identity.
// Named from the topic's id: its principal id exists only after deployment, and a name must be known before.
resource queueSenderRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, systemTopic.id, storageQueueDataMessageSenderRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataMessageSenderRoleId)
    principalId: systemTopic.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource deliveryReports 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: 'email-delivery-reports'
  dependsOn: [
    queueSenderRole
  ]
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Communication.EmailDeliveryReportReceived'
      ]
    }
    deliveryWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: storage.id
          queueName: queueName
          // -1 keeps messages until the app takes them; reports must not expire during an outage.
          queueMessageTimeToLiveInSeconds: -1
        }
      }
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

// Replies to the SMS number (STOP, START) and the SMS delivery reports reach the app the same way, through their own
// queue. One subscription for both: the same topic and destination, and one queue function that routes each event by
// its type; a second subscription would add a queue and a function for nothing.
resource smsReplies 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (!empty(smsInboundQueueName)) {
  parent: systemTopic
  name: 'sms-replies'
  dependsOn: [
    queueSenderRole
  ]
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Communication.SMSReceived'
        'Microsoft.Communication.SMSDeliveryReportReceived'
      ]
    }
    deliveryWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: storage.id
          queueName: smsInboundQueueName
          // A STOP must not be lost to an outage: keep it until the app takes it.
          queueMessageTimeToLiveInSeconds: -1
        }
      }
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output systemTopicName string = systemTopic.name
