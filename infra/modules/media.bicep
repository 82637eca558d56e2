// The media path: an always-on Container App (never scaled to zero: a call cannot wait for a cold start)
// that ACS streams call audio to over WebSocket, scaled out on concurrent connections. Its image is built
// from media/Dockerfile by azd and pulled from the registry with the identity.
param location string
param tags object
param environmentName string
param appName string
param registryName string
param workspaceName string
param identityId string
param identityPrincipalId string
@description('The image azd pushed; empty before the first deploy.')
param image string
@description('Setting name -> value, names from local.settings.sample.json.')
param settings object
@description('Setting name -> Key Vault secret URI.')
param secretSettings object
@description('Empty: no VNet integration.')
param subnetId string
param minReplicas int
param maxReplicas int
@description('Open WebSockets (one per call) per replica before another replica starts.')
param connectionsPerReplica int

var acrPull = '7f951dda-4ed3-4680-a7ca-43fe172d538d'
// Before the first deploy a public placeholder runs (unhealthy on 8000 until azd pushes the real image).
var placeholder = empty(image)
var port = 8000
// Container Apps secret names are lower-case with dashes; the variable keeps the setting's name.
var secretEnv = [for secret in items(secretSettings): {
  name: secret.key
  secretRef: toLower(replace(secret.key, '_', '-'))
}]
var plainEnv = [for setting in items(settings): {
  name: setting.key
  value: setting.value
}]

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  // checkov:skip=CKV_AZURE_139:ACR Tasks builds the image from the developer's upload and Basic has no private link; pulls need the identity's AcrPull.
  // checkov:skip=CKV_AZURE_163:Image scanning is Microsoft Defender for Containers, a subscription-wide plan the operator turns on.
  // checkov:skip=CKV_AZURE_166:Quarantine needs the Premium SKU; the one image here is built by azd from this repository.

  name: registryName
  location: location
  tags: tags
  sku: {
    name: 'Basic'
  }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
  }
}

resource pull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, identityPrincipalId, acrPull)
  scope: registry
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPull)
  }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
    // ACS reaches the media WebSocket from outside: ingress stays public, egress goes through the VNet.
    vnetConfiguration: empty(subnetId) ? null : {
      infrastructureSubnetId: subnetId
      internal: false
    }
  }
}

resource media 'Microsoft.App/containerApps@2024-03-01' = {
  name: appName
  location: location
  tags: union(tags, {
    'azd-service-name': 'media'
  })
  dependsOn: [
    pull
  ]
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: port
        transport: 'auto'
        allowInsecure: false
      }
      registries: [
        {
          server: registry.properties.loginServer
          identity: identityId
        }
      ]
      secrets: [for secret in items(secretSettings): {
        name: toLower(replace(secret.key, '_', '-'))
        keyVaultUrl: secret.value
        identity: identityId
      }]
    }
    template: {
      // A replica being replaced lets the calls it carries finish (uvicorn drains for as long).
      terminationGracePeriodSeconds: 600
      containers: [
        {
          name: 'media'
          image: placeholder ? 'mcr.microsoft.com/azuredocs/containerapps-helloworld:latest' : image
          resources: {
            cpu: json('1.0')
            memory: '2Gi'
          }
          env: concat(plainEnv, secretEnv)
          probes: placeholder ? [] : [
            {
              type: 'Liveness'
              httpGet: {
                path: '/health'
                port: port
              }
              periodSeconds: 10
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/health'
                port: port
              }
              periodSeconds: 5
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          {
            // A call's media WebSocket is one open request for as long as the call lasts.
            name: 'concurrent-calls'
            http: {
              metadata: {
                concurrentRequests: string(connectionsPerReplica)
              }
            }
          }
        ]
      }
    }
  }
}

output registryEndpoint string = registry.properties.loginServer
output url string = 'https://${media.properties.configuration.ingress.fqdn}'
