"""KML 2.2 of a checked trip, for Google Earth."""

from __future__ import annotations

from ...model import Place, Report, Route
from ...routing.rail import RailNetwork
from ..escape import xml_text

__all__ = ["to_kml"]


_KML_COLOURS = {"feasible": "ff50981a", "tight": "ff2b8ef2", "infeasible": "ff2730d7", "unknown": "ff7f7f7f"}


def to_kml(report: Report, net: RailNetwork | None = None) -> str:
    """KML 2.2 for Google Earth: one placemark per event, leg and alternative."""
    x = xml_text
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
