"""Materially different alternatives, by the penalty method on a numpy weight array."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import shapely

from ...errors import NoRoute
from ...geo import local_xy_km
from ...model import Route
from ...settings import DEFAULT, Settings
from .geometry import assemble
from .paths import Found, Piece, Search, find_path
from .snap import Position

__all__ = ["alternatives", "PENALTY"]

PENALTY = 1.6  # each time a chain is used by a route found, it costs this much more


def _overlap(p: Iterable[Piece], q: Iterable[Piece]) -> float:
    """km the two paths share."""
    total = 0.0
    by_chain: dict[int, list[tuple[float, float]]] = {}
    for c2, a2, b2 in q:
        by_chain.setdefault(c2, []).append((min(a2, b2), max(a2, b2)))
    for c1, a1, b1 in p:
        for lo2, hi2 in by_chain.get(c1, ()):  # in q's order: the same sum, term by term
            lo = max(min(a1, b1), lo2)
            hi = min(max(a1, b1), hi2)
            total += max(0.0, hi - lo)
    return total


def _beside_km(r: Route, others: list[Route], tol_km: float) -> float:
    """km of ``r`` that run within ``tol_km`` of the track of any of ``others``: the other
    track of a double-track line is no alternative (an imported network draws each track).

    A vertex of ``r`` that is a vertex of another route lies on it; a vertex outside every
    segment's box widened by ``tol_km`` is farther than that from it; only the rest are
    tested, against the segments near them (a tree of them): the same test, point by
    segment, as the distance to the whole line, without its cost (a long route has
    thousands of vertices each way).
    """
    if len(r.coords) < 2 or not others:
        return 0.0
    lat0, lon0 = r.coords[0]
    x, y = local_xy_km(r.coords[:, 0], r.coords[:, 1], lat0, lon0)
    mine = _keys(r.coords)
    near = np.zeros(len(x), dtype=bool)
    for o in others:
        if len(o.coords) < 2:
            continue
        theirs = np.sort(_keys(o.coords))
        near |= theirs[np.minimum(np.searchsorted(theirs, mine), len(theirs) - 1)] == mine  # on its track
        todo = np.flatnonzero(~near)
        if not len(todo):
            break
        ox, oy = local_xy_km(o.coords[:, 0], o.coords[:, 1], lat0, lon0)
        ax, ay, bx, by = ox[:-1], oy[:-1], ox[1:], oy[1:]
        boxes = (
            np.minimum(ax, bx) - tol_km,
            np.maximum(ax, bx) + tol_km,
            np.minimum(ay, by) - tol_km,
            np.maximum(ay, by) + tol_km,
        )
        todo = todo[_in_cells_of(x[todo], y[todo], *boxes)]
        if not len(todo):
            continue
        px, py = x[todo], y[todo]
        reach = np.flatnonzero(
            (boxes[1] >= px.min()) & (boxes[0] <= px.max()) & (boxes[3] >= py.min()) & (boxes[2] <= py.max())
        )
        ends = np.stack([np.column_stack([ax[reach], ay[reach]]), np.column_stack([bx[reach], by[reach]])], axis=1)
        points = shapely.points(np.column_stack([px, py]))
        hit = shapely.STRtree(shapely.linestrings(ends)).query(points, predicate="dwithin", distance=tol_km)[0]
        near[todo[hit]] = True
    seg = np.diff(np.asarray(r.cum_km, dtype=float)) if len(r.cum_km) == len(x) else np.hypot(np.diff(x), np.diff(y))
    return float(seg[near[:-1] & near[1:]].sum())


def _in_cells_of(
    px: np.ndarray, py: np.ndarray, x0: np.ndarray, x1: np.ndarray, y0: np.ndarray, y1: np.ndarray
) -> np.ndarray:
    """Which points lie in a grid cell that one of the boxes (``x0``–``x1``, ``y0``–``y1``)
    touches; the others lie in no box. Cells about a box wide: each box touches a few."""
    cell = max(float(np.median(np.maximum(x1 - x0, y1 - y0))), 1e-6)
    i0, i1 = np.floor(x0 / cell).astype(np.int64), np.floor(x1 / cell).astype(np.int64)
    j0, j1 = np.floor(y0 / cell).astype(np.int64), np.floor(y1 / cell).astype(np.int64)
    ni, nj = i1 - i0 + 1, j1 - j0 + 1
    count = ni * nj
    box = np.repeat(np.arange(len(x0)), count)
    k = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    touched = np.sort(_cell_key(i0[box] + k // nj[box], j0[box] + k % nj[box]))
    key = _cell_key(np.floor(px / cell).astype(np.int64), np.floor(py / cell).astype(np.int64))
    return touched[np.minimum(np.searchsorted(touched, key), len(touched) - 1)] == key


def _cell_key(i: np.ndarray, j: np.ndarray) -> np.ndarray:
    return (i + 2**31) * 2**32 + (j + 2**31)


def _keys(coords: np.ndarray) -> np.ndarray:
    """Each (lat, lon) row as one number, for exact comparison."""
    return np.ascontiguousarray(coords, dtype=float).view(np.complex128).ravel()


def _km(pieces: Iterable[Piece]) -> float:
    return sum(abs(t - s) for _, s, t in pieces)


def alternatives(
    net,  # noqa: ANN001 - a RailNetwork
    a: Position,
    b: Position,
    k: int = 2,
    *,
    avoid: Iterable[str] = (),
    profile: str = "main",
    turn_rules: bool = True,
    settings: Settings = DEFAULT,
    best: Found | None = None,
    best_route: Route | None = None,
) -> list[Route]:
    """Up to ``k`` routes other than the shortest that differ materially from it.

    After each route found, the chains it uses cost :data:`PENALTY` times more, and the
    next least-cost path is accepted when it shares less than
    ``settings.alt_max_overlap`` of its km with every route found so far (counting, too,
    the km it runs within ``settings.alt_beside_km`` of them: the other track of a
    double-track line is the same route) and is at most ``settings.alt_max_stretch``
    times the shortest. Penalties live in one array made for this query; nothing shared
    changes. ``best`` is the shortest path, when the caller has searched it already (with
    the same options), and ``best_route`` its route, when the caller has assembled it.
    """
    if k <= 0:
        return []
    avoid = tuple(avoid)
    kw = {"profile": profile, "turn_rules": turn_rules, "avoid": avoid, "settings": settings}
    best = best or find_path(net, a, b, **kw)  # type: ignore[arg-type]
    if all(net.a.c_bridge[c] for c, s, t in best.pieces):
        # every chain of the shortest path is a bridge of the network: any other way from
        # a to b runs along all of it, and a penalty on it only raises every path alike
        return []
    return penalty_loop(net, a, b, best, k, kw, settings, best_route)


def penalty_loop(  # noqa: PLR0913
    net,  # noqa: ANN001 - a RailNetwork
    a: Position,
    b: Position,
    best: Found,
    k: int,
    kw: dict,
    settings: Settings,
    best_route: Route | None = None,
) -> list[Route]:
    """The penalty method itself, from the shortest path ``best`` (see :func:`alternatives`)."""
    best_km = _km(best.pieces)
    found: list[Found] = [best]
    search = Search(net, a, b, **kw)  # prepared once: each round changes only the penalties
    penalties = np.ones(len(net.a.c_km))
    extra = 4 * (settings.reversal_minutes / 60.0 + settings.gauge_change_hours) * settings.cost_kmh
    out: list[Route] = []
    routes: list[Route] | None = None
    for _ in range(4 * k + 4):
        if len(out) >= k:
            break
        used = np.fromiter({c for c, s, t in found[-1].pieces if s != t}, dtype=np.int64)
        penalties[used] *= PENALTY
        # a path longer than the stretch allows cannot be accepted: stop the search there
        limit = float(penalties.max()) * (settings.alt_max_stretch * best_km + 1e-6) + extra
        try:
            nxt = search.path(penalties, limit)
        except NoRoute:
            break
        km = _km(nxt.pieces)
        if km > settings.alt_max_stretch * best_km + 1e-9:
            break
        if all(_overlap(nxt.pieces, f.pieces) < settings.alt_max_overlap * km for f in found):
            cand = assemble(net, nxt.pieces, a, b, nxt.reversals)
            if routes is None:
                routes = [best_route or assemble(net, best.pieces, a, b, best.reversals)]
            # beside a route found all along (the other track of the same line): not material
            if _beside_km(cand, routes, settings.alt_beside_km) < settings.alt_max_overlap * km:
                out.append(cand)
            routes.append(cand)
        found.append(nxt)
    return out
