"""Imports of real OpenStreetMap extracts (tests/data/osm, © OpenStreetMap contributors,
ODbL): routes on them agree with an independent shortest path over the raw OSM nodes.

The reference is written here from the file itself, sharing no code with the importer:
pyosmium's plain reader with node locations, a networkx graph over every node of every
``railway=rail|narrow_gauge`` way (each segment weighted by its geodesic length,
geographiclib), edges kept per profile from the way's own tags, and Dijkstra between two way nodes, given by their coordinates. A node tagged
``railway=railway_crossing`` is a diamond crossing, not a junction: trains go straight
over it (without that, the plain graph reverses through a Cologne crossing at 6°). routes is asked for the same coordinates, without
turn rules (the plain graph, as the reference): the route it finds must be as long as the
reference's, within 0.5 %, measured the same way (the geodesic length of its geometry).

Its *rail* km are another measure: where a line has kilometre posts they come from the
posts (routes.routing.rail.osm_chainage), the railway's own kilometrage, used where a
section of them agrees with the drawn track within 0.5 % plus 50 m. On these two
extracts the posts run 0.2–0.8 % below the drawn track (printed with -s); rail km are
held within 1.5 % of the reference.
"""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
import numpy as np
import osmium
import pytest
from geographiclib.geodesic import Geodesic  # noqa: E402

from routes import api  # noqa: E402
from routes.routing.rail import network_info  # noqa: E402

DATA = Path(__file__).parent / "data" / "osm"
EXTRACTS = {"cologne": DATA / "cologne-railway.osm.pbf", "vde": DATA / "vde8.2-rail.osm.pbf"}
ELECTRIC = {"contact_line", "rail", "yes", "4th_rail", "ground-level_power_supply"}
PAIRS = 12  # coordinate pairs per extract and profile


def _allowed(tags: dict[str, str], profile: str) -> bool:
    if profile == "all":
        return True
    if tags.get("service") in ("yard", "spur"):
        return False
    return profile == "main" or tags.get("electrified") in ELECTRIC


@pytest.fixture(scope="module")
def raw() -> dict[str, tuple[list[tuple[dict[str, str], list[tuple[int, float, float]]]], set[int]]]:
    """Every rail way of each extract (its tags and its (node id, lat, lon)), and the ids
    of the nodes tagged ``railway=railway_crossing``."""
    out = {}
    for key, path in EXTRACTS.items():
        ways = []
        crossing = set()
        for o in osmium.FileProcessor(str(path)).with_locations():
            if o.is_node() and o.tags.get("railway") == "railway_crossing":
                crossing.add(o.id)
            if o.is_way() and o.tags.get("railway") in ("rail", "narrow_gauge"):
                nodes = [(n.ref, n.location.lat, n.location.lon) for n in o.nodes if n.location.valid()]
                ways.append(({t.k: t.v for t in o.tags}, nodes))
        out[key] = (ways, crossing)
    return out


def _bearing(p: tuple[float, float], q: tuple[float, float]) -> float:
    return Geodesic.WGS84.Inverse(p[0], p[1], q[0], q[1])["azi1"]


def reference_graph(data, profile: str) -> nx.Graph:
    """The raw graph: a node per OSM node, an edge per segment of an allowed way.

    A diamond crossing is no node of it: a train goes straight on along its own track, so
    each way through it gets an edge from the node before the crossing to the node after
    it, and two ways that both end there are joined the same way where they run straight
    on (their legs at least 150° apart)."""
    ways, crossing = data
    G = nx.Graph()
    geod = Geodesic.WGS84
    pos: dict[int, tuple[float, float]] = {}
    legs: dict[
        int, list[tuple[int, float, int]]
    ] = {}  # crossing -> (node beyond, km to it, next node) per way ending there

    def km(a: int, b: int) -> float:
        return geod.Inverse(*pos[a], *pos[b], Geodesic.DISTANCE)["s12"] / 1000.0

    def link(a: int, b: int, d: float) -> None:
        if a != b and (not G.has_edge(a, b) or G[a][b]["km"] > d):
            G.add_edge(a, b, km=d)

    for tags, nodes in ways:
        if not _allowed(tags, profile):
            continue
        ids = [n for n, _, _ in nodes]
        for n, lat, lon in nodes:
            pos[n] = (lat, lon)
        for a, b in zip(ids, ids[1:]):
            if a not in crossing and b not in crossing:
                link(a, b, km(a, b))
        along = [0.0]
        for a, b in zip(ids, ids[1:]):
            along.append(along[-1] + (km(a, b) if a != b else 0.0))
        plain = [i for i, n in enumerate(ids) if n not in crossing]
        for i, c in enumerate(ids):
            if c not in crossing:
                continue
            before = [j for j in plain if j < i]
            after = [j for j in plain if j > i]
            if before and after:  # through the crossing (and any next to it) on this way
                j, k = before[-1], after[0]
                link(ids[j], ids[k], along[k] - along[j])
            elif before or after:  # the way ends at the crossing
                j = before[-1] if before else after[0]
                nxt = ids[i + 1] if j > i else ids[i - 1]  # the leg's direction: the next node from c
                legs.setdefault(c, []).append((ids[j], abs(along[i] - along[j]), nxt))
    for c, ends in legs.items():
        for i, (p, dp, np_) in enumerate(ends):
            for q, dq, nq in ends[i + 1 :]:
                turn = abs(_bearing(pos[c], pos[np_]) - _bearing(pos[c], pos[nq])) % 360.0
                if min(turn, 360.0 - turn) >= 150.0:
                    link(p, q, dp + dq)
    for n in G.nodes:
        G.nodes[n]["pos"] = pos[n]
    return G


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("osm-real")
    return {k: api.import_network(p, k, dest=root / k) for k, p in EXTRACTS.items()}


