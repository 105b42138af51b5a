"""Importing OpenStreetMap extracts: the edge cases, on synthetic extracts written with
pyosmium at test time (tests/osm_synth.py)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from osm_synth import RAIL, EdgeCases, Extract, edge_cases, lons  # noqa: E402

from routes import api  # noqa: E402
from routes.errors import NoRoute  # noqa: E402
from routes.geo import geodesic_km  # noqa: E402
from routes.routing.rail import nearest, network_info, route, snap, to_networkx  # noqa: E402
from routes.routing.rail.snap import position_of_node  # noqa: E402


@pytest.fixture(scope="module")
def case(tmp_path_factory) -> tuple[EdgeCases, api.Imported]:
    root = tmp_path_factory.mktemp("osm-edge")
    ec = edge_cases()
    header = {"osmosis_replication_timestamp": "2024-05-01T20:21:02Z", "osmosis_replication_sequence_number": "4098"}
    pbf = ec.ex.write(root / "edge.osm.pbf", drop=set(ec.cut_missing), header=header)
    return ec, api.import_network(pbf, "edge", dest=root / "edge")


def _at(net, osm_id: int, profile: str = "all"):
    """Where an OSM node of the track is on the network (a node, or a km on a chain)."""
    i = net.node_index(f"n{osm_id}")
    if i is not None:
        return position_of_node(net, i)
    raise AssertionError(f"n{osm_id} is no node of the network")


def _km(net, a_osm: int, b_osm: int, profile: str = "all", ec: EdgeCases | None = None) -> float:
    ends = []
    for n in (a_osm, b_osm):
        if net.node_index(f"n{n}") is not None:
            ends.append(_at(net, n))
        else:  # a vertex inside an edge: the point of the track there
            assert ec is not None
            lat, lon, _ = ec.ex.nodes[n]
            pos = nearest(net, lat, lon, profile)
            assert pos is not None and pos.snap_km < 1e-6
            ends.append(pos)
    return route(net, ends[0], ends[1], profile=profile).km


def _pos(ec: EdgeCases, n: int) -> tuple[float, float]:
    lat, lon, _ = ec.ex.nodes[n]
    return lat, lon


def _drawn(ec: EdgeCases, nodes: list[int]) -> float:
    pts = [_pos(ec, n) for n in nodes]
    return sum(geodesic_km(*a, *b) for a, b in zip(pts, pts[1:]))


def test_a_three_way_junction_joins_its_three_legs(case):
    ec, done = case
    net = done.net
    west, east = ec.main[0], ec.main[-1]
    j = ec.main.index(ec.junction)
    # every pair of the three legs is joined, along the track
    assert _km(net, west, ec.branch_end) == pytest.approx(
        _drawn(ec, ec.main[: j + 1]) + geodesic_km(*_pos(ec, ec.junction), *_pos(ec, ec.branch_end)), rel=0.01
    )
    assert _km(net, ec.branch_end, east) > 0
    G = to_networkx(net)
    assert G.degree(f"n{ec.junction}") == 3


def test_ways_crossing_without_a_shared_node_do_not_meet(case):
    ec, done = case
    net = done.net
    south = ec.crossing_line[0]
    with pytest.raises(NoRoute):
        _km(net, south, ec.main[0])
    # the crossing line is whole on its own: its bridge joins its two halves
    assert _km(net, south, ec.crossing_line[-1]) == pytest.approx(_drawn(ec, ec.crossing_line), rel=1e-3)


def test_a_diamond_crossing_is_no_junction(case):
    ec, done = case
    net = done.net
    with pytest.raises(NoRoute):
        _km(net, ec.diamond_line[0], ec.main[0])
    # straight over the crossing, both lines run on
    assert _km(net, ec.diamond_line[0], ec.diamond_line[-1]) == pytest.approx(_drawn(ec, ec.diamond_line), rel=1e-3)
    assert done.manifest["counts"]["crossings_split"] == 1


def test_a_way_cut_at_the_extracts_edge_keeps_what_the_file_holds(case):
    ec, done = case
    c = done.manifest["counts"]
    assert c["missing_node_refs"] == 3 and c["ways_cut_at_the_edge"] == 1
    net = done.net
    way = ec.ex.ways[ec.cut_way][0]
    last_present = way[-4]
    assert _km(net, last_present, ec.main[-5], ec=ec) > 0
    assert net.node_index(f"n{ec.cut_missing[0]}") is None


def test_kilometre_posts_give_the_rail_km_where_a_line_has_them(case):
    ec, done = case
    net = done.net
    posts = sorted(ec.posts_km.items(), key=lambda kv: kv[1])
    (a, ka), (b, kb) = posts[1], posts[-1]
    got = _km(net, a, b, ec=ec)
    assert got == pytest.approx(kb - ka, abs=0.005)  # the posts' difference ...
    i, j = ec.main.index(a), ec.main.index(b)
    assert got > _drawn(ec, ec.main[i : j + 1]) * 1.002  # ... not the drawn km (posts run 0.3 % longer)
    assert done.manifest["counts"]["kilometre_posts_used"] == len(ec.posts_km)
    # where the line has none (east of the river), rail km are the drawn km
    k0, k1 = ec.main.index(ec.junction), len(ec.main) - 1
    assert _km(net, ec.junction, ec.main[-1]) == pytest.approx(_drawn(ec, ec.main[k0 : k1 + 1]), rel=1e-4)


def test_a_jump_in_the_kilometrage_is_set_aside(tmp_path):
    ex = Extract()
    line = ex.line(lons(50.0, 10.0, 10.3))
    km = 0.0
    for k, n in enumerate(line[1:], start=1):
        km += geodesic_km(*ex.nodes[line[k - 1]][:2], *ex.nodes[n][:2])
        jump = 7.0 if k >= 15 else 0.0  # the line was rebuilt: km 7 further on from here
        wild = 900.0 if k == 5 else 0.0  # and one post is wrong
        ex.nodes[n][2].update({"railway": "milestone", "railway:position": f"{km + jump + wild:.2f}".replace(".", ",")})
    ex.way(line, **RAIL)
    done = api.import_network(ex.write(tmp_path / "jump.osm.pbf"), "jump", dest=tmp_path / "jump")
    info = network_info(done.net)
    assert info["total_km"] == pytest.approx(info["total_geometry_km"], rel=0.005)  # not 7 km more
    assert done.manifest["counts"]["kilometre_posts_set_aside"] == 1  # the wrong one; the jump splits the rest
    assert done.manifest["counts"]["kilometre_posts_used"] == 29


def test_a_train_ferry_is_an_edge_of_its_own_mode(case):
    ec, done = case
    net = done.net
    assert done.manifest["counts"]["ferry_links"] == 2  # both ends joined to the track
    r = route(
        net, position_of_node(net, f"n{ec.main[0]}"), position_of_node(net, f"n{ec.far_east[-1]}"), profile="main"
    )
    modes = {int(net.a.e_mode[e]) for _, _, e in r.edges}
    assert modes == {0, 1}
    assert any(line.startswith("ferry:") for line in r.lines)
    G = to_networkx(net)
    assert {d["mode"] for _, _, d in G.edges(data=True)} == {"rail", "ferry"}
    assert network_info(net)["ferry_km"] > 3
    # the ferry is not electrified: the electric profile cannot cross
    with pytest.raises(NoRoute):
        route(
            net,
            position_of_node(net, f"n{ec.main[0]}"),
            position_of_node(net, f"n{ec.far_east[-1]}"),
            profile="electric",
        )


def test_stations_beside_the_track_snap_to_their_stop_area_or_the_nearest_track(case):
    ec, done = case
    gz = api.gazetteer_for(done.net)
    am = gz.resolve("Amurskaya")[0].place
    assert am.station == f"n{ec.stop_position}"  # its stop_area's stop position
    le = gz.resolve("Лесная")[0].place
    assert le.station == f"n{ec.lesnaya}"  # put on the track: a node of its own
    i = done.net.node_index(le.station)
    d = geodesic_km(le.lat, le.lon, float(done.net.a.n_lat[i]), float(done.net.a.n_lon[i]))
    assert 0.15 < d < 0.25  # 200 m south of the line, at the foot of the perpendicular
    assert float(done.net.a.n_lon[i]) == pytest.approx(135.355, abs=1e-4)


@pytest.mark.parametrize(
    ("query", "method"),
    [
        ("Хабаровск", "exact"),
        ("Khabarovsk", "alias"),
        ("伯力", "alias"),
        ("하바롭스크", "alias"),
        ("Хабаровка", "alias"),
        ("Khabarovsk-1", "alias"),
        ("Khabarovka", "transliteration"),
    ],
)
def test_station_names_resolve_in_every_script_and_first_in_the_network(case, query, method):
    ec, done = case
    gz = api.gazetteer_for(done.net)
    m = gz.resolve(query)[0]
    assert m.place.id == f"osm:node/{ec.khabarovsk}" and m.method == method
    assert "network edge" in m.how  # the match says which tier found it
    assert m.place.country == "RU" and m.place.tz == "Asia/Vladivostok"
    assert "OpenStreetMap" in m.place.source
    # the bundled gazetteer has a Khabarovsk too: the network's own station comes first
    assert api.default_gazetteer().resolve("Khabarovsk")[0].place.id != m.place.id


def test_a_bridge_over_a_named_river(case):
    ec, done = case
    gz = api.gazetteer_for(done.net)
    for q in ("Ussuri bridge", "the Уссури bridge", "bridge over the Ussuri", "Ussuri railway bridge"):
        p = gz.resolve(q)[0].place
        assert p.kind == "bridge" and p.lon == pytest.approx(135.005, abs=0.002), q
    assert done.manifest["counts"]["bridges"] == 1  # the bridge of the crossing line crosses no river


def test_the_manifest_says_where_the_network_came_from(case):
    ec, done = case
    m = done.manifest
    assert m["file"] == "edge.osm.pbf" and m["attribution"] == ["© OpenStreetMap contributors, ODbL"]
    assert m["timestamp"] == "2024-05-01T20:21:02Z" and m["replication_sequence"] == "4098"
    assert "railway=rail" in m["filter"]["ways"] and m["counts"]["stations"] >= 3
    stored = json.loads((done.net.path / "network.json").read_text(encoding="utf-8"))
    assert stored["source"]["attribution"] == m["attribution"]
    assert network_info(done.net)["attribution"] == m["attribution"]


def test_light_rail_only_with_an_option(tmp_path):
    ex = Extract()
    ex.way(ex.line(lons(50.0, 10.0, 10.1)), **RAIL)
    ex.way(ex.line(lons(50.1, 10.0, 10.1)), railway="light_rail")
    pbf = ex.write(tmp_path / "lr.osm.pbf")
    plain = api.import_network(pbf, "a", dest=tmp_path / "a")
    more = api.import_network(pbf, "b", dest=tmp_path / "b", kinds=("rail", "narrow_gauge", "light_rail"))
    assert network_info(more.net)["total_km"] == pytest.approx(2 * network_info(plain.net)["total_km"], rel=0.01)


def test_osm_names_are_data(tmp_path):
    """A station's name is text: control characters are dropped, markup stays literal."""
    ex = Extract()
    line = ex.line(lons(50.0, 10.0, 10.1))
    ex.nodes[line[3]][2].update({"railway": "station", "name": "<script>alert(1)</script>\x1b[31m\u202eX"})
    ex.way(line, **RAIL)
    done = api.import_network(ex.write(tmp_path / "h.osm.pbf"), "h", dest=tmp_path / "h")
    p = api.gazetteer_for(done.net).resolve("<script>alert(1)</script> [31m X")[0].place
    assert p.name == "<script>alert(1)</script> [31m X"
    assert all(ord(c) >= 32 for c in done.net.node_name(done.net.node_index(p.station)))


