// Cosmos DB, serverless: the business data, sessions and dashboard counters. Keys are off; the identity
// holds the built-in data contributor role. Databases and containers are control-plane objects under
// data-plane RBAC, so they are declared here, with the partition keys of shared/data/cosmos.py.
param name string
param location string
param tags object
param databaseName string
param principalId string
param zeroTrust bool
param endpointsSubnetId string
param dnsZoneId string

// name -> partition key path; `ttl` marks containers whose items expire by their own `ttl` field.
var containers = [
  {
    name: 'company'
    partitionKey: '/id'
    ttl: false
  }
  {
    name: 'customers'
    partitionKey: '/id'
    ttl: false
  }
  {
    name: 'products'
    partitionKey: '/id'
    ttl: false
  }
  {
    name: 'purchases'
    partitionKey: '/customer_id'
    ttl: false
  }
  {
    name: 'conversations'
    partitionKey: '/customer_id'
    ttl: false
  }
  {
    name: 'cases'
    partitionKey: '/customer_id'
    ttl: false
  }
  {
    name: 'dashboard'
    partitionKey: '/id'
    ttl: false
  }
  {
    name: 'documents'
    partitionKey: '/id'
    ttl: false
  }
  {
    name: 'sessions'
    partitionKey: '/id'
    ttl: true
  }
  {
    name: 'calls'
    partitionKey: '/id'
    ttl: true
  }
]
// Cosmos DB Built-in Data Contributor (a data-plane role definition of the account itself).
var dataContributor = '00000000-0000-0000-0000-000000000002'

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  // checkov:skip=CKV_AZURE_101:Public network access is Disabled under zeroTrust (below); otherwise keys are off and every request needs Entra RBAC.
  // checkov:skip=CKV_AZURE_99:Under zeroTrust only the private endpoint reaches the account; otherwise access is by Entra RBAC alone.

  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: [
      {
        name: 'EnableServerless'
      }
    ]
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: zeroTrust ? 'Disabled' : 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [for container in containers: {
  parent: database
  name: container.name
  properties: {
    resource: {
      id: container.name
      partitionKey: {
        paths: [
          container.partitionKey
        ]
        kind: 'Hash'
      }
      defaultTtl: container.ttl ? -1 : null
    }
  }
}]

resource dataRole 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: account
  name: guid(account.id, principalId, dataContributor)
  properties: {
    principalId: principalId
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributor}'
    scope: account.id
  }
}

module endpoint 'private-endpoint.bicep' = if (zeroTrust) {
  name: 'pe-${name}'
  params: {
    name: 'pe-${name}'
    location: location
    tags: tags
    subnetId: endpointsSubnetId
    targetId: account.id
    groupId: 'Sql'
    dnsZoneId: dnsZoneId
  }
}

output endpoint string = account.properties.documentEndpoint
