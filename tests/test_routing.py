"""The routing engine: profiles, gauge, turn rules at junctions, snapping to edges, the two
search engines, threads, and the store (round trip, cache keyed by input, damaged stores)."""

from __future__ import annotations

import dataclasses
import json
import logging
import random
from concurrent.futures import ThreadPoolExecutor

import networkx as nx
import numpy as np
import pytest
from helpers import check_route, records, toward

from routes.errors import NoRoute
from routes.geo import geodesic_km
from routes.model import Place
from routes.routing.rail import (
    BBox,
    StoreError,
    alternatives,
    assemble,
    build_store,
    find_path,
    nearest,
    network_from_records,
    network_geojson,
    network_info,
    open_network,
    position_of_node,
    route,
    snap,
    to_networkx,
)
from routes.routing.rail import networks as networks_mod
from routes.routing.rail.store import read_store
from routes.settings import DEFAULT
from routes.sources import bundled

# ------------------------------------------------------------------ profiles


@pytest.fixture(scope="module")
def three_ways():
    """A to B three ways: straight through a yard (shortest), over non-electrified running
    line via M, and over electrified running line via Q (longest)."""
    nodes = [
        ("a", 50.0, 120.0, "station"),
        ("b", 50.0, 120.4, "station"),
        ("y", 50.0, 120.2, "station"),
        ("m", 50.06, 120.2, "station"),
        ("q", 49.88, 120.2, "station"),
    ]
    edges = [
        ("a", "y", [], {"service": "yard"}),
        ("y", "b", [], {"service": "yard"}),
        ("a", "m", [], {"electrified": 0}),
        ("m", "b", [], {"electrified": 0}),
        ("a", "q", [], {"electrified": 1}),
        ("q", "b", [], {"electrified": 1}),
    ]
    return network_from_records(records(nodes, edges))


@pytest.mark.parametrize(("profile", "via"), [("all", "y"), ("main", "m"), ("electric", "q")])
def test_each_profile_chooses_its_own_track(three_ways, profile, via):
    net = three_ways
    for rules in (True, False):
        r = route(net, position_of_node(net, "a"), position_of_node(net, "b"), profile=profile, turn_rules=rules)
        assert r.nodes == ("a", via, "b"), (profile, rules)
        check_route(r, net)


def test_a_profile_with_no_track_between_two_places_finds_no_route(three_ways):
    net = three_ways
    # take the electrified way away: nothing electrified joins A and B
    g = to_networkx(net)
    assert {d["electrified"] for _, _, d in g.edges(data=True)} == {"yes", "no"}
    nodes = [(n, d["lat"], d["lon"], d["kind"]) for n, d in g.nodes(data=True) if n != "q"]
    edges = [(u, v, [], {"electrified": 0}) for u, v, d in g.edges(data=True) if "q" not in (u, v)]
    no_wires = network_from_records(records(nodes, edges))
    with pytest.raises(NoRoute, match="electric profile"):
        route(no_wires, position_of_node(no_wires, "a"), position_of_node(no_wires, "b"), profile="electric")


def test_snapping_respects_the_profile(three_ways):
    p = Place("p", "p", "point", 50.001, 120.1)  # beside the yard track
    on_yard = snap(three_ways, p, profile="all")
    on_main = snap(three_ways, p, profile="main")
    assert on_yard is not None and on_yard.snap_km < 0.2
    assert on_main is not None and on_main.snap_km > 1.0
    with pytest.raises(ValueError, match="unknown profile"):
        snap(three_ways, p, profile="fast")


# ------------------------------------------------------------------ gauge


def _gauge_line(change_at_b: bool):
    nodes = [("a", 50.0, 120.0, "station"), ("b", 50.0, 120.2, "station", change_at_b), ("c", 50.0, 120.4, "station")]
    edges = [("a", "b", [], {"gauge": 2}), ("b", "c", [], {"gauge": 1})]
    return network_from_records(records(nodes, edges, gauges=("1520", "1435")))


