"""Files from a checked trip: JSON (the ``--json`` contract), GeoJSON, KML, Markdown,
HTML (linked or self-contained) and an embeddable fragment; safe names, atomic writes."""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import folium
from anyascii import anyascii

from .errors import RoutesError
from .model import Place, Report, Route, Window
from .network import RailNetwork
from .verify import WhereAt

__all__ = [
    "slugify",
    "write_atomic",
    "report_to_json",
    "where_to_json",
    "to_geojson",
    "to_kml",
    "to_markdown",
    "to_html",
    "to_fragment",
    "FORMATS",
]

FORMATS = {"html": ".html", "geojson": ".geojson", "kml": ".kml", "md": ".md", "fragment": ".fragment.html"}


def slugify(title: str, max_len: int = 80) -> str:
    """A safe file name stem from a trip title: ASCII letters, digits and hyphens only.

    >>> slugify("Kim Jong-un's train to the Vostochny summit, September 2023")
    'kim-jong-uns-train-to-the-vostochny-summit-september-2023'
    >>> slugify("../../etc/passwd")
    'etc-passwd'
    """
    s = anyascii(title).lower().replace("'", "")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:max_len].rstrip("-") or "trip"


def write_atomic(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename,
    so a crash never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _r(x: float | None, n: int = 1) -> float | None:
    return None if x is None else round(x, n)


def _pair(t: tuple[float | None, float | None] | None, n: int = 1) -> list[float | None] | None:
    return None if t is None else [_r(t[0], n), _r(t[1], n)]


def _names(net: RailNetwork | None, ids: tuple[str, ...]) -> list[str]:
    if net is None:
        return list(ids)
    return [net.graph.nodes[i]["name"] if i in net.graph else i for i in ids]


def _window_json(w: Window | None) -> dict[str, str] | None:
    return None if w is None else {"earliest": w.earliest.isoformat(), "latest": w.latest.isoformat()}


def _place_json(p: Place) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "kind": p.kind,
        "lat": p.lat,
        "lon": p.lon,
        "country": p.country,
        "tz": p.tz,
        "source": p.source,
    }


def report_to_json(report: Report, net: RailNetwork | None = None) -> dict[str, Any]:
    """The object ``routes check --json`` prints (keys as in DESIGN.md, plus a few more)."""
    legs = []
    for lv in report.legs:
        leg = lv.leg
        r = leg.route
        legs.append(
            {
                "from": leg.start_name,
                "to": leg.end_name,
                "rail_km": _r(r.km if r else None),
                "straight_km": _r(leg.straight_km),
                "via": _names(net, r.via) if r else [],
                "lines": list(r.lines) if r else [],
                "gauge_breaks": _names(net, r.gauge_breaks) if r else [],
                "snap_km": [round(leg.snap_km[0], 2), round(leg.snap_km[1], 2)],
                "alternatives": [
                    {"rail_km": _r(a.km), "via": _names(net, a.via), "lines": list(a.lines)} for a in leg.alternatives
                ],
                "hours_available": _pair(lv.hours_available),
                "hours_needed": _pair(lv.hours_needed),
                "implied_kmh": _pair(lv.implied_kmh),
                "verdict": lv.verdict,
                "why": lv.why,
            }
        )
    return {
        "trip": report.trip.title,
        "speed_kmh": [report.trip.speed_min, report.trip.speed_max],
        "events": [
            {
                "query": ev.label,
                "kind": ev.kind,
                "place": _place_json(report.places[i]),
                "time": _window_json(report.windows[i]),
                "inferred_time": _window_json(report.inferred[i])
                if report.windows[i] is None and report.inferred
                else None,
                "source": ev.source,
            }
            for i, ev in enumerate(report.trip.events)
        ],
        "order": list(report.order),
        "legs": legs,
        "spans": [
            {
                "from": report.trip.events[s.start].label,
                "to": report.trip.events[s.end].label,
                "rail_km": _r(s.rail_km),
                "hours_available": _pair(s.hours_available),
                "hours_needed": _pair(s.hours_needed),
                "implied_kmh": _pair(s.implied_kmh),
                "verdict": s.verdict,
                "why": s.why,
            }
            for s in report.spans
        ],
        "claims": [
            {
                "claim": c.claim.describe(),
                "kind": c.claim.kind,
                "verdict": c.verdict,
                "why": c.why,
                "source": c.claim.source,
                "numbers": dict(c.numbers),
            }
            for c in report.claims
        ],
        "warnings": list(report.warnings),
    }


def where_to_json(w: WhereAt, report: Report) -> dict[str, Any]:
    """The object ``routes where --json`` prints."""
    return {
        "at": w.at.isoformat(),
        "leg": {"from": report.trip.events[w.start].label, "to": report.trip.events[w.end].label},
        "km_from_start": [w.km_from_start[0], w.km_from_start[1]],
        "route_km": round(w.route_km, 1),
        "why": w.why,
        "geometry": {
            "type": "LineString" if len(w.coords) > 1 else "Point",
            "coordinates": [[round(lon, 5), round(lat, 5)] for lat, lon in w.coords]
            if len(w.coords) > 1
            else [round(w.coords[0][1], 5), round(w.coords[0][0], 5)],
        },
    }


def _line(coords: tuple[tuple[float, float], ...]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [[round(lon, 6), round(lat, 6)] for lat, lon in coords]}


