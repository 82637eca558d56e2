// The whole deployment (`azd up`): a resource group with the function app, the media container and the
// services they use, reached with one user-assigned identity and no keys wherever the service allows.
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('The azd environment: names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Region of every resource; it must offer the models below (for gpt-realtime: eastus2, swedencentral).')
@metadata({azd: {type: 'location'}})
param location string

@description('VNet integration for the function app and the media container; private endpoints and DNS zones for storage, Cosmos DB, Search and Key Vault, whose public access is then off.')
param zeroTrust bool = false

@description('realtime: the media path talks to the realtime model. cascade: speech to text, the chat model, text to speech (Azure Speech in Azure).')
@allowed([
  'realtime'
  'cascade'
])
param voiceEngine string = 'realtime'

@description('Where ACS keeps its data at rest.')
param acsDataLocation string = 'United States'

@allowed([
  'basic'
  'standard'
])
param searchSku string = 'basic'

@description('Azure OpenAI deployments: name (also the model), version, SKU, capacity in thousands of tokens per minute.')
param chatModel object = {
  name: 'gpt-4.1-mini'
  version: '2025-04-14'
  sku: 'GlobalStandard'
  capacity: 50
}
param embeddingModel object = {
  name: 'text-embedding-3-large'
  version: '1'
  sku: 'GlobalStandard'
  capacity: 50
}
param realtimeModel object = {
  name: 'gpt-realtime'
  version: '2025-08-28'
  sku: 'GlobalStandard'
  capacity: 10
}

@secure()
@description('Opens the client routes (sessions, tools, chat); held by the media container and the web backend. Generated once by azd.')
@metadata({azd: {type: 'generate', config: {length: 48, noSpecial: true}}})
param serviceKey string

@secure()
@description('Signs the per-call tokens of the ACS callback and media URLs. Generated once by azd.')
@metadata({azd: {type: 'generate', config: {length: 48, noSpecial: true}}})
param callTokenKey string

@secure()
@description('Opens the media container\'s live transcript feed (/calls/live) for the web UI. Generated once by azd.')
@metadata({azd: {type: 'generate', config: {length: 48, noSpecial: true}}})
param mediaAdminKey string

@description('A web search endpoint for the web search agent; empty: the offline stand-in over the company pages.')
@description('Web search: offline (the company\'s own pages), bing_agent (Grounding with Bing) or brave')
param webSearchProvider string = 'offline'
@description('The Azure AI Foundry project endpoint and agent that ground answers with Bing (bing_agent)')
param foundryProjectEndpoint string = ''
param bingAgentId string = ''
@description('The sender address of emails (a verified ACS Email domain)')
param emailSender string = ''
@description('Where transfer_to_human sends callers (E.164); empty: transfers are refused with a reason')
param humanAgentPhone string = ''
param webSearchUrl string = 'https://api.search.brave.com/res/v1/web/search'
@secure()
param webSearchKey string = ''
@secure()
@description('An HTTP workflow (Logic Apps) that sends emails; empty: emails go to the outbox container.')
param emailWorkflowUrl string = ''

@description('The media image azd pushed (SERVICE_MEDIA_IMAGE_NAME); empty before the first deploy.')
param mediaImage string = ''

@description('Create the Event Grid subscriptions into the function app: needs its code deployed (azd postdeploy sets it).')
param subscribeEvents bool = false
@description('The function app blob trigger on the documents container.')
param blobFunction string = 'document_uploaded'
@description('The function app Event Grid trigger for IncomingCall; empty: calls are not routed yet.')
param incomingCallFunction string = 'incoming_call'

@minValue(0)
param functionAlwaysReady int = 1
@minValue(1)
@maxValue(1000)
param functionMaxInstances int = 100
@minValue(1)
@maxValue(30)
param mediaMaxReplicas int = 10
@minValue(1)
param mediaConnectionsPerReplica int = 100

var tags = {
  'azd-env-name': environmentName
}
var token = toLower(uniqueString(subscription().id, environmentName, location))
var names = {
  identity: 'id-${token}'
  workspace: 'log-${token}'
  appInsights: 'appi-${token}'
  network: 'vnet-${token}'
  storage: 'st${token}'
  cosmos: 'cosmos-${token}'
  search: 'srch-${token}'
  ai: 'ai-${token}'
  acs: 'acs-${token}'
  vault: 'kv-${token}'
  plan: 'plan-${token}'
  functionApp: 'func-${token}'
  registry: 'cr${token}'
  mediaEnvironment: 'cae-${token}'
  media: 'media-${token}'
}
var cosmosDatabase = 'callcenter'
var vaultUri = 'https://${names.vault}${environment().suffixes.keyvaultDns}/'
// A Key Vault reference to the latest version of a secret: the prefix, then the secret's name and ')'.
var secretRef = '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    location: location
    tags: tags
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    principalId: identity.outputs.principalId
  }
}

