// Azure Communication Services: the phone numbers and Call Automation. Its Event Grid system topic carries
// IncomingCall; the subscription to the function app comes once the app's functions exist (events.bicep).
// Call Automation requests are signed with the resource's key: its connection string goes to Key Vault.
param name string
param tags object
param dataLocation string
param vaultName string

resource acs 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: name
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: '${name}-events'
  location: 'global'
  tags: tags
  properties: {
    source: acs.id
    topicType: 'Microsoft.Communication.CommunicationServices'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: vaultName
}

resource connection 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  // checkov:skip=CKV_AZURE_41:ACS issues this key; it is rotated on the ACS resource and written again by the next provision, so an expiry date would only stop calls.

  parent: vault
  name: 'acs-connection-string'
  properties: {
    value: acs.listKeys().primaryConnectionString
    contentType: 'text/plain'
  }
}

output endpoint string = 'https://${acs.properties.hostName}/'
output eventTopicName string = topic.name
