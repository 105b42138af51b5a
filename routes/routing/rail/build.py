"""Build a network store's arrays from :class:`~.records.NetworkRecords`, all in numpy.

The steps: contract degree-2 chains (:mod:`.contract`), lay the edges and their geometry
out chain by chain, measure every junction leg (:mod:`.turns`), build the node and turn
graphs and the segment grid (:mod:`.spatial`). Nothing here builds a Python object per
node or edge, so a million stations build in seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any

import numpy as np

from ...errors import DataError
from ...geo import segment_km
from ...settings import DEFAULT, Settings
from .contract import bridges, contract
from .records import EDGE_MODES, NODE_KINDS, SERVICES, USAGES, NetworkRecords
from .spatial import build_grid
from .store import BLOCK, BUILD_SETTINGS, PROFILES, Arrays
from .turns import StateGraphs, departure_bearings, entry_weights, state_graphs

__all__ = ["build_arrays", "build_into", "BUILD_SETTINGS"]

log = logging.getLogger(__name__)

_NOT_MAIN = np.array([s in ("yard", "spur") for s in SERVICES])


def _gather(offsets: np.ndarray, order: np.ndarray, flip: np.ndarray) -> np.ndarray:
    """Vertex indices of edges ``order`` in turn, each reversed where ``flip``."""
    start, stop = offsets[order], offsets[order + 1]
    n = stop - start
    out = np.arange(int(n.sum()), dtype=np.int64)
    out -= np.repeat(np.cumsum(n) - n, n)  # position within its edge
    out *= np.repeat(np.where(flip, -1, 1).astype(np.int8), n)
    out += np.repeat(np.where(flip, stop - 1, start), n)
    return out


def _blob(strings: Sequence[str], what: str) -> tuple[np.ndarray, np.ndarray]:
    """UTF-8 bytes of ``strings`` end to end, and the offset where each begins (one more)."""
    joined = "\0".join(strings).encode("utf-8")
    buf = np.frombuffer(joined, dtype=np.uint8)
    seps = np.flatnonzero(buf == 0)
    if len(seps) != max(len(strings) - 1, 0):
        raise DataError(f"network records: a node {what} contains a NUL character")
    off = np.empty(len(strings) + 1, dtype=np.int64)
    off[0] = 0
    off[1:-1] = seps + 1 - np.arange(1, len(seps) + 1)  # offsets once the separators are gone
    off[-1] = len(buf) - len(seps)
    keep = np.ones(len(buf), dtype=bool)
    keep[seps] = False
    return buf[keep], off


def _node_facts(
    rec: NetworkRecords, eu: np.ndarray, ev: np.ndarray, gauge: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per node: its degree, and whether the bogies may change there (recorded, or a
    station where dual-gauge track ends)."""
    n = len(rec.node_ids)
    multi = np.array([bin(int(b)).count("1") > 1 for b in range(256)])[gauge]
    on_multi = np.bincount(np.concatenate([eu[multi], ev[multi]]), minlength=n) > 0
    on_single = np.bincount(np.concatenate([eu[~multi], ev[~multi]]), minlength=n) > 0
    deg = np.bincount(np.concatenate([eu, ev]), minlength=n)
    station = np.asarray(rec.node_kind, np.uint8) > 0
    dual_end = on_multi & (on_single | (deg == 1))
    return deg, np.asarray(rec.node_gauge_change, bool) | (dual_end & station)


def _named(rec: NetworkRecords) -> np.ndarray:
    """Which nodes have a name of their own (not just their id)."""
    return np.fromiter((n != i for n, i in zip(rec.node_names, rec.node_ids)), dtype=bool, count=len(rec.node_ids))


