// Flex Consumption plan + Function App (Python 3.11) running as the user-assigned identity.
// Runtime, scale and deployment live in functionAppConfig; Flex rejects the legacy app settings
// (FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION, WEBSITE_RUN_FROM_PACKAGE, ...).

@description('Required. Name of the Flex Consumption plan.')
param planName string

@description('Required. Globally unique Function App name.')
param name string

@description('Required. Azure region of the plan and the app.')
param location string

@description('Required. Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Required. Blob endpoint of the storage account holding the deployment container.')
param storageBlobEndpoint string

@description('Required. Container receiving the deployment package.')
param deploymentContainerName string

@description('Required. App settings (identity-based connections and VOICEOPS_* settings).')
param appSettings object

@description('Optional. Upper bound on instances (docs/capacity.md derives it).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 70

@description('Optional. Memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Optional. HTTP invocations one instance runs at once (reply polls are short I/O waits; docs/capacity.md).')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 8

@description('Optional. Python version of the worker.')
@allowed([
  '3.11'
])
param pythonVersion string = '3.11'

@description('Optional. Client id of the Entra app registration technicians sign in with; empty keeps App Service Authentication on with no provider, so every API call but the webhook and health is refused.')
param authClientId string = ''

@description('Optional. azd service name this app is tagged with (azure.yaml services key).')
param serviceName string = 'api'

@description('Optional. Tags applied to the plan and the app.')
param tags object = {}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  // checkov:skip=CKV_AZURE_225:Flex Consumption zone redundancy is offered only in some regions; enabling it here would make azd up fail elsewhere (set zoneRedundant in a supported region)
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, {
    'azd-service-name': serviceName
  })
  kind: 'functionapp,linux'
  // checkov:skip=CKV_AZURE_78:FTP publishing is switched off by the basicPublishingCredentialsPolicies ftp resource below; Flex Consumption deploys only from the blob container
  // checkov:skip=CKV_AZURE_222:phones call the HTTP API over the internet and Event Grid calls the blobs webhook; callers authenticate with Entra (App Service Authentication) or the system key
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    // checkov:skip=CKV_AZURE_17:technicians authenticate with Entra tokens; requiring client certificates would also block Event Grid webhook delivery
    // checkov:skip=CKV_AZURE_212:Flex Consumption scales from zero on demand; a floor of always-ready instances costs money with no failover benefit for a queue-driven workload
    // checkov:skip=CKV_AZURE_213:health-check eviction is built for fixed-size App Service plans, not a scale-from-zero Flex app; GET /api/health checks database, storage and queue for external probes
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    siteConfig: {
      minTlsVersion: '1.2'
      http20Enabled: true
      appSettings: [for setting in items(appSettings): {
        name: setting.key
        value: setting.value
      }]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      }
      runtime: {
        name: 'python'
        version: pythonVersion
      }
    }
  }
}

// No FTP and no basic-auth publishing: azd deploys through the deployment container with Entra.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

// App Service Authentication supplies the technician principal header to the HTTP endpoints and
// strips forged X-MS-CLIENT-PRINCIPAL headers. It is on even without an identity provider: then
// nobody can sign in and the API refuses everything (fail closed) instead of falling back to dev
// tokens. The Event Grid blobs webhook and the health probe stay reachable without a user token.
var entraProvider = {
  azureActiveDirectory: {
    enabled: true
    registration: {
      clientId: authClientId
      openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
    }
    validation: {
      allowedAudiences: [
        'api://${authClientId}'
        authClientId
      ]
    }
  }
}

resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'authsettingsV2'
  // checkov scores this sites/config sub-resource as if it were a whole web app; the site itself is checked above
  // checkov:skip=CKV_AZURE_13:this resource is the App Service Authentication configuration
  // checkov:skip=CKV_AZURE_63:not a site; HTTP logs of the app go to Application Insights
  // checkov:skip=CKV_AZURE_65:not a site; detailed error pages are an App Service web-app feature
  properties: {
    // checkov:skip=CKV_AZURE_66:not a site; request tracing of the app goes to Application Insights
    // checkov:skip=CKV_AZURE_80:not a site; the app runs Python, not .NET Framework
    // checkov:skip=CKV_AZURE_88:not a site; Flex Consumption has no Azure Files content share
    // checkov:skip=CKV_AZURE_222:not a site; public access of the app is justified on the site resource
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: [
        '/runtime/webhooks/blobs'
        '/api/health'
      ]
    }
    identityProviders: empty(authClientId) ? {} : entraProvider
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

output NAME string = app.name
output RESOURCE_ID string = app.id
output BASE_URL string = 'https://${app.properties.defaultHostName}'
