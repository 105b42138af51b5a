"""Routing at country scale, on synthetic rail-like networks. Prints figures, asserts nothing.

Run: python benchmarks/scale.py --stations 10000 100000 1000000 [--queries 20] [--seed 7]

Each network is a jittered brick-wall lattice of junctions (degree 3, like a honeycomb),
every junction-to-junction link a line of stations about 3 km apart, a few links missing
(dead ends), some yards and spurs, some track not electrified: mean degree about 2.1. It
is made as :class:`~routes.routing.rail.records.NetworkRecords`, the same records the
bundled gazetteer and an OpenStreetMap import feed the builder, and built into a store
on disk with the same code, then opened from disk.

Per size, from one process, for the same station pairs (far apart: a long query):

* routes query, without and with turn rules: everything a query does (snap a point
  between stations to its edge, route, cut the geometry, name the stations);
* scipy csgraph: one ``dijkstra`` call on the same contracted CSR (the node graph of a
  single gauge) from a chain end, with no early stop: the floor a query is measured
  against; and the same on the turn graph;
* networkx bidirectional Dijkstra on the station graph (a networkx Graph of every station);
* k=3 alternatives (turn rules on);
* store build time, open time, and peak RSS of the build (measured before networkx is
  loaded; the networkx graph alone takes GBs at a million stations).

Times are CPU seconds of this process (``time.process_time``), medians over the pairs.
"""

from __future__ import annotations

import argparse
import gc
import math
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from routes.errors import NoRoute
from routes.model import Place
from routes.routing.rail import alternatives, build_store, route, snap
from routes.routing.rail.records import NetworkRecords
from routes.routing.rail.store import read_store