def _layout(rec: NetworkRecords, order: np.ndarray, flip: np.ndarray) -> dict[str, np.ndarray]:
    """Edges chain by chain, each oriented along its chain, with their vertices; per vertex
    the railway km from its edge's start; per edge railway and geodesic km."""
    eu, ev = np.asarray(rec.edge_u, np.int64), np.asarray(rec.edge_v, np.int64)
    off = np.asarray(rec.edge_offsets, np.int64)
    vidx = _gather(off, order, flip)
    counts = off[order + 1] - off[order]
    e_v0 = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    v_lat = np.asarray(rec.vertex_lat, float)[vidx]
    v_lon = np.asarray(rec.vertex_lon, float)[vidx]
    local = None
    if rec.vertex_km is not None:
        vkm = np.asarray(rec.vertex_km, float)
        local = vkm[vidx]
        first, last = vkm[off[order]], vkm[off[order + 1] - 1]
        # a flipped edge's km run backwards: measure them from its new start
        local -= np.repeat(first, counts)
        back = np.repeat(flip, counts)
        local[back] = np.repeat(last - first, counts)[back] - local[back]
        del back, first, last
    del vidx  # the biggest of the temporaries: gone before the geodesic km are measured
    geo = np.zeros(len(v_lat))
    step = 250_000  # vertices measured at a time: bounds the memory of a big build
    for i in range(0, max(len(v_lat) - 1, 0), step):
        geo[i + 1 : i + step + 1] = segment_km(v_lat[i : i + step + 1], v_lon[i : i + step + 1])
    geo[e_v0[:-1]] = 0.0  # no segment leads into the first vertex of an edge
    np.cumsum(geo, out=geo)
    geo -= np.repeat(geo[e_v0[:-1]], counts)  # now km from each edge's start
    e_geom = geo[e_v0[1:] - 1]
    if local is None:
        local = geo
    del geo
    return {
        "u": np.where(flip, ev[order], eu[order]).astype(np.int32),
        "v": np.where(flip, eu[order], ev[order]).astype(np.int32),
        "e_v0": e_v0,
        "v_lat": v_lat,
        "v_lon": v_lon,
        "local": local,
        "e_km": local[e_v0[1:] - 1],
        "e_geom": e_geom,
    }


def _ids(rec: NetworkRecords) -> dict[str, np.ndarray]:
    """Ids and names as blobs, and the node order by id (refusing repeated ids)."""
    # code point order is UTF-8 byte order, the order RailNetwork.node_index searches in
    ids = np.asarray(rec.node_ids, dtype=str)
    order = np.argsort(ids, kind="stable")
    ids = ids[order]
    if len(ids) > 1 and bool(np.any(ids[1:] == ids[:-1])):
        raise DataError("network records: node ids are not unique")
    del ids
    id_blob, id_off = _blob(rec.node_ids, "id")
    name_blob, name_off = _blob(rec.node_names, "name")
    return {
        "n_order": order.astype(np.int64),
        "n_id_blob": id_blob,
        "n_id_off": id_off,
        "n_name_blob": name_blob,
        "n_name_off": name_off,
    }


def _along_chains(c_e0: np.ndarray, e_v0: np.ndarray, e_km: np.ndarray, local: np.ndarray) -> dict[str, np.ndarray]:
    """Each edge's chain and km from its chain's start; each vertex's km from its chain's
    start (``local`` holds km from its edge's start, and becomes that); each chain's km."""
    edge_chain = np.repeat(np.arange(len(c_e0) - 1, dtype=np.int32), np.diff(c_e0))
    cum = np.concatenate([[0.0], np.cumsum(e_km)])
    chain_start = cum[c_e0[:-1]]
    e_start = cum[:-1] - chain_start[edge_chain]
    step = 250_000  # edges at a time: bounds the memory of a big build
    for i in range(0, len(e_start), step):
        j = min(i + step, len(e_start))
        local[e_v0[i] : e_v0[j]] += np.repeat(e_start[i:j], np.diff(e_v0[i : j + 1]))
    return {"e_chain": edge_chain, "e_start": e_start, "v_km": local, "c_km": cum[c_e0[1:]] - chain_start}


