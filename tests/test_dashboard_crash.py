"""The dashboard after a host killed in the middle of writing conversations: nothing lost, nothing twice."""

from __future__ import annotations

import uuid
from pathlib import Path

from local.stack import Endpoints
from shared.analytics.dashboard import tally
from shared.data.access import business_data
from shared.settings import Settings
from tests.hosting import HostProcess, wait_for

COMPANY = {"name": "Contoso Outdoor", "industry": "outdoor gear", "customers": 40, "products": 10, "purchases": 100,
           "conversations": 1500, "seed": 11}


async def test_a_host_killed_mid_batch_leaves_the_dashboard_equal_to_a_recount(tmp_path: Path,
                                                                               stack: Endpoints) -> None:
    database = f"crash-{uuid.uuid4().hex[:8]}"
    host = HostProcess("function_app:app", tmp_path, env={**stack.as_settings(), "COSMOS_DATABASE": database})
    host.start()
    try:
        with host.admin() as http:
            run_id = http.post("/api/admin/synthetic", json=COMPANY).json()["id"]
            wait_for(lambda: http.get("/api/admin/dashboard").json()["conversations"] >= 100, 60, interval=0.02)
        host.kill()  # in the middle of conversation batches: written, not all counted yet
        host.start()
        with host.admin() as http:
            status = wait_for(lambda: (s := http.get(f"/api/admin/synthetic/{run_id}").json())["runtimeStatus"]
                              in {"Completed", "Failed"} and s, 120)
            assert status["result"]["status"] == "complete", status["result"]
            figures = http.get("/api/admin/dashboard").json()
    finally:
        host.stop()
    data = await business_data(Settings(**stack.as_settings(), COSMOS_DATABASE=database))
    conversations = await data.conversations.scan()
    assert len(conversations) == COMPANY["conversations"]
    assert {k: v for k, v in figures.items() if k != "company"} == tally(conversations)