STATION_KM = 3.0
PER_LINK = 6  # stations between two junctions: 7 segments of 3 km
KM_PER_DEG = 111.0


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def synthetic_records(n_stations: int, seed: int = 7) -> NetworkRecords:
    """A rail-like network of about ``n_stations`` stations (see the module docstring)."""
    rng = np.random.default_rng(seed)
    n_junctions = max(4, int(n_stations / (1 + 1.44 * PER_LINK)))  # about 1.44 links per junction
    rows = max(2, int(math.sqrt(n_junctions / 2)))
    cols = max(2, n_junctions // rows)
    link_km = STATION_KM * (PER_LINK + 1)
    dlat = link_km / KM_PER_DEG
    lat0 = 50.0 - rows * dlat / 2
    lat_j = lat0 + np.repeat(np.arange(rows), cols) * dlat
    dlon = link_km / (KM_PER_DEG * np.cos(np.radians(lat_j)))
    lon_j = 0.0 + np.tile(np.arange(cols), rows) * dlon
    if lon_j.max() > 179.0:  # keep the lattice on the globe: squeeze it east-west
        lon_j *= 179.0 / lon_j.max()
    lat_j = lat_j + rng.uniform(-0.15, 0.15, rows * cols) * dlat
    lon_j = lon_j + rng.uniform(-0.15, 0.15, rows * cols) * np.median(dlon)
    jid = np.arange(rows * cols).reshape(rows, cols)
    # brick wall: every horizontal neighbour, vertical ones on alternate columns (degree 3)
    h = np.column_stack([jid[:, :-1].ravel(), jid[:, 1:].ravel()])
    vi, vj = np.nonzero((np.add.outer(np.arange(rows - 1), np.arange(cols)) % 2) == 0)
    v = np.column_stack([jid[vi, vj], jid[vi + 1, vj]])
    links = np.concatenate([h, v])
    is_vertical = np.r_[np.zeros(len(h), bool), np.ones(len(v), bool)]
    keep = rng.random(len(links)) > 0.04  # a few missing links: dead ends, degree-2 junctions
    links, is_vertical = links[keep], is_vertical[keep]
    n_links = len(links)
    J = rows * cols
    # stations along each link, evenly spaced, a little off the straight line
    f = np.arange(1, PER_LINK + 1) / (PER_LINK + 1)
    a, b = links[:, 0], links[:, 1]
    s_lat = lat_j[a, None] + f * (lat_j[b] - lat_j[a])[:, None] + rng.normal(0, 0.004, (n_links, PER_LINK))
    s_lon = lon_j[a, None] + f * (lon_j[b] - lon_j[a])[:, None] + rng.normal(0, 0.006, (n_links, PER_LINK))
    S = n_links * PER_LINK
    node_lat = np.concatenate([lat_j, s_lat.ravel()])
    node_lon = np.concatenate([lon_j, s_lon.ravel()])
    n = J + S
    station_ids = J + np.arange(S).reshape(n_links, PER_LINK)
    seq = np.column_stack([a, station_ids, b])  # each link's nodes in order
    eu = seq[:, :-1].ravel()
    ev = seq[:, 1:].ravel()
    m = len(eu)
    # geometry: each edge's ends, plus a point 0.25 km from a junction end so that the
    # junction's geometry is fine enough to judge turns
    lat_u, lon_u, lat_v, lon_v = node_lat[eu], node_lon[eu], node_lat[ev], node_lon[ev]
    seg_km = np.hypot((lat_v - lat_u) * KM_PER_DEG, (lon_v - lon_u) * KM_PER_DEG * np.cos(np.radians(lat_u)))
    t_u = np.minimum(0.25 / np.maximum(seg_km, 1e-9), 0.5)
    near_u = np.concatenate([np.ones(n_links, bool)[:, None], np.zeros((n_links, PER_LINK), bool)], axis=1).ravel()
    near_v = np.concatenate([np.zeros((n_links, PER_LINK), bool), np.ones(n_links, bool)[:, None]], axis=1).ravel()
    t = np.where(near_u, t_u, np.where(near_v, 1 - t_u, 0.5))
    mid_lat = lat_u + t * (lat_v - lat_u)
    mid_lon = lon_u + t * (lon_v - lon_u)
    # a vertical link leaves its junctions as a branch does: alongside one of the through
    # legs (east or west, at random), 30 degrees off it, so that the junction is a Y
    vertical = np.repeat(is_vertical, PER_LINK + 1)
    east = np.repeat(rng.random(n_links) < 0.5, PER_LINK + 1)
    north = np.repeat(lat_j[b] > lat_j[a], PER_LINK + 1)
    for end, leaving_north in ((near_u, north), (near_v, ~north)):
        sel = vertical & end
        br = np.where(east[sel], np.where(leaving_north[sel], 60.0, 120.0), np.where(leaving_north[sel], 300.0, 240.0))
        at_lat = (lat_u if end is near_u else lat_v)[sel]
        at_lon = (lon_u if end is near_u else lon_v)[sel]
        mid_lat[sel] = at_lat + 0.25 * np.cos(np.radians(br)) / KM_PER_DEG
        mid_lon[sel] = at_lon + 0.25 * np.sin(np.radians(br)) / (KM_PER_DEG * np.cos(np.radians(at_lat)))
    vertex_lat = np.column_stack([lat_u, mid_lat, lat_v]).ravel()
    vertex_lon = np.column_stack([lon_u, mid_lon, lon_v]).ravel()
    offsets = np.arange(m + 1, dtype=np.int64) * 3
    # a line per row of the lattice and per column of links between rows
    row_of = a // cols
    line_of_link = np.where(is_vertical, rows + (a % cols), row_of).astype(np.int32)
    n_lines = rows + cols
    # attributes per link: 3 % yards or spurs, 70 % electrified; junctions: half are stations
    link_service = np.where(rng.random(n_links) < 0.03, 1 + rng.integers(0, 2, n_links), 0).astype(np.uint8)
    link_elec = (rng.random(n_links) < 0.7).astype(np.int8)
    kind = np.concatenate([np.where(rng.random(J) < 0.5, 2, 0), np.ones(S, dtype=np.int64)]).astype(np.uint8)
    ids = [f"n{i}" for i in range(n)]
    return NetworkRecords(
        node_ids=ids,
        node_names=ids,
        node_lat=node_lat,
        node_lon=node_lon,
        node_kind=kind,
        node_main=kind == 2,
        node_gauge_change=np.zeros(n, dtype=bool),
        edge_u=eu,
        edge_v=ev,
        edge_offsets=offsets,
        vertex_lat=vertex_lat,
        vertex_lon=vertex_lon,
        vertex_km=None,
        edge_line=np.repeat(line_of_link, PER_LINK + 1),
        edge_gauge=np.ones(m, dtype=np.uint8),
        edge_electrified=np.repeat(link_elec, PER_LINK + 1),
        edge_service=np.repeat(link_service, PER_LINK + 1),
        edge_usage=np.zeros(m, dtype=np.uint8),
        gauges=("1520",),
        lines=tuple({"id": f"L{i}", "name": f"line {i}"} for i in range(n_lines)),
        extra={"source": f"synthetic, seed {seed}"},
    )


def cpu(fn, *args, **kw):  # noqa: ANN001, ANN201
    t = time.process_time()
    out = fn(*args, **kw)
    return time.process_time() - t, out


def far_pairs(net, rng: np.random.Generator, k: int) -> list[tuple[int, int]]:  # noqa: ANN001
    """k pairs of stations on main track, each more than half the network's span apart,
    joined with and without turn rules (a pair cut off by the turn rules is drawn again)."""
    a = net.a
    ok = np.flatnonzero((a.n_rnode < 0) & np.asarray(a.c_ok_main)[np.maximum(a.n_chain, 0)])
    span = math.hypot(np.ptp(a.n_lat), np.ptp(a.n_lon))
    out: list[tuple[int, int]] = []
    while len(out) < k:
        i, j = (int(x) for x in rng.choice(ok, 2))
        if math.hypot(a.n_lat[i] - a.n_lat[j], a.n_lon[i] - a.n_lon[j]) <= span / 2:
            continue
        try:
            for rules in (False, True):
                route(net, snap(net, point_near(net, i)), snap(net, point_near(net, j)), turn_rules=rules)
        except NoRoute:
            continue
        out.append((i, j))
    return out


def point_near(net, i: int) -> Place:  # noqa: ANN001
    """A point 100 m off station i, so the query snaps to an edge, not to a node."""
    return Place(f"p{i}", f"p{i}", "point", float(net.a.n_lat[i]) + 0.0009, float(net.a.n_lon[i]))


def one_size(n_stations: int, queries: int, seed: int, folder: Path) -> dict[str, float]:
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import dijkstra

    gc.collect()
    t_rec, rec = cpu(synthetic_records, n_stations, seed)
    t0 = time.perf_counter()
    t_build, _ = cpu(build_store, rec, folder / f"n{n_stations}", f"synthetic-{n_stations}")
    build_wall = time.perf_counter() - t0
    peak = rss_mb()
    del rec
    gc.collect()
    t0 = time.perf_counter()
    net = read_store(folder / f"n{n_stations}")
    open_s = time.perf_counter() - t0
    c = net.meta["counts"]
    rng = np.random.default_rng(seed + 1)
    pairs = far_pairs(net, rng, queries)
    a = net.a

    def query(i: int, j: int, turn_rules: bool) -> float:
        pa, pb = snap(net, point_near(net, i)), snap(net, point_near(net, j))
        r = route(net, pa, pb, turn_rules=turn_rules)
        return r.km

    t_plain = [cpu(query, i, j, False)[0] for i, j in pairs]
    t_turns = [cpu(query, i, j, True)[0] for i, j in pairs]
    # scipy: the minimal call on the same contracted CSR, from the chain end of the start
    nd = csr_array((np.asarray(a.c_km)[np.asarray(a.nd_arc) >> 1], a.nd_indices, a.nd_indptr))
    tr_w = np.asarray(a.c_km)[np.asarray(a.tr_arc) >> 1]
    tg = csr_array((tr_w, a.tr_indices, a.tr_indptr))
    t_sp, t_sp_turn = [], []
    for i, _ in pairs:
        src = int(a.c_ur[a.n_chain[i]])
        t_sp.append(cpu(dijkstra, nd, indices=src, min_only=True)[0])
        t_sp_turn.append(cpu(dijkstra, tg, indices=2 * int(a.n_chain[i]), min_only=True)[0])
    t_alt = []
    for i, j in pairs[: max(3, queries // 4)]:
        pa, pb = snap(net, point_near(net, i)), snap(net, point_near(net, j))
        t_alt.append(cpu(alternatives, net, pa, pb, 3)[0])
    # networkx on the station graph, last (it is the memory hog)
    import networkx as nx

    G = nx.Graph()
    G.add_weighted_edges_from(zip(a.e_u.tolist(), a.e_v.tolist(), np.asarray(a.e_km).tolist()))
    t_nx = [cpu(nx.bidirectional_dijkstra, G, i, j)[0] for i, j in pairs[: max(3, queries // 4)]]
    del G
    gc.collect()
    return {
        "stations": c["nodes"],
        "edges": c["edges"],
        "routing nodes": c["routing_nodes"],
        "turn states": c["states"],
        "records s": t_rec,
        "build s": t_build,
        "build wall s": build_wall,
        "open s": open_s,
        "peak RSS MB": peak,
        "routes, no turn rules ms": 1000 * statistics.median(t_plain),
        "routes, turn rules ms": 1000 * statistics.median(t_turns),
        "scipy node graph ms": 1000 * statistics.median(t_sp),
        "scipy turn graph ms": 1000 * statistics.median(t_sp_turn),
        "networkx station graph ms": 1000 * statistics.median(t_nx),
        "k=3 alternatives ms": 1000 * statistics.median(t_alt),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--stations", type=int, nargs="+", default=[10_000, 100_000])
    p.add_argument("--queries", type=int, default=20)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="routes-scale-") as d:
        for n in sorted(args.stations):
            print(f"building {n:,} stations ...", file=sys.stderr, flush=True)
            results.append(one_size(n, args.queries, args.seed, Path(d)))
    keys = list(results[0])
    width = max(len(k) for k in keys)
    print(f"{'':{width}}  " + "  ".join(f"{r['stations']:>12,}" for r in results))
    for k in keys[1:]:
        cells = []
        for r in results:
            v = r[k]
            cells.append(
                f"{v:>12,.0f}"
                if k in ("edges", "routing nodes", "turn states")
                else f"{v:>12,.3f}"
                if v < 10
                else f"{v:>12,.1f}"
            )
        print(f"{k:{width}}  " + "  ".join(cells))
    big = results[-1]
    print()
    print(f"at {big['stations']:,} stations:")
    print(
        f"  query without turn rules / scipy node graph: {big['routes, no turn rules ms'] / big['scipy node graph ms']:.2f}x (target <= 1.5x)"
    )
    print(
        f"  query with turn rules / scipy node graph:    {big['routes, turn rules ms'] / big['scipy node graph ms']:.2f}x (target <= 4x)"
    )
    print(f"  k=3 alternatives: {big['k=3 alternatives ms'] / 1000:.3f} s (target <= 0.3 s)")
    print(f"  open: {big['open s']:.3f} s (target <= 0.5 s); build: {big['build s']:.1f} s CPU (target <= 10 s)")
    print(f"  peak RSS of the build: {big['peak RSS MB']:.0f} MB (target <= 500 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
