// The one identity the function app uses for storage, Key Vault, App Insights and Communication Services.
// User-assigned, so roles can be granted before the app exists and survive the app being recreated.
param name string
param location string
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
