// Zero trust only: a VNet the function app and the media container send their traffic through, and the
// private DNS zones that resolve storage, Cosmos DB, Search and Key Vault to their private endpoints.
param name string
param location string
param tags object

var storageSuffix = environment().suffixes.storage
var zones = [
  {
    key: 'blob'
    zone: 'privatelink.blob.${storageSuffix}'
  }
  {
    key: 'queue'
    zone: 'privatelink.queue.${storageSuffix}'
  }
  {
    key: 'table'
    zone: 'privatelink.table.${storageSuffix}'
  }
  {
    key: 'cosmos'
    zone: 'privatelink.documents.azure.com'
  }
  {
    key: 'search'
    zone: 'privatelink.search.windows.net'
  }
  {
    key: 'vault'
    zone: 'privatelink.vaultcore.azure.net'
  }
]

resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.40.0.0/16'
      ]
    }
    subnets: [
      {
        // Flex Consumption integrates through a subnet delegated to Microsoft.App/environments.
        name: 'functions'
        properties: {
          addressPrefix: '10.40.1.0/24'
          delegations: [
            {
              name: 'flex'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        // A workload-profiles Container Apps environment needs a delegated subnet of at least /27.
        name: 'media'
        properties: {
          addressPrefix: '10.40.2.0/23'
          delegations: [
            {
              name: 'containerapps'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: 'endpoints'
        properties: {
          addressPrefix: '10.40.4.0/24'
        }
      }
    ]
  }
}

resource dnsZones 'Microsoft.Network/privateDnsZones@2020-06-01' = [for zone in zones: {
  name: zone.zone
  location: 'global'
  tags: tags
}]

resource links 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = [for (zone, i) in zones: {
  parent: dnsZones[i]
  name: vnet.name
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}]

output functionsSubnetId string = vnet.properties.subnets[0].id
output mediaSubnetId string = vnet.properties.subnets[1].id
output endpointsSubnetId string = vnet.properties.subnets[2].id
output blobZoneId string = dnsZones[0].id
output queueZoneId string = dnsZones[1].id
output tableZoneId string = dnsZones[2].id
output cosmosZoneId string = dnsZones[3].id
output searchZoneId string = dnsZones[4].id
output vaultZoneId string = dnsZones[5].id
