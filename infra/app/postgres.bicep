// PostgreSQL Flexible Server with Entra-only authentication and the built-in PgBouncer (port 6432).
// The function identity's role, migrations and grants come from infra/hooks/postprovision.*.

@description('Required. Globally unique server name.')
param name string

@description('Required. Azure region of the server.')
param location string

@description('Optional. Database the app uses.')
param databaseName string = 'voiceops'

@description('Optional. Compute SKU; PgBouncer needs the General Purpose or Memory Optimized tier.')
param skuName string = 'Standard_D2ds_v5'

@description('Optional. Compute tier matching skuName.')
@allowed([
  'GeneralPurpose'
  'MemoryOptimized'
])
param skuTier string = 'GeneralPurpose'

@description('Optional. PostgreSQL major version.')
@allowed([
  '15'
  '16'
])
param version string = '16'

@description('Optional. Storage size in GiB.')
param storageSizeGB int = 32

@description('Optional. Days of point-in-time-restore backups.')
@minValue(7)
@maxValue(35)
param backupRetentionDays int = 7

@description('Optional. Server connections PgBouncer keeps per user/database pair (the app uses one pair).')
@minValue(1)
param pgbouncerDefaultPoolSize int = 10

@description('Optional. Client connections PgBouncer accepts (all Function instances x their pool size, plus tools).')
@minValue(1)
param pgbouncerMaxClientConn int = 600

@description('Optional. Named prepared statements PgBouncer tracks per connection in transaction mode (psycopg prepares repeated queries).')
@minValue(0)
param pgbouncerMaxPreparedStatements int = 100

@description('Optional. Object id of the deploying user or service principal, made Entra administrator; empty skips it.')
param administratorPrincipalId string = ''

@description('Optional. Name of that administrator (user principal name, or the service principal display name).')
param administratorPrincipalName string = ''

@description('Optional. Kind of principal the administrator is.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param administratorPrincipalType string = 'User'

@description('Optional. Public IP of the machine running azd, allowed through the firewall so the postprovision hook can reach the server; empty for none.')
param deployerIpAddress string = ''

@description('Optional. Tags applied to the server.')
param tags object = {}

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: version
    createMode: 'Default'
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      // no password logins at all: the app and operators present Entra tokens
      passwordAuth: 'Disabled'
      tenantId: tenant().tenantId
    }
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: backupRetentionDays
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

// Server parameters are applied one after another: the service rejects concurrent updates.
resource pgbouncerEnabled 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'pgbouncer.enabled'
  properties: {
    value: 'true'
    source: 'user-override'
  }
}

resource pgbouncerPoolSize 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'pgbouncer.default_pool_size'
  properties: {
    value: string(pgbouncerDefaultPoolSize)
    source: 'user-override'
  }
  dependsOn: [
    pgbouncerEnabled
  ]
}

resource pgbouncerMaxClients 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'pgbouncer.max_client_conn'
  properties: {
    value: string(pgbouncerMaxClientConn)
    source: 'user-override'
  }
  dependsOn: [
    pgbouncerPoolSize
  ]
}

resource pgbouncerPrepared 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'pgbouncer.max_prepared_statements'
  properties: {
    value: string(pgbouncerMaxPreparedStatements)
    source: 'user-override'
  }
  dependsOn: [
    pgbouncerMaxClients
  ]
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [
    pgbouncerPrepared
  ]
}

resource administrator 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = if (!empty(administratorPrincipalId)) {
  parent: server
  name: empty(administratorPrincipalId) ? 'none' : administratorPrincipalId
  properties: {
    principalName: administratorPrincipalName
    principalType: administratorPrincipalType
    tenantId: tenant().tenantId
  }
  dependsOn: [
    database
  ]
}

// Flex Consumption instances without a virtual network have no fixed outbound addresses, so the
// server admits Azure-internal traffic; authentication is Entra-only and TLS is required.
resource allowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: server
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
  dependsOn: [
    administrator
  ]
}

resource allowDeployer 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = if (!empty(deployerIpAddress)) {
  parent: server
  name: 'azd-deployer'
  properties: {
    startIpAddress: deployerIpAddress
    endIpAddress: deployerIpAddress
  }
  dependsOn: [
    allowAzure
  ]
}

output NAME string = server.name
output HOST string = server.properties.fullyQualifiedDomainName
output DATABASE string = database.name
output ADMIN_NAME string = administratorPrincipalName
