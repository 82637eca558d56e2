#!/bin/sh
# After the first deploy the function app's functions and system keys exist and the media image is pushed:
# provision once more so that the Event Grid subscriptions are created and the media container runs its
# own image on its own port with its health probes. Later deploys skip this.
set -eu
if [ "$(azd env get-value SUBSCRIBE_EVENTS 2>/dev/null || true)" = "true" ]; then
  exit 0
fi
azd env set SUBSCRIBE_EVENTS true
azd provision --no-prompt
