// Entry point for `azd up`: one resource group holding the whole communications engine.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; part of every resource name.')
param environmentName string

@minLength(1)
@description('Region for regional resources (Communication Services are global).')
param location string

@description('Deploying user or service principal (azd sets AZURE_PRINCIPAL_ID); may set secrets in Key Vault.')
param principalId string = ''

@allowed(['User', 'ServicePrincipal', 'Group'])
param principalType string = 'User'

@allowed(['Acs', 'Ses'])
@description('Provider that sends email. Acs deploys Communication Services; Ses reads AWS credentials from Key Vault.')
param emailProvider string = 'Acs'

@allowed(['', 'Acs', 'Ses'])
@description('Provider used when the main one fails; empty for none.')
param emailFailoverProvider string = ''

@description('Sender for platform mail (EMAIL_PLATFORM_SENDER). Required whenever SES sends (an address or domain verified in SES); empty with ACS alone uses DoNotReply@ the Azure-managed domain.')
param platformSender string = ''

@description('Sender ACS uses when SES is the other provider (EMAIL_ACS_SENDER): an address on a domain linked to ACS. Empty: DoNotReply@ the Azure-managed domain.')
param acsSender string = ''

@description('ARM ids of ACS suppression lists to copy into the blacklist, separated by semicolons (ACS_SUPPRESSION_LISTS); empty = none.')
param acsSuppressionLists string = ''

@description('SNS topic ARNs whose SES notifications are accepted, separated by semicolons (SES_NOTIFICATION_TOPIC_ARNS); empty = any that verify.')
param sesNotificationTopicArns string = ''

@secure()
@minLength(16)
@description('Key that creates libraries and acts on any of them; stored in Key Vault.')
param platformAdminKey string

@secure()
@minLength(32)
@description('Key that encrypts queued notices at rest (a reset link waits in the outbox until it is sent; OUTBOX_PROTECTION_KEY); stored in Key Vault. Changing it fails notices still queued.')
param outboxProtectionKey string

@secure()
@minLength(32)
@description('Key that signs the one-click unsubscribe links of optional notices (UNSUBSCRIBE_LINK_KEY); stored in Key Vault. Changing it makes links already sent answer 403.')
param unsubscribeLinkKey string

@secure()
@description('AWS access key id for SES; empty to set the Key Vault secret yourself after deployment.')
param sesAccessKeyId string = ''

@secure()
@description('AWS secret access key for SES; empty to set the Key Vault secret yourself after deployment.')
param sesSecretAccessKey string = ''

param sesRegion string = 'eu-west-1'
param sesConfigurationSetName string = ''

@minValue(1)
param sesMessagesPerSecond int = 14

@minValue(1)
param acsMessagesPerSecond int = 10
param acsPollToTerminal bool = true

@description('The Communication Service phone number SMS goes from (E.164, +…), bought in the portal after the first azd up (docs/deploy.md). Empty: no SMS; the chain stops at email.')
param smsSenderNumber string = ''

@description('Where Communication Services keep data at rest.')
param communicationDataLocation string = 'Europe'

@description('Own sending domain for ACS (e.g. mail.example.org); empty to send from the Azure-managed domain only.')
param acsCustomDomain string = ''

@description('Set true after the custom domain\'s DNS records are verified, to link it to Communication Services.')
param acsCustomDomainVerified bool = false

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Durable Functions task hub; one per app sharing a storage account.')
param taskHubName string = 'Comms'

@description('Days a redacted copy of a sent message is kept (docs/message-copies.md): the app setting and the storage lifecycle rule.')
@minValue(1)
@maxValue(3650)
param messageCopyDays int = 30

@description('NCRONTAB schedule of the suppression-list sync.')
param suppressionSyncSchedule string = '0 0 2 * * *'

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var usesAcs = emailProvider == 'Acs' || emailFailoverProvider == 'Acs'
var usesSes = emailProvider == 'Ses' || emailFailoverProvider == 'Ses'
// SES sends only from identities verified in the AWS account, so no default can work: stop the deployment
// with what to set rather than deploy an app whose options validation stops it at start.
// (infra/hooks/check-email-settings.sh says the same before azd provisions anything.)
var sesPlatformSender = usesSes && empty(platformSender)
  ? fail('EMAIL_PROVIDER or EMAIL_FAILOVER_PROVIDER is Ses, so EMAIL_PLATFORM_SENDER must be an address verified in Amazon SES: azd env set EMAIL_PLATFORM_SENDER notices@mail.example.org')
  : platformSender
var deploymentContainerName = 'app-package-${resourceToken}'
var deliveryEventsQueueName = 'email-delivery-events'
var smsInboundQueueName = 'sms-inbound-events'
// SMS goes through the same Communication Service as ACS email: a number needs that resource to live on.
var usesSms = !empty(smsSenderNumber)
var smsNumber = usesSms && !usesAcs
  ? fail('SMS_SENDER_NUMBER is set, but SMS needs the Communication Service: set EMAIL_PROVIDER or EMAIL_FAILOVER_PROVIDER to Acs.')
  : smsSenderNumber
