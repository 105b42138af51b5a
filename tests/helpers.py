"""Test helpers: route invariants and a synthetic rail-like network."""

from __future__ import annotations

import random

import pytest

from routes.geo import geodesic_km
from routes.model import Place, Route
from routes.routing.rail import RailNetwork, to_networkx
from routes.sources.bundled import LineFeature, LineVertex


def check_route(
    route: Route, net: RailNetwork, start: tuple[float, float] | None = None, end: tuple[float, float] | None = None
) -> None:
    """The invariants every route must hold.

    * its length equals the sum of its pieces' edges (the full edges it covers entirely);
    * its geometry is continuous (no jump longer than the longest edge segment);
    * its ends are the snapped places;
    * consecutive nodes are joined by an edge of the station graph;
    * its edges run on in the direction of travel.
    """
    G = to_networkx(net)
    assert route.km >= 0
    assert len(route.coords) == len(route.cum_km)
    assert route.cum_km[0] == pytest.approx(0.0, abs=1e-9)
    assert route.cum_km[-1] == pytest.approx(route.km, rel=1e-9, abs=1e-6)
    assert all(b >= a - 1e-9 for a, b in zip(route.cum_km, route.cum_km[1:]))
    longest = max(geodesic_km(*p, *q) for _, _, d in G.edges(data=True) for p, q in zip(d["coords"], d["coords"][1:]))
    for (a, b), (c, d) in zip(route.coords, route.coords[1:]):
        assert geodesic_km(a, b, c, d) <= longest + 1e-6, "geometry jumps off the network"
    if start is not None:
        assert geodesic_km(*route.coords[0], *start) < 0.01
    if end is not None:
        assert geodesic_km(*route.coords[-1], *end) < 0.01
    for u, v in zip(route.nodes, route.nodes[1:]):
        assert G.has_edge(u, v), f"{u} and {v} are not adjacent"
    if route.nodes:
        whole = sum(G.edges[e]["length_km"] for e in route.edges)
        inner = [e for e in route.edges if e[0] in route.nodes and e[1] in route.nodes]
        inner_km = sum(G.edges[e]["length_km"] for e in inner)
        assert inner_km - 1e-6 <= route.km <= whole + 1e-6
    for (_, v1, _), (u2, _, _) in zip(route.edges, route.edges[1:]):
        assert v1 == u2, "edges do not run on"


def synthetic_lines(n_lines: int = 12, seed: int = 3) -> tuple[list[LineFeature], list[Place]]:
    """A random rail-like network: lines of stations on a jittered grid, meeting at shared
    junctions, with some parallel lines between the same junctions."""
    rng = random.Random(seed)
    places: dict[str, Place] = {}

    def station(i: int, j: int) -> str:
        pid = f"s{i}_{j}"
        if pid not in places:
            places[pid] = Place(
                pid,
                pid,
                "station",
                50 + i * 0.2 + rng.uniform(-0.02, 0.02),
                120 + j * 0.3 + rng.uniform(-0.02, 0.02),
                tz="Asia/Vladivostok",
            )
        return pid

    lines = []
    for n in range(n_lines):
        if n % 2 == 0:
            i = n // 2
            refs = [station(i, j) for j in range(8)]
        else:
            j = n // 2
            refs = [station(i, j) for i in range(6)]
        verts = []
        for a, b in zip(refs, refs[1:]):
            pa, pb = places[a], places[b]
            verts.append(LineVertex(a, pa.lat, pa.lon, None, "", "synthetic"))
            mid = ((pa.lat + pb.lat) / 2 + rng.uniform(-0.03, 0.03), (pa.lon + pb.lon) / 2 + rng.uniform(-0.03, 0.03))
            verts.append(LineVertex(None, mid[0], mid[1], None, "", "synthetic"))
        last = places[refs[-1]]
        verts.append(LineVertex(refs[-1], last.lat, last.lon, None, "", "synthetic"))
        lines.append(LineFeature(f"L{n}", f"line {n}", "", "1520", "synthetic", tuple(verts)))
    # a parallel line between two junctions (keeps a MultiGraph edge)
    a, b = places["s0_0"], places["s0_1"]
    lines.append(
        LineFeature(
            "P",
            "parallel",
            "",
            "1520",
            "synthetic",
            (
                LineVertex("s0_0", a.lat, a.lon, None, "", "synthetic"),
                LineVertex(None, a.lat - 0.08, (a.lon + b.lon) / 2, None, "", "synthetic"),
                LineVertex("s0_1", b.lat, b.lon, None, "", "synthetic"),
            ),
        )
    )
    return lines, list(places.values())


