"""The rail graph: built from line features, contracted for routing, measured like the
railway. Invariants on the bundled network and on synthetic rail-like networks."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import numpy as np
import pytest
from helpers import check_route, synthetic_lines

from routes.errors import DataError, NoRoute
from routes.geo import geodesic_km, nearest_vertex, polyline_km
from routes.model import Place
from routes.routing.rail import (
    alternatives,
    build_network,
    line_chainage,
    network_info,
    position_of_node,
    route,
    snap,
    to_networkx,
)
from routes.routing.rail.chainage import POST_SLACK_KM
from routes.sources import bundled as data
from routes.sources.bundled import Distance, LineFeature, LineVertex, load_distances, load_lines


def test_bundled_network_is_one_component_with_junctions(net, graph):
    info = network_info(net)
    assert len(info["components"]) == 1
    assert info["total_km"] > 5000
    # the lines named in the issue are all there
    ids = {line["id"] for line in info["lines"]}
    assert {
        "khasan-line",
        "transsib-vladivostok-khabarovsk",
        "transsib-khabarovsk-bamovskaya",
        "bam-tynda-komsomolsk",
        "pyongra-line",
        "pyongui-line",
    } <= ids
    for junction in ("baranovsky", "ussuriysk", "volochaevka-1", "belogorsk"):
        assert graph.degree(junction) >= 3, junction


def test_khasan_to_ussuriysk_follows_the_khasan_line_through_baranovsky(net, gz):
    a, b = gz.get("khasan"), gz.get("ussuriysk")
    r = route(net, snap(net, a), snap(net, b))
    check_route(r, net, (a.lat, a.lon), (b.lat, b.lon))
    assert "baranovsky" in r.nodes
    assert r.lines[0] == "khasan-line"
    # along the track, not straight across
    assert r.km > 1.2 * geodesic_km(a.lat, a.lon, b.lat, b.lon)


def test_every_edge_length_is_at_least_its_drawn_geometry(graph):
    for u, v, d in graph.edges(data=True):
        # km posts may sit a little under the drawn geometry where station points are off their posts
        assert d["length_km"] >= d["geom_km"] * 0.97 - POST_SLACK_KM - 1e-6, (u, v, d["line"])


@pytest.mark.parametrize("line", load_lines(), ids=lambda line: line.id)
def test_kilometre_posts_are_consistent(line):
    bad = line_chainage(line).ignored
    assert not bad, f"inconsistent km posts on {line.id} (vertex, km): {bad}"


def test_every_line_and_shape_vertex_names_its_source():
    for line in load_lines():
        assert line.source, line.id
        missing = [i for i, v in enumerate(line.vertices) if v.ref is None and not v.source]
        assert not missing, f"{line.id}: shape vertices without a source: {missing[:5]}"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A private gazetteer folder: two places and whatever lines a test writes."""
    (tmp_path / "places").mkdir()
    (tmp_path / "lines").mkdir()
    (tmp_path / "places" / "p.csv").write_text(
        "id,name,kind,lat,lon,country,tz,aliases,geonames_id,station,source\n"
        "a,A,station,50.0,120.0,RU,Asia/Yakutsk,,,,t\n"
        "b,B,station,50.0,121.0,RU,Asia/Yakutsk,,,,t\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(data, "data_root", lambda: tmp_path)
    data.load_places.cache_clear()
    data.load_lines.cache_clear()
    yield tmp_path
    data.load_places.cache_clear()
    data.load_lines.cache_clear()


def test_a_shape_vertex_inherits_the_source_above_it(data_dir):
    (data_dir / "lines" / "x.csv").write_text(
        "ref,lat,lon,km,label,source\na,,,,,\n,50.0,120.3,,,track S\n,50.0,120.6,,,\nb,,,,,\n", encoding="utf-8"
    )
    (line,) = data.load_lines()
    assert [v.source for v in line.vertices] == ["", "track S", "track S", ""]


def test_a_shape_vertex_with_no_source_above_it_is_refused(data_dir):
    (data_dir / "lines" / "x.csv").write_text(
        "ref,lat,lon,km,label,source\na,,,,,\n,50.0,120.3,,,\nb,,,,,\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match="x.csv:3: a shape vertex needs a source"):
        data.load_lines()


PUBLISHED = [d for d in load_distances() if not d.known_discrepancy]
KNOWN = [d for d in load_distances() if d.known_discrepancy]


def _rail_km(net, gz, d) -> float:
    a, b = gz.get(d.a), gz.get(d.b)
    return route(net, snap(net, a), snap(net, b)).km


@pytest.mark.parametrize("d", PUBLISHED, ids=lambda d: f"{d.a}-{d.b}")
def test_rail_distance_matches_the_published_distance(net, gz, d):
    km = _rail_km(net, gz, d)
    assert d.matches(km), f"{d.a}–{d.b}: {km:.1f} km vs published {d.km} km ({d.source}): {d.error(km):+.1%}"


def test_a_whole_kilometre_figure_allows_its_rounding():
    five = Distance("a", "b", 5.0, "s", resolution=1.0)
    assert five.matches(4.6) and not five.matches(4.4)  # 3 % of 5 km is only 0.15 km
    assert not Distance("a", "b", 4.7, "s", resolution=0.1).matches(4.5)
    assert Distance("a", "b", 330.0, "s").matches(339.9) and not Distance("a", "b", 330.0, "s").matches(340.0)


def test_at_least_twelve_published_pairs_including_the_named_ones():
    pairs = {frozenset((d.a, d.b)) for d in PUBLISHED}
    assert len(pairs) >= 12
    for a, b in [("vladivostok", "khabarovsk-1"), ("baranovsky", "khasan"), ("khabarovsk-1", "belogorsk")]:
        assert frozenset((a, b)) in pairs, (a, b)


@pytest.mark.parametrize(
    ("a", "b", "published"), [("vladivostok", "khabarovsk-1", 766), ("khabarovsk-1", "belogorsk", 657)]
)
def test_trans_siberian_drawn_geometry_follows_the_track(net, gz, a, b, published):
    """The drawn line itself, not just its kilometre posts, measures like the railway: a
    station-to-station polyline would be 6-8 % short here."""
    r = route(net, snap(net, gz.get(a)), snap(net, gz.get(b)))
    drawn = sum(float(net.a.e_geom_km[e[2]]) for e in r.edges)
    assert abs(drawn - published) / published < 0.02, (a, b, drawn)


@pytest.mark.parametrize("d", KNOWN, ids=lambda d: f"{d.a}-{d.b}")
def test_known_discrepancies_are_still_real(net, gz, d):
    """A pair flagged as a known discrepancy must still be off by more than 3%: when the data
    improves, the flag has to go (and the pair joins the strict test above)."""
    km = _rail_km(net, gz, d)
    assert not d.matches(km), f"{d.a}–{d.b} now matches ({km:.1f} vs {d.km} km): remove its known_discrepancy note"


@pytest.mark.parametrize("turn_rules", [False, True])
def test_contraction_keeps_every_shortest_distance(synthetic, synthetic_graph, turn_rules):
    """Routing on the contracted graph equals Dijkstra on the full station graph (the
    synthetic grid has no acute junctions, so turn rules change nothing)."""
    G = synthetic_graph
    rng = random.Random(1)
    nodes = sorted(G)
    for a, b in (rng.sample(nodes, 2) for _ in range(60)):
        want = nx.dijkstra_path_length(G, a, b, weight="length_km")
        r = route(synthetic, position_of_node(synthetic, a), position_of_node(synthetic, b), turn_rules=turn_rules)
        assert r.km == pytest.approx(want, rel=1e-9, abs=1e-9)
        check_route(r, synthetic, (G.nodes[a]["lat"], G.nodes[a]["lon"]), (G.nodes[b]["lat"], G.nodes[b]["lon"]))
    assert synthetic.meta["counts"]["routing_nodes"] < G.number_of_nodes()


def test_contraction_on_the_bundled_network(net, graph):
    G = graph
    some = sorted(G)[:: max(1, len(G) // 25)]
    for a, b in itertools.combinations(some, 2):
        want = nx.dijkstra_path_length(G, a, b, weight="length_km")
        got = route(net, position_of_node(net, a), position_of_node(net, b), turn_rules=False).km
        assert got == pytest.approx(want, rel=1e-9, abs=1e-6)


def test_parallel_chains_are_kept(synthetic, synthetic_graph):
    # the synthetic "parallel" line duplicates s0_0–s0_1: both must survive contraction
    assert synthetic_graph.number_of_edges("s0_0", "s0_1") == 2
    a = synthetic.a
    r0, r1 = a.n_rnode[synthetic.node_index("s0_0")], a.n_rnode[synthetic.node_index("s0_1")]
    assert (((a.c_ur == r0) & (a.c_vr == r1)) | ((a.c_ur == r1) & (a.c_vr == r0))).sum() == 2


def test_alternatives_differ_materially(synthetic, synthetic_graph):
    a, b = position_of_node(synthetic, "s0_0"), position_of_node(synthetic, "s5_7")
    best = route(synthetic, a, b)
    alts = alternatives(synthetic, a, b, k=2)
    assert alts, "no alternative on a grid"
    for alt in alts:
        assert alt.km >= best.km - 1e-9
        shared = {e[2] for e in alt.edges} & {e[2] for e in best.edges}
        shared_km = sum(synthetic.edge_km(e) for e in shared)
        assert shared_km < 0.8 * alt.km


def test_alternative_from_vostochny_region_to_komsomolsk_uses_the_bam(net, gz):
    a, b = gz.get("skovorodino"), gz.get("komsomolsk-on-amur")
    best = route(net, snap(net, a), snap(net, b))
    alts = alternatives(net, snap(net, a), snap(net, b), k=2)
    lines = {line for r in [best, *alts] for line in r.lines}
    assert "bam-tynda-komsomolsk" in lines and "transsib-khabarovsk-bamovskaya" in lines


def test_lines_that_only_cross_do_not_connect():
    def line(lid, pts):
        verts = tuple(LineVertex(ref, lat, lon, None, "", "t") for ref, lat, lon in pts)
        return LineFeature(lid, lid, "", "1520", "t", verts)

    places = [
        Place(x, x, "station", lat, lon)
        for x, lat, lon in [("w", 50, 120), ("e", 50, 122), ("n", 51, 121), ("s", 49, 121)]
    ]
    lines = [line("we", [("w", 50, 120), ("e", 50, 122)]), line("ns", [("n", 51, 121), ("s", 49, 121)])]
    net = build_network(lines, places)
    assert nx.number_connected_components(to_networkx(net)) == 2
    for turn_rules in (True, False):
        with pytest.raises(NoRoute):
            route(net, position_of_node(net, "w"), position_of_node(net, "n"), turn_rules=turn_rules)


def test_snapping_a_point_between_stations_routes_from_inside_the_edge(net, gz):
    a, b = gz.get("ussuriysk"), gz.get("sibirtsevo")
    r = route(net, snap(net, a), snap(net, b))
    mid = r.coords[len(r.coords) // 2]
    p = Place("mid", "mid", "point", mid[0], mid[1])
    pos = snap(net, p)
    assert pos is not None and pos.snap_km < 0.5
    r1 = route(net, snap(net, a), pos)
    r2 = route(net, pos, snap(net, b))
    assert r1.km + r2.km == pytest.approx(r.km, rel=1e-6)
    check_route(r1, net, (a.lat, a.lon), None)


def test_gauge_break_is_found_between_korean_and_russian_track(net, gz):
    # Chongjin (1435 mm only) to Ussuriysk (1520 mm only): the dual-gauge stretch Rajin –
    # Tumangang – Khasan carries either, so the bogies change where it ends, at Khasan
    a, b = gz.get("chongjin-chongnyon"), gz.get("ussuriysk")
    r = route(net, snap(net, a), snap(net, b))
    assert r.gauge_breaks == ("khasan",)
    # a 1520 mm train from Rajin (dual gauge) to Ussuriysk needs no change
    r2 = route(net, snap(net, gz.get("rajin")), snap(net, b))
    assert r2.gauge_breaks == ()


def test_line_chainage_interpolates_posts():
    verts = (
        LineVertex("a", 50.0, 120.0, 100.0, "", "t"),
        LineVertex(None, 50.0, 120.5, None, "", "t"),
        LineVertex("b", 50.0, 121.0, 180.0, "", "t"),
    )
    c = line_chainage(LineFeature("x", "x", "", "1520", "t", verts))
    assert c.rail[-1] == pytest.approx(80.0)
    assert c.rail[1] == pytest.approx(40.0, rel=1e-3)
    assert c.factor == pytest.approx(80.0 / c.geodesic[-1])
    # a post that runs backwards is not used, and is reported
    bad = (*verts[:2], LineVertex("b", 50.0, 121.0, 90.0, "", "t"), LineVertex("c", 50.0, 121.25, 200.0, "", "t"))
    c2 = line_chainage(LineFeature("y", "y", "", "1520", "t", bad))
    assert c2.ignored == ((2, 90.0),)
    assert c2.rail[-1] == pytest.approx(100.0)


def test_synthetic_lines_helper_is_deterministic():
    a, _ = synthetic_lines(seed=5)
    b, _ = synthetic_lines(seed=5)
    assert [line.vertices for line in a] == [line.vertices for line in b]


def test_route_edges_run_in_the_direction_of_travel(net, gz):
    for a, b in [("ussuriysk", "khasan"), ("khasan", "ussuriysk"), ("belogorsk", "vladivostok")]:
        r = route(net, snap(net, gz.get(a)), snap(net, gz.get(b)))
        assert r.edges[0][0] == a and r.edges[-1][1] == b
        for (_, v1, _), (u2, _, _) in zip(r.edges, r.edges[1:]):
            assert v1 == u2


def test_gauge_break_both_ways(net, gz):
    # the change happens where the dual-gauge stretch (Khasan – Tumangang – Rajin) ends:
    # at Khasan going north, at Rajin going south
    a, b = snap(net, gz.get("chongjin-chongnyon")), snap(net, gz.get("ussuriysk"))
    assert route(net, a, b).gauge_breaks == ("khasan",)
    assert route(net, b, a).gauge_breaks == ("rajin",)


def test_polyline_length_agrees_with_the_exact_geodesic():
    """The fast per-segment formula against geographiclib on every bundled segment."""
    for line in load_lines():
        pts = [(v.lat, v.lon) for v in line.vertices]
        fast = np.diff(polyline_km(pts))
        for (a, b), (c, d), got in zip(pts, pts[1:], fast):
            exact = geodesic_km(a, b, c, d)
            assert got == pytest.approx(exact, rel=1e-4, abs=1e-6), (line.id, a, b, c, d)


def test_nearest_vertex_agrees_with_measuring_every_vertex():
    rng = random.Random(3)
    coords = [(rng.uniform(40, 60), rng.uniform(120, 140)) for _ in range(400)]
    for _ in range(50):
        lat, lon = rng.uniform(40, 60), rng.uniform(120, 140)
        want = min((geodesic_km(lat, lon, *c), i) for i, c in enumerate(coords))
        assert nearest_vertex(coords, lat, lon) == want
