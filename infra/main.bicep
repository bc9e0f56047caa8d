// Duraflow on Azure: the Functions app and everything it uses, in one resource group, with one user-assigned
// identity and no keys. `azd up` deploys it (see docs/deploy.md); `az deployment sub create` works too.
targetScope = 'subscription'

@description('Name of the azd environment; names the resource group (rg-<name>) and seeds resource names.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Azure region for every resource.')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the person deploying (azd sets it); they get Key Vault Secrets Officer and lake data access. Empty for none.')
param principalId string = ''

@description('Type of principalId: User for a person, ServicePrincipal for a CI identity.')
@allowed([
  'User'
  'ServicePrincipal'
])
param principalType string = 'User'

@description('FlexConsumption (scales to zero) or ElasticPremium (always-warm instances, fixed hourly cost).')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
])
param hostingPlan string = 'FlexConsumption'

@description('Flex Consumption: the most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Names the engine\'s tables, queues and blob container (store.prefix): 3-40 lowercase letters and digits, starting with a letter.')
@minLength(3)
@maxLength(40)
param storePrefix string = 'duraflow'

@description('Runtime of new runs, over duraflow.yaml\'s runtime: durable (Durable Functions orchestrations in the app\'s task hub) or duraflow (the engine\'s own queue workers). Empty: duraflow.yaml decides, else durable. Sets Duraflow__Runtime.')
@allowed([
  ''
  'durable'
  'duraflow'
])
param runtime string = ''

@description('Lake containers to create.')
param lakeContainers string[] = [
  'landing'
  'curated'
]

@description('Lake containers whose new blobs are sent to the app as blob events (each must be in lakeContainers).')
param blobEventContainers string[] = [
  'landing'
]

@description('Connector secret names the app reads from Key Vault (letters, digits, underscores), as {{ secrets.NAME }} in io_config.yaml; not duraflow_api_key, the vault name of the app\'s own API key.')
param secretNames string[] = [
  'warehouse_connection'
]

@description('Entra ID sign-in for the API and dashboard, beside the API key: the issuer, https://login.microsoftonline.com/TENANT/v2.0. Empty for the API key only; set with entraAudience.')
param entraAuthority string = ''

@description('Entra ID sign-in: the audience the tokens carry (the API app registration\'s client id or App ID URI).')
param entraAudience string = ''

@description('Entra ID sign-in: an app role of your own that grants admin, beside the app roles Duraflow.Viewer, Duraflow.Operator and Duraflow.Admin (docs/security.md); empty for none.')
param entraRequiredRole string = ''

@description('Entra ID sign-in in the dashboard: the client id of a single-page app registration whose redirect URI is AZURE_FUNCTION_APP_URL/signin. Empty: the dashboard signs in with the API key only. Needs entraAuthority and entraAudience.')
param entraDashboardClientId string = ''

@description('Entra ID sign-in in the dashboard: the API scope the dashboard asks for, such as api://duraflow/access_as_user; its tokens must carry entraAudience.')
param entraDashboardScope string = ''

@description('io_config.yaml profile the app uses in Azure.')
param ioProfile string = 'azure'

@description('Create an Azure SQL database (serverless, Entra ID only).')
param deploySql bool = false

@description('Azure SQL: object id of the Entra ID administrator; empty makes the app identity the administrator.')
param sqlAdminObjectId string = ''

@description('Azure SQL: display name of that administrator.')
param sqlAdminLogin string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var serviceName = 'orchestrator'
var blobEventsQueue = '${storePrefix}-blob-events'

// The Durable runtime's task hub (host.json reads it as %DURAFLOW_TASK_HUB%). Hub names are 3-45 letters and digits
// from a letter; the prefix is 3-40 of those, so the suffix keeps it valid and apart from the engine's own names.
var taskHub = '${storePrefix}tasks'
var deadLetterContainer = 'eventgrid-deadletter'
var deploymentContainer = 'app-package'

