// The one storage account: the Functions host (AzureWebJobsStorage), Durable Functions' task hub queues,
// tables and blobs, the app's own tables, the Flex Consumption deployment container and the queue that
// receives ACS delivery reports. Shared keys are off, so every client authenticates with Entra ID.
param name string
param location string
param tags object = {}

@description('Blob container Flex Consumption deploys the app package into.')
param deploymentContainerName string

@description('Queue Event Grid delivers ACS email delivery reports into.')
param deliveryEventsQueueName string
@description('Queue Event Grid writes ACS SMSReceived (STOP replies) and SMSDeliveryReportReceived events into.')
param smsInboundQueueName string

@description('Container the app stores redacted copies of sent messages in (it creates it; MessageCopyStore.ContainerName).')
param messageCopiesContainerName string = 'comms-message-copies'

@description('Days a redacted message copy is kept (Comms__Retention__MessageCopyDays): the lifecycle rule deletes older ones.')
@minValue(1)
param messageCopyDays int = 30

@description('Principal of the app identity, granted blob, queue and table data roles.')
param appPrincipalId string

// Storage Blob Data Owner (the host's leases and Durable Functions' blobs need owner, not contributor)
var storageBlobDataOwnerRoleId = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
// Storage Queue Data Contributor
var storageQueueDataContributorRoleId = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
// Storage Table Data Contributor
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      // Flex Consumption without a virtual network reaches storage over the public endpoint.
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobServices 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }

  // Azure deletes expired message copies by itself (docs/message-copies.md); the app's daily purge does the same
  // locally and anywhere a rule is missing, so the two agree on the number of days.
  resource managementPolicies 'managementPolicies' = {
    name: 'default'
    properties: {
      policy: {
        rules: [
          {
            name: 'expire-message-copies'
            enabled: true
            type: 'Lifecycle'
            definition: {
              filters: {
                blobTypes: ['blockBlob']
                prefixMatch: ['${messageCopiesContainerName}/']
              }
              actions: {
                baseBlob: {
                  delete: {
                    daysAfterModificationGreaterThan: messageCopyDays
                  }
                }
              }
            }
          }
        ]
      }
    }
  }

  resource queueServices 'queueServices' = {
    name: 'default'

    resource deliveryEventsQueue 'queues' = {
      name: deliveryEventsQueueName
    }

    resource smsInboundQueue 'queues' = {
      name: smsInboundQueueName
    }
  }

  // Durable Functions and the app create their tables at start; the service is declared so it exists.
  resource tableServices 'tableServices' = {
    name: 'default'
  }
}

// Storage Blob Data Owner: host leases, Durable Functions' large messages, the deployment package.
resource blobOwnerRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appPrincipalId, storageBlobDataOwnerRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwnerRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Queue Data Contributor: Durable Functions' control and work-item queues, the delivery-events queue.
resource queueContributorRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appPrincipalId, storageQueueDataContributorRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributorRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Table Data Contributor: Durable Functions' history and instance tables, the app's own tables.
resource tableContributorRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appPrincipalId, storageTableDataContributorRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributorRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output id string = storage.id
output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output tableEndpoint string = storage.properties.primaryEndpoints.table
output deploymentContainerName string = storage::blobServices::deploymentContainer.name
output deliveryEventsQueueName string = storage::queueServices::deliveryEventsQueue.name
output smsInboundQueueName string = storage::queueServices::smsInboundQueue.name
