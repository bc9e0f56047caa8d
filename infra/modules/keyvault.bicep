// Key Vault for connector secrets, authorized by Azure RBAC (no access policies). The app's identity can read secret
// values; the person deploying can also write them, so `az keyvault secret set` works right after `azd up`.

@description('Name of the vault (3-24 letters, digits and hyphens, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region of the vault.')
param location string

@description('Tags for the vault.')
param tags object

@description('Object id of the app identity, which gets Key Vault Secrets User (read secret values).')
param readerPrincipalId string

@description('A value known before deployment that identifies the app identity (its name); it seeds the role assignment\'s name.')
param readerPrincipalSeed string

@description('Object id of a person or group that gets Key Vault Secrets Officer (manage secrets); empty for none.')
param officerPrincipalId string = ''

@description('Type of the officer principal.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param officerPrincipalType string = 'User'

@description('Days a deleted vault or secret can be recovered (7-90).')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 7

var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var secretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
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
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, readerPrincipalSeed, secretsUser)
  scope: vault
  properties: {
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

resource officer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(officerPrincipalId)) {
  name: guid(vault.id, officerPrincipalId, secretsOfficer)
  scope: vault
  properties: {
    principalId: officerPrincipalId
    principalType: officerPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficer)
  }
}

@description('Name of the vault.')
output name string = vault.name

@description('URI of the vault, ending with a slash.')
output uri string = vault.properties.vaultUri
