// Optional Azure SQL database for pipelines that load into SQL Server. Entra ID only: SQL logins and passwords are
// turned off, so there is no password to store or rotate. Serverless with auto-pause, so an idle database costs
// storage only.

@description('Name of the logical server (globally unique).')
param serverName string

@description('Name of the database.')
param databaseName string

@description('Azure region of the server.')
param location string

@description('Tags for the server and database.')
param tags object

@description('Display name of the Entra ID administrator (a user, group or the app identity).')
param adminLogin string

@description('Object id of the Entra ID administrator.')
param adminObjectId string

@description('Type of the administrator principal.')
@allowed([
  'User'
  'Group'
  'Application'
])
param adminPrincipalType string

@description('Minutes without connections before the serverless database pauses (60 or more; -1 never pauses).')
param autoPauseDelay int = 60

resource server 'Microsoft.Sql/servers@2025-01-01' = {
  name: serverName
  location: location
  tags: tags
  properties: {
    minimalTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    administrators: {
      administratorType: 'ActiveDirectory'
      azureADOnlyAuthentication: true
      login: adminLogin
      sid: adminObjectId
      principalType: adminPrincipalType
      tenantId: subscription().tenantId
    }
  }
}

// Lets Azure services, the Functions app among them, reach the server; access still needs an Entra ID token.
resource azureServices 'Microsoft.Sql/servers/firewallRules@2025-01-01' = {
  parent: server
  name: 'AllowAllWindowsAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource database 'Microsoft.Sql/servers/databases@2025-01-01' = {
  parent: server
  name: databaseName
  location: location
  tags: tags
  sku: {
    name: 'GP_S_Gen5_1'
    tier: 'GeneralPurpose'
  }
  properties: {
    autoPauseDelay: autoPauseDelay
    minCapacity: json('0.5')
    zoneRedundant: false
  }
}

@description('Fully qualified name of the server.')
output serverFqdn string = server.properties.fullyQualifiedDomainName

@description('Name of the database.')
output databaseName string = database.name