module network 'modules/network.bicep' = if (zeroTrust) {
  name: 'network'
  scope: rg
  params: {
    name: names.network
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    zeroTrust: zeroTrust
    endpointsSubnetId: zeroTrust ? network.outputs.endpointsSubnetId : ''
    dnsZoneIds: {
      blob: zeroTrust ? network.outputs.blobZoneId : ''
      queue: zeroTrust ? network.outputs.queueZoneId : ''
      table: zeroTrust ? network.outputs.tableZoneId : ''
    }
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    name: names.cosmos
    location: location
    tags: tags
    databaseName: cosmosDatabase
    principalId: identity.outputs.principalId
    zeroTrust: zeroTrust
    endpointsSubnetId: zeroTrust ? network.outputs.endpointsSubnetId : ''
    dnsZoneId: zeroTrust ? network.outputs.cosmosZoneId : ''
  }
}

module search 'modules/search.bicep' = {
  name: 'search'
  scope: rg
  params: {
    name: names.search
    location: location
    tags: tags
    sku: searchSku
    principalId: identity.outputs.principalId
    zeroTrust: zeroTrust
    endpointsSubnetId: zeroTrust ? network.outputs.endpointsSubnetId : ''
    dnsZoneId: zeroTrust ? network.outputs.searchZoneId : ''
  }
}

module ai 'modules/ai.bicep' = {
  name: 'ai'
  scope: rg
  params: {
    name: names.ai
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    chatModel: chatModel
    embeddingModel: embeddingModel
    realtimeModel: realtimeModel
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'vault'
  scope: rg
  params: {
    name: names.vault
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    zeroTrust: zeroTrust
    endpointsSubnetId: zeroTrust ? network.outputs.endpointsSubnetId : ''
    dnsZoneId: zeroTrust ? network.outputs.vaultZoneId : ''
    secrets: {
      'service-key': serviceKey
      'media-admin-key': mediaAdminKey
      'call-token-key': callTokenKey
      'web-search-key': webSearchKey
      'email-workflow-url': emailWorkflowUrl
    }
  }
}

module communication 'modules/communication.bicep' = {
  name: 'communication'
  scope: rg
  params: {
    name: names.acs
    tags: tags
    dataLocation: acsDataLocation
    vaultName: vault.outputs.name
  }
}

// Every name in local.settings.sample.json but the local-only ones (tests/test_infra.py holds both lists).
// Keys are empty where the identity opens the service; the secrets that must exist are Key Vault references.
var functionAppSettings = {
  // The host's and Durable Functions' storage, by identity (a Functions connection given as X__*).
  AzureWebJobsStorage__accountName: storage.outputs.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
  AZURE_CLIENT_ID: identity.outputs.clientId
  COSMOS_ENDPOINT: cosmos.outputs.endpoint
  COSMOS_KEY: ''
  COSMOS_DATABASE: cosmosDatabase
  SEARCH_ENDPOINT: search.outputs.endpoint
  SEARCH_KEY: ''
  SEARCH_INDEX: 'knowledge'
  SEARCH_MIN_RELEVANCE: '0.5'
  EMBEDDING_BASE_URL: ai.outputs.openAiBaseUrl
  EMBEDDING_API_KEY: ''
  EMBEDDING_MODEL: embeddingModel.name
  EMBEDDING_DIMENSIONS: '1024'
  MAX_DOCUMENT_BYTES: '20971520'
  WEB_SEARCH_PROVIDER: webSearchProvider
  FOUNDRY_PROJECT_ENDPOINT: foundryProjectEndpoint
  BING_AGENT_ID: bingAgentId
  BRAVE_SEARCH_URL: webSearchUrl
  BRAVE_SEARCH_KEY: empty(webSearchKey) ? '' : '${secretRef}web-search-key)'
  EMAIL_PROVIDER: empty(emailWorkflowUrl) ? 'acs' : 'workflow'
  EMAIL_SENDER: emailSender
  EMAIL_WORKFLOW_URL: empty(emailWorkflowUrl) ? '' : '${secretRef}email-workflow-url)'
  ACS_EMAIL_CONNECTION_STRING: '${secretRef}acs-connection-string)'
  SMTP_HOST: ''
  SMTP_PORT: '587'
  SMTP_USERNAME: ''
  SMTP_PASSWORD: ''
  SMTP_STARTTLS: 'true'
  LLM_BASE_URL: ai.outputs.openAiBaseUrl
  LLM_API_KEY: ''
  LLM_MODEL: chatModel.name
  VOICE_ENGINE: voiceEngine
  TELEMETRY_EXPORTER: 'azure_monitor'
  OTEL_EXPORTER_OTLP_ENDPOINT: ''
  DEPENDENCY_TIMEOUT_SECONDS: '5'
  SERVICE_KEY: '${secretRef}service-key)'
  SESSION_MAX_SECONDS: '14400'
  SESSION_IDLE_SECONDS: '900'
  PROPOSAL_SECONDS: '300'
  CANCEL_WINDOW_MINUTES: '60'
  RETURN_WINDOW_DAYS: '30'
  VERIFICATION_ATTEMPTS: '3'
  // Calls: ACS answers with media streamed to the media container; callbacks come to this app's own host name.
  ACS_CONNECTION_STRING: '${secretRef}acs-connection-string)'
  ACS_VERIFY_TLS: 'true'
  PUBLIC_BASE_URL: ''
  MEDIA_BASE_URL: replace(media.outputs.url, 'https://', 'wss://')
  CALL_TOKEN_KEY: '${secretRef}call-token-key)'
  CALL_CONNECT_SECONDS: '20'
  CALL_FAREWELL_SECONDS: '15'
  HUMAN_AGENT_PHONE: humanAgentPhone
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  dependsOn: [
    vault
  ]
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    identityId: identity.outputs.id
    packageContainerUrl: '${storage.outputs.blobEndpoint}app-package'
    appSettings: functionAppSettings
    subnetId: zeroTrust ? network.outputs.functionsSubnetId : ''
    maximumInstanceCount: functionMaxInstances
    instanceMemoryMB: 2048
    alwaysReadyHttp: functionAlwaysReady
  }
}