// The app's API key lives in Key Vault under this name; scripts/api-key.sh (azd's postprovision hook) creates it once.
// A connector secret may not take the same name (secretNames maps duraflow_api_key to it).
var apiKeySecretName = 'duraflow-api-key'

// Names are fixed before deployment (not read from module outputs), so What-If can predict every resource.
var identityName = 'id-${resourceToken}'
var runtimeAccountName = 'st${resourceToken}'
var lakeAccountName = 'dl${resourceToken}'

var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource group 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: group
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

// The app's own account: Functions host state, the deployed package (Flex), and the engine's runs, queues and outputs.
module runtimeStorage 'modules/storage.bicep' = {
  name: 'runtime-storage'
  scope: group
  params: {
    name: runtimeAccountName
    location: location
    tags: tags
    containers: [
      deploymentContainer
      deadLetterContainer
    ]
    queues: [
      blobEventsQueue
    ]
  }
}

module lakeStorage 'modules/storage.bicep' = {
  name: 'lake-storage'
  scope: group
  params: {
    name: lakeAccountName
    location: location
    tags: tags
    hierarchicalNamespace: true
    containers: lakeContainers
  }
}

// Blob Data Owner (not Contributor) because the Functions host manages blob leases and the engine its container.
// Queue and Table Data Contributor: the engine's store, and the Durable Task extension's Azure Storage provider, whose
// task hub (control and work-item queues, history and instance tables, lease blobs) lives in this account too.
module runtimeRoles 'modules/storage-roles.bicep' = {
  name: 'runtime-roles'
  scope: group
  dependsOn: [
    runtimeStorage
  ]
  params: {
    storageAccountName: runtimeAccountName
    principalId: identity.outputs.principalId
    principalSeed: identityName
    principalType: 'ServicePrincipal'
    roleDefinitionIds: [
      storageBlobDataOwner
      storageQueueDataContributor
      storageTableDataContributor
    ]
  }
}

module lakeRoles 'modules/storage-roles.bicep' = {
  name: 'lake-roles'
  scope: group
  dependsOn: [
    lakeStorage
  ]
  params: {
    storageAccountName: lakeAccountName
    principalId: identity.outputs.principalId
    principalSeed: identityName
    principalType: 'ServicePrincipal'
    roleDefinitionIds: [
      storageBlobDataContributor
    ]
  }
}

