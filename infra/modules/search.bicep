// Azure AI Search: the knowledge index (vector field + semantic configuration). Keys are off; the app
// creates its index (service contributor) and writes and queries documents (index data contributor).
param name string
param location string
param tags object
param sku string
param principalId string
param zeroTrust bool
param endpointsSubnetId string
param dnsZoneId string

var roles = {
  serviceContributor: '7ca78c08-252a-4471-8644-bb5ff32d4ba0'
  indexDataContributor: '8ebe5a00-799e-43f5-93ac-243d3dce84a7'
}

resource search 'Microsoft.Search/searchServices@2023-11-01' = {
  // checkov:skip=CKV_AZURE_208:One replica: the SLA for index updates needs three, tripling the cost for a knowledge base that is re-indexed from blobs.
  // checkov:skip=CKV_AZURE_209:One replica: the query SLA needs two; raise replicaCount for production, the cost model prices one.

  name: name
  location: location
  tags: tags
  sku: {
    name: sku
  }
  properties: {
    replicaCount: 1
    partitionCount: 1
    hostingMode: 'default'
    disableLocalAuth: true
    semanticSearch: 'free'
    publicNetworkAccess: zeroTrust ? 'disabled' : 'enabled'
  }
}

resource roleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in items(roles): {
  name: guid(search.id, principalId, role.value)
  scope: search
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
  }
}]

module endpoint 'private-endpoint.bicep' = if (zeroTrust) {
  name: 'pe-${name}'
  params: {
    name: 'pe-${name}'
    location: location
    tags: tags
    subnetId: endpointsSubnetId
    targetId: search.id
    groupId: 'searchService'
    dnsZoneId: dnsZoneId
  }
}

output endpoint string = 'https://${search.name}.search.windows.net'