def _positions(
    n: int, routing: np.ndarray, c_e0: np.ndarray, u: np.ndarray, v: np.ndarray, along: dict, e_km: np.ndarray
) -> dict[str, np.ndarray]:  # noqa: E501
    """Routing indices of the routing nodes, where every other node sits on its chain, and
    each chain's end nodes as routing indices."""
    r_node = np.flatnonzero(routing)
    n_rnode = np.full(n, -1, dtype=np.int32)
    n_rnode[r_node] = np.arange(len(r_node), dtype=np.int32)
    n_chain = np.full(n, -1, dtype=np.int32)
    n_chain_km = np.zeros(n)
    inner = np.ones(len(u), dtype=bool)
    inner[c_e0[1:] - 1] = False  # an edge that does not end its chain ends at an interior node
    inner = np.flatnonzero(inner)
    n_chain[v[inner]] = along["e_chain"][inner]
    n_chain_km[v[inner]] = along["e_start"][inner] + e_km[inner]
    return {
        "r_node": r_node.astype(np.int32),
        "n_rnode": n_rnode,
        "n_chain": n_chain,
        "n_chain_km": n_chain_km,
        "c_ur": n_rnode[u[c_e0[:-1]]].astype(np.int32),
        "c_vr": n_rnode[v[c_e0[1:] - 1]].astype(np.int32),
    }


def _profile_weights(graphs: StateGraphs, c_km: np.ndarray, ok: dict, settings: Settings) -> dict[str, Any]:
    """Each graph entry's weight per profile, at the settings' time costs."""
    rev_km = settings.reversal_minutes / 60.0 * settings.cost_kmh
    gauge_km = settings.gauge_change_hours * settings.cost_kmh
    nd_w = np.empty((len(PROFILES), len(graphs.nd_indices)))
    tr_w = np.empty((len(PROFILES), len(graphs.tr_indices)))
    for i, profile in enumerate(PROFILES):
        w = c_km if profile == "all" else np.where(ok[profile], c_km, BLOCK)
        nd_w[i] = np.where(graphs.nd_arc >= 0, w[graphs.nd_arc >> 1], gauge_km)
        tr_w[i] = entry_weights(graphs.tr_arc, graphs.tr_flags, w, rev_km, gauge_km)
    return {"nd_w": nd_w, "tr_w": tr_w, "costs": {"reversal_km": rev_km, "gauge_km": gauge_km}}


def _segments(e_v0: np.ndarray, n_vertices: int) -> np.ndarray:
    """The segments of the edges, each as the index of its first vertex (int32: a store
    holds fewer than 2**31 vertices)."""
    inside = np.ones(n_vertices, dtype=bool)
    inside[e_v0[:-1]] = False
    seg = np.flatnonzero(inside).astype(np.int32)
    seg -= 1  # segment k joins vertices k, k + 1
    return seg


def build_arrays(rec: NetworkRecords, settings: Settings = DEFAULT) -> tuple[Arrays, dict[str, Any]]:
    """The arrays and the metadata of the store for ``rec``, in memory."""
    got: dict[str, np.ndarray] = {}
    meta = build_into(rec, got.__setitem__, settings)
    return Arrays(**got), meta


