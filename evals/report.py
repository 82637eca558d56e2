"""The HTML report: the figures per split, then per scenario a table of its turns and a latency plot."""

from __future__ import annotations

from html import escape
from pathlib import Path

from evals.runner import ScenarioScore

BAR_WIDTH, PLOT_HEIGHT = 14, 60


def _plot(latencies: list[float]) -> str:
    """Turn latencies as an inline SVG bar chart, scaled to the slowest turn."""
    top = max(latencies, default=1.0) or 1.0
    bars = "".join(
        f'<rect x="{i * BAR_WIDTH}" y="{PLOT_HEIGHT - h:.1f}" width="{BAR_WIDTH - 2}" height="{h:.1f}" fill="#4a7">'
        f"<title>turn {i + 1}: {ms:.1f} ms</title></rect>"
        for i, ms in enumerate(latencies) for h in [max(PLOT_HEIGHT * ms / top, 1.0)])
    return (f'<svg width="{BAR_WIDTH * len(latencies)}" height="{PLOT_HEIGHT}" role="img">{bars}</svg>'
            f"<small> max {top:.1f} ms</small>")


def write(path: Path, results: list[ScenarioScore], summaries: list[str]) -> None:
    parts = ["<!doctype html><meta charset=utf-8><title>Conversation eval</title>",
             "<style>body{font:14px sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:3px 6px;"
             "vertical-align:top}table{border-collapse:collapse;margin-bottom:1em}.no{background:#fdd}</style>",
             "<h1>Conversation eval</h1>", *(f"<p>{escape(s)}</p>" for s in summaries)]
    for r in results:
        mark = "passed" if r.success else "FAILED"
        parts.append(f"<h2>{escape(r.scenario.id)} ({r.scenario.split}, {mark})</h2><p>{escape(r.scenario.about)}</p>")
        parts.append(_plot([t.latency_ms for t in r.turns]))
        parts.append("<table><tr><th>caller</th><th>agent said</th><th>tools</th><th>expected</th><th>ms</th>"
                     "<th>failed checks</th></tr>")
        for expected, turn in zip(r.scenario.turns, r.turns, strict=True):
            row = ' class="no"' if turn.checks_failed else ""
            parts.append(f"<tr{row}><td>{escape(expected.say)}</td><td>{escape(turn.said)}</td>"
                         f"<td>{escape(', '.join(turn.called))}</td><td>{escape(', '.join(turn.expected))}</td>"
                         f"<td>{turn.latency_ms:.1f}</td><td>{escape('; '.join(turn.checks_failed))}</td></tr>")
        parts.append("</table>")
        if r.end_failed:
            parts.append(f"<p class=no>end state: {escape('; '.join(r.end_failed))}</p>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")