def to_geojson(report: Report, net: RailNetwork | None = None) -> str:
    """RFC 7946 GeoJSON: events as points, legs and alternatives as lines (lon, lat)."""
    feats: list[dict[str, Any]] = []
    data = report_to_json(report, net)
    for i, ev in enumerate(data["events"]):
        p = report.places[i]
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(p.lon, 6), round(p.lat, 6)]},
                "properties": {
                    "feature": "event",
                    "index": i,
                    **{k: v for k, v in ev.items() if k != "place"},
                    "place": p.name,
                    "place_id": p.id,
                    "place_source": p.source,
                },
            }
        )
    for lv, leg_json in zip(report.legs, data["legs"]):
        leg = lv.leg
        props = {"feature": "leg", **{k: v for k, v in leg_json.items() if k != "alternatives"}}
        if leg.route is None:
            a, b = report.places[leg.start], report.places[leg.end]
            geom = _line(((a.lat, a.lon), (b.lat, b.lon)))
            props["mode"] = "unknown"
        else:
            geom = _line(leg.route.coords)
            props["mode"] = "rail"
        feats.append({"type": "Feature", "geometry": geom, "properties": props})
        for n, alt in enumerate(leg.alternatives, start=1):
            feats.append(
                {
                    "type": "Feature",
                    "geometry": _line(alt.coords),
                    "properties": {
                        "feature": "alternative",
                        "leg_from": leg.start_name,
                        "leg_to": leg.end_name,
                        "rank": n,
                        "rail_km": round(alt.km, 1),
                        "via": _names(net, alt.via),
                    },
                }
            )
    fc = {
        "type": "FeatureCollection",
        "features": feats,
        "properties": {"trip": report.trip.title, "claims": data["claims"]},
    }
    return json.dumps(fc, ensure_ascii=False, indent=1)


_KML_COLOURS = {"feasible": "ff50981a", "tight": "ff2b8ef2", "infeasible": "ff2730d7", "unknown": "ff7f7f7f"}


def to_kml(report: Report, net: RailNetwork | None = None) -> str:
    """KML 2.2 for Google Earth: one placemark per event, leg and alternative."""
    x = xml_escape
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>',
        f"<name>{x(report.trip.title)}</name>",
    ]
    for verdict, colour in _KML_COLOURS.items():
        out.append(f'<Style id="{verdict}"><LineStyle><color>{colour}</color><width>4</width></LineStyle></Style>')
    out.append('<Style id="alternative"><LineStyle><color>aa555555</color><width>2</width></LineStyle></Style>')
    for i, ev in enumerate(report.trip.events):
        p = report.places[i]
        w = report.windows[i]
        desc = f"{ev.kind}; {p.name}; time: {w.earliest.isoformat() + ' – ' + w.latest.isoformat() if w else 'none'}; source: {ev.source or '—'}"
        out.append(
            f"<Placemark><name>{x(ev.label)}</name><description>{x(desc)}</description>"
            f"<Point><coordinates>{p.lon:.6f},{p.lat:.6f},0</coordinates></Point></Placemark>"
        )

    def coords(r: Route | None, a: Place, b: Place) -> str:
        pts = r.coords if r is not None else ((a.lat, a.lon), (b.lat, b.lon))
        return " ".join(f"{lon:.6f},{lat:.6f},0" for lat, lon in pts)

    for lv in report.legs:
        leg = lv.leg
        a, b = report.places[leg.start], report.places[leg.end]
        out.append(
            f"<Placemark><name>{x(leg.start_name)} → {x(leg.end_name)}</name>"
            f"<description>{x(lv.verdict + ': ' + lv.why)}</description><styleUrl>#{lv.verdict}</styleUrl>"
            f"<LineString><tessellate>1</tessellate><coordinates>{coords(leg.route, a, b)}</coordinates></LineString></Placemark>"
        )
        for n, alt in enumerate(leg.alternatives, start=1):
            out.append(
                f"<Placemark><name>alternative {n}: {x(leg.start_name)} → {x(leg.end_name)} ({alt.km:,.0f} km)</name>"
                f"<styleUrl>#alternative</styleUrl><LineString><tessellate>1</tessellate>"
                f"<coordinates>{coords(alt, a, b)}</coordinates></LineString></Placemark>"
            )
    out.append("</Document></kml>")
    return "\n".join(out) + "\n"


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


def to_html(m: folium.Map) -> str:
    return m.get_root().render()


def to_fragment(m: folium.Map) -> str:
    """An iframe whose ``srcdoc`` holds the whole map page: paste into a report template."""
    page = to_html(m)
    return (
        '<div class="routes-map" style="width:100%;height:600px">'
        f'<iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:100%;border:none" '
        'sandbox="allow-scripts allow-popups" title="routes map"></iframe></div>\n'
    )


def output_path(out: str | None, title: str, fmt: str, cwd: Path | None = None) -> Path:
    """Where to write: ``-o`` as given (a file, or a folder to write into), else ``output/<slug>``."""
    suffix = FORMATS[fmt]
    base = cwd or Path.cwd()
    if out is None:
        return base / "output" / f"{slugify(title)}{suffix}"
    p = Path(out)
    if p.is_dir() or out.endswith(("/", os.sep)):
        return p / f"{slugify(title)}{suffix}"
    if p.suffix == "":
        raise RoutesError(f"output path {out!r} has no file extension; use e.g. {out}{suffix}")
    return p
