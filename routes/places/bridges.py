"""Bridges found where a rail line crosses a named river (computed, with provenance)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from shapely.geometry import LineString

from ..geo import haversine_km
from ..model import Place
from ..sources.bundled import Area, LineFeature

__all__ = ["river_crossings"]


def river_crossings(river: Area, lines: Sequence[LineFeature], places: Mapping[str, Place]) -> tuple[Place, ...]:
    """Where the ``lines`` cross ``river``: one bridge place per crossing, named after the
    nearest station the line lists, with the provenance of both geometries."""
    out: list[Place] = []
    for line in lines:
        geom = LineString([(v.lon, v.lat) for v in line.vertices])
        inter = geom.intersection(river.geometry)
        if inter.is_empty:
            continue
        pts = [inter] if inter.geom_type == "Point" else list(getattr(inter, "geoms", []))
        pts = sorted((g for g in pts if g.geom_type == "Point"), key=geom.project)
        for i, pt in enumerate(pts, start=1):
            near = min(
                (v for v in line.vertices if v.ref),
                key=lambda v: haversine_km(v.lat, v.lon, pt.y, pt.x),
            )
            station = places[near.ref] if near.ref else None
            by = f" near {station.name}" if station else ""
            out.append(
                Place(
                    id=f"bridge:{river.id}:{line.id}:{i}",
                    name=f"{river.name} rail bridge{by}",
                    kind="bridge",
                    lat=round(pt.y, 5),
                    lon=round(pt.x, 5),
                    country=station.country if station else "",
                    tz=station.tz if station else "UTC",
                    aliases=(f"{river.name} bridge",),
                    source=(
                        f"computed: where {line.name} (gazetteer/lines/{line.id}.csv) crosses the "
                        f"{river.name} ({river.source})"
                    ),
                    extra=(("line", line.id), ("line_name", line.name), ("river", river.id)),
                )
            )
    names = [p.name for p in out]
    out = [replace(p, name=f"{p.name} ({p.meta('line_name')})") if names.count(p.name) > 1 else p for p in out]
    return tuple(out)