@pytest.mark.parametrize("rules", [True, False])
def test_gauge_changes_only_where_the_data_records_it(rules):
    closed = _gauge_line(change_at_b=False)
    with pytest.raises(NoRoute):
        route(closed, position_of_node(closed, "a"), position_of_node(closed, "c"), turn_rules=rules)
    open_ = _gauge_line(change_at_b=True)
    r = route(open_, position_of_node(open_, "a"), position_of_node(open_, "c"), turn_rules=rules)
    assert r.gauge_breaks == ("b",)


# ------------------------------------------------------------------ turn rules


def _triangle(j1_kind: str, east_curve: bool = True, fine: bool = True):
    """A junction triangle. Main line W – J1 – J2 – E runs east; the west curve leaves J1
    towards the east-north-east and runs north to the apex J3 (station S on it, near J1);
    the east curve leaves J2 towards the west-north-west and swings wide to J3; the line
    to N leaves J3 northwards. N → E by the west curve needs an acute turn at J1; by the
    east curve it is some 10 km longer."""
    w, j1, j2, e = (50.0, 120.0), (50.0, 120.2), (50.0, 120.5), (50.0, 120.7)
    j3 = (50.08, 120.21)
    s = toward(*j1, 60, 1.0)
    probe = (lambda p, b: [toward(*p, b, 0.2)]) if fine else (lambda p, b: [])
    nodes = [
        ("w", *w, "station"),
        ("j1", *j1, j1_kind),
        ("j2", *j2, "switch"),
        ("e", *e, "station"),
        ("j3", *j3, "switch"),
        ("s", *s, "station"),
        ("n", 50.2, 120.21, "station"),
    ]
    edges = [
        ("w", "j1", probe(j1, 270)[::-1], {}),
        ("j1", "j2", probe(j1, 90) + probe(j2, 270)[::-1], {}),
        ("j2", "e", probe(j2, 90), {}),
        ("j1", "s", probe(j1, 60), {}),
        ("s", "j3", probe(j3, 200)[::-1], {}),
        ("j3", "n", probe(j3, 0), {}),
    ]
    if east_curve:
        edges.append(("j2", "j3", probe(j2, 300) + [(50.18, 120.45)] + probe(j3, 160)[::-1], {}))
    return network_from_records(records(nodes, edges))


@pytest.mark.parametrize("j1_kind", ["switch", "junction"])
def test_a_junction_triangle_is_used_the_way_round_instead_of_an_acute_turn(j1_kind):
    net = _triangle(j1_kind)
    a, b = position_of_node(net, "n"), position_of_node(net, "e")
    plain = route(net, a, b, turn_rules=False)
    ruled = route(net, a, b)
    assert plain.nodes == ("n", "j3", "s", "j1", "j2", "e")
    # round by the east curve: longer, but no acute turn and no reversal (a reversal at
    # J1, where it is allowed, would cost more than the 10 km of the way round)
    assert ruled.nodes == ("n", "j3", "j2", "e")
    assert ruled.reversals == 0 and plain.km < ruled.km < plain.km + 20
    check_route(ruled, net)


def test_without_the_way_round_a_train_reverses_at_a_junction_station_and_says_so():
    net = _triangle("junction", east_curve=False)
    a, b = position_of_node(net, "s"), position_of_node(net, "e")
    ruled = route(net, a, b)
    assert ruled.reversals == 1 and ruled.reversed_at == ("j1",)
    assert ruled.km == pytest.approx(route(net, a, b, turn_rules=False).km)  # the same track
    check_route(ruled, net)
    # at a junction that is no station it cannot: it runs on to the station beyond (W,
    # the end of the line) and reverses there
    switch = _triangle("switch", east_curve=False)
    far = route(switch, position_of_node(switch, "s"), position_of_node(switch, "e"))
    assert far.nodes == ("s", "j1", "w", "j1", "j2", "e") and far.reversed_at == ("w",)
    check_route(far, switch)


def test_coarse_geometry_keeps_the_old_behaviour_and_says_so():
    net = _triangle("switch", fine=False)
    a, b = position_of_node(net, "n"), position_of_node(net, "e")
    assert route(net, a, b).nodes == route(net, a, b, turn_rules=False).nodes
    assert "too coarse" in net.meta["lines"][0]["turn_rules"]
    assert _triangle("switch").meta["lines"][0]["turn_rules"] == "judged from geometry"


