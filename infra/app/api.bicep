// The function app on a Flex Consumption plan. Every setting the code reads (local.settings.sample.json)
// is set here; tests/Comms.Infra.Tests compares the two lists. Storage, App Insights and ACS are reached
// with the user-assigned identity, secrets through Key Vault references: no key or connection string.
param planName string
param functionAppName string
param location string
param tags object = {}

@description('azd finds the app to deploy to by this tag.')
param serviceName string = 'api'

@minValue(40)
@maxValue(1000)
@description('Upper bound Flex Consumption scales out to.')
param maximumInstanceCount int

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

param identityId string
param identityClientId string

param storageAccountName string
param storageBlobEndpoint string
param storageTableEndpoint string
param deploymentContainerName string

param applicationInsightsConnectionString string
param keyVaultUri string

@description('Secret names in the vault, shared with the key-vault module.')
param secretNames object

@allowed(['Acs', 'Ses'])
param emailProvider string

@allowed(['', 'Acs', 'Ses'])
param emailFailoverProvider string

param platformSender string

@description('Sender ACS uses for platform mail when it differs from platformSender (SES paired with ACS); empty = platformSender.')
param acsSender string = ''
param taskHubName string
param suppressionSyncSchedule string

@description('Days a redacted message copy is kept; the storage lifecycle rule uses the same number.')
param messageCopyDays int = 30

@description('ARM ids of ACS suppression lists to sync, separated by semicolons; empty = none.')
param acsSuppressionLists string = ''

@description('SNS topic ARNs whose SES notifications are accepted, separated by semicolons; empty = any that verify.')
param sesNotificationTopicArns string = ''

@description('ACS endpoint, empty when ACS is not deployed.')
param acsEndpoint string
param acsMessagesPerSecond int
param acsPollToTerminal bool

@description('The SMS sender number (E.164); empty turns the SMS channel off (Comms__Sms__Provider None).')
param smsSenderNumber string = ''
param smsInboundQueueName string

param sesRegion string
param sesConfigurationSetName string
param sesMessagesPerSecond int

