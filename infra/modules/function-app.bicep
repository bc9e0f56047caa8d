// The Duraflow app: an Azure Functions .NET isolated-worker app (runtime dotnet-isolated 10.0) on Flex Consumption,
// which scales to zero, or on Elastic Premium, which keeps instances warm. Every connection is identity-based: the
// app settings hold account URLs and a client id, never a key.

@description('Name of the function app (globally unique; part of its URL).')
param name string

@description('Name of the hosting plan.')
param planName string

@description('Azure region of the app and plan.')
param location string

@description('Tags for the app and plan.')
param tags object

@description('Service name in azure.yaml; azd finds the app to deploy to by this tag.')
param serviceName string

@description('FlexConsumption (scale to zero, pay per use) or ElasticPremium (always-warm instances, billed per hour).')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
])
param hostingPlan string

@description('Flex Consumption: memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Flex Consumption: the most instances the app scales out to (40-1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Elastic Premium: the instance size.')
@allowed([
  'EP1'
  'EP2'
  'EP3'
])
param premiumSku string = 'EP1'

@description('Elastic Premium: the most instances the plan bursts to.')
@minValue(1)
@maxValue(100)
param premiumMaximumInstanceCount int = 20

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Blob endpoint of the runtime storage account (ends with a slash).')
param runtimeBlobEndpoint string

@description('Queue endpoint of the runtime storage account.')
param runtimeQueueEndpoint string

@description('Table endpoint of the runtime storage account.')
param runtimeTableEndpoint string

@description('Flex Consumption: container of the runtime account that holds the deployed package.')
param deploymentContainer string

@description('Names the engine\'s tables, queues and container in the runtime account (store.prefix).')
param storePrefix string

@description('Queue that Event Grid delivers lake blob events to.')
param blobEventsQueue string

@description('Task hub of the Durable runtime (host.json hubName, %DURAFLOW_TASK_HUB%): 3-45 letters and digits, from a letter.')
@minLength(3)
@maxLength(45)
param taskHub string

@description('Runtime of new runs, over duraflow.yaml\'s runtime: durable (Durable Functions orchestrations in the app\'s task hub) or duraflow (the engine\'s own queue workers). Empty: duraflow.yaml decides, else durable. Sets Duraflow__Runtime.')
@allowed([
  ''
  'durable'
  'duraflow'
])
param runtime string = ''

@description('Blob endpoint of the data lake, for io_config.yaml connections ({{ env.LAKE_ACCOUNT_URL }}).')
param lakeBlobEndpoint string

@description('io_config.yaml profile the app uses (DURAFLOW_PROFILE).')
param ioProfile string

@description('Name of the Key Vault holding connector secrets.')
param keyVaultName string

@description('Connector secret names (letters, digits, underscores); each becomes a Key Vault reference in DURAFLOW_SECRET_<NAME>, read from the vault secret with underscores as hyphens.')
param secretNames string[]

@description('Key Vault secret holding the API key of the app and its dashboard (Duraflow__ApiKey refers to it); scripts/api-key.sh creates it after provisioning.')
param apiKeySecretName string

@description('Entra ID sign-in for the API: the issuer (https://login.microsoftonline.com/TENANT/v2.0); empty for API key only. Set with entraAudience.')
param entraAuthority string = ''

@description('Entra ID sign-in: the audience tokens carry (the API app registration\'s client id or App ID URI); empty with entraAuthority.')
param entraAudience string = ''

@description('Entra ID sign-in: an app role tokens must hold; empty for any token of the audience.')
param entraRequiredRole string = ''

@description('Entra ID sign-in in the dashboard: the client id of the single-page app registration whose redirect URI is https://APP/signin; empty for none. Set with entraDashboardScope.')
param entraDashboardClientId string = ''

@description('Entra ID sign-in in the dashboard: the API scope it asks for, such as api://duraflow/access_as_user.')
param entraDashboardScope string = ''

@description('Application Insights connection string (no key: local auth is off).')
param appInsightsConnectionString string

@description('Extra app settings as name-value pairs, such as SQL_CONNECTION_STRING; they come last and may override.')
param extraSettings object = {}

var isFlex = hostingPlan == 'FlexConsumption'