def build_into(
    rec: NetworkRecords, put: Callable[[str, np.ndarray], None], settings: Settings = DEFAULT
) -> dict[str, Any]:
    """Build the store for ``rec``, handing each array to ``put(name, array)`` as soon as it
    is final and letting go of it then (a store writer writes it to disk: a big build
    never holds all its arrays at once); returns the metadata."""
    n = len(rec.node_ids)
    for name, arr in _ids(rec).items():
        put(name, arr)
    del arr
    put("n_lat", np.asarray(rec.node_lat, float))
    put("n_lon", np.asarray(rec.node_lon, float))
    put("n_kind", np.asarray(rec.node_kind, np.uint8))
    eu, ev = np.asarray(rec.edge_u, np.int64), np.asarray(rec.edge_v, np.int64)
    gauge = np.asarray(rec.edge_gauge, np.uint8)
    service = np.asarray(rec.edge_service, np.uint8)
    elec = np.asarray(rec.edge_electrified, np.int8)
    ok_main = ~_NOT_MAIN[service]
    ok_elec = ok_main & (elec == 1)
    mode = np.zeros(len(gauge), np.uint8) if rec.edge_mode is None else np.asarray(rec.edge_mode, np.uint8)
    # a chain is all rail or all ferry: the mode is a class, as gauge and service are
    klass = gauge.astype(np.int64) | (ok_main.astype(np.int64) << 8) | (ok_elec.astype(np.int64) << 9)
    klass |= mode.astype(np.int64) << 10
    station = np.asarray(rec.node_kind, np.uint8) > 0
    deg, gauge_change = _node_facts(rec, eu, ev, gauge)
    # junctions and line ends are worth naming, when they have a name (an OSM switch has none)
    put("n_main", np.asarray(rec.node_main, bool) | ((deg != 2) & (station | _named(rec))))
    del deg
    ch = contract(n, eu, ev, klass, gauge_change)
    del klass, eu, ev
    order, c_e0 = ch.order, ch.offsets
    first_edge = order[c_e0[:-1]]  # (input index) the first edge of each chain: its class is the chain's
    e_line = np.asarray(rec.edge_line, np.int32)[order]
    put("e_gauge", gauge[order])
    put("e_elec", elec[order])
    put("e_service", service[order])
    put("e_usage", np.asarray(rec.edge_usage, np.uint8)[order])
    put("e_mode", mode[order])
    put("e_src", order.astype(np.int64))
    c_gauge = gauge[first_edge]
    ok = {"main": ok_main[first_edge], "electric": ok_elec[first_edge]}
    del gauge, service, elec, ok_main, ok_elec, first_edge, mode
    put("c_e0", c_e0)
    put("c_gauge", c_gauge)
    put("c_ok_main", ok["main"])
    put("c_ok_electric", ok["electric"])
    lay = _layout(rec, order, ch.flip)
    routing = ch.routing
    del ch, order
    n_lines = len(rec.lines)
    along = _along_chains(c_e0, lay["e_v0"], lay["e_km"], lay.pop("local"))
    line_geom = np.bincount(e_line, weights=lay["e_geom"], minlength=n_lines)
    # the km a route's choice weighs (rail km, or the drawn track's, see NetworkRecords.cost)
    c_geom = np.bincount(along["e_chain"], weights=lay["e_geom"], minlength=len(c_e0) - 1)
    c_cost = along["c_km"] if rec.cost == "rail" else c_geom
    del c_geom
    put("e_geom_km", lay.pop("e_geom"))
    pos = _positions(n, routing, c_e0, lay["u"], lay["v"], along, lay["e_km"])
    del routing
    put("e_u", lay.pop("u"))
    put("e_v", lay.pop("v"))
    for name in ("n_rnode", "n_chain", "n_chain_km", "c_ur", "c_vr", "r_node"):
        put(name, pos[name])
    r_node, c_ur, c_vr = pos["r_node"], pos["c_ur"], pos["c_vr"]
    del pos
    put("c_bridge", bridges(len(r_node), c_ur, c_vr))
    line_km = np.bincount(e_line, weights=lay["e_km"], minlength=n_lines)
    put("e_km", lay.pop("e_km"))
    ends_line = _chain_end_lines(along["e_chain"], e_line, len(c_e0) - 1)
    put("e_line", e_line)
    put("e_chain", along.pop("e_chain"))
    del e_line, along["e_start"]
    c_km = along["c_km"]
    c_v0 = np.concatenate([lay["e_v0"][c_e0[:-1]], [len(lay["v_lat"])]])
    bearings, coarse = departure_bearings(
        lay["v_lat"], lay["v_lon"], along["v_km"], c_v0, c_km, settings.turn_probe_km, settings.turn_coarse_km
    )
    put("v_km", along.pop("v_km"))
    del c_v0
    graphs = state_graphs(
        c_ur, c_vr, c_gauge, len(r_node), len(rec.gauges), bearings, coarse,
        station[r_node], gauge_change[r_node], settings.min_turn_deg,
    )  # fmt: skip
    weights = _profile_weights(graphs, c_cost, ok, settings)
    counts = {"states": len(graphs.st_arc), "transitions": len(graphs.tr_indices)}
    for f in fields(StateGraphs):
        put(f.name, getattr(graphs, f.name))
    del graphs
    put("nd_w", weights.pop("nd_w"))
    put("tr_w", weights.pop("tr_w"))
    put("c_km", c_km)
    put("c_cost", np.asarray(c_cost, float))
    put("r_station", station[r_node])
    put("r_gauge_change", gauge_change[r_node])
    seg = _segments(lay["e_v0"], len(lay["v_lat"]))
    put("e_v0", lay.pop("e_v0"))
    grid = build_grid(lay["v_lat"], lay["v_lon"], seg)
    del seg
    put("g_keys", grid.keys)
    put("g_offsets", grid.offsets)
    put("g_segments", grid.segments)
    put("v_lat", lay.pop("v_lat"))
    put("v_lon", lay.pop("v_lon"))
    return {
        "counts": {
            "nodes": n,
            "edges": len(rec.edge_u),
            "vertices": len(rec.vertex_lat),
            "chains": len(c_e0) - 1,
            "routing_nodes": len(r_node),
            **counts,
        },
        "gauges": list(rec.gauges),
        "node_kinds": list(NODE_KINDS),
        "services": list(SERVICES),
        "usages": list(USAGES),
        "edge_modes": list(EDGE_MODES),
        "grid_cell_deg": grid.cell,
        "weight_costs": weights["costs"],
        "cost": rec.cost,
        "build_settings": {k: getattr(settings, k) for k in BUILD_SETTINGS},
        "lines": _line_meta(rec, line_km, line_geom, ends_line, c_ur, c_vr, len(r_node), coarse),
        "source": dict(rec.extra),
    }