var usesSes = emailProvider == 'Ses' || emailFailoverProvider == 'Ses'
// vaultUri ends with '/'. References without a version follow the latest secret version.
var secretsUri = '${keyVaultUri}secrets'

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    // Linux is the only OS Flex Consumption runs on.
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Without this the platform resolves Key Vault references with a system identity the app does not have.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  // The whole settings list in one place. FUNCTIONS_WORKER_RUNTIME is not a setting on Flex Consumption
  // (functionAppConfig.runtime above replaces it) and AzureWebJobsStorage is its identity-based form.
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      AzureWebJobsStorage__accountName: storageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      Comms__TaskHubName: taskHubName
      // Empty: in Azure the app reaches its tables by URI and identity, never by connection string.
      Comms__Storage__ConnectionString: ''
      Comms__Storage__TableServiceUri: storageTableEndpoint
      Comms__Storage__ManagedIdentityClientId: identityClientId
      Comms__Security__PlatformAdminKey: '@Microsoft.KeyVault(SecretUri=${secretsUri}/${secretNames.platformAdminKey})'
      // The outbox's queue (beside the tables, reached with the same identity) and the key its rows are encrypted with.
      Comms__Outbox__QueueName: 'notice-outbox'
      Comms__Outbox__ProtectionKey: '@Microsoft.KeyVault(SecretUri=${secretsUri}/${secretNames.outboxProtectionKey})'
      Comms__Outbox__GiveUpAfter: '1.00:00:00'
      Comms__Outbox__MinLinkValidity: '00:05:00'
      // One-click unsubscribe links: signed with a Key Vault secret, pointing at this app's own public address.
      Comms__Preferences__LinkKey: '@Microsoft.KeyVault(SecretUri=${secretsUri}/${secretNames.unsubscribeLinkKey})'
      Comms__Preferences__PublicBaseUrl: 'https://${functionApp.properties.defaultHostName}'
      Comms__Preferences__UnsubscribeLinkLifetime: '90.00:00:00'
      Comms__Preferences__ManageLinkLifetime: '30.00:00:00'
      // Status webhooks: their own queue; only https endpoints in Azure.
      Comms__Webhooks__QueueName: 'notice-events'
      Comms__Webhooks__AllowLoopbackHttp: 'false'
      Comms__Email__Provider: emailProvider
      Comms__Email__FailoverProvider: emailFailoverProvider
      Comms__Email__PlatformSender: platformSender
      // The pickup directory is a local-development provider; Azure never writes mail to disk.
      Comms__Email__Pickup__Directory: ''
      Comms__Email__Ses__Region: sesRegion
      // Empty means the real AWS endpoint for the region (the sample points at a local SES emulator).
      Comms__Email__Ses__ServiceUrl: ''
      Comms__Email__Ses__AccessKeyId: usesSes ? '@Microsoft.KeyVault(SecretUri=${secretsUri}/${secretNames.sesAccessKeyId})' : ''
      Comms__Email__Ses__SecretAccessKey: usesSes ? '@Microsoft.KeyVault(SecretUri=${secretsUri}/${secretNames.sesSecretAccessKey})' : ''
      Comms__Email__Ses__ConfigurationSetName: sesConfigurationSetName
      Comms__Email__Ses__MessagesPerSecond: string(sesMessagesPerSecond)
      Comms__Email__Ses__TimeoutSeconds: '30'
      Comms__Email__Acs__Endpoint: acsEndpoint
      // Empty: ACS is reached with the managed identity below.
      Comms__Email__Acs__ConnectionString: ''
      Comms__Email__Acs__ManagedIdentityClientId: empty(acsEndpoint) ? '' : identityClientId
      Comms__Email__Acs__Sender: acsSender
      Comms__Email__Acs__MessagesPerSecond: string(acsMessagesPerSecond)
      Comms__Email__Acs__PollToTerminal: string(acsPollToTerminal)
      Comms__Email__Acs__TimeoutSeconds: '30'
      // SMTP is a local-development provider (Mailpit) and is not offered in Azure. The numbers and mode are
      // inert but well-typed, so binding the SMTP options at start cannot fail on an empty string.
      Comms__Email__Smtp__Host: ''
      Comms__Email__Smtp__Port: '587'
      Comms__Email__Smtp__TlsMode: 'None'
      Comms__Email__Smtp__User: ''
      Comms__Email__Smtp__Password: ''
      Comms__Email__Smtp__MessagesPerSecond: '5'
      Comms__Email__Smtp__TimeoutSeconds: '30'
      Comms__Email__Pickup__MessagesPerSecond: '0'
      Comms__Email__ClaimLeaseSeconds: '120'
      Comms__Email__TestSendTimeoutSeconds: '15'
      Comms__Email__Retry__MaxAttempts: '5'
      Comms__Email__Retry__BaseDelayMilliseconds: '500'
      Comms__Email__Retry__MaxDelayMilliseconds: '30000'
      Comms__Email__Acs__PollTimeoutSeconds: '60'
      // SMS through the same Communication Service and identity; no number, no SMS (docs/channels.md).
      Comms__Sms__Provider: empty(smsSenderNumber) ? 'None' : 'Acs'
      Comms__Sms__From: smsSenderNumber
      Comms__Sms__EnableDeliveryReport: 'true'
      Comms__Sms__InboundQueueName: smsInboundQueueName
      Comms__Sms__Acs__Endpoint: empty(smsSenderNumber) ? '' : acsEndpoint
      Comms__Sms__Acs__ConnectionString: ''
      Comms__Sms__Acs__ManagedIdentityClientId: empty(smsSenderNumber) ? '' : identityClientId
      Comms__Sms__Acs__TimeoutSeconds: '30'
      // The SMS pickup folder is a local-development provider; Azure never writes texts to disk.
      Comms__Sms__Pickup__Directory: ''
      Comms__Circulation__DayLength: '1.00:00:00'
      Comms__Circulation__StartGrace: '00:05:00'
      Comms__Suppression__SyncSchedule: suppressionSyncSchedule
      Comms__Accounts__PasswordResetsPerHour: '3'
      Comms__Suppression__FullResyncDays: '7'
      Comms__Suppression__OverlapMinutes: '60'
      Comms__Suppression__MaxRunSeconds: '480'
      Comms__Suppression__Ses__Enabled: string(usesSes)
      Comms__Suppression__Ses__PageSize: '1000'
      Comms__Suppression__Ses__MaxAttempts: '8'
      Comms__Suppression__Acs__SuppressionLists: acsSuppressionLists
      Comms__Suppression__Acs__ManagedIdentityClientId: identityClientId
      Comms__Suppression__Sns__TrustedHosts: '.amazonaws.com'
      Comms__Suppression__Sns__TopicArns: sesNotificationTopicArns
      // Retention (docs/retention.md): the daily purge at 03:30 UTC, after the suppression sync.
      Comms__Retention__Schedule: '0 30 3 * * *'
      // Daily print batches of the notices neither email nor SMS reached (docs/channels.md).
      Comms__Print__BatchSchedule: '0 0 5 * * *'
      Comms__Retention__EmailLogDays: '400'
      Comms__Retention__LedgerDays: '35'
      Comms__Retention__ClosedRecordDays: '90'
      Comms__Retention__MaxRunSeconds: '480'
      Comms__Retention__MessageCopyDays: string(messageCopyDays)
    }
  }
}

// Basic (user/password) publishing is off: azd and the platform deploy with Entra ID.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
