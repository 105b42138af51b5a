"""Bridges of an imported network, for its gazetteer: "the X bridge" where track on a
bridge crosses the named waterway X, and every bridge with a ``bridge:name``.

Tracks of one bridge are separate ways: crossings of one waterway within
:data:`SAME_BRIDGE_KM` of each other are one bridge.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import shapely

from ...geo import haversine_km
from ...sources.osm import OsmExtract, clean_name
from .osm_topology import Nodes, Pieces, make_pieces

__all__ = ["bridge_places", "SAME_BRIDGE_KM"]

SAME_BRIDGE_KM = 0.3


def _aliases(river: Mapping[str, str], primary: str) -> list[str]:
    names = [clean_name(river.get("name", ""))] + [
        clean_name(v) for k, v in sorted(river.items()) if k.startswith("name:")
    ]
    out: list[str] = []
    for n in dict.fromkeys(x for x in names if x):
        for form in (f"{n} bridge", f"{n} railway bridge", f"{n} rail bridge", f"bridge over the {n}"):
            if form != primary and form not in out:
                out.append(form)
    return out


def bridge_places(ex: OsmExtract, p: Pieces, nodes: Nodes, mode: np.ndarray) -> list[dict[str, Any]]:
    """Gazetteer entries for the bridges of the track (see the module docstring)."""
    tags = ex.track.tags
    on_bridge = [
        pc
        for pc in range(len(p))
        if mode[p.way[pc]] == 0 and tags[int(p.way[pc])].get("bridge", "no") not in ("no", "")
    ]
    if not on_bridge:
        return []
    lat, lon = nodes.lat, nodes.lon

    def line(pv: np.ndarray) -> Any:
        return shapely.linestrings(np.column_stack([lon[pv], lat[pv]]))

    track = [line(p.pv[p.poff[pc] : p.poff[pc + 1]]) for pc in on_bridge]
    found: list[dict[str, Any]] = []
    w = ex.waterways
    if len(w):
        widx, wok = ex.locate(w.refs)
        wp = make_pieces(w.offsets, widx, wok)
        rivers = [line(wp.pv[wp.poff[k] : wp.poff[k + 1]]) for k in range(len(wp))]
        tree = shapely.STRtree(rivers)
        for t_i, r_i in zip(*tree.query(track, predicate="intersects").tolist()):
            pc = on_bridge[t_i]
            river = w.tags[int(wp.way[r_i])]
            pt = shapely.intersection(track[t_i], rivers[r_i])
            c = shapely.centroid(pt)
            way_tags = tags[int(p.way[pc])]
            rname = clean_name(river.get("name", ""))
            primary = clean_name(way_tags.get("bridge:name", "")) or f"{rname} bridge"
            same = next(
                (
                    b
                    for b in found
                    if b["river"] == rname and haversine_km(b["lat"], b["lon"], c.y, c.x) <= SAME_BRIDGE_KM
                ),
                None,
            )
            if same is not None:
                continue
            found.append(
                {
                    "id": f"osm:way/{int(ex.track.ids[int(p.way[pc])])}",
                    "name": primary,
                    "aliases": _aliases(river, primary),
                    "kind": "bridge",
                    "lat": round(float(c.y), 7),
                    "lon": round(float(c.x), 7),
                    "station": None,
                    "osm": f"way/{int(ex.track.ids[int(p.way[pc])])}",
                    "river": rname,
                }
            )
    # named bridges that cross no waterway the extract holds
    for k, pc in enumerate(on_bridge):
        way_tags = tags[int(p.way[pc])]
        bn = clean_name(way_tags.get("bridge:name", ""))
        if not bn:
            continue
        c = shapely.centroid(track[k])
        if any(b["name"] == bn and haversine_km(b["lat"], b["lon"], c.y, c.x) <= 2 for b in found):
            continue
        found.append(
            {
                "id": f"osm:way/{int(ex.track.ids[int(p.way[pc])])}",
                "name": bn,
                "aliases": [],
                "kind": "bridge",
                "lat": round(float(c.y), 7),
                "lon": round(float(c.x), 7),
                "station": None,
                "osm": f"way/{int(ex.track.ids[int(p.way[pc])])}",
                "river": "",
            }
        )
    return found
