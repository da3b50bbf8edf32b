// Log Analytics + workspace-based Application Insights, both Entra-only (no instrumentation-key ingestion).

@description('Required. Name of the Log Analytics workspace.')
param logAnalyticsName string

@description('Required. Name of the Application Insights component.')
param applicationInsightsName string

@description('Required. Azure region of the monitoring resources.')
param location string

@description('Optional. Days the workspace keeps logs (30 is the free-retention floor).')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

@description('Optional. Tags applied to the monitoring resources.')
param tags object = {}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      disableLocalAuth: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    // telemetry is accepted only with an Entra token (APPLICATIONINSIGHTS_AUTHENTICATION_STRING)
    DisableLocalAuth: true
  }
}

output APPLICATIONINSIGHTS_NAME string = appInsights.name
output APPLICATIONINSIGHTS_ID string = appInsights.id
output APPLICATIONINSIGHTS_CONNECTION_STRING string = appInsights.properties.ConnectionString
output LOG_ANALYTICS_WORKSPACE_ID string = workspace.id
