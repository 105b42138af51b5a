"""Build a network store's arrays from :class:`~.records.NetworkRecords`, all in numpy.

The steps: contract degree-2 chains (:mod:`.contract`), lay the edges and their geometry
out chain by chain, measure every junction leg (:mod:`.turns`), build the node and turn
graphs and the segment grid (:mod:`.spatial`). Nothing here builds a Python object per
node or edge, so a million stations build in seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from ...errors import DataError
from ...geo import segment_km
from ...settings import DEFAULT, Settings
from .contract import contract
from .records import NODE_KINDS, SERVICES, USAGES, NetworkRecords
from .spatial import build_grid
from .store import BLOCK, PROFILES, Arrays
from .turns import departure_bearings, entry_weights, state_graphs

__all__ = ["build_arrays", "BUILD_SETTINGS"]

log = logging.getLogger(__name__)

# the settings a store's content depends on (they go into its cache key)
BUILD_SETTINGS = (
    "min_turn_deg",
    "turn_probe_km",
    "turn_coarse_km",
    "reversal_minutes",
    "gauge_change_hours",
    "cost_kmh",
)
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
    seg = np.zeros(len(v_lat))
    step = 1_000_000  # vertices measured at a time: bounds the memory of a big build
    for i in range(0, max(len(v_lat) - 1, 0), step):
        seg[i + 1 : i + step + 1] = segment_km(v_lat[i : i + step + 1], v_lon[i : i + step + 1])
    seg[e_v0[:-1]] = 0.0  # no segment leads into the first vertex of an edge
    geo = np.cumsum(seg)
    del seg
    starts = np.repeat(geo[e_v0[:-1]], counts)
    geo -= starts  # now km from each edge's start
    del starts
    e_geom = geo[e_v0[1:] - 1]
    if rec.vertex_km is not None:
        vkm = np.asarray(rec.vertex_km, float)
        local = vkm[vidx]
        first, last = vkm[off[order]], vkm[off[order + 1] - 1]
        # a flipped edge's km run backwards: measure them from its new start
        local -= np.repeat(first, counts)
        back = np.repeat(flip, counts)
        local[back] = np.repeat(last - first, counts)[back] - local[back]
        del geo
    else:
        local = geo
    del vidx
    return {
        "u": np.where(flip, ev[order], eu[order]),
        "v": np.where(flip, eu[order], ev[order]),
        "e_v0": e_v0,
        "v_lat": v_lat,
        "v_lon": v_lon,
        "local": local,
        "e_km": local[e_v0[1:] - 1],
        "e_geom": e_geom,
    }


def build_arrays(rec: NetworkRecords, settings: Settings = DEFAULT) -> tuple[Arrays, dict[str, Any]]:
    """The arrays and the metadata of the store for ``rec``."""
    n = len(rec.node_ids)
    # code point order is UTF-8 byte order, the order RailNetwork.node_index searches in
    sorted_ids = np.asarray(rec.node_ids, dtype=str)
    n_order = np.argsort(sorted_ids, kind="stable")
    sorted_ids = sorted_ids[n_order]
    if n > 1 and bool(np.any(sorted_ids[1:] == sorted_ids[:-1])):
        raise DataError("network records: node ids are not unique")
    del sorted_ids
    eu, ev = np.asarray(rec.edge_u, np.int64), np.asarray(rec.edge_v, np.int64)
    gauge = np.asarray(rec.edge_gauge, np.uint8)
    service = np.asarray(rec.edge_service, np.uint8)
    elec = np.asarray(rec.edge_electrified, np.int8)
    ok_main = ~_NOT_MAIN[service]
    ok_elec = ok_main & (elec == 1)
    klass = gauge.astype(np.int64) | (ok_main.astype(np.int64) << 8) | (ok_elec.astype(np.int64) << 9)
    kind = np.asarray(rec.node_kind, np.uint8)
    station = kind > 0
    deg, gauge_change = _node_facts(rec, eu, ev, gauge)
    ch = contract(n, eu, ev, klass, gauge_change)
    del klass, eu, ev
    order, flip = ch.order, ch.flip
    lay = _layout(rec, order, flip)
    u2, v2, e_v0, v_lat, v_lon = lay["u"], lay["v"], lay["e_v0"], lay["v_lat"], lay["v_lon"]
    e_km, e_geom = lay["e_km"], lay["e_geom"]
    # km from the chain's start at each vertex
    c_e0 = ch.offsets
    n_chains = len(c_e0) - 1
    edge_chain = np.repeat(np.arange(n_chains), np.diff(c_e0))
    cum_edges = np.concatenate([[0.0], np.cumsum(e_km)])
    chain_start = cum_edges[c_e0[:-1]]
    e_start_in_chain = cum_edges[:-1] - chain_start[edge_chain]
    v_km = lay.pop("local")
    v_km += np.repeat(e_start_in_chain, np.diff(e_v0))
    c_km = cum_edges[c_e0[1:]] - chain_start
    del lay, cum_edges, chain_start

    # nodes: routing indices, and where each interior node sits on its chain
    routing = ch.routing
    r_node = np.flatnonzero(routing)
    n_rnode = np.full(n, -1, dtype=np.int32)
    n_rnode[r_node] = np.arange(len(r_node), dtype=np.int32)
    n_chain = np.full(n, -1, dtype=np.int32)
    n_chain_km = np.zeros(n)
    not_last = np.ones(len(order), dtype=bool)
    not_last[c_e0[1:] - 1] = False
    inner = np.flatnonzero(not_last)
    n_chain[v2[inner]] = edge_chain[inner]
    n_chain_km[v2[inner]] = e_start_in_chain[inner] + e_km[inner]
    first_edge, last_edge = c_e0[:-1], c_e0[1:] - 1
    c_ur = n_rnode[u2[first_edge]].astype(np.int32)
    c_vr = n_rnode[v2[last_edge]].astype(np.int32)
    c_v0 = np.concatenate([e_v0[first_edge], [len(v_lat)]])
    main = np.asarray(rec.node_main, bool) | (deg != 2)  # junctions and line ends are worth naming

    bearings, coarse = departure_bearings(
        v_lat, v_lon, v_km, c_v0, c_km, settings.turn_probe_km, settings.turn_coarse_km
    )
    graphs = state_graphs(
        c_ur,
        c_vr,
        gauge[order][first_edge],
        len(r_node),
        len(rec.gauges),
        bearings,
        coarse,
        station[r_node],
        gauge_change[r_node],
        settings.min_turn_deg,
    )
    rev_km = settings.reversal_minutes / 60.0 * settings.cost_kmh
    gauge_km = settings.gauge_change_hours * settings.cost_kmh
    c_gauge_ok = {"main": ok_main[order][first_edge], "all": None, "electric": ok_elec[order][first_edge]}
    nd_w = np.empty((len(PROFILES), len(graphs.nd_indices)))
    tr_w = np.empty((len(PROFILES), len(graphs.tr_indices)))
    for i, profile in enumerate(PROFILES):
        ok = c_gauge_ok[profile]
        w = c_km if ok is None else np.where(ok, c_km, BLOCK)
        nd_w[i] = np.where(graphs.nd_arc >= 0, w[graphs.nd_arc >> 1], gauge_km)
        tr_w[i] = entry_weights(graphs.tr_arc, graphs.tr_flags, w, rev_km, gauge_km)
    inside = np.ones(len(v_lat), dtype=bool)
    inside[e_v0[:-1]] = False
    seg_first = np.flatnonzero(inside) - 1  # segment k joins vertices k and k + 1 of one edge
    del inside
    grid = build_grid(v_lat, v_lon, seg_first)
    del seg_first
    id_blob, id_off = _blob(rec.node_ids, "id")
    name_blob, name_off = _blob(rec.node_names, "name")

    arrays = Arrays(
        n_lat=np.asarray(rec.node_lat, float),
        n_lon=np.asarray(rec.node_lon, float),
        n_kind=kind,
        n_main=main,
        n_rnode=n_rnode,
        n_chain=n_chain,
        n_chain_km=n_chain_km,
        n_id_blob=id_blob,
        n_id_off=id_off,
        n_name_blob=name_blob,
        n_name_off=name_off,
        n_order=n_order.astype(np.int64),
        e_u=u2.astype(np.int32),
        e_v=v2.astype(np.int32),
        e_v0=e_v0,
        e_km=e_km,
        e_geom_km=e_geom,
        e_line=np.asarray(rec.edge_line, np.int32)[order],
        e_gauge=gauge[order],
        e_elec=elec[order],
        e_service=service[order],
        e_usage=np.asarray(rec.edge_usage, np.uint8)[order],
        e_chain=edge_chain.astype(np.int32),
        v_lat=v_lat,
        v_lon=v_lon,
        v_km=v_km,
        c_e0=c_e0,
        c_ur=c_ur,
        c_vr=c_vr,
        c_km=c_km,
        c_gauge=gauge[order][first_edge],
        c_ok_main=ok_main[order][first_edge],
        c_ok_electric=ok_elec[order][first_edge],
        r_node=r_node.astype(np.int32),
        r_station=station[r_node],
        r_gauge_change=gauge_change[r_node],
        nd_indptr=graphs.nd_indptr,
        nd_indices=graphs.nd_indices,
        nd_arc=graphs.nd_arc,
        st_indptr=graphs.st_indptr,
        st_arc=graphs.st_arc,
        st_gauge=graphs.st_gauge,
        tr_indptr=graphs.tr_indptr,
        tr_indices=graphs.tr_indices,
        tr_flags=graphs.tr_flags,
        tr_arc=graphs.tr_arc,
        nd_w=nd_w,
        tr_w=tr_w,
        g_keys=grid.keys,
        g_offsets=grid.offsets,
        g_segments=grid.segments,
    )
    meta = {
        "counts": {
            "nodes": n,
            "edges": len(order),
            "vertices": len(v_lat),
            "chains": n_chains,
            "routing_nodes": len(r_node),
            "states": len(graphs.st_arc),
            "transitions": len(graphs.tr_indices),
        },
        "gauges": list(rec.gauges),
        "node_kinds": list(NODE_KINDS),
        "services": list(SERVICES),
        "usages": list(USAGES),
        "grid_cell_deg": grid.cell,
        "weight_costs": {"reversal_km": rev_km, "gauge_km": gauge_km},
        "build_settings": {k: getattr(settings, k) for k in BUILD_SETTINGS},
        "lines": _line_meta(
            rec, e_km, e_geom, np.asarray(rec.edge_line)[order], edge_chain, coarse, c_ur, c_vr, len(r_node)
        ),
        "source": dict(rec.extra),
    }
    return arrays, meta


def _line_meta(rec, e_km, e_geom, e_line, edge_chain, coarse, c_ur, c_vr, n_routing):  # noqa: ANN001, ANN202
    """Each line's record, with its km and whether its junction geometry can judge turns."""
    km = np.bincount(e_line, weights=e_km, minlength=len(rec.lines))
    geom = np.bincount(e_line, weights=e_geom, minlength=len(rec.lines))
    # a junction leg: a chain end at a routing node where three or more chain ends meet
    deg = np.bincount(np.concatenate([c_ur, c_vr]), minlength=n_routing)
    n_chains = len(c_ur)
    first_line = np.full(n_chains, -1, dtype=np.int64)
    last_line = np.full(n_chains, -1, dtype=np.int64)
    if len(edge_chain):
        starts = np.flatnonzero(np.r_[True, edge_chain[1:] != edge_chain[:-1]])
        ends = np.r_[starts[1:] - 1, len(edge_chain) - 1]
        first_line[edge_chain[starts]] = e_line[starts]
        last_line[edge_chain[ends]] = e_line[ends]
    leg_line = np.empty(2 * n_chains, dtype=np.int64)
    leg_line[0::2], leg_line[1::2] = first_line, last_line
    leg_node = np.empty(2 * n_chains, dtype=np.int64)
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
