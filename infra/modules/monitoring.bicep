// Log Analytics and a workspace-based Application Insights with local (key) auth off: telemetry is accepted only
// from identities holding Monitoring Metrics Publisher, so a leaked connection string cannot write to it.

@description('Name of the Log Analytics workspace.')
param workspaceName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Azure region of both.')
param location string

@description('Tags for both.')
param tags object

@description('Days Log Analytics keeps data (30 is included in the price).')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

@description('Object id of the identity allowed to send telemetry (Monitoring Metrics Publisher).')
param publisherPrincipalId string

@description('A value known before deployment that identifies that identity (its name); it seeds the role assignment\'s name.')
param publisherPrincipalSeed string

var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    retentionInDays: retentionInDays
    sku: {
      name: 'PerGB2018'
    }
    features: {
      disableLocalAuth: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
    IngestionMode: 'LogAnalytics'
  }
}

resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, publisherPrincipalSeed, monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: publisherPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
  }
}

@description('Connection string of Application Insights (an ingestion endpoint and id, no key; local auth is off).')
output connectionString string = appInsights.properties.ConnectionString

@description('Name of the Application Insights component.')
output appInsightsName string = appInsights.name
