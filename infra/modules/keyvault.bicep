// Key Vault for the secrets that must exist (keys that are ours, not a service's): the service key and
// the per-call token key, and the keys of third-party endpoints when they are given. The app reads them
// through Key Vault references with the identity, which holds Key Vault Secrets User.
param name string
param location string
param tags object
param principalId string
param zeroTrust bool
param endpointsSubnetId string
param dnsZoneId string
@secure()
@description('Secret name -> value; an empty value creates no secret.')
param secrets object

var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  // checkov:skip=CKV_AZURE_109:The firewall denies by default under zeroTrust (networkAcls below); without it the vault is reachable only with Entra RBAC, which is the choice zeroTrust=false makes.

  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    enablePurgeProtection: true
    publicNetworkAccess: zeroTrust ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: zeroTrust ? 'Deny' : 'Allow'
    }
  }
}

resource vaultSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for secret in items(secrets): if (!empty(secret.value)) {
  // checkov:skip=CKV_AZURE_41:These keys are rotated by setting a new value and provisioning again; an expiry date would stop every call at a date nobody chose.

  parent: vault
  name: secret.key
  properties: {
    value: secret.value
    contentType: 'text/plain'
  }
}]

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, secretsUser)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

module endpoint 'private-endpoint.bicep' = if (zeroTrust) {
  name: 'pe-${name}'
  params: {
    name: 'pe-${name}'
    location: location
    tags: tags
    subnetId: endpointsSubnetId
    targetId: vault.id
    groupId: 'vault'
    dnsZoneId: dnsZoneId
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
