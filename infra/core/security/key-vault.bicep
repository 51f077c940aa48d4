// Key Vault with RBAC authorization holding the secrets the app reads through Key Vault references.
// SES secrets are written only when a value is passed: a redeploy without them must not blank out a
// secret an operator set by hand after the first deployment.
param name string
param location string
param tags object = {}

@description('Principal of the app identity, granted Key Vault Secrets User.')
param appPrincipalId string

@description('Deploying user (azd sets AZURE_PRINCIPAL_ID); granted Key Vault Secrets Officer to set SES secrets. Empty to skip.')
param operatorPrincipalId string = ''

@description('Type of the deploying principal.')
@allowed(['User', 'ServicePrincipal', 'Group'])
param operatorPrincipalType string = 'User'

@secure()
@description('Key that creates libraries and acts on any of them.')
param platformAdminKey string

@secure()
@description('Key that encrypts queued notices at rest.')
param outboxProtectionKey string

@secure()
@description('Key that signs one-click unsubscribe links in optional notices.')
param unsubscribeLinkKey string

@secure()
@description('AWS access key id for SES. Empty leaves the secret as it is (or absent).')
param sesAccessKeyId string = ''

@secure()
@description('AWS secret access key for SES. Empty leaves the secret as it is (or absent).')
param sesSecretAccessKey string = ''

@description('Secret names, shared with the app module that builds the Key Vault references.')
param secretNames object

// Key Vault Secrets User
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
// Key Vault Secrets Officer
var keyVaultSecretsOfficerRoleId = 'b86a8fe5-44ce-4948-aee5-eccb2c155cd7'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource platformAdminKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: secretNames.platformAdminKey
  properties: {
    value: platformAdminKey
  }
}

resource outboxProtectionKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: secretNames.outboxProtectionKey
  properties: {
    value: outboxProtectionKey
  }
}

resource unsubscribeLinkKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: secretNames.unsubscribeLinkKey
  properties: {
    value: unsubscribeLinkKey
  }
}

resource sesAccessKeyIdSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(sesAccessKeyId)) {
  parent: vault
  name: secretNames.sesAccessKeyId
  properties: {
    value: sesAccessKeyId
  }
}

resource sesSecretAccessKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(sesSecretAccessKey)) {
  parent: vault
  name: secretNames.sesSecretAccessKey
  properties: {
    value: sesSecretAccessKey
  }
}

// Key Vault Secrets User: the app resolves its Key Vault references with its own identity.
resource appSecretsUserRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appPrincipalId, keyVaultSecretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Key Vault Secrets Officer: the deploying user can set the SES credentials after deployment.
resource operatorSecretsOfficerRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(vault.id, operatorPrincipalId, keyVaultSecretsOfficerRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficerRoleId)
    principalId: operatorPrincipalId
    principalType: operatorPrincipalType
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
