// The storage account: the Functions host and Durable Functions (blobs, queues, tables), knowledge
// documents, the email outbox and the deployment package. No shared keys: the identity holds data roles.
param name string
param location string
param tags object
param principalId string
param zeroTrust bool
param endpointsSubnetId string
param dnsZoneIds object

// The app creates its containers on first use; these exist before it runs: the blob trigger's Event Grid
// subscription filters on `documents`, and Flex Consumption reads its package from `app-package`.
var containers = [
  'documents'
  'outbox'
  'app-package'
]
var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}
var services = [
  'blob'
  'queue'
  'table'
]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  // checkov:skip=CKV_AZURE_35:The default action is Deny under zeroTrust (networkAcls below); otherwise access needs Entra RBAC, shared keys are off.
  // checkov:skip=CKV_AZURE_206:LRS: the business data lives in Cosmos DB; blobs here are re-uploadable documents, an outbox and deployment packages.

  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: zeroTrust ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: zeroTrust ? 'Deny' : 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in containers: {
  parent: blobService
  name: container
  properties: {
    publicAccess: 'None'
  }
}]

resource roleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in items(roles): {
  name: guid(account.id, principalId, role.value)
  scope: account
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
  }
}]

module endpoints 'private-endpoint.bicep' = [for service in services: if (zeroTrust) {
  name: 'pe-${name}-${service}'
  params: {
    name: 'pe-${name}-${service}'
    location: location
    tags: tags
    subnetId: endpointsSubnetId
    targetId: account.id
    groupId: service
    dnsZoneId: dnsZoneIds[service]
  }
}]

// Blob-created events for the blob trigger (source EventGrid); the subscription comes once the app runs.
resource blobEvents 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: '${name}-events'
  location: location
  tags: tags
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
output eventTopicName string = blobEvents.name
