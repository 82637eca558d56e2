// One Azure AI Services account: the Azure OpenAI deployments (chat, embeddings, realtime), Azure Speech
// for the cascade and Azure AI Voice Live, all behind one endpoint. Keys are off; the identity holds the
// OpenAI and Speech user roles.
param name string
param location string
param tags object
param principalId string
param chatModel object
param embeddingModel object
param realtimeModel object

var roles = {
  openAiUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'
  speechUser: 'f2dc8367-1007-4938-bd23-fe263f013447'
}

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  // checkov:skip=CKV_AZURE_238:The account calls no other service, so it needs no identity of its own; callers use the app's identity.
  // checkov:skip=CKV_AZURE_134:Keys are off (Entra only); a private endpoint for AI Services is not part of zeroTrust yet (three more DNS zones).

  name: name
  location: location
  tags: tags
  kind: 'AIServices'
  sku: {
    name: 'S0'
  }
  properties: {
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

// An account takes one deployment change at a time: each waits for the one before.
resource chat 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: chatModel.name
  sku: {
    name: chatModel.sku
    capacity: chatModel.capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: chatModel.name
      version: chatModel.version
    }
  }
}

resource embedding 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: embeddingModel.name
  dependsOn: [
    chat
  ]
  sku: {
    name: embeddingModel.sku
    capacity: embeddingModel.capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: embeddingModel.name
      version: embeddingModel.version
    }
  }
}

resource realtime 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: realtimeModel.name
  dependsOn: [
    embedding
  ]
  sku: {
    name: realtimeModel.sku
    capacity: realtimeModel.capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: realtimeModel.name
      version: realtimeModel.version
    }
  }
}

resource roleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in items(roles): {
  name: guid(account.id, principalId, role.value)
  scope: account
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
  }
}]

// The OpenAI-compatible v1 surface the app's clients take as their base URL.
output openAiBaseUrl string = 'https://${name}.openai.azure.com/openai/v1/'
output endpoint string = account.properties.endpoint
