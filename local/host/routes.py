"""Functions route templates (ASP.NET syntax) compiled to regular expressions.

Supported: literal segments, `{name}`, `{name?}`, `{name:constraint}`, `{*rest}`; matching is
case-insensitive like the real host. Routes are tried most specific first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CONSTRAINTS = {
    "int": r"-?\d+",
    "long": r"-?\d+",
    "alpha": r"[A-Za-z]+",
    "bool": r"(?i:true|false)",
    "guid": r"[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}",
    "float": r"-?\d+(?:\.\d+)?",
    "double": r"-?\d+(?:\.\d+)?",
    "decimal": r"-?\d+(?:\.\d+)?",
}
PARAMETER = re.compile(r"^\{(?P<star>\*)?(?P<name>\w+)(?::(?P<constraint>\w+))?(?P<optional>\?)?\}$")


class RouteError(ValueError):
    """A route template the host cannot serve."""


@dataclass(frozen=True)
class RouteTemplate:
    template: str
    pattern: re.Pattern[str] = field(compare=False)
    # Sort key per segment: literal 0, constrained 1, plain 2, optional 3, catch-all 4.
    precedence: tuple[int, ...] = field(compare=False)

    @classmethod
    def compile(cls, template: str) -> RouteTemplate:
        regex, ranks = "", []
        for index, segment in enumerate(template.strip("/").split("/")):
            separator = "/" if index else ""
            match = PARAMETER.match(segment)
            if "{" not in segment:
                regex += separator + re.escape(segment)
                ranks.append(0)
                continue
            if not match:
                raise RouteError(f"route {template!r}: unsupported segment {segment!r}")
            name, constraint = match["name"], match["constraint"]
            if constraint and constraint not in CONSTRAINTS:
                raise RouteError(f"route {template!r}: unknown constraint {constraint!r}")
            body = ".+" if match["star"] else CONSTRAINTS.get(constraint or "", "[^/]+")
            part = f"{separator}(?P<{name}>{body})"
            optional = match["star"] or match["optional"]
            regex += f"(?:{part})?" if optional else part
            ranks.append(4 if match["star"] else 3 if optional else 1 if constraint else 2)
        pattern = re.compile(f"^{regex}/?$", re.IGNORECASE)
        return cls(template=template, pattern=pattern, precedence=tuple(ranks))

    def match(self, path: str) -> dict[str, str] | None:
        found = self.pattern.match(path.strip("/"))
        if found is None:
            return None
        return {name: value for name, value in found.groupdict().items() if value is not None}