// The person deploying can upload test files to the lake without keys.
module deployerLakeRoles 'modules/storage-roles.bicep' = if (!empty(principalId)) {
  name: 'deployer-lake-roles'
  scope: group
  dependsOn: [
    lakeStorage
  ]
  params: {
    storageAccountName: lakeAccountName
    principalId: principalId
    principalSeed: principalId
    principalType: principalType
    roleDefinitionIds: [
      storageBlobDataContributor
    ]
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'key-vault'
  scope: group
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    readerPrincipalId: identity.outputs.principalId
    readerPrincipalSeed: identityName
    officerPrincipalId: principalId
    officerPrincipalType: principalType
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: group
  params: {
    workspaceName: 'log-${resourceToken}'
    appInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
    publisherPrincipalId: identity.outputs.principalId
    publisherPrincipalSeed: identityName
  }
}

module blobEvents 'modules/blob-events.bicep' = {
  name: 'blob-events'
  scope: group
  dependsOn: [
    runtimeStorage
    lakeStorage
  ]
  params: {
    topicName: 'evgt-${resourceToken}'
    location: location
    tags: tags
    lakeAccountName: lakeAccountName
    runtimeAccountName: runtimeAccountName
    queueName: blobEventsQueue
    deadLetterContainerName: deadLetterContainer
    containers: blobEventContainers
  }
}

module sql 'modules/sql.bicep' = if (deploySql) {
  name: 'sql'
  scope: group
  params: {
    serverName: 'sql-${resourceToken}'
    databaseName: 'duraflow'
    location: location
    tags: tags
    adminLogin: empty(sqlAdminObjectId) ? identity.outputs.name : sqlAdminLogin
    adminObjectId: empty(sqlAdminObjectId) ? identity.outputs.principalId : sqlAdminObjectId
    adminPrincipalType: empty(sqlAdminObjectId) ? 'Application' : 'User'
  }
}

// Token-based: "Active Directory Managed Identity" makes SqlClient sign in as the identity whose client id is User Id.
var sqlSettings = deploySql
  ? {
      SQL_CONNECTION_STRING: 'Server=tcp:${sql.?outputs.serverFqdn ?? ''},1433;Database=${sql.?outputs.databaseName ?? ''};Authentication=Active Directory Managed Identity;User Id=${identity.outputs.clientId};Encrypt=True'
    }
  : {}

module app 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: group
  // The host reads its storage as soon as the app starts, with the roles it is granted here.
  dependsOn: [
    runtimeRoles
  ]
  params: {
    name: 'func-${resourceToken}'
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    serviceName: serviceName
    hostingPlan: hostingPlan
    maximumInstanceCount: maximumInstanceCount
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    runtimeBlobEndpoint: runtimeStorage.outputs.blobEndpoint
    runtimeQueueEndpoint: runtimeStorage.outputs.queueEndpoint
    runtimeTableEndpoint: runtimeStorage.outputs.tableEndpoint
    deploymentContainer: deploymentContainer
    storePrefix: storePrefix
    blobEventsQueue: blobEventsQueue
    taskHub: taskHub
    runtime: runtime
    lakeBlobEndpoint: lakeStorage.outputs.blobEndpoint
    ioProfile: ioProfile
    keyVaultName: keyVault.outputs.name
    secretNames: secretNames
    apiKeySecretName: apiKeySecretName
    entraAuthority: entraAuthority
    entraAudience: entraAudience
    entraRequiredRole: entraRequiredRole
    entraDashboardClientId: entraDashboardClientId
    entraDashboardScope: entraDashboardScope
    appInsightsConnectionString: monitoring.outputs.connectionString
    extraSettings: sqlSettings
  }
}

@description('Region of the deployment.')
output AZURE_LOCATION string = location

@description('Key Vault secret holding the API key of the app and its dashboard; scripts/api-key.sh (the postprovision hook) creates it.')
output DURAFLOW_API_KEY_SECRET string = apiKeySecretName

@description('Tenant of the subscription.')
output AZURE_TENANT_ID string = subscription().tenantId

@description('Resource group holding everything.')
output AZURE_RESOURCE_GROUP string = group.name

@description('Name of the function app.')
output AZURE_FUNCTION_APP_NAME string = app.outputs.name

@description('URL of the function app; the API is under /api.')
output AZURE_FUNCTION_APP_URL string = app.outputs.url

@description('Client id of the app\'s managed identity.')
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId

@description('Name of the Key Vault for connector secrets.')
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name

@description('URI of the Key Vault.')
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri

@description('Name of the runtime storage account.')
output AZURE_STORAGE_ACCOUNT_NAME string = runtimeStorage.outputs.name

@description('Name of the data lake storage account.')
output AZURE_LAKE_ACCOUNT_NAME string = lakeStorage.outputs.name

@description('Blob endpoint of the data lake.')
output AZURE_LAKE_BLOB_URL string = lakeStorage.outputs.blobEndpoint

@description('Task hub of the Durable runtime in the runtime storage account.')
output DURAFLOW_TASK_HUB string = taskHub

@description('Queue that receives the lake\'s blob events.')
output DURAFLOW_BLOB_EVENTS_QUEUE string = blobEventsQueue

@description('Name of Application Insights.')
output AZURE_APP_INSIGHTS_NAME string = monitoring.outputs.appInsightsName

@description('Azure SQL server name, or empty without deploySql.')
output AZURE_SQL_SERVER_FQDN string = sql.?outputs.serverFqdn ?? ''