def _v_siding(terminus: str):
    """A siding shaped like a V: arms from J to A and to B 20 degrees apart, and the
    trunk from J south to T."""
    j = (50.0, 120.0)
    a, b, t = toward(*j, 10, 5.0), toward(*j, 350, 5.0), toward(*j, 180, 3.0)
    nodes = [("j", *j, "switch"), ("a", *a, "station"), ("b", *b, "station"), ("t", *t, terminus)]
    edges = [
        ("j", "a", [toward(*j, 10, 0.2)], {}),
        ("j", "b", [toward(*j, 350, 0.2)], {}),
        ("j", "t", [toward(*j, 180, 0.2)], {}),
    ]
    return network_from_records(records(nodes, edges))


def test_a_v_shaped_siding_is_left_by_reversing_at_the_station_beyond_the_junction():
    net = _v_siding("station")
    a, b = position_of_node(net, "a"), position_of_node(net, "b")
    plain = route(net, a, b, turn_rules=False)
    ruled = route(net, a, b)
    assert plain.nodes == ("a", "j", "b") and plain.reversals == 0
    assert ruled.nodes == ("a", "j", "t", "j", "b")
    assert ruled.reversals == 1 and ruled.reversed_at == ("t",)
    g = to_networkx(net)
    jt = g.edges["j", "t", 2]["length_km"]
    assert ruled.km == pytest.approx(plain.km + 2 * jt)
    # with no station to reverse at, the far arm cannot be reached
    blind = _v_siding("switch")
    with pytest.raises(NoRoute):
        route(blind, position_of_node(blind, "a"), position_of_node(blind, "b"))


def test_the_bundled_lines_record_where_turns_are_judged(net):
    rules = {line["id"]: line["turn_rules"] for line in network_info(net)["lines"]}
    assert rules["transsib-vladivostok-khabarovsk"] == "judged from geometry"
    assert rules["khasan-line"].startswith("too coarse")  # station to station
    assert all(rules.values())


def test_turn_rules_keep_every_published_distance_of_the_bundled_network(net, gz):
    for d in bundled.load_distances():
        a, b = snap(net, gz.get(d.a)), snap(net, gz.get(d.b))
        assert route(net, a, b).km == pytest.approx(route(net, a, b, turn_rules=False).km), (d.a, d.b)


# ------------------------------------------------------------------ snapping, engines, threads


def test_a_point_snaps_to_the_nearest_edge_not_the_nearest_node(three_ways):
    # beside the middle of M – B: both stations are 10+ km away, the track 0.1 km
    lat = (50.06 + 50.0) / 2 + 0.001
    pos = nearest(three_ways, lat, 120.3, profile="main")
    assert pos is not None and pos.chain is not None and pos.snap_km < 0.2
    assert geodesic_km(lat, 120.3, 50.06, 120.2) > 5


def test_the_heap_and_scipy_engines_agree(synthetic):
    rng = random.Random(4)
    ids = [synthetic.node_id(i) for i in range(synthetic.n_nodes)]
    for _ in range(40):
        a, b = (position_of_node(synthetic, x) for x in rng.sample(ids, 2))
        for rules in (True, False):
            heap = find_path(synthetic, a, b, turn_rules=rules, engine="heap")
            sp = find_path(synthetic, a, b, turn_rules=rules, engine="scipy")
            assert heap.weight == pytest.approx(sp.weight, rel=1e-12, abs=1e-9)


def test_two_threads_querying_at_once_get_the_same_answers(net, gz):
    ids = sorted(p.id for p in bundled.load_places() if p.kind in ("station", "junction") and p.id in net)
    rng = random.Random(8)
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(60)]

    def one(pair):  # noqa: ANN001, ANN202
        a, b = snap(net, gz.get(pair[0])), snap(net, gz.get(pair[1]))
        try:
            r = route(net, a, b)
            alts = alternatives(net, a, b, 2)
        except NoRoute:
            return None
        return r.km, r.nodes, r.reversed_at, [x.km for x in alts]

    alone = [one(p) for p in pairs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(one, pairs * 3))
    assert together == alone * 3


# ------------------------------------------------------------------ the store


