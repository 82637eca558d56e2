// The function app on Flex Consumption (Linux, Python 3.11): the app settings come from main.bicep,
// the package from a blob container read with the identity, Key Vault references resolved with it too.
param name string
param planName string
param location string
param tags object
param identityId string
param packageContainerUrl string
@description('Name -> value: exactly the names of local.settings.sample.json, less the local-only ones.')
param appSettings object
@description('Empty: no VNet integration.')
param subnetId string
param maximumInstanceCount int
param instanceMemoryMB int
@description('Instances kept warm for the HTTP functions the media path calls during a call.')
param alwaysReadyHttp int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  // checkov:skip=CKV_AZURE_225:Flex Consumption is billed per execution; zone redundancy is a per-region option left to the operator.

  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  // checkov:skip=CKV_AZURE_222:ACS callbacks and Event Grid deliveries come from the internet; every route checks a key or a per-call token.
  // checkov:skip=CKV_AZURE_17:Neither ACS nor Event Grid presents a client certificate; callers authenticate with keys and per-call tokens.
  // checkov:skip=CKV_AZURE_212:Flex Consumption scales per function group; alwaysReady keeps warm instances for the HTTP routes of a call.
  // checkov:skip=CKV_AZURE_213:Flex Consumption has no App Service health check; GET /api/health reports every dependency instead.

  name: name
  location: location
  tags: union(tags, {
    'azd-service-name': 'api'
  })
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
    clientCertEnabled: false
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: packageContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        alwaysReady: [
          {
            name: 'http'
            instanceCount: alwaysReadyHttp
          }
        ]
      }
      runtime: {
        name: 'python'
        version: '3.11'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [for setting in items(appSettings): {
        name: setting.key
        value: setting.value
      }]
    }
  }
}

// Deployment goes through azd with Entra ID; basic publishing credentials stay off.
resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = app.name
output id string = app.id
output url string = 'https://${app.properties.defaultHostName}'
