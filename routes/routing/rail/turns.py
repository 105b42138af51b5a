"""Junction geometry: which turns a train can make, and the state graphs routes run on.

Two graphs are built over the contracted network, both with one copy of each element per
gauge it carries (a train runs on one gauge at a time; it changes only at a station
where dual-gauge track ends or where the data records a bogie exchange):

* the **node graph** (``turn_rules=False``): states are (routing node, gauge), arcs are
  chains in either direction, plus a gauge change at the stations that allow one;
* the **turn graph** (the default): states are (chain traversed in a direction, gauge),
  and a transition joins the arrival on one chain to the departure on the next at their
  common routing node. A transition between two legs of a junction that meet at less
  than ``min_turn_deg`` (measured ``turn_probe_km`` out along each leg), or back along
  the same chain, needs a reversal: it exists only at a station and is flagged so that
  queries charge its time. Where either leg's first segment is longer than
  ``turn_coarse_km``, the geometry cannot tell, and the turn is allowed as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "REVERSAL",
    "GAUGE_CHANGE",
    "StateGraphs",
    "departure_bearings",
    "entry_weights",
    "state_graphs",
    "expand_pairs",
]

REVERSAL = 1  # transition flag: the train reverses at the node
GAUGE_CHANGE = 2  # transition flag: the bogies change at the node


@dataclass(frozen=True, eq=False)
class StateGraphs:
    """CSR arrays of the two state graphs (see the module docstring)."""

    # node graph: state g * R + r
    nd_indptr: np.ndarray
    nd_indices: np.ndarray
    nd_arc: np.ndarray  # arc (2 * chain + direction) of each entry, -1 for a gauge change
    # turn graph: states listed per arc
    st_indptr: np.ndarray  # arc -> its states
    st_arc: np.ndarray
    st_gauge: np.ndarray
    tr_indptr: np.ndarray
    tr_indices: np.ndarray
    tr_flags: np.ndarray
    tr_arc: np.ndarray  # arc of the state each transition enters


def expand_pairs(left_start: np.ndarray, left_count: np.ndarray, right_start: np.ndarray, right_count: np.ndarray):  # noqa: ANN201
    """All pairs (i, j) of ``left_start[k] + 0..left_count[k]`` × ``right_start[k] + 0..right_count[k]``.

    >>> a, b = expand_pairs(np.array([0]), np.array([2]), np.array([5]), np.array([2]))
    >>> a.tolist(), b.tolist()
    ([0, 0, 1, 1], [5, 6, 5, 6])
    """
    per = left_count * right_count
    group = np.repeat(np.arange(len(per)), per)
    within = np.arange(per.sum()) - np.repeat(np.cumsum(per) - per, per)
    rc = right_count[group]
    return left_start[group] + within // np.maximum(rc, 1), right_start[group] + within % np.maximum(rc, 1)


def departure_bearings(
    vlat: np.ndarray,
    vlon: np.ndarray,
    vkm: np.ndarray,
    c_v0: np.ndarray,
    c_km: np.ndarray,
    probe_km: float,
    coarse_km: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Bearing (degrees) of each arc leaving its first node, and whether it is too coarse.

    Arc ``2c`` leaves chain ``c``'s first node, arc ``2c + 1`` its last. The direction is
    taken to the point ``probe_km`` along the chain (or its far end, if shorter); the arc
    is coarse when its first segment is longer than ``coarse_km``.
    """
    n = len(c_km)
    first, last = c_v0[:-1], c_v0[1:] - 1
    along = np.minimum(probe_km, c_km)
    # forward: from the first vertex to the point `along` km on
    fwd_pt = _point_at(vlat, vlon, vkm, first, last, along)
    bwd_pt = _point_at(vlat, vlon, vkm, first, last, c_km - along)
    b = np.empty(2 * n)
    b[0::2] = _bearing(vlat[first], vlon[first], *fwd_pt)
    b[1::2] = _bearing(vlat[last], vlon[last], *bwd_pt)
    first_seg = vkm[np.minimum(first + 1, last)] - vkm[first]
    last_seg = vkm[last] - vkm[np.maximum(last - 1, first)]
    coarse = np.empty(2 * n, dtype=bool)
    coarse[0::2] = first_seg > coarse_km
    coarse[1::2] = last_seg > coarse_km
    return b, coarse