def test_a_store_written_and_opened_answers_as_the_one_built_in_memory(tmp_path, synthetic):
    from helpers import synthetic_lines

    from routes.routing.rail import records_from_lines

    lines, places = synthetic_lines()
    opened = build_store(records_from_lines(lines, places), tmp_path / "s", "synthetic")
    assert opened.path == tmp_path / "s" and not list(tmp_path.glob(".*tmp"))
    rng = random.Random(2)
    ids = [synthetic.node_id(i) for i in range(synthetic.n_nodes)]
    for _ in range(20):
        x, y = rng.sample(ids, 2)
        r1 = route(synthetic, position_of_node(synthetic, x), position_of_node(synthetic, y))
        r2 = route(opened, position_of_node(opened, x), position_of_node(opened, y))
        assert (r1.km, r1.nodes) == (r2.km, r2.nodes) and np.array_equal(r1.coords, r2.coords)
    assert open_network(tmp_path / "s").meta["counts"] == opened.meta["counts"]
    # written array by array as the build goes, the store holds what the in-memory build holds
    for f in dataclasses.fields(opened.a):
        mine, theirs = getattr(opened.a, f.name), getattr(synthetic.a, f.name)
        assert mine.dtype == theirs.dtype and np.array_equal(mine, theirs), f.name
    drop = ("name", "key", "format", "format_version")
    assert {k: v for k, v in opened.meta.items() if k not in drop} == {
        k: v for k, v in synthetic.meta.items() if k not in drop
    }


def test_a_build_that_fails_half_way_leaves_no_store_behind(tmp_path, monkeypatch):
    from helpers import synthetic_lines

    from routes.routing.rail import build as build_mod
    from routes.routing.rail import records_from_lines

    def broken(*args, **kw):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("the disk filled up")

    lines, places = synthetic_lines()
    monkeypatch.setattr(build_mod, "state_graphs", broken)  # after half the arrays are written
    with pytest.raises(RuntimeError):
        build_store(records_from_lines(lines, places), tmp_path / "s", "synthetic")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def private_bundled(tmp_path, monkeypatch):
    """The bundled data copied into a folder a test may change, and a private cache."""
    import shutil

    src = bundled.data_root()
    data = tmp_path / "data"
    for sub in ("lines", "places"):
        (data / sub).mkdir(parents=True)
        for f in src.joinpath(sub).iterdir():
            if f.name.endswith(".csv"):
                (data / sub / f.name).write_bytes(f.read_bytes())
    (data / "lines.csv").write_bytes(src.joinpath("lines.csv").read_bytes())
    monkeypatch.setattr(bundled, "data_root", lambda: data)
    monkeypatch.setenv("ROUTES_CACHE_DIR", str(tmp_path / "cache"))
    for f in (bundled.load_places, bundled.load_lines, networks_mod.open_bundled):
        f.cache_clear()
    yield data
    shutil.rmtree(data, ignore_errors=True)
    for f in (bundled.load_places, bundled.load_lines, networks_mod.open_bundled):
        f.cache_clear()


def _khasan_km(net) -> float:  # noqa: ANN001
    return route(net, position_of_node(net, "baranovsky"), position_of_node(net, "khasan")).km


def test_a_changed_input_rebuilds_the_store(private_bundled, tmp_path):
    first = open_network()
    before = _khasan_km(first)
    stores = sorted((tmp_path / "cache" / "networks").iterdir())
    assert len(stores) == 1 and first.path == stores[0]
    # move the Khasan line's last kilometre post: the railway km must follow
    f = private_bundled / "lines" / "khasan-line.csv"
    text = f.read_text(encoding="utf-8").splitlines()
    last = text[-1].split(",")
    assert last[0] == "khasan" and last[3]
    last[3] = str(float(last[3]) + 10)
    f.write_text("\n".join([*text[:-1], ",".join(last)]) + "\n", encoding="utf-8")
    for fn in (bundled.load_places, bundled.load_lines, networks_mod.open_bundled):
        fn.cache_clear()
    second = open_network()
    assert second.path != first.path
    assert _khasan_km(second) == pytest.approx(before + 10, abs=0.01)
    # an unchanged input opens the store already built
    networks_mod.open_bundled.cache_clear()
    assert open_network().path == second.path


