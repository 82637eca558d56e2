"""The local stand-ins through the same SDKs the product uses against Azure."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from azure.core import MatchConditions
from azure.cosmos import ContainerProxy, CosmosClient, PartitionKey
from azure.cosmos.exceptions import (
    CosmosAccessConditionFailedError,
    CosmosResourceExistsError,
    CosmosResourceNotFoundError,
)
from azure.data.tables import TableServiceClient
from azure.storage.blob import BlobServiceClient

from local import processes
from local.stack import COSMOS_BIN, Endpoints, Stack


@pytest.fixture(scope="module")
def orders(stack: Endpoints) -> Iterator[ContainerProxy]:
    client = CosmosClient(stack.cosmos_endpoint, credential=stack.cosmos_key,
                          connection_verify=False)
    database = client.create_database_if_not_exists(f"db-{uuid.uuid4().hex[:8]}")
    yield database.create_container_if_not_exists("orders", partition_key=PartitionKey("/customer_id"))
    client.delete_database(database.id)


def test_blob_round_trip(stack: Endpoints) -> None:
    service = BlobServiceClient.from_connection_string(stack.storage_connection_string)
    container = service.get_container_client(f"c{uuid.uuid4().hex[:12]}")
    container.create_container()
    container.upload_blob("hello.txt", b"hello")
    assert container.download_blob("hello.txt").readall() == b"hello"


def test_table_service_answers(stack: Endpoints) -> None:
    tables = TableServiceClient.from_connection_string(stack.storage_connection_string)
    table = tables.create_table_if_not_exists(f"t{uuid.uuid4().hex[:12]}")
    table.create_entity({"PartitionKey": "p", "RowKey": "r", "value": 1})
    assert table.get_entity("p", "r")["value"] == 1


def test_cosmos_crud_and_its_error_codes(orders: ContainerProxy) -> None:
    order = {"id": "o1", "customer_id": "c1", "units": 2}
    orders.create_item(order)
    assert orders.read_item("o1", partition_key="c1")["units"] == 2
    with pytest.raises(CosmosResourceNotFoundError):  # the unpatched stand-in answers 500
        orders.read_item("missing", partition_key="c1")
    with pytest.raises(CosmosResourceExistsError):
        orders.create_item(order)
    current = orders.read_item("o1", partition_key="c1")
    orders.replace_item("o1", {**current, "units": 3}, etag=current["_etag"],
                        match_condition=MatchConditions.IfNotModified)
    with pytest.raises(CosmosAccessConditionFailedError):  # the stale etag loses
        orders.replace_item("o1", {**current, "units": 4}, etag=current["_etag"],
                            match_condition=MatchConditions.IfNotModified)
    orders.patch_item("o1", partition_key="c1",
                      patch_operations=[{"op": "incr", "path": "/units", "value": 5}])
    assert orders.read_item("o1", partition_key="c1")["units"] == 8


def test_a_query_for_one_partition_sees_only_that_partition(orders: ContainerProxy) -> None:
    for customer, units in (("c7", 3), ("c7", 1), ("c8", 2)):
        orders.create_item({"id": uuid.uuid4().hex, "customer_id": customer, "units": units})
    in_partition = list(orders.query_items("SELECT * FROM c WHERE c.units > 0 ORDER BY c.units",
                                           partition_key="c7"))
    assert [o["units"] for o in in_partition] == [1, 3]  # the unpatched stand-in returns c8's order too
    count = list(orders.query_items("SELECT VALUE COUNT(1) FROM c", partition_key="c8"))
    assert count == [1]


def test_up_is_idempotent_and_down_stops_only_its_processes(tmp_path: Path) -> None:
    stack = Stack(tmp_path)
    first = stack.up(prefer_standard_ports=False)
    try:
        assert stack.up(prefer_standard_ports=False) == first
        assert Stack.running(tmp_path) == first
        state = stack._state()
        assert state is not None
    finally:
        stack.down()
    assert not processes.is_ours(state["cosmos_pid"], COSMOS_BIN.name)
    assert Stack.running(tmp_path) is None