// What the app and the Functions host read. AzureWebJobsStorage__* is the host's identity-based connection, which the
// engine's store reads too; Duraflow__* configure the app (docs/deploy.md lists each).
var commonSettings = {
  AzureWebJobsStorage__blobServiceUri: runtimeBlobEndpoint
  AzureWebJobsStorage__queueServiceUri: runtimeQueueEndpoint
  AzureWebJobsStorage__tableServiceUri: runtimeTableEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AZURE_CLIENT_ID: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  DURAFLOW_QUEUE_PREFIX: storePrefix
  DURAFLOW_BLOB_EVENTS_QUEUE: blobEventsQueue
  // The Durable Task extension keeps its hub in AzureWebJobsStorage, through the identity-based settings above.
  DURAFLOW_TASK_HUB: taskHub
  DURAFLOW_PROFILE: ioProfile
  Duraflow__Project: 'project'
  Duraflow__Store: 'azure'
  Duraflow__StorePrefix: storePrefix
  // Runtime of new runs; empty leaves it to duraflow.yaml's runtime:, then to the app's default, durable.
  Duraflow__Runtime: runtime
  Duraflow__LocalDirectory: '/tmp/duraflow'
  // The app checks callers itself (the api function is anonymous, since browsers cannot carry function keys): the API
  // key from Key Vault, a dashboard session signed with it, or an Entra token when the three below are set.
  Duraflow__ApiKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${apiKeySecretName})'
  Duraflow__Auth__Entra__Authority: entraAuthority
  Duraflow__Auth__Entra__Audience: entraAudience
  Duraflow__Auth__Entra__RequiredRole: entraRequiredRole
  Duraflow__Auth__Entra__DashboardClientId: entraDashboardClientId
  Duraflow__Auth__Entra__DashboardScope: entraDashboardScope
  // The dashboard answers at the site root (host.json routePrefix ""), in place of the host's default page.
  AzureWebJobsDisableHomepage: 'true'
  LAKE_ACCOUNT_URL: lakeBlobEndpoint
}

var secretReferences = toObject(
  secretNames,
  secret => 'DURAFLOW_SECRET_${toUpper(secret)}',
  secret => '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${replace(secret, '_', '-')})'
)

// Flex takes its runtime from functionAppConfig and must not have FUNCTIONS_WORKER_RUNTIME. Elastic Premium runs the
// zip deployed to it in place and, without an Azure Files content share (which needs a key), keeps no other files.
var premiumSettings = {
  FUNCTIONS_EXTENSION_VERSION: '~4'
  FUNCTIONS_WORKER_RUNTIME: 'dotnet-isolated'
  WEBSITE_RUN_FROM_PACKAGE: '1'
}

var settings = union(commonSettings, secretReferences, isFlex ? {} : premiumSettings, extraSettings)

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: isFlex ? 'functionapp' : 'elastic'
  sku: isFlex
    ? {
        name: 'FC1'
        tier: 'FlexConsumption'
      }
    : {
        name: premiumSku
        tier: 'ElasticPremium'
      }
  properties: {
    reserved: true
    maximumElasticWorkerCount: isFlex ? null : premiumMaximumInstanceCount
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: name
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
    reserved: true
    keyVaultReferenceIdentity: identityId
    functionAppConfig: isFlex
      ? {
          deployment: {
            storage: {
              type: 'blobContainer'
              value: '${runtimeBlobEndpoint}${deploymentContainer}'
              authentication: {
                type: 'UserAssignedIdentity'
                userAssignedIdentityResourceId: identityId
              }
            }
          }
          runtime: {
            name: 'dotnet-isolated'
            version: '10.0'
          }
          scaleAndConcurrency: {
            instanceMemoryMB: instanceMemoryMB
            maximumInstanceCount: maximumInstanceCount
          }
        }
      : null
    siteConfig: {
      // Elastic Premium takes the stack from here (Flex from functionAppConfig.runtime above).
      linuxFxVersion: isFlex ? null : 'DOTNET-ISOLATED|10.0'
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [for setting in items(settings): { name: setting.key, value: setting.value }]
    }
  }
}

// No publishing passwords: deployment signs in with Entra ID (azd, az functionapp deploy).
resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

@description('Name of the function app.')
output name string = app.name

@description('HTTPS URL of the app.')
output url string = 'https://${app.properties.defaultHostName}'
