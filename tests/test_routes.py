"""Route templates as the Functions host reads them."""

from __future__ import annotations

import pytest

from local.host.routes import RouteError, RouteTemplate


def test_parameters_constraints_optional_and_catch_all() -> None:
    assert RouteTemplate.compile("admin/customers/{id}").match("admin/customers/c-17") == {"id": "c-17"}
    optional = RouteTemplate.compile("calls/{call_id:guid}/{leg?}")
    assert optional.match("calls/0f8fad5b-d9cb-469f-a165-70867728950e") == {
        "call_id": "0f8fad5b-d9cb-469f-a165-70867728950e"}
    assert optional.match("calls/not-a-guid") is None
    assert RouteTemplate.compile("files/{*path}").match("files/a/b.pdf") == {"path": "a/b.pdf"}


def test_more_specific_routes_come_first() -> None:
    templates = ["admin/{*rest}", "admin/{name}", "admin/{id:int}", "admin/customers"]
    ordered = sorted((RouteTemplate.compile(t) for t in templates), key=lambda r: r.precedence)
    assert [r.template for r in ordered] == ["admin/customers", "admin/{id:int}", "admin/{name}", "admin/{*rest}"]


@pytest.mark.parametrize("template", ["items/{id:unknown}", "items/x{id}"])
def test_unsupported_templates_fail_at_start_up(template: str) -> None:
    with pytest.raises(RouteError, match="route"):
        RouteTemplate.compile(template)
