"""Materially different alternatives, by the penalty method on a numpy weight array."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ...errors import NoRoute
from ...model import Route
from ...settings import DEFAULT, Settings
from .geometry import assemble
from .paths import Found, Piece, find_path
from .snap import Position
from .spatial import unique_sorted

__all__ = ["alternatives", "PENALTY"]

PENALTY = 1.6  # each time a chain is used by a route found, it costs this much more


def _overlap(p: Iterable[Piece], q: Iterable[Piece]) -> float:
    """km the two paths share."""
    total = 0.0
    q = list(q)
    for c1, a1, b1 in p:
        for c2, a2, b2 in q:
            if c1 == c2:
                lo = max(min(a1, b1), min(a2, b2))
                hi = min(max(a1, b1), max(a2, b2))
                total += max(0.0, hi - lo)
    return total


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
) -> list[Route]:
    """Up to ``k`` routes other than the shortest that differ materially from it.

    After each route found, the chains it uses cost :data:`PENALTY` times more, and the
    next least-cost path is accepted when it shares less than
    ``settings.alt_max_overlap`` of its km with every route found so far and is at most
    ``settings.alt_max_stretch`` times the shortest. Penalties live in one array made for
    this query; nothing shared changes. ``best`` is the shortest path, when the caller
    has searched it already (with the same options).
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
    return penalty_loop(net, a, b, best, k, kw, settings)


def penalty_loop(net, a: Position, b: Position, best: Found, k: int, kw: dict, settings: Settings) -> list[Route]:  # noqa: ANN001
    """The penalty method itself, from the shortest path ``best`` (see :func:`alternatives`)."""
    best_km = _km(best.pieces)
    found: list[Found] = [best]
    penalties = np.ones(len(net.a.c_km))
    extra = 4 * (settings.reversal_minutes / 60.0 + settings.gauge_change_hours) * settings.cost_kmh
    out: list[Route] = []
    for _ in range(4 * k + 4):
        if len(out) >= k:
            break
        used = np.array([c for c, s, t in found[-1].pieces if s != t], dtype=np.int64)
        penalties[unique_sorted(used)] *= PENALTY
        # a path longer than the stretch allows cannot be accepted: stop the search there
        limit = float(penalties.max()) * (settings.alt_max_stretch * best_km + 1e-6) + extra
        try:
            nxt = find_path(net, a, b, penalties=penalties, limit=limit, **kw)  # type: ignore[arg-type]
        except NoRoute:
            break
        km = _km(nxt.pieces)
        if km > settings.alt_max_stretch * best_km + 1e-9:
            break
        if all(_overlap(nxt.pieces, f.pieces) < settings.alt_max_overlap * km for f in found):
            out.append(assemble(net, nxt.pieces, a, b, nxt.reversals))
        found.append(nxt)
    return out
