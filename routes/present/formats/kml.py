"""KML 2.2 of a checked trip, for Google Earth and GIS tools.

Events carry ``TimeStamp`` (a reported instant) or ``TimeSpan`` (a reported window) and
legs a ``TimeSpan`` from their start to their end, so Google Earth's time slider plays the
journey; every placemark's facts are also ``ExtendedData`` fields. Colours come from the
one palette (:mod:`routes.present.style`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from ...model import Place, Report, Route, Window
from ...routing.rail import RailNetwork, attribution
from ..escape import xml_attr, xml_text
from ..style import ALTERNATIVE_COLOUR, CLAIM_COLOURS, MODE_STYLES, VERDICT_COLOURS, kml_colour
from .geojson import _when

__all__ = ["to_kml"]


def _iso(t: datetime) -> str:
    return t.isoformat()


def _time(w: Window | None) -> str:
    if w is None:
        return ""
    if w.is_instant:
        return f"<TimeStamp><when>{_iso(w.earliest)}</when></TimeStamp>"
    return f"<TimeSpan><begin>{_iso(w.earliest)}</begin><end>{_iso(w.latest)}</end></TimeSpan>"


def _data(fields: Mapping[str, object]) -> str:
    rows = "".join(
        f'<Data name="{xml_attr(k)}"><value>{xml_text(v)}</value></Data>' for k, v in fields.items() if v is not None
    )
    return f"<ExtendedData>{rows}</ExtendedData>"


def _coords(r: Route | None, a: Place, b: Place) -> str:
    pts = r.coords if r is not None else ((a.lat, a.lon), (b.lat, b.lon))
    return " ".join(f"{lon:.6f},{lat:.6f},0" for lat, lon in pts)


def to_kml(report: Report, net: RailNetwork | None = None) -> str:
    """KML 2.2: one placemark per event, leg, alternative and claim, with times."""
    x = xml_text
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>',
        f"<name>{x(report.trip.title)}</name>",
    ]
    lines = attribution(net) if net is not None else []
    if lines:
        assert net is not None
        out.append(f"<description>{x(f'Rail network {net.name}: ' + '; '.join(lines))}</description>")
    for verdict, colour in VERDICT_COLOURS.items():
        out.append(
            f'<Style id="{verdict}"><LineStyle><color>{kml_colour(colour)}</color><width>4</width></LineStyle></Style>'
        )
        for mode, style in MODE_STYLES.items():  # KML has no dashes: a mode is its width, name and icon
            out.append(
                f'<Style id="{verdict}-{mode}"><IconStyle><scale>0</scale></IconStyle>'
                f"<LineStyle><color>{kml_colour(colour)}</color><width>{style['weight'] - 1}</width></LineStyle></Style>"
            )
    out.append(
        f'<Style id="alternative"><LineStyle><color>{kml_colour(ALTERNATIVE_COLOUR, 0xAA)}</color>'
        "<width>2</width></LineStyle></Style>"
    )
    for verdict, colour in CLAIM_COLOURS.items():
        out.append(f'<Style id="claim-{verdict}"><IconStyle><color>{kml_colour(colour)}</color></IconStyle></Style>')
    out.append("<Folder><name>Events</name>")
    for i, ev in enumerate(report.trip.events):
        p = report.places[i]
        w = report.windows[i]
        inferred = report.inferred[i] if w is None and report.inferred else None
        desc = f"{ev.kind}; {p.name}; time: {w.earliest.isoformat() + ' – ' + w.latest.isoformat() if w else 'none'}; source: {ev.source or '—'}"
        fields = {
            "kind": ev.kind,
            "query": ev.label,
            "place": p.name,
            "lat": f"{p.lat:.6f}",
            "lon": f"{p.lon:.6f}",
            "time_earliest": w.earliest.isoformat() if w else None,
            "time_latest": w.latest.isoformat() if w else None,
            "inferred_earliest": inferred.earliest.isoformat() if inferred else None,
            "inferred_latest": inferred.latest.isoformat() if inferred else None,
            "source": ev.source or None,
            "place_source": p.source or None,
            "note": ev.note or None,
            "confidence": ev.confidence or None,
        }
        out.append(
            f"<Placemark><name>{x(ev.label)}</name><description>{x(desc)}</description>{_time(w)}{_data(fields)}"
            f"<Point><coordinates>{p.lon:.6f},{p.lat:.6f},0</coordinates></Point></Placemark>"
        )
    out.append("</Folder><Folder><name>Legs</name>")
    for lv in report.legs:
        leg = lv.leg
        a, b = report.places[leg.start], report.places[leg.end]
        start, start_inferred = _when(report, leg.start)
        end, end_inferred = _when(report, leg.end)
        span = ""
        if start is not None or end is not None:
            begin = f"<begin>{_iso(start.earliest)}</begin>" if start else ""
            finish = f"<end>{_iso(end.latest)}</end>" if end else ""
            span = f"<TimeSpan>{begin}{finish}</TimeSpan>"
        fields = {
            "verdict": lv.verdict,
            "why": lv.why,
            "mode": leg.mode,
            "rail_km": f"{leg.rail_km:.1f}" if leg.rail_km is not None else None,
            "km": "–".join(f"{k:.1f}" for k in dict.fromkeys(leg.km)) if leg.km else None,
            "estimated": leg.route.estimate if leg.route is not None and leg.route.estimate else None,
            "straight_km": f"{leg.straight_km:.1f}",
            "start_inferred": str(start_inferred).lower(),
            "end_inferred": str(end_inferred).lower(),
        }
        style = MODE_STYLES.get(leg.mode, MODE_STYLES["unknown"])
        mid = (
            leg.route.coords[len(leg.route.coords) * 3 // 8]
            if leg.route
            else ((a.lat + b.lat) / 2, (a.lon + b.lon) / 2)
        )
        tess = 0 if leg.mode == "air" else 1  # a flight's points follow its great circle; tessellate would not
        out.append(
            f"<Placemark><name>{style['icon']} {x(leg.start_name)} → {x(leg.end_name)} by {leg.mode}</name>"
            f"<description>{x(lv.verdict + ': ' + lv.why)}</description>{span}"
            f"<styleUrl>#{lv.verdict}-{leg.mode}</styleUrl>{_data(fields)}"
            f"<MultiGeometry><Point><coordinates>{mid[1]:.6f},{mid[0]:.6f},0</coordinates></Point>"
            f"<LineString><tessellate>{tess}</tessellate><coordinates>{_coords(leg.route, a, b)}</coordinates>"
            "</LineString></MultiGeometry></Placemark>"
        )
        for n, alt in enumerate(leg.alternatives, start=1):
            out.append(
                f"<Placemark><name>alternative {n}: {x(leg.start_name)} → {x(leg.end_name)} ({alt.km:,.0f} km)</name>"
                f"<styleUrl>#alternative</styleUrl><LineString><tessellate>1</tessellate>"
                f"<coordinates>{_coords(alt, a, b)}</coordinates></LineString></Placemark>"
            )
    out.append("</Folder>")
    if report.claims:
        out.append("<Folder><name>Claims</name>")
        for n, c in enumerate(report.claims):
            places = list(
                dict.fromkeys((p.lon, p.lat) for p in (report.claim_places[n] if report.claim_places else ()))
            )
            geom = "".join(f"<Point><coordinates>{lon:.6f},{lat:.6f},0</coordinates></Point>" for lon, lat in places)
            fields = {"verdict": c.verdict, "why": c.why, "source": c.claim.source or None}
            out.append(
                f"<Placemark><name>{x(c.claim.describe())}</name><description>{x(c.verdict + ': ' + c.why)}</description>"
                f"<styleUrl>#claim-{xml_attr(c.verdict)}</styleUrl>{_data(fields)}"
                + (f"<MultiGeometry>{geom}</MultiGeometry>" if geom else "")
                + "</Placemark>"
            )
        out.append("</Folder>")
    out.append("</Document></kml>")
    return "\n".join(out) + "\n"