def _damage(path, how: str) -> None:  # noqa: ANN001
    if how == "truncated array":
        f = path / "v_lat.npy"
        f.write_bytes(f.read_bytes()[:100])
    elif how == "garbage metadata":
        (path / "network.json").write_bytes(b"\x00\xffnot json")
    elif how == "foreign store":
        (path / "network.json").write_text(json.dumps({"format": "something else"}), encoding="utf-8")
    elif how == "other format version":
        meta = json.loads((path / "network.json").read_text(encoding="utf-8"))
        meta["format_version"] = 999
        (path / "network.json").write_text(json.dumps(meta), encoding="utf-8")
    elif how == "missing array":
        (path / "tr_indices.npy").unlink()
    elif how == "wrong length":
        np.save(path / "e_km.npy", np.zeros(3))
    elif how == "another network's key":
        meta = json.loads((path / "network.json").read_text(encoding="utf-8"))
        meta["key"] = "0" * 64
        (path / "network.json").write_text(json.dumps(meta), encoding="utf-8")


DAMAGE = [
    "truncated array",
    "garbage metadata",
    "foreign store",
    "other format version",
    "missing array",
    "wrong length",
    "another network's key",
]


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_cached_store_is_reported_and_rebuilt(private_bundled, caplog, how):
    good = open_network()
    before = _khasan_km(good)
    path = good.path
    del good
    _damage(path, how)
    networks_mod.open_bundled.cache_clear()
    with caplog.at_level(logging.WARNING, logger="routes"):
        again = open_network()
    assert "building it again" in caplog.text
    assert _khasan_km(again) == pytest.approx(before)
    assert read_store(again.path).meta["counts"] == again.meta["counts"]


@pytest.mark.parametrize("how", [h for h in DAMAGE if h != "another network's key"])
def test_a_damaged_store_given_by_path_is_a_clear_error(tmp_path, synthetic, how):
    from helpers import synthetic_lines

    from routes.cli import main
    from routes.routing.rail import records_from_lines

    lines, places = synthetic_lines()
    path = tmp_path / "store"
    build_store(records_from_lines(lines, places), path, "synthetic")
    _damage(path, how)
    with pytest.raises(StoreError) as err:
        open_network(path)
    assert str(path) in str(err.value)
    assert main(["route", "s0_0", "s0_1", "--network", str(path)]) == 2