var secretNames = {
  platformAdminKey: 'platform-admin-key'
  outboxProtectionKey: 'outbox-protection-key'
  unsubscribeLinkKey: 'unsubscribe-link-key'
  sesAccessKeyId: 'ses-access-key-id'
  sesSecretAccessKey: 'ses-secret-access-key'
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'core/identity/user-assigned-identity.bicep' = {
  scope: rg
  name: 'identity'
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'core/storage/storage-account.bicep' = {
  scope: rg
  name: 'storage'
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    deliveryEventsQueueName: deliveryEventsQueueName
    smsInboundQueueName: smsInboundQueueName
    messageCopyDays: messageCopyDays
    appPrincipalId: identity.outputs.principalId
  }
}

module monitoring 'core/monitor/monitoring.bicep' = {
  scope: rg
  name: 'monitoring'
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
    publisherPrincipalId: identity.outputs.principalId
  }
}

module keyVault 'core/security/key-vault.bicep' = {
  scope: rg
  name: 'key-vault'
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
    operatorPrincipalId: principalId
    operatorPrincipalType: principalType
    platformAdminKey: platformAdminKey
    outboxProtectionKey: outboxProtectionKey
    unsubscribeLinkKey: unsubscribeLinkKey
    sesAccessKeyId: sesAccessKeyId
    sesSecretAccessKey: sesSecretAccessKey
    secretNames: secretNames
  }
}

module email 'core/communication/email-communication.bicep' = if (usesAcs) {
  scope: rg
  name: 'email-communication'
  params: {
    communicationServiceName: '${abbrs.communicationCommunicationServices}${resourceToken}'
    emailServiceName: '${abbrs.communicationEmailServices}${resourceToken}'
    dataLocation: communicationDataLocation
    customDomainName: acsCustomDomain
    linkCustomDomain: acsCustomDomainVerified
    tags: tags
    appPrincipalId: identity.outputs.principalId
  }
}

module deliveryEvents 'app/email-delivery-events.bicep' = if (usesAcs) {
  scope: rg
  name: 'email-delivery-events'
  params: {
    systemTopicName: '${abbrs.eventGridSystemTopics}${resourceToken}'
    communicationServiceName: email!.outputs.communicationServiceName
    storageAccountName: storage.outputs.name
    queueName: storage.outputs.deliveryEventsQueueName
    smsInboundQueueName: usesSms ? storage.outputs.smsInboundQueueName : ''
    tags: tags
  }
}

module api 'app/api.bicep' = {
  scope: rg
  name: 'api'
  params: {
    planName: '${abbrs.webServerFarms}${resourceToken}'
    functionAppName: '${abbrs.webSitesFunctions}${resourceToken}'
    location: location
    tags: tags
    serviceName: 'api'
    maximumInstanceCount: maximumInstanceCount
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    keyVaultUri: keyVault.outputs.uri
    secretNames: secretNames
    emailProvider: emailProvider
    emailFailoverProvider: emailFailoverProvider
    platformSender: empty(sesPlatformSender) && usesAcs ? 'DoNotReply@${email!.outputs.senderDomain}' : sesPlatformSender
    // With SES as well, the platform sender is SES's; ACS needs one of its own linked domains.
    acsSender: usesAcs && usesSes && empty(acsSender) ? 'DoNotReply@${email!.outputs.senderDomain}' : acsSender
    acsSuppressionLists: acsSuppressionLists
    sesNotificationTopicArns: sesNotificationTopicArns
    taskHubName: taskHubName
    suppressionSyncSchedule: suppressionSyncSchedule
    messageCopyDays: messageCopyDays
    acsEndpoint: usesAcs ? email!.outputs.endpoint : ''
    acsMessagesPerSecond: acsMessagesPerSecond
    acsPollToTerminal: acsPollToTerminal
    smsSenderNumber: smsNumber
    smsInboundQueueName: smsInboundQueueName
    sesRegion: sesRegion
    sesConfigurationSetName: sesConfigurationSetName
    sesMessagesPerSecond: sesMessagesPerSecond
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = 'https://${api.outputs.defaultHostName}'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output EMAIL_PROVIDER string = emailProvider
output AZURE_COMMUNICATION_SERVICES_ENDPOINT string = usesAcs ? email!.outputs.endpoint : ''
output AZURE_EMAIL_SENDER_DOMAIN string = usesAcs ? email!.outputs.senderDomain : ''
output AZURE_EMAIL_CUSTOM_DOMAIN_DNS_RECORDS object = usesAcs ? email!.outputs.customDomainVerificationRecords : {}
output EMAIL_DELIVERY_EVENTS_QUEUE string = deliveryEventsQueueName
