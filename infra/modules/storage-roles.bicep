// Grants one principal data roles on one storage account. Scoped to the account, not the resource group, so the
// identity reaches exactly the accounts it needs.

@description('Name of the storage account the roles apply to.')
param storageAccountName string

@description('Object id of the principal that gets the roles.')
param principalId string

@description('A value known before deployment that identifies the principal (such as its resource id or name); it seeds the assignments\' names, so they stay the same from one deployment to the next.')
param principalSeed string

@description('Type of the principal: ServicePrincipal for managed identities, User or Group for people.')
@allowed([
  'ServicePrincipal'
  'User'
  'Group'
])
param principalType string

@description('Ids (GUIDs) of the built-in role definitions to assign.')
param roleDefinitionIds string[]

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in roleDefinitionIds: {
    name: guid(account.id, principalSeed, roleId)
    scope: account
    properties: {
      principalId: principalId
      principalType: principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]