module media 'modules/media.bicep' = {
  name: 'media'
  scope: rg
  dependsOn: [
    vault
  ]
  params: {
    location: location
    tags: tags
    environmentName: names.mediaEnvironment
    appName: names.media
    registryName: names.registry
    workspaceName: monitoring.outputs.workspaceName
    identityId: identity.outputs.id
    identityPrincipalId: identity.outputs.principalId
    image: mediaImage
    settings: {
      APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
      AZURE_CLIENT_ID: identity.outputs.clientId
      VOICE_ENGINE: voiceEngine
      LLM_BASE_URL: ai.outputs.openAiBaseUrl
      LLM_API_KEY: ''
      LLM_MODEL: chatModel.name
      DEPENDENCY_TIMEOUT_SECONDS: '5'
      // The function app's default host name (its module's output would make a cycle: it needs the media URL).
      FUNCTION_APP_URL: 'https://${names.functionApp}.azurewebsites.net'
      // Keyless: the identity's Entra token opens the realtime deployment (Cognitive Services OpenAI User).
      REALTIME_PROVIDER: 'azure_openai'
      REALTIME_ENDPOINT: ai.outputs.openAiBaseUrl
      REALTIME_API_KEY: ''
      REALTIME_MODEL: realtimeModel.name
      MEDIA_DRAIN_SECONDS: '570'
    }
    secretSettings: {
      SERVICE_KEY: '${vaultUri}secrets/service-key'
      MEDIA_ADMIN_KEY: '${vaultUri}secrets/media-admin-key'
    }
    subnetId: zeroTrust ? network.outputs.mediaSubnetId : ''
    minReplicas: 1
    maxReplicas: mediaMaxReplicas
    connectionsPerReplica: mediaConnectionsPerReplica
  }
}

module events 'modules/events.bicep' = if (subscribeEvents) {
  name: 'events'
  scope: rg
  dependsOn: [
    functionApp
  ]
  params: {
    functionAppName: names.functionApp
    storageTopicName: storage.outputs.eventTopicName
    acsTopicName: communication.outputs.eventTopicName
    blobFunction: blobFunction
    incomingCallFunction: incomingCallFunction
  }
}

output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = media.outputs.registryEndpoint
output AZURE_KEY_VAULT_NAME string = vault.outputs.name
output FUNCTION_APP_URL string = functionApp.outputs.url
output MEDIA_URL string = media.outputs.url
output ACS_ENDPOINT string = communication.outputs.endpoint
