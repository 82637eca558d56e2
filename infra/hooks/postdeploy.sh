#!/bin/sh
# After the first deploy the function app's functions and system keys exist and the media image is pushed:
# provision once more so that the Event Grid subscriptions are created and the media container gets its
# health probes (SERVICE_MEDIA_IMAGE_NAME is set now). Later deploys skip this.
set -eu
if [ "$(azd env get-value SUBSCRIBE_EVENTS 2>/dev/null || true)" = "true" ]; then
  exit 0
fi
azd env set SUBSCRIBE_EVENTS true
azd provision --no-prompt
