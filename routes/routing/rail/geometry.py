"""Turn a path of chain pieces into a :class:`~routes.model.Route`: geometry, stations, lines.

A chain's vertices lie together in the store, with their km from the chain's start, so
cutting a piece out of it is two binary searches and a slice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ...model import Route
from .store import RailNetwork

__all__ = ["assemble", "join_routes", "chain_coords", "gauge_breaks"]

Piece = tuple[int, float, float]


def chain_coords(net: RailNetwork, chain: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lat, lon, km from the chain's start) of a chain's vertices."""
    a = net.a
    v0, v1 = int(a.e_v0[a.c_e0[chain]]), int(a.e_v0[a.c_e0[chain + 1]])
    return a.v_lat[v0:v1], a.v_lon[v0:v1], a.v_km[v0:v1]


def _ranges(start: np.ndarray, stop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All of ``start[k]..stop[k]-1`` in turn, and the k each belongs to."""
    n = stop - start
    owner = np.repeat(np.arange(len(n)), n)
    return np.repeat(start - np.concatenate([[0], np.cumsum(n)[:-1]]), n) + np.arange(int(n.sum())), owner


def _pieces_vertices(net: RailNetwork, pieces: Sequence[Piece]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lat, lon, km from the route's start) of every point along ``pieces``, in order."""
    a = net.a
    n = len(pieces)
    if n >= 3:
        mid = np.asarray(pieces[1:-1], dtype=float)
        km_c = a.c_km[mid[:, 0].astype(np.int64)]
        whole = bool(
            np.all(
                (np.minimum(mid[:, 1], mid[:, 2]) < 1e-12) & (np.abs(np.maximum(mid[:, 1], mid[:, 2]) - km_c) < 1e-12)
            )
        )
    if n < 3 or not whole:
        return _cut_vertices(net, pieces) if n != 1 else _cut_one(net, pieces[0])
    # whole chains in the middle: slices of the store's vertices, no cutting
    head = _cut_one(net, pieces[0])
    mid_pieces = pieces[1:-1]
    c = np.array([p[0] for p in mid_pieces], dtype=np.int64)
    back = np.array([p[1] > p[2] for p in mid_pieces])
    v0, v1 = a.e_v0[a.c_e0[c]], a.e_v0[a.c_e0[c + 1]]
    cnt = v1 - v0
    idx = np.arange(int(cnt.sum()), dtype=np.int64)
    idx -= np.repeat(np.cumsum(cnt) - cnt, cnt)
    idx = np.where(np.repeat(back, cnt), np.repeat(v1 - 1, cnt) - idx, np.repeat(v0, cnt) + idx)
    length = a.c_km[c]
    start = head[2][-1] + np.concatenate([[0.0], np.cumsum(length)[:-1]])
    km = a.v_km[idx]
    along = np.repeat(start, cnt) + np.where(np.repeat(back, cnt), np.repeat(length, cnt) - km, km)
    tail_lat, tail_lon, tail_km = _cut_one(net, pieces[-1])
    offset = float(head[2][-1] + np.sum(length))
    return (
        np.concatenate([head[0], a.v_lat[idx], tail_lat]),
        np.concatenate([head[1], a.v_lon[idx], tail_lon]),
        np.concatenate([head[2], along, offset + tail_km]),
    )


def _cut_vertices(net: RailNetwork, pieces: Sequence[Piece]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_pieces_vertices` for pieces that may start or end inside a chain: each is
    the slice of its chain's vertices strictly between its ends, with the points at its
    ends interpolated; all pieces at once, in numpy."""
    a = net.a
    if not len(pieces):
        return np.zeros(0), np.zeros(0), np.zeros(0)
    arr = np.asarray(pieces, dtype=float)
    c = arr[:, 0].astype(np.int64)
    s, t = arr[:, 1], arr[:, 2]
    lo, hi = np.minimum(s, t), np.maximum(s, t)
    sign = np.where(s > t, -1.0, 1.0)
    offset = np.concatenate([[0.0], np.cumsum(np.abs(t - s))[:-1]])
    v0, v1 = a.e_v0[a.c_e0[c]], a.e_v0[a.c_e0[c + 1]]
    idx, owner = _ranges(v0, v1)
    vkm = a.v_km[idx]
    # the points at each piece's ends, interpolated within its chain
    key = owner * (float(np.max(a.c_km[c])) + 1.0) + vkm
    base = np.concatenate([[0], np.cumsum(v1 - v0)[:-1]])

    def at(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        j = np.searchsorted(key, np.arange(len(c)) * (float(np.max(a.c_km[c])) + 1.0) + x, side="right") - 1
        j = np.clip(j, base, base + (v1 - v0) - 2)
        k0, k1 = idx[j], idx[j + 1]
        seg = a.v_km[k1] - a.v_km[k0]
        f = np.clip(np.where(seg > 0, (x - a.v_km[k0]) / np.where(seg > 0, seg, 1.0), 0.0), 0.0, 1.0)
        return a.v_lat[k0] + f * (a.v_lat[k1] - a.v_lat[k0]), a.v_lon[k0] + f * (a.v_lon[k1] - a.v_lon[k0])

    lo_lat, lo_lon = at(lo)
    hi_lat, hi_lon = at(hi)
    inner = (vkm > lo[owner]) & (vkm < hi[owner])
    lat = np.concatenate([lo_lat, a.v_lat[idx[inner]], hi_lat])
    lon = np.concatenate([lo_lon, a.v_lon[idx[inner]], hi_lon])
    km = np.concatenate([lo, vkm[inner], hi])
    who = np.concatenate([np.arange(len(c)), owner[inner], np.arange(len(c))])
    order = np.lexsort((km * sign[who], who))
    lat, lon, km, who = lat[order], lon[order], km[order], who[order]
    return lat, lon, offset[who] + np.abs(km - s[who])


def _cut_one(net: RailNetwork, piece: Piece) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_cut_vertices` of one piece, on a slice of its chain: the same points and the
    same arithmetic, with a tenth of the numpy calls (a route's first and last pieces)."""
    a = net.a
    c, s, t = int(piece[0]), float(piece[1]), float(piece[2])
    lo, hi = min(s, t), max(s, t)
    v0, v1 = int(a.e_v0[a.c_e0[c]]), int(a.e_v0[a.c_e0[c + 1]])
    vkm, vlat, vlon = a.v_km[v0:v1], a.v_lat[v0:v1], a.v_lon[v0:v1]
    j = np.clip(np.searchsorted(vkm, [lo, hi], side="right") - 1, 0, v1 - v0 - 2)
    k0, k1 = j, j + 1
    seg = vkm[k1] - vkm[k0]
    x = np.array([lo, hi])
    f = np.clip(np.where(seg > 0, (x - vkm[k0]) / np.where(seg > 0, seg, 1.0), 0.0), 0.0, 1.0)
    end_lat = vlat[k0] + f * (vlat[k1] - vlat[k0])
    end_lon = vlon[k0] + f * (vlon[k1] - vlon[k0])
    inner = (vkm > lo) & (vkm < hi)
    lat = np.concatenate([end_lat[:1], vlat[inner], end_lat[1:]])
    lon = np.concatenate([end_lon[:1], vlon[inner], end_lon[1:]])
    km = np.concatenate([[lo], vkm[inner], [hi]])
    order = np.argsort(km * (-1.0 if s > t else 1.0), kind="stable")
    lat, lon, km = lat[order], lon[order], km[order]
    return lat, lon, np.abs(km - s)


def _pieces_edges(net: RailNetwork, pieces: Sequence[Piece]) -> tuple[np.ndarray, np.ndarray]:
    """The edges the pieces cover (in order), and whether each is run backwards."""
    a = net.a
    if not len(pieces):
        return np.zeros(0, np.int64), np.zeros(0, bool)
    arr = np.asarray(pieces, dtype=float)
    c = arr[:, 0].astype(np.int64)
    s, t = arr[:, 1], arr[:, 2]
    lo, hi = np.minimum(s, t), np.maximum(s, t)
    back = s > t
    e, owner = _ranges(a.c_e0[c], a.c_e0[c + 1])
    start_km = a.v_km[a.e_v0[e]]
    end_km = a.v_km[a.e_v0[e + 1] - 1]
    hit = (end_km > lo[owner] + 1e-9) & (start_km < hi[owner] - 1e-9)
    eh, oh = e[hit], owner[hit]
    order = np.lexsort((np.where(back[oh], -eh, eh), oh))
    return eh[order], back[oh][order]


def _at_node(net: RailNetwork, edge: int, backwards: bool, km: float, at_start: bool) -> bool:
    """The route's end at chain km ``km`` is the node where ``edge`` begins (``at_start``)
    or ends, in the direction of travel."""
    a = net.a
    first, last = float(a.v_km[a.e_v0[edge]]), float(a.v_km[a.e_v0[edge + 1] - 1])
    node_km = (last if backwards else first) if at_start else (first if backwards else last)
    return abs(km - node_km) < 1e-6


def _ids(net: RailNetwork, idx: np.ndarray) -> list[str]:
    """The ids of nodes ``idx`` (in order, repeats allowed), decoded in one pass over the blob."""
    if not len(idx):
        return []
    off = net.a.n_id_off
    start, stop = off[idx], off[idx + 1]
    n = stop - start
    gather = np.repeat(start - np.concatenate([[0], np.cumsum(n)[:-1]]), n) + np.arange(int(n.sum()))
    text = net.a.n_id_blob[gather].tobytes().decode("utf-8")
    # ids are valid UTF-8 each, so their concatenation splits at the same characters
    # only when all are ASCII; otherwise cut the bytes one by one
    if len(text) == len(gather):
        cut = np.concatenate([[0], np.cumsum(n)]).tolist()
        return [text[p:q] for p, q in zip(cut, cut[1:])]
    buf = net.a.n_id_blob[gather].tobytes()
    cut = np.concatenate([[0], np.cumsum(n)]).tolist()
    return [buf[p:q].decode("utf-8") for p, q in zip(cut, cut[1:])]


def assemble(
    net: RailNetwork,
    pieces: Sequence[Piece],
    a_pos: Any,
    b_pos: Any,
    reversals: Sequence[int] = (),
) -> Route:
    """The route along ``pieces``; ``reversals`` are routing nodes where the train reverses.

    ``a_pos`` (anything with ``lat`` and ``lon``) stands for the route when it has no
    length at all.
    """
    ar = net.a
    lat, lon, cum = _pieces_vertices(net, pieces)
    if len(lat):
        keep = np.ones(len(lat), dtype=bool)
        keep[1:] = (np.diff(lat) != 0) | (np.diff(lon) != 0)
        lat, lon, cum = lat[keep], lon[keep], cum[keep]
    km = float(sum(abs(t - s) for _, s, t in pieces))
    if len(lat):
        coords = np.column_stack([lat, lon])
        cum_km = np.array(cum, dtype=float)
        if len(cum_km) > 1:
            cum_km[-1] = km
    else:
        coords, cum_km = np.array([[a_pos.lat, a_pos.lon]]), np.zeros(1)
    edges, back = _pieces_edges(net, pieces)
    # the edges run on, so their ends are one sequence of nodes: decode it once; the
    # stations passed are that sequence, less its ends where the route starts or ends
    # inside an edge
    seq = np.concatenate(
        [np.where(back[:1], ar.e_v[edges[:1]], ar.e_u[edges[:1]]), np.where(back, ar.e_u[edges], ar.e_v[edges])]
    ).astype(np.int64)
    extra = np.array([int(ar.r_node[r]) for r in reversals], dtype=np.int64)
    names = _ids(net, np.concatenate([seq, extra]))
    seq_ids, reversed_at = names[: len(seq)], names[len(seq) :]
    lo_k, hi_k = 0, len(seq)
    if len(edges):
        if not _at_node(net, int(edges[0]), bool(back[0]), pieces[0][1], True):
            lo_k = 1
        if not _at_node(net, int(edges[-1]), bool(back[-1]), pieces[-1][2], False):
            hi_k -= 1
    passed = seq[lo_k:hi_k]
    keep = np.r_[True, passed[1:] != passed[:-1]] if len(passed) else np.zeros(0, bool)
    node_ids = [x for x, k in zip(seq_ids[lo_k:hi_k], keep.tolist()) if k]
    main = ar.n_main[passed[keep]].tolist()
    lines_meta = net.meta["lines"]
    line_idx = ar.e_line[edges]
    if len(line_idx):
        change = np.r_[True, line_idx[1:] != line_idx[:-1]]
        lines = tuple(lines_meta[int(i)]["id"] for i in line_idx[change])
    else:
        lines = ()
    return Route(
        nodes=tuple(node_ids),
        km=km,
        coords=coords,
        lines=lines,
        gauge_breaks=tuple(gauge_breaks(net, pieces)),
        via=tuple(x for x, m in zip(node_ids, main) if m),
        edges=tuple(zip(seq_ids[:-1], seq_ids[1:], edges.tolist())),
        cum_km=cum_km,
        reversed_at=tuple(reversed_at),
    )


def gauge_breaks(net: RailNetwork, pieces: Sequence[Piece]) -> list[str]:
    """Stations where the bogies change: as few changes as the pieces allow, each as late as
    possible, and only where the network allows a change."""
    a = net.a
    G = max(len(net.meta["gauges"]), 1)
    if len(pieces) < 2 or G == 1:
        return []
    chains = np.array([c for c, _, _ in pieces], dtype=np.int64)
    masks = a.c_gauge[chains].astype(np.int64).tolist()
    if len(set(masks)) == 1:  # one kind of track all the way: nothing to change
        return []
    # the node between piece i and i + 1: where piece i ends
    to_v = np.array([t >= s and abs(t - a.c_km[c]) < 1e-9 for c, s, t in pieces])
    ends = np.where(to_v, a.c_vr[chains], a.c_ur[chains]).tolist()
    can = a.r_gauge_change[ends].tolist()
    inf = float("inf")
    best = [[inf] * G for _ in masks]
    for g in range(G):
        if (masks[-1] >> g) & 1:
            best[-1][g] = 0
    for i in range(len(masks) - 2, -1, -1):
        nxt_min = min(best[i + 1])
        for g in range(G):
            if not (masks[i] >> g) & 1:
                continue
            stay = best[i + 1][g] if (masks[i + 1] >> g) & 1 else inf
            change = 1 + nxt_min if can[i] else inf
            best[i][g] = min(stay, change)
    if min(best[0]) == inf:  # no assignment fits (should not happen on a found path)
        return []
    g = min(range(G), key=lambda x: best[0][x])
    out = []
    for i in range(len(masks) - 1):
        if (masks[i + 1] >> g) & 1 and best[i + 1][g] == best[i][g]:
            continue
        g = min(range(G), key=lambda x: best[i + 1][x])
        out.append(net.node_id(int(a.r_node[ends[i]])))
    return out


def join_routes(routes: Sequence[Route]) -> Route:
    """One route running through ``routes`` in turn (each starting where the last ended).

    Lines and main stations are listed once each, in order; a break of gauge where two
    routes meet is not looked for (each route's own breaks are kept).
    """
    nodes: list[str] = []
    coords: list[np.ndarray] = []
    cum: list[np.ndarray] = []
    total = 0.0
    for r in routes:
        start = 1 if coords else 0
        nodes.extend(n for n in r.nodes if not nodes or n != nodes[-1])
        coords.append(r.coords[start:])
        cum.append(total + r.cum_km[start:])
        total += r.km
    return Route(
        nodes=tuple(nodes),
        km=total,
        coords=np.concatenate(coords) if coords else np.zeros((0, 2)),
        lines=tuple(dict.fromkeys(x for r in routes for x in r.lines)),
        gauge_breaks=tuple(x for r in routes for x in r.gauge_breaks),
        via=tuple(dict.fromkeys(x for r in routes for x in r.via)),
        edges=tuple(e for r in routes for e in r.edges),
        cum_km=np.concatenate(cum) if cum else np.zeros(0),
        reversed_at=tuple(x for r in routes for x in r.reversed_at),
    )