def _point_at(vlat, vlon, vkm, first, last, km):  # noqa: ANN001, ANN202 - arrays in, (lat, lon) arrays out
    """The point ``km`` along each chain (vertices ``first..last``, km from the chain's start)."""
    # vertices of chain c are first[c]..last[c], with vkm rising from 0; offset each chain's
    # km by a large step so that one searchsorted serves them all
    step = float(vkm.max() + 1.0) if len(vkm) else 1.0
    chain_of_vertex = np.repeat(np.arange(len(first)), last - first + 1)
    gkey = vkm + chain_of_vertex * step
    target = km + np.arange(len(first)) * step
    i = np.searchsorted(gkey, target, side="right") - 1
    i = np.clip(i, first, np.maximum(last - 1, first))
    j = np.minimum(i + 1, last)
    seg = vkm[j] - vkm[i]
    f = np.where(seg > 0, (km - vkm[i]) / np.where(seg > 0, seg, 1.0), 0.0)
    f = np.clip(f, 0.0, 1.0)
    return vlat[i] + f * (vlat[j] - vlat[i]), vlon[i] + f * (vlon[j] - vlon[i])


def _bearing(lat1, lon1, lat2, lon2):  # noqa: ANN001, ANN202
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(lon2 - lon1)
    x = np.sin(dl) * np.cos(p2)
    y = np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl)
    return (np.degrees(np.arctan2(x, y)) + 360.0) % 360.0


def entry_weights(
    tr_arc: np.ndarray, tr_flags: np.ndarray, w: np.ndarray, rev_km: float, gauge_km: float
) -> np.ndarray:
    """The weight of each turn-graph entry given chain weights ``w``: the chain it enters,
    plus a reversal or a bogie exchange where the turn needs one."""
    flags = tr_flags.astype(np.int64)
    return w[tr_arc >> 1] + (flags & REVERSAL) * rev_km + ((flags & GAUGE_CHANGE) >> 1) * gauge_km


def _bits(mask: np.ndarray, n_gauges: int) -> tuple[np.ndarray, np.ndarray]:
    """(owner index, gauge) for every set bit of each mask, owner-major."""
    owner, gauge = [], []
    for g in range(n_gauges):
        has = np.flatnonzero((mask >> g) & 1)
        owner.append(has)
        gauge.append(np.full(len(has), g, dtype=np.int64))
    o, g_ = np.concatenate(owner), np.concatenate(gauge)
    by = np.lexsort((g_, o))
    return o[by], g_[by]


def _csr(src: np.ndarray, n: int, *cols: np.ndarray) -> tuple[np.ndarray, ...]:
    by = np.argsort(src, kind="stable")
    indptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=n))]).astype(np.int64)
    return (indptr, *(c[by] for c in cols))


def _node_graph(arc_from, arc_to, arc_gauge, n_routing, G, gauge_change):  # noqa: ANN001, ANN202
    """CSR of the node graph: (node, gauge) states, chains as arcs, and gauge changes at
    the routing nodes that allow one, between the gauges met there."""
    a_idx, a_g = _bits(arc_gauge, G)
    src = [a_g * n_routing + arc_from[a_idx]]
    dst = [a_g * n_routing + arc_to[a_idx]]
    arc = [a_idx]
    node_gauges = np.zeros(n_routing, dtype=np.int64)
    np.bitwise_or.at(node_gauges, arc_from, arc_gauge)
    at = np.flatnonzero(gauge_change)
    for g1 in range(G):
        for g2 in range(G):
            has = ((node_gauges[at] >> g1) & 1).astype(bool) & ((node_gauges[at] >> g2) & 1).astype(bool)
            if g1 != g2:
                src.append(g1 * n_routing + at[has])
                dst.append(g2 * n_routing + at[has])
                arc.append(np.full(int(has.sum()), -1, dtype=np.int64))
    return _csr(np.concatenate(src), G * n_routing, np.concatenate(dst), np.concatenate(arc))