def records(nodes, edges, gauges=("1520",), lines=None):  # noqa: ANN001, ANN201
    """NetworkRecords from small lists, for hand-made networks.

    ``nodes``: (id, lat, lon, kind) with kind one of "switch", "station", "junction";
    ``edges``: (u, v, shape, attrs): ``shape`` the (lat, lon) points between the two
    nodes, ``attrs`` a dict with any of ``service`` ("", "yard", "spur", ...),
    ``electrified`` (1, 0, -1), ``gauge`` (a bitmask), ``line`` (an index into ``lines``).
    """
    import numpy as np

    from routes.routing.rail.records import NODE_KINDS, SERVICES, NetworkRecords

    index = {n[0]: i for i, n in enumerate(nodes)}
    lat = {n[0]: n[1] for n in nodes}
    lon = {n[0]: n[2] for n in nodes}
    vlat, vlon, offsets = [], [], [0]
    for u, v, shape, _ in edges:
        pts = [(lat[u], lon[u]), *shape, (lat[v], lon[v])]
        vlat.extend(p[0] for p in pts)
        vlon.extend(p[1] for p in pts)
        offsets.append(len(vlat))
    attrs = [e[3] for e in edges]
    lines = lines or ({"id": "L", "name": "test line"},)
    return NetworkRecords(
        node_ids=[n[0] for n in nodes],
        node_names=[n[0].upper() for n in nodes],
        node_lat=np.array([n[1] for n in nodes], dtype=float),
        node_lon=np.array([n[2] for n in nodes], dtype=float),
        node_kind=np.array([NODE_KINDS.index(n[3]) for n in nodes], dtype=np.uint8),
        node_main=np.array([n[3] != "switch" for n in nodes]),
        node_gauge_change=np.array([bool(n[4]) if len(n) > 4 else False for n in nodes]),
        edge_u=np.array([index[e[0]] for e in edges]),
        edge_v=np.array([index[e[1]] for e in edges]),
        edge_offsets=np.array(offsets),
        vertex_lat=np.array(vlat),
        vertex_lon=np.array(vlon),
        vertex_km=None,
        edge_line=np.array([a.get("line", 0) for a in attrs], dtype=np.int32),
        edge_gauge=np.array([a.get("gauge", 1) for a in attrs], dtype=np.uint8),
        edge_electrified=np.array([a.get("electrified", 1) for a in attrs], dtype=np.int8),
        edge_service=np.array([SERVICES.index(a.get("service", "")) for a in attrs], dtype=np.uint8),
        edge_usage=np.zeros(len(edges), dtype=np.uint8),
        gauges=tuple(gauges),
        lines=tuple(lines),
    )


def toward(lat: float, lon: float, bearing_deg: float, km: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) on a bearing (a flat approximation, fine for tests)."""
    import math

    dlat = km * math.cos(math.radians(bearing_deg)) / 111.2
    dlon = km * math.sin(math.radians(bearing_deg)) / (111.2 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def scene_of(page: str) -> dict:
    """The scene a rendered page carries (what its script draws), each path's packed
    ``line`` unpacked into ``coords`` as the page's script does."""
    import json
    import re

    from routes.present.scene import unpacked_line

    block = re.search(r'<script type="application/json" id="routes-scene-[\w]+">(.*?)</script>', page, re.S)
    assert block, "the page carries its scene as JSON data"
    scene = json.loads(block.group(1))
    decimals = len(str(scene["scale"])) - 1
    assert scene["scale"] == 10**decimals
    for p in [*scene["legs"], *scene["joints"], *scene["alternatives"], *([scene["prism"]] if scene["prism"] else [])]:
        p["coords"] = unpacked_line(p["line"], decimals)
    return scene
