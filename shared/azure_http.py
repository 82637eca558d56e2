"""The HTTP transport the app's async Azure SDK clients are built with."""

from __future__ import annotations

from typing import Any


def transport(**options: Any) -> Any:
    """azure-core's aiohttp transport, trusting the environment only when it names a proxy: a session that
    trusts it looks up ~/.netrc and the proxy variables in worker threads on every request, two thread hops
    per request on the answer path for nothing."""
    import urllib.request

    from azure.core.pipeline.transport import AioHttpTransport

    return AioHttpTransport(use_env_settings=bool(urllib.request.getproxies()), **options)
