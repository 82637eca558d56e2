"""Runs the local Functions host: `python -m local.host [--app-root .] [--port 7071] [--app module[:attr]]`.

The app is found as the Python worker finds it: the one function app object in the script
named by PYTHON_SCRIPT_FILE_NAME (default function_app.py) in the app root. `--app` names a
module (and optionally the attribute) instead, as the tests do for their apps.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import uvicorn

from local.host.blobs import BlobClients, BlobEventSource, BlobTriggers
from local.host.config import (
    DEFAULT_MAX_BODY_BYTES,
    HostConfig,
    HostKeys,
    StartupError,
    apply_app_settings,
    host_keys,
    load_local_settings,
)
from local.host.discovery import load_app
from local.host.durable.api import DurableApi
from local.host.durable.engine import Engine
from local.host.durable.store import DurableStore
from local.host.functions import FunctionIndex
from local.host.invoke import Invoker
from local.host.queues import QueueOutputs, QueueServices, QueueTriggers
from local.host.redact import Redactor, redact_process_output
from local.host.schedule import Schedule
from local.host.server import build_app
from local.host.timers import TimerTriggers
from local.private import private_dir, write_private

log = logging.getLogger("host")
STATE_FILE = "host.state.json"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m local.host", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--app", default=None,
                        help="module[:attribute] of the function app (default: found in the app's script)")
    parser.add_argument("--app-root", type=Path, default=Path.cwd(), help="folder with host.json and the app")
    parser.add_argument("--settings", type=Path, default=None, help="local.settings.json (default: in app root)")
    parser.add_argument("--port", type=int, default=None,
                        help="0 picks a free port (default: Host.LocalHttpPort or 7071)")
    parser.add_argument("--data-dir", type=Path, default=Path(".local/host"),
                        help="durable state, blob receipts, timer schedules")
    parser.add_argument("--max-body-bytes", type=int, default=DEFAULT_MAX_BODY_BYTES)
    parser.add_argument("--blob-poll-seconds", type=float, default=0.5)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    redactor = redact_process_output()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("azure").setLevel(logging.WARNING)  # the SDKs log every request at INFO
    logging.getLogger("httpx").setLevel(logging.WARNING)  # and so does httpx
    try:
        keys, index, config, port = prepare(args, redactor)
    except StartupError as error:
        log.error("the host cannot start: %s", error)
        sys.exit(2)
    serve(args, keys, index, config, port)


def prepare(args: argparse.Namespace, redactor: Redactor) -> tuple[HostKeys, FunctionIndex, HostConfig, int]:
    """Reads the settings, host.json and the app; every mistake is a StartupError naming its file."""
    args.app_root, args.data_dir = args.app_root.resolve(), args.data_dir.resolve()
    settings_path = (args.settings or args.app_root / "local.settings.json").resolve()
    values, host_section = load_local_settings(settings_path)
    apply_app_settings(values)
    os.environ.setdefault("LOCAL_SETTINGS_PATH", str(settings_path))
    keys = host_keys(host_section, settings_path)
    redactor.add([keys.function_key, keys.master_key, keys.system_key])
    redactor.add_settings({**values, **os.environ})
    port = args.port if args.port is not None else int(host_section.get("LocalHttpPort", 7071))
    os.chdir(args.app_root)
    config = HostConfig.from_host_json(Path("host.json"), args.max_body_bytes)
    index = FunctionIndex.from_functions(load_app(args.app_root, args.app).get_functions())
    return keys, index, config, port


def report_crash(task: asyncio.Task[None]) -> None:
    """A trigger source that stopped on an error says so instead of falling silent."""
    if not task.cancelled() and task.exception() is not None:
        log.error("a trigger source stopped", exc_info=task.exception())


def serve(args: argparse.Namespace, keys: HostKeys, index: FunctionIndex, config: HostConfig, port: int) -> None:
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say so, and without it
    # Nagle's algorithm meets delayed ACKs and adds ~40 ms to every multi-segment response.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    base_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    # As App Service does: the app builds its own callback URLs from it.
    if not os.environ.get("WEBSITE_HOSTNAME"):
        os.environ["WEBSITE_HOSTNAME"] = base_url.removeprefix("http://")
    private_dir(args.data_dir)
    store = DurableStore(args.data_dir / f"{config.hub_name}.sqlite3")
    queue_services = QueueServices()
    invoker = Invoker(lambda: api.client_json(), config.function_timeout_seconds, threads=32,  # noqa: PLW0108 (api comes next)
                      write_outputs=QueueOutputs(queue_services, config.queues).write)
    engine = Engine(store, index, invoker, config.max_activities)
    api = DurableApi(engine, base_url, config.hub_name, keys.system_key, config.max_body_bytes)
    clients = BlobClients()
    blob_events = BlobEventSource(index, clients, store, webhook=f"{base_url}/runtime/webhooks/blobs",
                                  system_key=keys.system_key, interval_seconds=args.blob_poll_seconds)
    timers = TimerTriggers([(info, Schedule.parse(str(info.trigger["schedule"])))
                            for info in index.of_trigger("timerTrigger")], invoker, args.data_dir / "timers")
    queues = QueueTriggers(index.of_trigger("queueTrigger"), queue_services, invoker, config.queues,
                           config.function_timeout_seconds)
    state_file = args.data_dir / STATE_FILE

    @contextlib.asynccontextmanager
    async def lifespan(_: object) -> AsyncIterator[None]:
        await engine.start()
        for name, reason in index.refused.items():
            log.error("function %s not served: %s", name, reason)
        for function in index.http:
            log.info("%s: [%s] %s/%s/%s", function.info.name, ",".join(sorted(function.methods or {"ALL"})),
                     base_url, config.route_prefix, function.route.template)
        sources = [asyncio.create_task(source.run()) for source in (blob_events, timers, queues)]
        for source in sources:
            source.add_done_callback(report_crash)
        # Atomically: `make up` and the tests poll for this file and read it as soon as it appears.
        write_private(state_file, json.dumps({"pid": os.getpid(), "base_url": base_url, "app": args.app}))
        log.info("host ready at %s with %d functions (%d not served)", base_url, len(index.by_name),
                 len(index.refused))
        try:
            yield
        finally:
            state_file.unlink(missing_ok=True)
            for source in sources:
                source.cancel()
            await asyncio.gather(*sources, return_exceptions=True)
            await engine.stop()
            await clients.close()
            await queue_services.close()
            invoker.close()
            store.close()

    app = build_app(index=index, config=config, keys=keys, invoker=invoker, durable=api,
                    blob_triggers=BlobTriggers(store, invoker, clients), lifespan=lifespan)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=5))
    asyncio.run(server.serve(sockets=[listener]))


if __name__ == "__main__":
    main()