def test_an_unknown_network_name_is_a_clear_error(capsys):
    from routes.cli import main

    assert main(["route", "Khasan", "Ussuriysk", "--network", "nosuchnet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no network named 'nosuchnet'" in err and "Traceback" not in err


# ------------------------------------------------------------------ GeoJSON of the track


def test_network_geojson_is_clipped_simplified_and_named(net):
    whole = network_geojson(net)
    assert len(whole["features"]) == net.meta["counts"]["chains"]
    box = BBox(42.0, 130.0, 44.5, 133.0)  # southern Primorye
    part = network_geojson(net, box, tolerance_deg=0.001)
    assert 0 < len(part["features"]) < len(whole["features"])
    names = {f["properties"]["lines"] for f in part["features"]}
    assert "Baranovsky – Khasan line" in names and not any("Pyongui" in n for n in names)
    from shapely.geometry import shape

    n_whole = n_part = 0
    for f in part["features"]:
        g = shape(f["geometry"])
        assert g.is_valid and not g.is_empty
        minx, miny, maxx, maxy = g.bounds
        assert (
            box.west - 1e-9 <= minx and maxx <= box.east + 1e-9 and box.south - 1e-9 <= miny <= maxy <= box.north + 1e-9
        )
        p = f["properties"]
        assert p["from"] and p["to"] and p["km"] > 0 and p["stations"] >= 2
        n_part += len(g.coords) if g.geom_type == "LineString" else sum(len(x.coords) for x in g.geoms)
    for f in network_geojson(net, box)["features"]:
        g = shape(f["geometry"])
        n_whole += len(g.coords) if g.geom_type == "LineString" else sum(len(x.coords) for x in g.geoms)
    assert n_part < n_whole  # simplified


def test_to_networkx_keeps_every_station_and_edge(net, graph):
    assert graph.number_of_nodes() == net.meta["counts"]["nodes"]
    assert graph.number_of_edges() == net.meta["counts"]["edges"]
    d = graph.nodes["ussuriysk"]
    assert d["name"] == "Ussuriysk" and d["kind"] == "junction"
    e = next(iter(graph.edges("khasan", data=True)))[2]
    assert e["line"] == "khasan-line" and e["gauge"] and e["length_km"] > 0 and e["electrified"] in ("yes", "no", "")


def test_bridges_agree_with_removing_each_edge_on_random_multigraphs():
    from routes.routing.rail.contract import bridges

    rng = random.Random(7)
    for _ in range(200):
        n = rng.randrange(2, 12)
        m = rng.randrange(1, 16)
        u = np.array([rng.randrange(n) for _ in range(m)])
        v = np.array([rng.randrange(n) for _ in range(m)])
        G = nx.MultiGraph()
        G.add_nodes_from(range(n))
        G.add_edges_from((int(a), int(b), i) for i, (a, b) in enumerate(zip(u, v)))
        want = set()
        for i, (a, b) in enumerate(zip(u.tolist(), v.tolist())):
            H = G.copy()
            H.remove_edge(a, b, key=i)
            if not nx.has_path(H, a, b):
                want.add(i)
        assert set(np.flatnonzero(bridges(n, u, v)).tolist()) == want


def test_alternatives_skip_only_what_the_penalty_loop_would_not_find(net):
    """Where every chain of the shortest path is a bridge, the full penalty loop finds no
    alternative either: the shortcut changes nothing but the time."""
    from routes.routing.rail.alternatives import penalty_loop

    rng = random.Random(3)
    ids = [net.node_id(i) for i in range(net.n_nodes)]
    checked = 0
    for _ in range(300):
        x, y = rng.sample(ids, 2)
        a, b = position_of_node(net, x), position_of_node(net, y)
        try:
            best = find_path(net, a, b)
        except NoRoute:
            continue
        if all(net.a.c_bridge[c] for c, _, _ in best.pieces):
            checked += 1
            assert penalty_loop(net, a, b, best, 2, {}, DEFAULT) == []
    assert checked > 20


def _penalty_loop_as_first_written(net, a, b, best, k, **kw):  # noqa: ANN001, ANN003, ANN202
    """The alternatives' penalty loop as it was before it prepared its search once: a
    fresh :func:`find_path` every round, the overlap summed over every pair of pieces, the
    km beside the routes found from every vertex's distance to each whole route."""
    import shapely

    from routes.geo import local_xy_km
    from routes.routing.rail.alternatives import PENALTY

    def _beside_km(r, others, tol_km):  # noqa: ANN001, ANN202 - the distance of every vertex to every route
        if len(r.coords) < 2 or not others:
            return 0.0
        lat0, lon0 = r.coords[0]
        lat = np.array([c[0] for c in r.coords])
        lon = np.array([c[1] for c in r.coords])
        x, y = local_xy_km(lat, lon, lat0, lon0)
        near = np.zeros(len(lat), dtype=bool)
        for o in others:
            if len(o.coords) < 2:
                continue
            ox, oy = local_xy_km(np.array([c[0] for c in o.coords]), np.array([c[1] for c in o.coords]), lat0, lon0)
            line = shapely.linestrings(np.column_stack([ox, oy]))
            near |= shapely.distance(shapely.points(np.column_stack([x, y])), line) <= tol_km
        seg = (
            np.diff(np.asarray(r.cum_km, dtype=float))
            if len(r.cum_km) == len(lat)
            else np.hypot(np.diff(x), np.diff(y))
        )
        return float(seg[near[:-1] & near[1:]].sum())

    def km_of(pieces):  # noqa: ANN001, ANN202
        return sum(abs(t - s) for _, s, t in pieces)

    def overlap(p, q):  # noqa: ANN001, ANN202
        total = 0.0
        for c1, a1, b1 in p:
            for c2, a2, b2 in q:
                if c1 == c2:
                    total += max(0.0, min(max(a1, b1), max(a2, b2)) - max(min(a1, b1), min(a2, b2)))
        return total

    settings = DEFAULT
    best_km, found, out, routes = km_of(best.pieces), [best], [], [assemble(net, best.pieces, a, b, best.reversals)]
    penalties = np.ones(len(net.a.c_km))
    extra = 4 * (settings.reversal_minutes / 60.0 + settings.gauge_change_hours) * settings.cost_kmh
    for _ in range(4 * k + 4):
        if len(out) >= k:
            break
        penalties[np.unique([c for c, s, t in found[-1].pieces if s != t]).astype(np.int64)] *= PENALTY
        limit = float(penalties.max()) * (settings.alt_max_stretch * best_km + 1e-6) + extra
        try:
            nxt = find_path(net, a, b, penalties=penalties, limit=limit, **kw)
        except NoRoute:
            break
        km = km_of(nxt.pieces)
        if km > settings.alt_max_stretch * best_km + 1e-9:
            break
        if all(overlap(nxt.pieces, f.pieces) < settings.alt_max_overlap * km for f in found):
            cand = assemble(net, nxt.pieces, a, b, nxt.reversals)
            if _beside_km(cand, routes, settings.alt_beside_km) < settings.alt_max_overlap * km:
                out.append(cand)
            routes.append(cand)
        found.append(nxt)
    return out


@pytest.mark.parametrize(
    "kw",
    [{}, {"turn_rules": False}, {"profile": "all"}, {"avoid": ("ussuriysk",)}],
    ids=["turns", "plain", "all", "avoid"],
)
def test_the_alternatives_are_those_of_a_fresh_search_every_round(net, kw):
    """The penalty loop prepares its search once per leg; every route it gives is the one
    a fresh search per round gives, on many bundled pairs (stations and points between)."""
    rng = random.Random(7)
    ids = [net.node_id(i) for i in range(net.n_nodes)]
    points = [
        snap(net, Place(f"p{i}", f"p{i}", "point", float(net.a.v_lat[v]) + 0.01, float(net.a.v_lon[v])))
        for i, v in enumerate(rng.sample(range(len(net.a.v_lat)), 40))
    ]
    ends = [position_of_node(net, x) for x in ids] + [p for p in points if p is not None]
    compared = found = 0
    for _ in range(150):
        a, b = rng.sample(ends, 2)
        try:
            best = find_path(net, a, b, **kw)
        except NoRoute:
            continue
        k = rng.choice((2, 3))
        mine = alternatives(net, a, b, k, best=best, **kw)
        theirs = (
            []
            if all(net.a.c_bridge[c] for c, _, _ in best.pieces)
            else _penalty_loop_as_first_written(net, a, b, best, k, **kw)
        )
        assert [(r.km, r.nodes, r.reversed_at, r.edges) for r in mine] == [
            (r.km, r.nodes, r.reversed_at, r.edges) for r in theirs
        ]
        assert all(np.array_equal(r.coords, s.coords) for r, s in zip(mine, theirs))
        compared += 1
        found += len(mine)
    assert compared > 80 and found > 20, (compared, found)


def test_a_place_off_the_track_is_noted_with_the_network_it_missed(tmp_path):
    """A point a few km from the track: the leg ends at the track, and the note and the
    map's joint name the network routed on (not "bundled" for every network)."""
    from routes.api import check_trip, load_network
    from routes.present.scene import build_scene

    trip = tmp_path / "off.yaml"
    trip.write_text(
        "title: off the track\nmode: rail\nevents:\n"
        "  - place: Ussuriysk\n    time: 2023-09-12T10:00+10:00\n"
        "  - place: {lat: 43.90, lon: 131.70}\n    time: 2023-09-13T10:00+10:00\n",
        encoding="utf-8",
    )
    net = load_network()
    report = check_trip(trip, network=net)
    (lv,) = report.legs
    assert lv.leg.route is not None and lv.leg.snap_km[1] > DEFAULT.snap_note_km
    assert f"from the nearest track of the {net.name} network" in lv.leg.note
    joints = build_scene(report, net).joints
    assert any(f"track of the {net.name} network" in j.tooltip for j in joints)
