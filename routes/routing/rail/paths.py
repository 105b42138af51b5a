"""Shortest routes on a network store: on the turn graph (default) or the node graph.

A query builds its own weight array (the chains' km, the profile, the penalties of the
alternatives search, the time of reversals and bogie exchanges turned into km) and a
virtual source row (the chain ends around the start, with the km to each); the stored
arrays are only read. The route's km are the track's own km: reversals and bogie
exchanges change which route is chosen, never its length.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ...errors import NoRoute
from ...settings import DEFAULT, Settings
from .geometry import assemble
from .search import SMALL_STATES, heap_tree, shortest_tree
from .snap import Position, allowed_chains
from .store import BLOCK, PROFILES, RailNetwork
from .turns import GAUGE_CHANGE, REVERSAL

__all__ = ["BLOCK", "Found", "Search", "find_path", "route", "chain_weights"]

Piece = tuple[int, float, float]  # (chain, km from, km to) along the chain


@dataclass(frozen=True)
class Found:
    """A path as chain pieces, the routing nodes where it reverses, and its weight."""

    pieces: tuple[Piece, ...]
    reversals: tuple[int, ...]
    weight: float


@dataclass(frozen=True)
class _End:
    """A query end: a routing node, or a km on a chain."""

    rnode: int | None
    chain: int | None
    km: float


def _end(net: RailNetwork, pos: Position, avoid: frozenset[int]) -> _End:
    a = net.a
    if pos.node is not None:
        i = net.node_index(pos.node)
        if i is None:
            raise NoRoute(f"{pos.node} is not a node of the network {net.name}")
        if i in avoid:
            raise NoRoute(f"{net.node_name(i)} is on the avoid list")
        r = int(a.n_rnode[i])
        if r >= 0:
            return _End(r, None, 0.0)
        return _End(None, int(a.n_chain[i]), float(a.n_chain_km[i]))
    if pos.chain is None or not 0 <= pos.chain < len(a.c_km):
        raise NoRoute("a position names no chain of this network")
    return _End(None, int(pos.chain), float(pos.km))


def chain_weights(
    net: RailNetwork, profile: str, avoid: frozenset[int] = frozenset(), penalties: np.ndarray | None = None
) -> np.ndarray:
    """Per chain: its cost km (times its penalty), or :data:`BLOCK` where the query may not go."""
    a = net.a
    w = np.array(a.c_cost, dtype=float)
    if penalties is not None:
        w *= penalties
    w[~allowed_chains(net, profile)] = BLOCK
    if avoid:
        w[_avoided_chains(net, avoid)] = BLOCK
    return w


def _avoided_chains(net: RailNetwork, avoid: frozenset[int]) -> np.ndarray:
    a = net.a
    idx = np.fromiter(avoid, dtype=np.int64)
    r = a.n_rnode[idx]
    rs = r[r >= 0]
    inner = a.n_chain[idx[r < 0]]
    mask = np.zeros(len(a.c_km), dtype=bool)
    if len(rs):
        mask |= np.isin(a.c_ur, rs) | np.isin(a.c_vr, rs)
    mask[inner] = True
    return mask


def _clear(net: RailNetwork, chain: int, lo: float, hi: float, avoid: frozenset[int]) -> bool:
    """No avoided node lies on ``chain`` between km ``lo`` and ``hi`` (ends included)."""
    if not avoid:
        return True
    a = net.a
    lo, hi = min(lo, hi), max(lo, hi)
    for i in avoid:
        r = int(a.n_rnode[i])
        if r >= 0:
            if (r == a.c_ur[chain] and lo <= 1e-9) or (r == a.c_vr[chain] and hi >= a.c_km[chain] - 1e-9):
                return False
        elif int(a.n_chain[i]) == chain and lo - 1e-9 <= a.n_chain_km[i] <= hi + 1e-9:
            return False
    return True


def _gauges(mask: int, n: int) -> list[int]:
    return [g for g in range(max(n, 1)) if (mask >> g) & 1]


class Search:
    """One search problem, prepared once: least-weight paths from ``a`` to ``b`` on the
    track the profile and the avoid list leave open.

    Everything that does not depend on the weights is worked out here: the ends, the
    blocked chains, and on the turn graph the states a path may start from and end at.
    :meth:`path` answers for a set of penalties; the alternatives' penalty loop asks the
    same search again and again, so this is done once per leg, not once per penalty. The
    object belongs to the query that made it; the network's arrays are only read.
    """

    def __init__(
        self,
        net: RailNetwork,
        a: Position,
        b: Position,
        *,
        profile: str = "main",
        turn_rules: bool = True,
        avoid: Iterable[str] = (),
        settings: Settings = DEFAULT,
        engine: str | None = None,
    ) -> None:
        self.net, self.profile, self.turn_rules, self.engine = net, profile, turn_rules, engine
        self.avoid = frozenset(i for i in (net.node_index(x) for x in avoid) if i is not None)
        self.s, self.t = _end(net, a, self.avoid), _end(net, b, self.avoid)
        ok = allowed_chains(net, profile)
        self.blocked = ~ok
        if self.avoid:
            self.blocked |= _avoided_chains(net, self.avoid)
        for end in (self.s, self.t):
            if end.chain is not None and not ok[end.chain]:
                raise NoRoute(f"the track at one end is not open to the {profile} profile")
        self.rev_km = settings.reversal_minutes / 60.0 * settings.cost_kmh
        self.gauge_km = settings.gauge_change_hours * settings.cost_kmh
        # the weights stored for the profile serve a query that changes none of them
        costs = net.meta.get("weight_costs", {})
        self.stored = not self.avoid and costs == {"reversal_km": self.rev_km, "gauge_km": self.gauge_km}
        # cost per km along a chain (positions along it are in rail km): 1 where the cost is rail km
        c_km = np.asarray(net.a.c_km, dtype=float)
        self.cost_per_km = np.divide(net.a.c_cost, c_km, out=np.ones(len(c_km)), where=c_km > 0)
        self.turns = (
            _TurnSearch(net, self.s, self.t, self.avoid, self.rev_km, self.gauge_km, engine) if turn_rules else None
        )

    def path(self, penalties: np.ndarray | None = None, limit: float = BLOCK / 2) -> Found:
        """The least-weight path under ``penalties`` (per chain, a factor on its km), found
        below ``limit``; raises :class:`NoRoute`."""
        w = np.array(self.net.a.c_cost, dtype=float)
        if penalties is not None:
            w *= penalties
        w[self.blocked] = BLOCK
        per_km = self.cost_per_km if penalties is None else self.cost_per_km * np.asarray(penalties, dtype=float)
        row = PROFILES.index(self.profile) if penalties is None and self.stored else None
        limit = min(limit, BLOCK / 2)
        if self.turns is not None:
            found = self.turns.search(w, per_km, limit, row)
        else:
            net, s, t = self.net, self.s, self.t
            found = _node_search(net, s, t, w, per_km, self.avoid, self.rev_km, self.gauge_km, limit, self.engine, row)
        if found is None:
            raise NoRoute("no rail connection" + (f" on the {self.profile} profile" if self.profile != "all" else ""))
        return found


def find_path(
    net: RailNetwork,
    a: Position,
    b: Position,
    *,
    profile: str = "main",
    turn_rules: bool = True,
    avoid: Iterable[str] = (),
    penalties: np.ndarray | None = None,
    settings: Settings = DEFAULT,
    limit: float = BLOCK / 2,
    engine: str | None = None,
) -> Found:
    """The least-weight path from ``a`` to ``b`` as chain pieces; raises :class:`NoRoute`."""
    search = Search(net, a, b, profile=profile, turn_rules=turn_rules, avoid=avoid, settings=settings, engine=engine)
    return search.path(penalties, limit)


# ------------------------------------------------------------------ node graph


def _node_search(net, s, t, w, per_km, avoid, rev_km, gauge_km, limit, engine, row):  # noqa: ANN001, ANN202, PLR0913
    a = net.a
    R = len(a.r_node)
    G = max(len(net.meta["gauges"]), 1)
    data = a.nd_w[row] if row is not None else np.where(a.nd_arc >= 0, w[a.nd_arc >> 1], gauge_km)
    src: list[tuple[int, float, Piece | None]] = []
    if s.rnode is not None:
        src += [(g * R + s.rnode, 0.0, None) for g in range(G)]
    else:
        c = s.chain
        for end, piece_to in ((int(a.c_ur[c]), 0.0), (int(a.c_vr[c]), float(a.c_km[c]))):
            if _clear(net, c, s.km, piece_to, avoid):
                cost = abs(piece_to - s.km) * per_km[c]
                src += [(g * R + end, cost, (c, s.km, piece_to)) for g in _gauges(int(a.c_gauge[c]), G)]
    direct = _direct(net, s, t, per_km, avoid)
    if not src and direct is None:
        return None
    dist, pred = shortest_tree(a.nd_indptr, a.nd_indices, data, [x[0] for x in src], [x[1] for x in src], limit, engine)
    cands: list[tuple[float, int, Piece | None]] = []
    if t.rnode is not None:
        cands += [(float(dist[g * R + t.rnode]), g * R + t.rnode, None) for g in range(G)]
    else:
        c = t.chain
        for end, frm in ((int(a.c_ur[c]), 0.0), (int(a.c_vr[c]), float(a.c_km[c]))):
            if _clear(net, c, frm, t.km, avoid):
                for g in _gauges(int(a.c_gauge[c]), G):
                    cands.append((float(dist[g * R + end]) + abs(t.km - frm) * per_km[c], g * R + end, (c, frm, t.km)))
    best = min(cands, key=lambda x: x[0], default=None)
    if direct is not None and (best is None or direct[0] <= best[0]):
        return Found(() if direct[1] is None else (direct[1],), (), direct[0])
    if best is None or not math.isfinite(best[0]) or best[0] >= limit:
        return None
    states = _walk_back(pred, best[1], len(dist))
    pieces: list[Piece] = []
    first = states[0]
    first_piece = min((x for x in src if x[0] == first), key=lambda x: x[1])[2]
    if first_piece is not None:
        pieces.append(first_piece)
    arcs = _steps(a.nd_indptr, a.nd_indices, states, data, a.nd_arc).astype(np.int64)
    km = np.asarray(a.c_km)[arcs >> 1]
    for arc, length in zip(arcs.tolist(), km.tolist()):
        if arc >= 0:
            pieces.append((arc >> 1, 0.0, length) if arc % 2 == 0 else (arc >> 1, length, 0.0))
    if best[2] is not None:
        pieces.append(best[2])
    return Found(tuple(p for p in pieces if p[1] != p[2] or len(pieces) == 1), (), best[0])


def _direct_parts(net, s, t, avoid):  # noqa: ANN001, ANN202
    """Both ends on one chain (or one a routing node at an end of the other's chain): the
    chain, the km along it and the piece, if nothing avoided lies between; (None, 0, None)
    for one routing node at both ends; else None."""
    a = net.a
    if s.chain is not None and s.chain == t.chain and _clear(net, s.chain, s.km, t.km, avoid):
        c = s.chain
        return c, abs(s.km - t.km), (c, s.km, t.km)
    # one end a routing node at an end of the other's chain
    for node_end, chain_end, flip in ((s, t, False), (t, s, True)):
        if node_end.rnode is not None and chain_end.chain is not None:
            c = chain_end.chain
            for r, at in ((int(a.c_ur[c]), 0.0), (int(a.c_vr[c]), float(a.c_km[c]))):
                if r == node_end.rnode and _clear(net, c, at, chain_end.km, avoid):
                    piece = (c, chain_end.km, at) if flip else (c, at, chain_end.km)
                    return c, abs(chain_end.km - at), piece
    if s.rnode is not None and s.rnode == t.rnode:
        return None, 0.0, None
    return None


def _direct(net, s, t, per_km, avoid):  # noqa: ANN001, ANN202
    """(cost, piece) of the way along one chain (see :func:`_direct_parts`), or None."""
    parts = _direct_parts(net, s, t, avoid)
    if parts is None:
        return None
    c, km, piece = parts
    return (0.0 if c is None else km * per_km[c]), piece


def _steps(
    indptr: np.ndarray, indices: np.ndarray, states: list[int], cost: np.ndarray | None, value: np.ndarray
) -> np.ndarray:
    """For each step ``states[k] -> states[k+1]``, ``value`` of the entry that makes it
    (the cheapest by ``cost`` where parallel entries join the same two states)."""
    if len(states) < 2:
        return np.zeros(0, dtype=value.dtype)
    p = np.asarray(states[:-1], dtype=np.int64)
    q = np.asarray(states[1:], dtype=np.int64)
    n = indptr[p + 1] - indptr[p]
    step = np.repeat(np.arange(len(p)), n)
    j = np.repeat(indptr[p] - np.concatenate([[0], np.cumsum(n)[:-1]]), n) + np.arange(int(n.sum()))
    match = indices[j] == q[step]
    j, step = j[match], step[match]
    if cost is not None:
        order = np.lexsort((cost[j], step))
        j, step = j[order], step[order]
    first = np.r_[True, step[1:] != step[:-1]]
    return np.asarray(value)[j[first]]


def _walk_back(pred: np.ndarray, state: int, n: int) -> list[int]:
    out = [state]
    while True:
        p = int(pred[out[-1]])
        if p == n or p < 0:
            break
        out.append(p)
        if len(out) > n:
            raise AssertionError("predecessor cycle")
    return out[::-1]


# ------------------------------------------------------------------ turn graph


def _turn_sources(net, s, avoid, G):  # noqa: ANN001, ANN202
    """(state, chain, km, piece) the search starts from: every chain leaving a start node
    (``km`` None: the start costs the chain's weight), or both directions along the start's
    chain (it costs ``km`` at the chain's rate)."""
    a, st_ip = net.a, net.a.st_indptr
    src: list[tuple[int, int, float | None, Piece | None]] = []
    if s.rnode is not None:
        for arc in _arcs_leaving(net, s.rnode, G):
            src += [(st, arc >> 1, None, None) for st in range(int(st_ip[arc]), int(st_ip[arc + 1]))]
        return src
    c = s.chain
    for arc, to_km in ((2 * c, float(a.c_km[c])), (2 * c + 1, 0.0)):
        if _clear(net, c, s.km, to_km, avoid):
            src += [(st, c, abs(to_km - s.km), (c, s.km, to_km)) for st in range(int(st_ip[arc]), int(st_ip[arc + 1]))]
    return src


def _turn_targets(net, t, avoid, rev_km, gauge_km, G):  # noqa: ANN001, ANN202, PLR0913
    """(last full state, fixed cost after it, chain, km, final piece, flags of the turn onto
    it) for each way the search can end: arriving at a target node (nothing after it), or
    turning onto the target's chain (the turn's time, then ``km`` at the chain's rate).
    Known before the search, so the search can stop as soon as one is settled."""
    a, st_ip = net.a, net.a.st_indptr
    cands: list[tuple[int, float, int | None, float, Piece | None, int]] = []
    if t.rnode is not None:
        for arc in _arcs_leaving(net, t.rnode, G):
            back = arc ^ 1  # arrives at the target node
            cands += [(st, 0.0, None, 0.0, None, 0) for st in range(int(st_ip[back]), int(st_ip[back + 1]))]
        return cands
    c = t.chain
    for arc, frm in ((2 * c, 0.0), (2 * c + 1, float(a.c_km[c]))):
        if not _clear(net, c, frm, t.km, avoid):
            continue
        into = set(range(int(st_ip[arc]), int(st_ip[arc + 1])))
        node = int(a.c_ur[c] if arc % 2 == 0 else a.c_vr[c])
        # the turns onto this arc come from the arcs arriving at its first node
        for leave in _arcs_leaving(net, node, G):
            for p in range(int(st_ip[leave ^ 1]), int(st_ip[(leave ^ 1) + 1])):
                for j in range(int(a.tr_indptr[p]), int(a.tr_indptr[p + 1])):
                    if int(a.tr_indices[j]) in into:
                        f = int(a.tr_flags[j])
                        extra = (f & REVERSAL) * rev_km + ((f & GAUGE_CHANGE) >> 1) * gauge_km
                        cands.append((p, extra, c, abs(t.km - frm), (c, frm, t.km), f))
    return cands


class _TurnSearch:
    """The turn-graph half of a :class:`Search`: its start and end states, and the graph's
    rows as Python lists when the heap answers (a small network: the lists cost less than
    converting per search)."""

    def __init__(self, net, s, t, avoid, rev_km, gauge_km, engine):  # noqa: ANN001, PLR0913
        a = net.a
        G = max(len(net.meta["gauges"]), 1)
        self.net, self.s, self.t, self.avoid = net, s, t, avoid
        self.starts = _turn_sources(net, s, avoid, G)
        self.ends = _turn_targets(net, t, avoid, rev_km, gauge_km, G)
        self.direct = _direct_parts(net, s, t, avoid)
        flags = a.tr_flags.astype(np.int64)
        # entry_weights, split into what the penalties change and what they do not
        self.chain_of = a.tr_arc >> 1
        self.rev = (flags & REVERSAL) * rev_km
        self.gauge = ((flags & GAUGE_CHANGE) >> 1) * gauge_km
        n = len(a.tr_indptr) - 1
        self.engine = engine or ("heap" if n < SMALL_STATES else "scipy")
        self.lists = (
            (a.tr_indptr.tolist(), a.tr_indices.tolist(), a.tr_flags.tolist()) if self.engine == "heap" else None
        )

    def search(self, w, per_km, limit, row):  # noqa: ANN001, ANN201
        a = self.net.a
        data = a.tr_w[row] if row is not None else w[self.chain_of] + self.rev + self.gauge
        src = [(st, float(w[c]) if km is None else km * per_km[c], piece) for st, c, km, piece in self.starts]
        direct = None
        if self.direct is not None:
            c, km, piece = self.direct
            direct = (0.0 if c is None else km * per_km[c], piece)
        if not src and direct is None:
            return None
        ends = [(st, x if c is None else x + km * per_km[c], piece, f) for st, x, c, km, piece, f in self.ends]
        stop: dict[int, float] = {}
        for st, extra, _, _ in ends:
            stop[st] = min(extra, stop.get(st, math.inf))
        src_states, src_costs = [x[0] for x in src], [x[1] for x in src]
        if self.lists is not None:
            ip, ind, _ = self.lists
            dist, pred = heap_tree(ip, ind, data.tolist(), src_states, src_costs, limit, stop)
        else:
            dist, pred = shortest_tree(a.tr_indptr, a.tr_indices, data, src_states, src_costs, limit, self.engine, stop)
        best = min(
            ((float(dist[st]) + extra, st, piece, f) for st, extra, piece, f in ends), key=lambda x: x[0], default=None
        )
        if direct is not None and (best is None or direct[0] <= best[0]):
            return Found(() if direct[1] is None else (direct[1],), (), direct[0])
        if best is None or not math.isfinite(best[0]) or best[0] >= limit:
            return None
        return self._found(src, pred, best)

    def _found(self, src, pred, best) -> Found:  # noqa: ANN001
        net, a = self.net, self.net.a
        states = _walk_back(pred, best[1], len(a.st_arc))
        first_piece = min((x for x in src if x[0] == states[0]), key=lambda x: x[1])[2]
        arcs = np.asarray(a.st_arc)[states].astype(np.int64)
        km = np.asarray(a.c_km)[arcs >> 1]
        pieces: list[Piece] = [
            first_piece
            if k == 0 and first_piece is not None
            else ((arc >> 1, 0.0, length) if arc % 2 == 0 else (arc >> 1, length, 0.0))
            for k, (arc, length) in enumerate(zip(arcs.tolist(), km.tolist()))
        ]
        if self.lists is not None:
            ip, ind, values = self.lists
            flags = _steps_lists(ip, ind, values, states)
        else:
            flags = _steps(a.tr_indptr, a.tr_indices, states, None, a.tr_flags).tolist()
        reversals = [_arc_to(net, int(arcs[k])) for k, f in enumerate(flags) if f & REVERSAL]
        if best[2] is not None:
            if best[3] & REVERSAL:
                reversals.append(_arc_to(net, int(a.st_arc[states[-1]])))
            pieces.append(best[2])
        return Found(tuple(pieces), tuple(reversals), best[0])


def _steps_lists(indptr: list[int], indices: list[int], value: list[int], states: list[int]) -> list[int]:
    """:func:`_steps` on lists, for a short path on a small graph: the value of the first
    entry of each step's row that makes the step."""
    out = []
    for p, q in zip(states, states[1:]):
        for j in range(indptr[p], indptr[p + 1]):
            if indices[j] == q:
                out.append(value[j])
                break
    return out


def _arcs_leaving(net: RailNetwork, r: int, G: int) -> list[int]:
    a = net.a
    R = len(a.r_node)
    out: set[int] = set()
    for g in range(G):
        row = slice(int(a.nd_indptr[g * R + r]), int(a.nd_indptr[g * R + r + 1]))
        out.update(int(x) for x in a.nd_arc[row] if x >= 0)
    return sorted(out)


def _arc_to(net: RailNetwork, arc: int) -> int:
    """The routing node an arc arrives at."""
    c = arc >> 1
    return int(net.a.c_vr[c] if arc % 2 == 0 else net.a.c_ur[c])


def route(
    net: RailNetwork,
    a: Position,
    b: Position,
    *,
    avoid: Iterable[str] = (),
    profile: str = "main",
    turn_rules: bool = True,
    settings: Settings = DEFAULT,
    penalties: np.ndarray | None = None,
):  # noqa: ANN201 - returns routes.model.Route
    """The shortest rail route from ``a`` to ``b``; raises :class:`~routes.errors.NoRoute`.

    ``profile`` chooses the track (``main``: no yards or spurs; ``electric``:
    electrified running track; ``all``); ``turn_rules=False`` ignores junction geometry.
    """
    found = find_path(
        net, a, b, profile=profile, turn_rules=turn_rules, avoid=avoid, penalties=penalties, settings=settings
    )
    return assemble(net, found.pieces, a, b, found.reversals)
