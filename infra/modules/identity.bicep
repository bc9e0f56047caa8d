// The one identity the app uses for everything: host storage, the engine's tables, queues and blobs, the lake,
// Key Vault, Application Insights and Azure SQL. User-assigned, so roles can be granted before the app exists and
// survive a re-created app.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region of the identity.')
param location string

@description('Tags for the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity.')
output id string = identity.id

@description('Client id of the identity, for AZURE_CLIENT_ID and the AzureWebJobsStorage__clientId setting.')
output clientId string = identity.properties.clientId

@description('Object (principal) id of the identity, for role assignments.')
output principalId string = identity.properties.principalId

@description('Name of the identity.')
output name string = identity.name
