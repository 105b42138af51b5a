"""A Markdown report of a checked trip."""

from __future__ import annotations

import html
import re

from ...model import Report
from ...routing.rail import RailNetwork
from .json import report_to_json

__all__ = ["to_markdown"]


def _md(text: object) -> str:
    r"""Text for a Markdown table cell: no HTML, no emphasis or links, no table breaks.

    >>> _md("<b>a|b</b> *c*")
    '&lt;b&gt;a\\|b&lt;/b&gt; \\*c\\*'
    """
    s = html.escape(str(text), quote=False).replace("\r", " ").replace("\n", " ")
    return re.sub(r"([\\`*_\[\]|])", r"\\\1", s)


def to_markdown(report: Report, net: RailNetwork | None = None) -> str:
    """A Markdown report: events, legs with verdicts, claims with sources."""
    d = report_to_json(report, net)
    lines = [f"# {_md(report.trip.title)}", ""]
    if report.trip.traveller:
        lines += [
            f"Traveller: {_md(report.trip.traveller)}; speed range {report.trip.speed_min:g}–{report.trip.speed_max:g} km/h.",
            "",
        ]
    lines += ["## Events", "", "| # | reported | resolved to | kind | time | source |", "|---|---|---|---|---|---|"]
    for i, ev in enumerate(d["events"]):
        t = ev["time"]
        tt = (
            "—"
            if t is None
            else (t["earliest"] if t["earliest"] == t["latest"] else f"{t['earliest']} – {t['latest']}")
        )
        lines.append(
            f"| {i + 1} | {_md(ev['query'])} | {_md(ev['place']['name'])} | {_md(ev['kind'])} | {_md(tt)} | {_md(ev['source'] or '—')} |"
        )
    lines += ["", "## Legs", "", "| from | to | rail km | straight km | verdict | why |", "|---|---|---|---|---|---|"]
    for leg in d["legs"]:
        km = "—" if leg["rail_km"] is None else f"{leg['rail_km']:,.0f}"
        lines.append(
            f"| {_md(leg['from'])} | {_md(leg['to'])} | {km} | {leg['straight_km']:,.0f} | **{leg['verdict']}** | {_md(leg['why'])} |"
        )
        for n, alt in enumerate(leg["alternatives"], start=1):
            lines.append(f"| | alternative {n} | {alt['rail_km']:,.0f} | | | via {_md(', '.join(alt['via'][:8]))} |")
    if d["claims"]:
        lines += ["", "## Claims", "", "| claim | verdict | why | source |", "|---|---|---|---|"]
        for c in d["claims"]:
            lines.append(f"| {_md(c['claim'])} | **{c['verdict']}** | {_md(c['why'])} | {_md(c['source'] or '—')} |")
    if d["warnings"]:
        lines += ["", "## Warnings", ""] + [f"- {_md(w)}" for w in d["warnings"]]
    lines += ["", "Coordinates and distances: routes bundled gazetteer (see gazetteer/SOURCES.md).", ""]
    return "\n".join(lines)