@pytest.mark.parametrize("profile", ["main", "all", "electric"])
@pytest.mark.parametrize("key", sorted(EXTRACTS))
def test_routes_agree_with_a_shortest_path_over_the_raw_nodes(raw, imported, key, profile):
    G = reference_graph(raw[key], profile)
    big = max(nx.connected_components(G), key=len)
    nodes = sorted(big)
    rng = random.Random(f"{key}-{profile}")
    net = imported[key].net
    compared = 0
    tries = 0
    ratios: list[float] = []
    while compared < PAIRS and tries < 200:
        tries += 1
        a, b = rng.sample(nodes, 2)
        (alat, alon), (blat, blon) = G.nodes[a]["pos"], G.nodes[b]["pos"]
        want = nx.shortest_path_length(G, a, b, weight="km")
        if want < 5.0:  # a route of a few km is all snapping
            continue
        plan = api.plan_route(net, (alat, alon), (blat, blon), profile=profile, turn_rules=False)
        assert plan.snap_km[0] < 0.001 and plan.snap_km[1] < 0.001  # the points are way nodes
        drawn = float(np.sum(_geodesic(plan.route.coords)))
        assert drawn == pytest.approx(want, rel=0.005), (key, profile, a, b)
        assert plan.route.km == pytest.approx(want, rel=0.015), (key, profile, a, b, "rail km")
        ratios.append(plan.route.km / drawn)
        compared += 1
    assert compared == PAIRS
    print(
        f"{key} {profile}: rail km / drawn km, median {np.median(ratios):.4f}, range {min(ratios):.4f}–{max(ratios):.4f}"
    )


def _geodesic(coords) -> list[float]:
    geod = Geodesic.WGS84
    return [geod.Inverse(a[0], a[1], b[0], b[1], Geodesic.DISTANCE)["s12"] / 1000.0 for a, b in zip(coords, coords[1:])]


def test_what_the_imports_hold(imported):
    """The figures the closing note gives: km, stations, components."""
    for key, done in imported.items():
        info = network_info(done.net)
        c = done.manifest["counts"]
        print(key, info["total_km"], c["stations"], len(info["components"]), info["components"][:3], done.seconds)
        assert info["attribution"] == ["© OpenStreetMap contributors, ODbL"]
        assert done.manifest["file"] == EXTRACTS[key].name
    cologne, vde = network_info(imported["cologne"].net), network_info(imported["vde"].net)
    # the NOTICE: about 1,540 km of rail around Cologne, 700 km around VDE 8.2
    assert 1450 < cologne["total_km"] < 1650 and 650 < vde["total_km"] < 750
    assert imported["vde"].manifest["counts"]["kilometre_posts_used"] > 500


def test_named_bridges_of_the_high_speed_line(imported):
    """VDE 8.2's viaducts carry bridge:name: each is a place of the network's gazetteer."""
    gz = api.gazetteer_for(imported["vde"].net)
    for name in ("Unstruttalbrücke", "Saale-Elster-Talbrücke", "Scherkondetalbrücke"):
        m = gz.resolve(name)[0]
        assert m.place.kind == "bridge" and m.method == "exact" and "network vde" in m.how
        assert 50.9 < m.place.lat < 51.5 and 11.0 < m.place.lon < 12.1


def test_stop_positions_make_the_stations_of_an_extract_without_station_nodes(imported):
    """The high-speed line's extract has stop positions only: each name is one station."""
    gz = api.gazetteer_for(imported["vde"].net)
    erfurt = gz.resolve("Erfurt Hbf")[0].place
    assert erfurt.kind == "station" and erfurt.tz == "Europe/Berlin" and erfurt.country == "DE"
    assert imported["vde"].manifest["counts"]["stations"] == 27
