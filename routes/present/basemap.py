"""The basemap that needs no tile server: Natural Earth outlines clipped to a map's extent.

Coastlines, land borders, major rivers and lakes (``gazetteer/outlines.geojson``, public
domain), drawn under the printed maps and under the HTML map with ``--tiles none``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from shapely import STRtree, box, clip_by_rect
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from ..sources.bundled import load_outlines

__all__ = ["outlines_in", "BASEMAP_CREDIT"]

BASEMAP_CREDIT = "Made with Natural Earth (public domain)"
Bounds = tuple[tuple[float, float], tuple[float, float]]  # (south, west), (north, east)


@lru_cache(maxsize=1)
def _index() -> tuple[tuple[tuple[str, str], ...], tuple[BaseGeometry, ...], STRtree]:
    feats = load_outlines()["features"]
    props = tuple((f["properties"]["kind"], f["properties"].get("name", "")) for f in feats)
    geoms = tuple(shape(f["geometry"]) for f in feats)
    return props, geoms, STRtree(geoms)


def _rounded(coords: Any) -> Any:
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], 2), round(coords[1], 2)]
    return [_rounded(c) for c in coords]


def outlines_in(bounds: Bounds) -> dict[str, Any]:
    """The outlines inside ``bounds`` as a GeoJSON FeatureCollection (lon, lat), clipped.

    Each feature keeps ``kind`` (coast | border | river | lake) and ``name``; the order
    is the bundled file's, so the same extent gives the same bytes.

    >>> fc = outlines_in(((41.5, 126.0), (53.0, 135.0)))   # Primorye to the Amur
    >>> sorted({f["properties"]["kind"] for f in fc["features"]})
    ['border', 'coast', 'lake', 'river']
    >>> sorted({f["properties"]["name"] for f in fc["features"] if f["properties"]["kind"] == "lake"})
    ['Lake Khanka']
    """
    (s, w), (n, e) = bounds
    props, geoms, tree = _index()
    out = []
    for i in sorted(int(i) for i in tree.query(box(w, s, e, n))):
        g = clip_by_rect(geoms[i], w, s, e, n)
        if g.is_empty:
            continue
        gj = mapping(g)
        if gj["type"] == "GeometryCollection":
            continue  # a line touching the edge in a point only
        kind, name = props[i]
        out.append(
            {
                "type": "Feature",
                "properties": {"kind": kind, "name": name},
                "geometry": {"type": gj["type"], "coordinates": _rounded(gj["coordinates"])},
            }
        )
    return {"type": "FeatureCollection", "features": out}
