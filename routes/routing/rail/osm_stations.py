"""Stations of an OpenStreetMap import: which nodes, where each meets the track, its names.

See :mod:`.osm` for the rules; this module finds the stations, puts each on the track
(its own node, its ``stop_area``'s stop position, or the nearest track) and groups stop
positions of one name into stations where an extract holds no station nodes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...geo import haversine_km, haversine_km_many
from ...settings import Settings
from ...sources.osm import OsmExtract, clean_name, is_station, is_stop
from .osm_topology import Nodes, Pieces, attach_points, insert_points

__all__ = ["Station", "names", "place_stations", "station_places"]

_NAME_TAGS = ("old_name", "alt_name", "official_name", "short_name")


def names(tags: Mapping[str, str]) -> tuple[str, tuple[str, ...]]:
    """The primary name and every other name a node's tags give (``name:*``, old, alt, ...)."""
    primary = clean_name(tags.get("name", "")) or clean_name(tags.get("name:en", ""))
    others: list[str] = []
    for k, v in sorted(tags.items()):
        if k.startswith("name:") or k in _NAME_TAGS or k.startswith(("old_name:", "alt_name:")):
            for part in v.split(";"):
                n = clean_name(part)
                if n and n != primary and n not in others:
                    others.append(n)
    return primary, tuple(others)


def _key(name: str) -> str:
    return " ".join(name.casefold().replace("-", " ").split())


def _stations(ex: OsmExtract) -> tuple[dict[int, Mapping[str, str]], dict[int, Mapping[str, str]]]:
    stations = {i: t for i, t in ex.tagged.items() if is_station(t) and i in ex.tagged_lat}
    stops = {i: t for i, t in ex.tagged.items() if is_stop(t) and not is_station(t) and t.get("name")}
    return stations, stops


def _on_track(ex: OsmExtract, p: Pieces, ids: list[int]) -> dict[int, int]:
    """OSM node id -> node index, for those of ``ids`` that lie on the track."""
    if not ids:
        return {}
    arr = np.array(ids, dtype=np.int64)
    idx, ok = ex.locate(arr)
    on = ok & np.isin(idx, p.pv)
    return {int(i): int(x) for i, x, o in zip(arr.tolist(), idx.tolist(), on.tolist()) if o}


@dataclass
class Station:
    osm: int
    tags: Mapping[str, str]
    lat: float
    lon: float
    node: int | None = None  # node index on the track
    stops: list[int] = field(default_factory=list)  # node indices of its stop positions


def place_stations(
    ex: OsmExtract, p: Pieces, nodes: Nodes, rail: np.ndarray, settings: Settings
) -> tuple[list[Station], dict[str, int]]:
    """Every station with the node it has on the track (see the module docstring)."""
    stations, stops = _stations(ex)
    members: dict[int, tuple[int, ...]] = {}
    for _tags, mem in ex.stop_areas:
        for m in mem:
            if m in stations:
                members[m] = mem
    in_areas = [m for mem in members.values() for m in mem]
    on = _on_track(ex, p, list(dict.fromkeys([*stations, *stops, *in_areas])))
    out: list[Station] = []
    stats = {"on_track": 0, "stop_area": 0, "snapped": 0, "too_far": 0, "stop_groups": 0}
    far: list[Station] = []
    for sid, tags in stations.items():
        st = Station(sid, tags, float(ex.tagged_lat[sid]), float(ex.tagged_lon[sid]))
        if sid in on:
            st.node = on[sid]
            stats["on_track"] += 1
        else:
            cands = [on[m] for m in members.get(sid, ()) if m in on]
            if cands:
                d = haversine_km_many(st.lat, st.lon, nodes.lat[cands], nodes.lon[cands])
                st.node = cands[int(np.argmin(d))]
                stats["stop_area"] += 1
            else:
                far.append(st)
        out.append(st)
    if far:
        atts = attach_points(
            p, nodes, np.array([s.lat for s in far]), np.array([s.lon for s in far]), settings.osm_station_snap_km, rail
        )
        todo = [(a, s) for a, s in zip(atts, far) if a is not None]
        got = insert_points(p, nodes, [(a, s.osm, "") for a, s in todo])
        for (_a, s), n in zip(todo, got):
            s.node = n
        stats["snapped"] = len(todo)
        stats["too_far"] = len(far) - len(todo)
    # stop positions: a station's own, else stations of their own, grouped by name
    by_name: dict[str, list[Station]] = defaultdict(list)
    for st in out:
        by_name[_key(names(st.tags)[0])].append(st)
    groups: dict[str, list[Station]] = defaultdict(list)
    for sid, tags in sorted(stops.items()):
        if sid not in on:
            continue
        lat, lon = float(nodes.lat[on[sid]]), float(nodes.lon[on[sid]])
        key = _key(names(tags)[0])
        near = [s for s in by_name.get(key, ()) if haversine_km(s.lat, s.lon, lat, lon) <= settings.osm_stop_group_km]
        if near:
            near[0].stops.append(on[sid])
            continue
        mine = [g for g in groups[key] if haversine_km(g.lat, g.lon, lat, lon) <= settings.osm_stop_group_km]
        if mine:
            mine[0].stops.append(on[sid])
        else:
            g = Station(sid, tags, lat, lon, node=on[sid], stops=[on[sid]])
            groups[key].append(g)
            out.append(g)
            stats["stop_groups"] += 1
    return out, stats


def station_places(stations: list[Station], nodes: Nodes, ids_of: Mapping[int, str]) -> list[dict[str, Any]]:
    out = []
    for st in stations:
        primary, others = names(st.tags)
        if not primary:
            continue
        junction = st.tags.get("railway") == "junction"
        out.append(
            {
                "id": f"osm:node/{st.osm}",
                "name": primary,
                "aliases": list(others),
                "kind": "junction" if junction else "station",
                "lat": round(st.lat, 7),
                "lon": round(st.lon, 7),
                "station": ids_of.get(st.node) if st.node is not None else None,
                "osm": f"node/{st.osm}",
                "railway": st.tags.get("railway") or st.tags.get("public_transport", ""),
                "stop_positions": len(st.stops),
            }
        )
    return out