def _chain_end_lines(edge_chain: np.ndarray, e_line: np.ndarray, n_chains: int) -> np.ndarray:
    """The line of each chain's first and last edge, as leg ``2c`` and ``2c + 1``."""
    first_line = np.full(n_chains, -1, dtype=np.int64)
    last_line = np.full(n_chains, -1, dtype=np.int64)
    if len(edge_chain):
        starts = np.flatnonzero(np.r_[True, edge_chain[1:] != edge_chain[:-1]])
        ends = np.r_[starts[1:] - 1, len(edge_chain) - 1]
        first_line[edge_chain[starts]] = e_line[starts]
        last_line[edge_chain[ends]] = e_line[ends]
    leg_line = np.empty(2 * n_chains, dtype=np.int64)
    leg_line[0::2], leg_line[1::2] = first_line, last_line
    return leg_line


def _line_meta(
    rec: NetworkRecords,
    km: np.ndarray,
    geom: np.ndarray,
    leg_line: np.ndarray,
    c_ur: np.ndarray,
    c_vr: np.ndarray,
    n_routing: int,
    coarse: np.ndarray,
) -> list[dict[str, Any]]:
    """Each line's record, with its km and whether its junction geometry can judge turns."""
    # a junction leg: a chain end at a routing node where three or more chain ends meet
    deg = np.bincount(np.concatenate([c_ur, c_vr]), minlength=n_routing)
    leg_node = np.empty(2 * len(c_ur), dtype=np.int64)
    leg_node[0::2], leg_node[1::2] = c_ur, c_vr
    at_junction = deg[leg_node] >= 3
    legs = np.bincount(leg_line[at_junction], minlength=len(rec.lines))
    rough = np.bincount(leg_line[at_junction & coarse], minlength=len(rec.lines))
    out = []
    for i, line in enumerate(rec.lines):
        if legs[i] == 0:
            turns = "no junction legs"
        elif rough[i] == 0:
            turns = "judged from geometry"
        elif rough[i] == legs[i]:
            turns = "too coarse to judge: turns not restricted"
        else:
            turns = f"too coarse at {int(rough[i])} of {int(legs[i])} junction legs: turns there not restricted"
        out.append(
            {**dict(line), "km": round(float(km[i]), 3), "geometry_km": round(float(geom[i]), 3), "turn_rules": turns}
        )
    return out
