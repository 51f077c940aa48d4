// Azure Communication Services with an Email Communication Service and an Azure-managed domain
// (<guid>.azurecomm.net, verified by Azure, no DNS work) linked to it. The app sends with its managed
// identity, so no ACS connection string is ever handed out.
param communicationServiceName string
param emailServiceName string

@description('Where ACS stores data at rest, e.g. Europe or United States.')
param dataLocation string
param tags object = {}

@description('Your own sending domain (e.g. mail.example.org); empty for the Azure-managed domain only.')
param customDomainName string = ''

@description('Link the custom domain to ACS. Only true once its DNS records are verified: ACS refuses an unverified link.')
param linkCustomDomain bool = false

@description('Principal of the app identity, allowed to send email and to read and prune suppression lists.')
param appPrincipalId string

// Communication and Email Service Owner
var communicationAndEmailServiceOwnerRoleId = '09976791-48a7-449e-bb21-39d1a415f350'

resource emailService 'Microsoft.Communication/emailServices@2025-05-01' = {
  name: emailServiceName
  // Communication resources are global; dataLocation decides residency.
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }

  resource managedDomain 'domains' = {
    name: 'AzureManagedDomain'
    location: 'global'
    tags: tags
    properties: {
      domainManagement: 'AzureManaged'
      // Tracking rewrites links in library notices; patrons did not sign up for that.
      userEngagementTracking: 'Disabled'
    }
  }
}

// Created first so its DNS records can be read from the outputs and added at the DNS host.
resource customDomain 'Microsoft.Communication/emailServices/domains@2025-05-01' = if (!empty(customDomainName)) {
  parent: emailService
  name: empty(customDomainName) ? 'unused' : customDomainName
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'CustomerManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource communicationService 'Microsoft.Communication/communicationServices@2025-05-01' = {
  name: communicationServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    // Access keys off: the app authenticates with its managed identity, so there is no key to leak.
    disableLocalAuth: true
    // Listed every time: linkedDomains is replaced, not merged, so a domain linked by hand would be unlinked.
    linkedDomains: concat(
      [emailService::managedDomain.id],
      !empty(customDomainName) && linkCustomDomain ? [customDomain.id] : []
    )
  }
}

// Communication and Email Service Owner on the Communication Service: send email with an Entra token.
resource senderRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(communicationService.id, appPrincipalId, communicationAndEmailServiceOwnerRoleId)
  scope: communicationService
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', communicationAndEmailServiceOwnerRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Suppression lists live under the Email Service (emailServices/domains/suppressionLists), not the
// Communication Service, so the role above does not reach them. The sync reads them and staff removing an
// address from the blacklist deletes it there too; this role allows exactly that, on this Email Service only.
resource suppressionListRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, emailService.id, 'suppression-list-reader-remover')
  properties: {
    roleName: 'Library comms suppression lists (${emailService.name})'
    description: 'Read ACS email suppression lists and remove addresses from them.'
    type: 'CustomRole'
    permissions: [
      {
        actions: [
          'Microsoft.Communication/EmailServices/read'
          'Microsoft.Communication/EmailServices/Domains/read'
          'Microsoft.Communication/EmailServices/Domains/SuppressionLists/read'
          'Microsoft.Communication/EmailServices/Domains/SuppressionLists/SuppressionListAddresses/read'
          'Microsoft.Communication/EmailServices/Domains/SuppressionLists/SuppressionListAddresses/delete'
        ]
        notActions: []
      }
    ]
    assignableScopes: [
      resourceGroup().id
    ]
  }
}

resource suppressionListAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(emailService.id, appPrincipalId, suppressionListRole.id)
  scope: emailService
  properties: {
    roleDefinitionId: suppressionListRole.id
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output communicationServiceId string = communicationService.id
output communicationServiceName string = communicationService.name
output endpoint string = 'https://${communicationService.properties.hostName}'
output senderDomain string = emailService::managedDomain.properties.mailFromSenderDomain
output customDomainVerificationRecords object = empty(customDomainName) ? {} : customDomain!.properties.verificationRecords