def test_snap_uses_the_station_node(case):
    ec, done = case
    p = api.gazetteer_for(done.net).resolve("Khabarovsk")[0].place
    pos = snap(done.net, p)
    assert pos is not None and math.isclose(pos.snap_km, 0.0, abs_tol=1e-6)
    assert (pos.lat, pos.lon) == pytest.approx(_pos(ec, ec.khabarovsk))
    assert pos == position_of_node(done.net, f"n{ec.khabarovsk}")  # the station's own node
    assert np.isfinite(done.net.a.c_cost).all()


def test_the_tags_each_edge_keeps(case):
    ec, done = case
    G = to_networkx(done.net)
    edges = [d for _, _, d in G.edges(data=True) if d["mode"] == "rail"]
    assert {d["maxspeed"] for d in edges} == {120.0} and {d["voltage"] for d in edges} == {25000}
    assert {d["gauge"] for d in edges} == {frozenset({"1520"})} and {d["electrified"] for d in edges} == {"yes"}
    bridge_ways = {w for w, (_, tags) in ec.ex.ways.items() if tags.get("bridge") == "yes"}
    assert {d["way"] for d in edges if d["bridge"]} == bridge_ways
    assert not any(d["tunnel"] for d in edges)


def test_the_other_track_of_a_double_track_line_is_no_alternative(tmp_path):
    """Two tracks 20 m apart between two junctions, and a real detour to the north:
    the alternative is the detour, not the other track."""
    ex = Extract()
    west, far_west = ex.line([(50.0, 9.98), (50.0, 9.95)])
    east, far_east = ex.line([(50.0, 10.12), (50.0, 10.15)])
    ex.way([far_west, west], **RAIL)
    ex.way([east, far_east], **RAIL)
    a = ex.line(lons(50.0, 10.0, 10.1))
    b = ex.line(lons(50.00018, 10.0, 10.1))
    ex.way([west, a[0]], **RAIL)
    ex.way([west, b[0]], **RAIL)
    ex.way(a + [east], **RAIL)
    ex.way(b + [east], **RAIL)
    north = ex.line(
        [(50.0 + 0.01 * k, 10.0 + 0.01 * k) for k in range(1, 6)]
        + [(50.05 - 0.01 * k, 10.06 + 0.01 * k) for k in range(0, 5)]
    )
    ex.way([a[0]] + north + [a[-1]], **RAIL)
    done = api.import_network(ex.write(tmp_path / "dt.osm.pbf"), "dt", dest=tmp_path / "dt")
    plan = api.plan_route(done.net, (50.0, 9.95), (50.0, 10.15), k=2, turn_rules=False)
    assert len(plan.alternatives) == 1
    alt = plan.alternatives[0]
    assert max(lat for lat, _ in alt.coords) > 50.04  # the detour
