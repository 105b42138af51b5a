"""Facts about a network: a summary, a networkx copy, and GeoJSON of the track for a map."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from .store import RailNetwork

if TYPE_CHECKING:  # networkx is imported only when a caller asks for a graph
    import networkx as nx

__all__ = ["BBox", "attribution", "network_info", "to_networkx", "network_geojson", "components"]


@dataclass(frozen=True)
class BBox:
    """A box in degrees: ``south`` ≤ lat ≤ ``north``, ``west`` ≤ lon ≤ ``east``.

    >>> BBox.around([(43.1, 131.9), (48.5, 135.1)], margin_deg=0.5)
    BBox(south=42.6, west=131.4, north=49.0, east=135.6)
    """

    south: float
    west: float
    north: float
    east: float

    def __post_init__(self) -> None:
        if not (-90 <= self.south <= self.north <= 90 and -180 <= self.west <= self.east <= 180):
            raise ValueError(f"bbox {self}: need -90 <= south <= north <= 90 and -180 <= west <= east <= 180")

    @classmethod
    def around(cls, points: Iterable[tuple[float, float]], margin_deg: float = 0.0) -> BBox:
        """The box around (lat, lon) points, widened by ``margin_deg`` (clamped to the globe)."""
        pts = list(points)
        if not pts:
            raise ValueError("no points to put a box around")
        lats, lons = [p[0] for p in pts], [p[1] for p in pts]
        r = lambda x: round(x, 9)  # noqa: E731 - keep float noise out of the doctest
        return cls(
            r(max(-90.0, min(lats) - margin_deg)),
            r(max(-180.0, min(lons) - margin_deg)),
            r(min(90.0, max(lats) + margin_deg)),
            r(min(180.0, max(lons) + margin_deg)),
        )


def components(net: RailNetwork) -> list[int]:
    """Connected components of the network, as station counts, largest first."""
    a = net.a
    R = len(a.r_node)
    parent = list(range(R))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for u, v in zip(a.c_ur.tolist(), a.c_vr.tolist()):
        ru, rv = find(u), find(v)
        if ru != rv:
            parent[ru] = rv
    root = np.array([find(x) for x in range(R)], dtype=np.int64)
    comp_of_chain = root[np.asarray(a.c_ur)]
    per_root = np.bincount(root, minlength=R)  # the routing nodes
    inner = np.asarray(a.n_chain)[np.asarray(a.n_rnode) < 0]
    per_root += np.bincount(comp_of_chain[inner], minlength=R)
    return sorted((int(x) for x in per_root[per_root > 0]), reverse=True)


def network_info(net: RailNetwork) -> dict[str, Any]:
    """A summary: lines (with km, km posts, stations, turn rules, source), totals, components."""
    a = net.a
    c = net.meta["counts"]
    lines = [
        {
            k: line.get(k)
            for k in (
                "id",
                "name",
                "name_local",
                "gauge",
                "electrified",
                "km",
                "geometry_km",
                "kilometre_posts",
                "stations",
                "turn_rules",
                "source",
            )
        }
        for line in net.meta["lines"]
    ]
    for line in lines:
        line["km"] = round(float(line["km"] or 0.0), 1)
        line["geometry_km"] = round(float(line["geometry_km"] or 0.0), 1)
    return {
        "network": net.name,
        "path": str(net.path) if net.path else None,
        "lines": lines,
        "total_km": round(float(np.sum(a.e_km)), 1),
        "ferry_km": round(float(np.sum(np.asarray(a.e_km)[np.asarray(a.e_mode) == 1])), 1),
        "total_geometry_km": round(float(np.sum(a.e_geom_km)), 1),
        "stations": c["nodes"],
        "edges": c["edges"],
        "routing_nodes": c["routing_nodes"],
        "routing_edges": c["chains"],
        "turn_states": c["states"],
        "turn_transitions": c["transitions"],
        "gauges": list(net.meta["gauges"]),
        "components": components(net),
        "sources": sorted({line["source"] for line in net.meta["lines"] if line.get("source")}),
        "source": dict(net.meta.get("source") or {}),
        "attribution": attribution(net),
    }


def attribution(net: RailNetwork) -> list[str]:
    """The lines every map, export and summary of ``net`` must show (the licence of its
    data: "© OpenStreetMap contributors, ODbL" for an imported network)."""
    src = net.meta.get("source") or {}
    got = src.get("attribution") if isinstance(src, dict) else None
    if isinstance(got, list):
        return [str(x) for x in got]
    return [str(got)] if got else []


def _gauge_names(net: RailNetwork, mask: int) -> frozenset[str]:
    return frozenset(g for i, g in enumerate(net.meta["gauges"]) if (mask >> i) & 1)


def to_networkx(net: RailNetwork) -> nx.MultiGraph:
    """The station graph as a :class:`networkx.MultiGraph` (for analysis and tests).

    Nodes are station ids with ``lat``, ``lon``, ``name``, ``kind``, ``main``; edges are
    keyed by their index in the store, with ``length_km`` (railway km), ``geom_km``,
    ``line``, ``line_name``, ``gauge`` (a set of gauges), ``electrified``, ``service``,
    ``usage``, ``mode`` (``rail`` or ``ferry``), whatever per-edge facts the source kept
    (an OpenStreetMap import: ``way``, ``maxspeed``, ``voltage``, ``bridge``, ``tunnel``), ``coords`` ((lat, lon) pairs from ``u`` to ``v``) and ``chain``.
    """
    import networkx as nx  # deferred: 0.1 s of import that routing itself never needs

    a = net.a
    G = nx.MultiGraph()
    kinds, services, usages = net.meta["node_kinds"], net.meta["services"], net.meta["usages"]
    modes = net.meta.get("edge_modes", ["rail", "ferry"])
    ids = [net.node_id(i) for i in range(net.n_nodes)]
    for i, nid in enumerate(ids):
        G.add_node(
            nid,
            lat=float(a.n_lat[i]),
            lon=float(a.n_lon[i]),
            name=net.node_name(i),
            kind=kinds[int(a.n_kind[i])],
            main=bool(a.n_main[i]),
        )
    lines = net.meta["lines"]
    elec = {1: "yes", 0: "no", -1: ""}
    tags = net.edge_tags()
    for e in range(len(a.e_u)):
        more = {k: v[int(a.e_src[e])].item() for k, v in tags.items()}
        v0, v1 = int(a.e_v0[e]), int(a.e_v0[e + 1])
        line = lines[int(a.e_line[e])]
        G.add_edge(
            ids[int(a.e_u[e])],
            ids[int(a.e_v[e])],
            key=e,
            length_km=float(a.e_km[e]),
            geom_km=float(a.e_geom_km[e]),
            line=line["id"],
            line_name=line["name"],
            gauge=_gauge_names(net, int(a.e_gauge[e])),
            electrified=elec[int(a.e_elec[e])],
            service=services[int(a.e_service[e])],
            usage=usages[int(a.e_usage[e])],
            mode=modes[int(a.e_mode[e])],
            coords=list(zip(a.v_lat[v0:v1].tolist(), a.v_lon[v0:v1].tolist())),
            chain=int(a.e_chain[e]),
            **more,
        )
    return G


def network_geojson(net: RailNetwork, bbox: BBox | None = None, tolerance_deg: float = 0.0) -> dict[str, Any]:
    """The track as one GeoJSON FeatureCollection, one feature per chain (junction to junction).

    Chains are clipped to ``bbox`` (all of them when ``None``) and simplified to
    ``tolerance_deg`` (Douglas–Peucker; 0 keeps every vertex); coordinates are rounded to
    5 decimals (about 1 m). Each feature's properties: ``lines`` (line names, " / "
    between), ``line_ids``, ``from`` and ``to`` (its end stations' names), ``km`` (the
    whole chain's railway km) and ``stations`` (stations along it, ends included).
    """
    a = net.a
    C = len(a.c_km)
    if C == 0:
        return {"type": "FeatureCollection", "features": []}
    v_start = np.asarray(a.e_v0)[np.asarray(a.c_e0)[:-1]]
    v_stop = np.asarray(a.e_v0)[np.asarray(a.c_e0)[1:]]
    lat, lon = np.asarray(a.v_lat), np.asarray(a.v_lon)
    chains = np.arange(C)
    if bbox is not None:
        s_lat = np.minimum.reduceat(lat, v_start)
        n_lat = np.maximum.reduceat(lat, v_start)
        w_lon = np.minimum.reduceat(lon, v_start)
        e_lon = np.maximum.reduceat(lon, v_start)
        hit = (n_lat >= bbox.south) & (s_lat <= bbox.north) & (e_lon >= bbox.west) & (w_lon <= bbox.east)
        chains = chains[hit]
    if not len(chains):
        return {"type": "FeatureCollection", "features": []}
    counts = v_stop[chains] - v_start[chains]
    idx = np.repeat(v_start[chains] - np.cumsum(np.r_[0, counts[:-1]]), counts) + np.arange(counts.sum())
    geoms = shapely.linestrings(
        np.column_stack([lon[idx], lat[idx]]), indices=np.repeat(np.arange(len(chains)), counts)
    )
    if bbox is not None:
        geoms = shapely.clip_by_rect(geoms, bbox.west, bbox.south, bbox.east, bbox.north)
    if tolerance_deg > 0:
        geoms = shapely.simplify(geoms, tolerance_deg, preserve_topology=False)
    names = net.meta["lines"]
    features = []
    for c, g in zip(chains.tolist(), geoms):
        if g is None or g.is_empty:
            continue
        e0, e1 = int(a.c_e0[c]), int(a.c_e0[c + 1])
        line_idx = list(dict.fromkeys(int(x) for x in a.e_line[e0:e1]))
        features.append(
            {
                "type": "Feature",
                "geometry": _line_json(g),
                "properties": {
                    "lines": " / ".join(names[i]["name"] for i in line_idx),
                    "line_ids": [names[i]["id"] for i in line_idx],
                    "from": net.node_name(int(a.r_node[a.c_ur[c]])),
                    "to": net.node_name(int(a.r_node[a.c_vr[c]])),
                    "km": round(float(a.c_km[c]), 1),
                    "stations": e1 - e0 + 1,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _line_json(g: Any) -> dict[str, Any]:
    """A (clipped) chain as GeoJSON, coordinates rounded to 5 decimals: a line read as one
    array, anything else (a clip can leave points) through :func:`_rounded`."""
    if g.geom_type == "LineString":
        return {"type": "LineString", "coordinates": [[round(x, 5), round(y, 5)] for x, y in _xy(g)]}
    if g.geom_type == "MultiLineString":
        return {
            "type": "MultiLineString",
            "coordinates": [[[round(x, 5), round(y, 5)] for x, y in _xy(part)] for part in g.geoms],
        }
    return _rounded(shapely.geometry.mapping(g))


def _xy(g: Any) -> list[list[float]]:
    return shapely.get_coordinates(g).tolist()  # type: ignore[no-any-return]


def _rounded(geom: dict[str, Any]) -> dict[str, Any]:
    def r(x: Any) -> Any:
        if isinstance(x, (list, tuple)) and x and isinstance(x[0], (int, float)):
            return [round(float(v), 5) for v in x]
        return [r(y) for y in x]

    kind = geom["type"]
    if kind in ("LineString", "MultiLineString", "Point", "MultiPoint"):
        return {"type": kind, "coordinates": r(geom["coordinates"])}
    # a clip can leave a collection of lines and points
    return {"type": "GeometryCollection", "geometries": [_rounded(g) for g in geom.get("geometries", [])]}
