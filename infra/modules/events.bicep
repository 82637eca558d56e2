// Event Grid subscriptions into the function app. They need the app's functions (IncomingCall) and its
// blob extension key, which exist only once the code runs: azd's postdeploy hook provisions again with
// SUBSCRIBE_EVENTS=true to create them.
param functionAppName string
param storageTopicName string
param acsTopicName string
@description('The blob trigger (source EventGrid) on the documents container.')
param blobFunction string
@description('The Event Grid trigger for Microsoft.Communication.IncomingCall; empty: none subscribed.')
param incomingCallFunction string

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource host 'Microsoft.Web/sites/host@2023-12-01' existing = {
  parent: app
  name: 'default'
}

resource storageTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' existing = {
  name: storageTopicName
}

resource acsTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' existing = {
  name: acsTopicName
}

// The blob trigger's webhook takes the host's blobs_extension system key.
resource documents 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = {
  parent: storageTopic
  name: 'documents-to-${blobFunction}'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${app.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${blobFunction}&code=${host.listKeys().systemKeys.blobs_extension}'
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/documents/'
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

// An unanswered call rings for about 30 s: retrying its event later than that is pointless.
resource incomingCall 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = if (!empty(incomingCallFunction)) {
  parent: acsTopic
  name: 'incoming-call-to-function-app'
  properties: {
    destination: {
      endpointType: 'AzureFunction'
      properties: {
        resourceId: '${app.id}/functions/${incomingCallFunction}'
        maxEventsPerBatch: 1
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Communication.IncomingCall'
      ]
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 3
      eventTimeToLiveInMinutes: 1
    }
  }
}
