"""Test helpers: route invariants and a synthetic rail-like network."""

from __future__ import annotations

import random

import pytest

from routes.geo import geodesic_km
from routes.model import Place, Route
from routes.routing.rail import RailNetwork
from routes.sources.bundled import LineFeature, LineVertex


def check_route(
    route: Route, net: RailNetwork, start: tuple[float, float] | None = None, end: tuple[float, float] | None = None
) -> None:
    """The invariants every route must hold.

    * its length equals the sum of its pieces' edges (the full edges it covers entirely);
    * its geometry is continuous (no jump longer than the longest edge segment);
    * its ends are the snapped places;
    * consecutive nodes are joined by an edge of the station graph.
    """
    assert route.km >= 0
    assert len(route.coords) == len(route.cum_km)
    assert route.cum_km[0] == pytest.approx(0.0, abs=1e-9)
    assert route.cum_km[-1] == pytest.approx(route.km, rel=1e-9, abs=1e-6)
    assert all(b >= a - 1e-9 for a, b in zip(route.cum_km, route.cum_km[1:]))
    longest = max(
        geodesic_km(*p, *q) for _, _, d in net.graph.edges(data=True) for p, q in zip(d["coords"], d["coords"][1:])
    )
    for (a, b), (c, d) in zip(route.coords, route.coords[1:]):
        assert geodesic_km(a, b, c, d) <= longest + 1e-6, "geometry jumps off the network"
    if start is not None:
        assert geodesic_km(*route.coords[0], *start) < 0.01
    if end is not None:
        assert geodesic_km(*route.coords[-1], *end) < 0.01
    G = net.graph
    for u, v in zip(route.nodes, route.nodes[1:]):
        assert G.has_edge(u, v), f"{u} and {v} are not adjacent"
    if route.nodes:
        whole = sum(G.edges[e]["length_km"] for e in route.edges)
        inner = [e for e in route.edges if e[0] in route.nodes and e[1] in route.nodes]
        inner_km = sum(G.edges[e]["length_km"] for e in inner)
        assert inner_km - 1e-6 <= route.km <= whole + 1e-6


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
