"""Bad input gets a 4xx that says what was wrong, and the host keeps serving: on a real product host."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from local.stack import Endpoints
from tests.hosting import HostProcess, generate_company, product_host

SMALL = {"name": "Contoso Outdoor", "industry": "outdoor gear", "customers": 6, "products": 4, "purchases": 10,
         "conversations": 5, "seed": 5}
BLOBS = "/runtime/webhooks/blobs"
BLOB_FUNCTION = {"functionName": "Host.Functions.document_uploaded"}


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory, stack: Endpoints) -> Iterator[HostProcess]:
    # A host limit above every app limit, as in Azure (100 MB): the app's own limits answer.
    running = product_host(tmp_path_factory.mktemp("badinput"), stack.as_settings())
    running.max_body_bytes = 64 * 1024 * 1024
    running.start()
    assert generate_company(running, SMALL)["result"]["status"] == "complete"
    yield running
    running.stop()


@pytest.fixture
def admin(host: HostProcess) -> Iterator[httpx.Client]:
    with host.admin() as http:
        yield http
    with host.client(key=None) as anonymous:  # whatever came before, the host still serves
        assert anonymous.get("/api/openapi.json").status_code == 200


def refused(response: httpx.Response, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    message = response.json()["error"]
    assert all(word in message for word in words), message


@pytest.mark.parametrize(("body", "words"), [
    (b"[" * 30_000 + b"]" * 30_000, ("nested",)),
    (b'{"customers": ' + b"7" * 5000 + b"}", ("digits",)),
    (json.dumps({**SMALL, "name": "Contoso \ud800"}).encode(), ("surrogate",)),
    (b'{"\\udfff": 1}', ("surrogate",)),
    (b"\xff\xfe", ("JSON",)),
])
def test_malformed_json_bodies_are_refused(admin: httpx.Client, body: bytes, words: tuple[str, ...]) -> None:
    refused(admin.post("/api/admin/synthetic", content=body), 400, *words)


def test_a_lone_surrogate_in_a_valid_spec_writes_nothing(admin: httpx.Client) -> None:
    admin.delete("/api/admin/company")
    body = json.dumps({**SMALL, "industry": "gear \udbff"}).encode()
    refused(admin.post("/api/admin/synthetic", content=body), 400, "surrogate")
    assert admin.get("/api/admin/company").status_code == 404


@pytest.mark.parametrize("path", ["/api/admin/documents/%2e%2e", "/api/admin/documents/%2e",
                                  "/api/admin/documents/a%23b", "/api/admin/documents/a%3Fb"])
def test_document_names_that_cannot_exist_are_refused(admin: httpx.Client, path: str) -> None:
    refused(admin.get(path), 400, "name")
    refused(admin.delete(path), 400, "name")


@pytest.mark.parametrize("run_id", ["a%23b", "a%3Fb", "%2e%2e", "a%20b", "x" * 300])
@pytest.mark.parametrize("route", ["/api/admin/synthetic/{}", "/api/admin/diagnostics/{}"])
def test_run_ids_are_checked_before_they_reach_a_url(admin: httpx.Client, route: str, run_id: str) -> None:
    refused(admin.get(route.format(run_id)), 400, "id")


def test_a_cancel_of_a_malformed_run_id_is_refused(admin: httpx.Client) -> None:
    refused(admin.post("/api/admin/synthetic/a%23b/cancel"), 400, "id")


@pytest.mark.parametrize("path", ["/api/admin/customers/%2e%2e", "/api/admin/customers/a%23b"])
def test_customer_ids_are_checked(admin: httpx.Client, path: str) -> None:
    refused(admin.get(path), 400, "id")
    refused(admin.delete(path), 400, "id")


@pytest.mark.parametrize("token", ["a\nb", "a\x00b", "\x7f", "x" * 5000])
def test_a_continuation_token_is_checked_before_it_reaches_a_header(admin: httpx.Client, token: str) -> None:
    refused(admin.get("/api/admin/customers", params={"continuation": token}), 400, "continuation")


@pytest.mark.parametrize(("path", "params"), [
    ("/api/admin/customers", {"limit": 2}), ("/api/admin/outbox", {}), ("/api/admin/search", {"q": "returns"})])
def test_the_key_may_come_as_the_code_query_parameter(host: HostProcess, path: str, params: dict) -> None:
    with host.client(key=None) as http:
        answer = http.get(path, params={**params, "code": host.keys.master_key})
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(("path", "params", "field"), [
    ("/api/admin/customers", {"limit": "7" * 5000}, "limit"),
    ("/api/admin/search", {"q": "x", "top": "9" * 5000}, "top"),
    ("/api/admin/search", {"q": "\x00" * 600}, "q")])
def test_query_values_out_of_any_range_are_refused(admin: httpx.Client, path: str, params: dict, field: str) -> None:
    refused(admin.get(path, params=params), 400, field)


@pytest.mark.parametrize(("field", "value"), [("seed", "NaN"), ("seed", "Infinity"), ("customers", "1e400")])
def test_json_numbers_that_are_not_numbers_are_refused(admin: httpx.Client, field: str, value: str) -> None:
    body = json.dumps({**SMALL, field: 0}).replace(f'"{field}": 0', f'"{field}": {value}')
    refused(admin.post("/api/admin/synthetic", content=body.encode()), 400, field)


def test_an_unknown_query_parameter_is_still_refused(admin: httpx.Client) -> None:
    refused(admin.get("/api/admin/customers", params={"colour": "green"}), 400, "colour")


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/api/admin/synthetic"), ("POST", "/api/admin/diagnostics"), ("GET", "/api/admin/company"),
    ("POST", "/api/admin/dashboard/rebuild"), ("GET", "/api/admin/customers"), ("GET", "/api/admin/search?q=x"),
])
def test_a_body_over_the_route_limit_is_refused_with_413(admin: httpx.Client, method: str, path: str) -> None:
    refused(admin.request(method, path, content=b" " * (2 * 1024 * 1024)), 413, "bytes")


def test_an_upload_may_be_megabytes_but_not_more_than_the_document_limit(admin: httpx.Client) -> None:
    from shared.settings import Settings

    limit = Settings().max_document_bytes
    text = b"returns policy " * (3 * 1024 * 1024 // 15)
    assert admin.post("/api/admin/documents", files={"file": ("big.txt", text)}).status_code == 202
    refused(admin.post("/api/admin/documents", files={"file": ("huge.txt", b"x" * (limit + 1))}), 413, "bytes")
    admin.delete("/api/admin/documents/big.txt")


@pytest.mark.parametrize(("events", "status"), [
    (b"[" * 100_000 + b"]" * 100_000, 400),
    (b'[{"n": ' + b"7" * 5000 + b"}]", 400),
    (b'[{"id": "1", "subject": "s", "eventType": "Microsoft.EventGrid.SubscriptionValidationEvent", '
     b'"eventTime": "t", "data": "code", "dataVersion": ""}]', 400),
    (b'[{"id": "1", "subject": "s", "eventType": "Microsoft.EventGrid.SubscriptionValidationEvent", '
     b'"eventTime": "t", "data": [1], "dataVersion": ""}]', 400),
])
def test_malformed_blob_events_are_refused(host: HostProcess, events: bytes, status: int) -> None:
    with host.client("system") as http:
        answer = http.post(BLOBS, params=BLOB_FUNCTION, content=events)
    assert answer.status_code == status, answer.text


def blob_created(subject: object) -> list[dict]:
    return [{"id": "1", "subject": subject, "eventType": "Microsoft.Storage.BlobCreated", "eventTime": "t",
             "data": {}, "dataVersion": ""}]


@pytest.mark.parametrize(("subject", "status"), [
    ("/blobServices/default/containers/documents/blobs/never-uploaded.txt", 404),
    ("/blobServices/default/containers/documents/blobs/../x.txt", 400),
    ("/blobServices/default/containers/documents/blobs/a%0Ab.txt", 400),
    ("/blobServices/default/containers/documents/blobs/%2e%2e", 400),
    (7, 400),
    (None, 400),
])
def test_blob_events_naming_no_usable_blob_are_refused(host: HostProcess, subject: object, status: int) -> None:
    with host.client("system") as http:
        answer = http.post(BLOBS, params=BLOB_FUNCTION, json=blob_created(subject))
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]


def test_a_blob_event_that_is_not_an_object_in_a_list_is_refused(host: HostProcess) -> None:
    with host.client("system") as http:
        assert http.post(BLOBS, params=BLOB_FUNCTION, json=[[1]]).status_code == 400
        assert http.post(BLOBS, params=BLOB_FUNCTION, json="event").status_code == 400
        assert http.post(BLOBS, params=BLOB_FUNCTION, json=[]).status_code == 400


@pytest.mark.parametrize("session_id", ["..", "."])
def test_a_malformed_session_id_is_refused(host: HostProcess, session_id: str) -> None:
    with host.client() as http:
        answer = http.post("/api/sessions/end", headers={"x-session-id": session_id, "x-session-token": "t"})
    assert answer.status_code == 401, answer.text



@pytest.mark.parametrize("where", ["header", "query"])
def test_a_key_that_is_not_ascii_is_refused_with_401(host: HostProcess, where: str) -> None:
    with host.client(key=None) as http:
        if where == "header":
            answer = http.get("/api/admin/dashboard", headers={"x-functions-key": "clé".encode("latin-1")})
        else:
            answer = http.get("/api/admin/dashboard", params={"code": "clé"})
    refused(answer, 401, "key")


@pytest.mark.parametrize(("content_type", "body"), [
    ("multipart/form-data", b"--x\r\n"),
    ("multipart/form-data; boundary=x", b"garbage"),
    ("multipart/form-data; boundary=x", b'--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc\r\n--x--\r\n'),
    ("multipart/form-data; boundary=x",
     b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nabc'),
])
def test_malformed_uploads_are_refused(admin: httpx.Client, content_type: str, body: bytes) -> None:
    answer = admin.post("/api/admin/documents", content=body, headers={"content-type": content_type})
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]