def _turns(arc_from, arc_to, n_routing, bearings, coarse, station, min_turn_deg):  # noqa: ANN001, ANN202
    """Every (arriving arc, departing arc) pair at each routing node a train may make, and
    whether it needs a reversal (acute legs, or back along the same chain: only at a station)."""
    into = np.argsort(arc_to, kind="stable")
    out = np.argsort(arc_from, kind="stable")
    cin = np.bincount(arc_to, minlength=n_routing)
    cout = np.bincount(arc_from, minlength=n_routing)
    in_start = np.concatenate([[0], np.cumsum(cin)[:-1]])
    out_start = np.concatenate([[0], np.cumsum(cout)[:-1]])
    i_pos, o_pos = expand_pairs(in_start, cin, out_start, cout)
    a_in, a_out = into[i_pos], out[o_pos]
    node = arc_to[a_in]
    # legs at the node: the arriving arc's reverse leaves the node along the same track
    leg_in = a_in ^ 1
    diff = np.abs(bearings[leg_in] - bearings[a_out]) % 360.0
    angle = np.minimum(diff, 360.0 - diff)
    judged = ~(coarse[leg_in] | coarse[a_out])
    reverse = (a_out == leg_in) | (judged & (angle < min_turn_deg))
    keep = ~reverse | station[node]
    return a_in[keep], a_out[keep], node[keep], reverse[keep]


def state_graphs(
    c_ur: np.ndarray,
    c_vr: np.ndarray,
    c_gauge: np.ndarray,
    n_routing: int,
    n_gauges: int,
    bearings: np.ndarray,
    coarse: np.ndarray,
    station: np.ndarray,
    gauge_change: np.ndarray,
    min_turn_deg: float,
) -> StateGraphs:
    """Both state graphs of a contracted network (arrays per chain and per routing node)."""
    n_arcs = 2 * len(c_ur)
    arc_from = np.empty(n_arcs, dtype=np.int64)
    arc_to = np.empty(n_arcs, dtype=np.int64)
    arc_from[0::2], arc_to[0::2] = c_ur, c_vr
    arc_from[1::2], arc_to[1::2] = c_vr, c_ur
    arc_gauge = np.repeat(c_gauge.astype(np.int64), 2)
    G = max(n_gauges, 1)
    nd_indptr, nd_indices, nd_arc = _node_graph(arc_from, arc_to, arc_gauge, n_routing, G, gauge_change)
    a_in, a_out, node, reverse = _turns(arc_from, arc_to, n_routing, bearings, coarse, station, min_turn_deg)
    # states: one per arc and gauge it carries; a turn joins every gauge of the arriving
    # arc to every gauge of the departing one, changing only where the node allows it
    st_arc, st_gauge = _bits(arc_gauge, G)
    st_indptr = np.concatenate([[0], np.cumsum(np.bincount(st_arc, minlength=n_arcs))]).astype(np.int64)
    n_st = np.diff(st_indptr)
    s_in, s_out = expand_pairs(st_indptr[a_in], n_st[a_in], st_indptr[a_out], n_st[a_out])
    pair = np.repeat(np.arange(len(a_in)), n_st[a_in] * n_st[a_out])
    change = st_gauge[s_in] != st_gauge[s_out]
    ok = ~change | gauge_change[node[pair]]
    s_in, s_out, pair, change = s_in[ok], s_out[ok], pair[ok], change[ok]
    flags = (reverse[pair] * REVERSAL + change * GAUGE_CHANGE).astype(np.uint8)
    tr_indptr, tr_indices, tr_flags = _csr(s_in, len(st_arc), s_out, flags)
    return StateGraphs(
        nd_indptr=nd_indptr,
        nd_indices=nd_indices.astype(np.int32),
        nd_arc=nd_arc.astype(np.int32),
        st_indptr=st_indptr,
        st_arc=st_arc.astype(np.int32),
        st_gauge=st_gauge.astype(np.uint8),
        tr_indptr=tr_indptr,
        tr_indices=tr_indices.astype(np.int32),
        tr_flags=tr_flags,
        tr_arc=st_arc[tr_indices].astype(np.int32),
    )
