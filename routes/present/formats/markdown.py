"""A Markdown report of a checked trip."""

from __future__ import annotations

from ...model import Report
from ...routing.rail import RailNetwork
from ..escape import md_cell
from ..style import MODE_STYLES
from .json import report_to_json

__all__ = ["to_markdown", "summary_line"]


def summary_line(s: dict) -> str:
    """``legs: 3 feasible, 0 tight, 0 infeasible, 0 unknown; claims: …; places matched as typos: 0``."""
    legs = ", ".join(f"{n} {v}" for v, n in s["legs"].items())
    claims = ", ".join(f"{n} {v}" for v, n in s["claims"].items())
    return f"legs: {legs}; claims: {claims}; places matched as typos: {s['fuzzy_places']}"


def to_markdown(report: Report, net: RailNetwork | None = None) -> str:
    """A Markdown report: events, legs with verdicts, claims with sources."""
    d = report_to_json(report, net)
    lines = [f"# {md_cell(report.trip.title)}", ""]
    if report.trip.traveller:
        lo, hi = d["speed_kmh"]
        lines += [
            f"Traveller: {md_cell(report.trip.traveller)}; by {report.trip.mode}, speed range {lo:g}–{hi:g} km/h.",
            "",
        ]
    lines += [
        "## Events",
        "",
        "| # | reported | resolved to | resolved by | kind | time | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for i, ev in enumerate(d["events"]):
        t = ev["time"]
        tt = (
            "—"
            if t is None
            else (t["earliest"] if t["earliest"] == t["latest"] else f"{t['earliest']} – {t['latest']}")
        )
        rb = ev["resolved_by"]
        by = "—" if rb is None else f"{rb['method']} ({rb['score']:.2f}): {rb['detail']}"
        lines.append(
            f"| {i + 1} | {md_cell(ev['query'])} | {md_cell(ev['place']['name'])} | {md_cell(by)} | {md_cell(ev['kind'])} | {md_cell(tt)} | {md_cell(ev['source'] or '—')} |"
        )
    mixed = any(leg["mode"] != "rail" for leg in d["legs"])
    head = "| from | to | mode | km |" if mixed else "| from | to | rail km |"
    lines += [
        "",
        "## Legs",
        "",
        head + " straight km | verdict | why |",
        "|---|---|---|---|---|---|" + ("---|" if mixed else ""),
    ]
    for leg in d["legs"]:
        km = "—" if leg["km"] is None else f"{leg['km'][0]:,.0f}"
        if leg["km"] is not None and leg["estimated"]:
            km = f"~{leg['km'][0]:,.0f}–{leg['km'][1]:,.0f} (estimated)"
        mode = f" {MODE_STYLES.get(leg['mode'], MODE_STYLES['unknown'])['icon']} {leg['mode']} |" if mixed else ""
        lines.append(
            f"| {md_cell(leg['from'])} | {md_cell(leg['to'])} |{mode} {km} | {leg['straight_km']:,.0f} | **{leg['verdict']}** | {md_cell(leg['why'])} |"
        )
        for n, alt in enumerate(leg["alternatives"], start=1):
            pad = " |" if mixed else ""
            lines.append(
                f"| | alternative {n} |{pad} {alt['rail_km']:,.0f} | | | via {md_cell(', '.join(alt['via'][:8]))} |"
            )
    if d["claims"]:
        lines += ["", "## Claims", "", "| claim | verdict | why | source |", "|---|---|---|---|"]
        for c in d["claims"]:
            lines.append(
                f"| {md_cell(c['claim'])} | **{c['verdict']}** | {md_cell(c['why'])} | {md_cell(c['source'] or '—')} |"
            )
    if d["warnings"]:
        lines += ["", "## Warnings", ""] + [f"- {md_cell(w)}" for w in d["warnings"]]
    lines += ["", "## Summary", "", md_cell(summary_line(d["summary"]))]
    lines += ["", "Coordinates and distances: routes bundled gazetteer (see gazetteer/SOURCES.md)."]
    lines += [f"Rail network {md_cell(d['network'])}: {md_cell(a)}." for a in d["attribution"]] + [""]
    return "\n".join(lines)
