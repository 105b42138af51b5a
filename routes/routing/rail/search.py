"""Dijkstra over a CSR state graph from a virtual source with offsets.

The source is not a node of the stored graph: it is a row of (state, cost) pairs made per
query (the two ends of the chain a point was snapped to, with the km to each), so no
query adds anything to the shared arrays.

Two engines give the same answers: scipy's ``csgraph.dijkstra`` for networks of any
size, and a heap over the same arrays for small ones. scipy's import alone takes about
0.2 s, longer than every query on the bundled network together; below
:data:`SMALL_STATES` states the heap answers in a millisecond or two and scipy is never
imported. The tests hold both engines to the same distances.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["SMALL_STATES", "heap_tree", "shortest_tree"]

SMALL_STATES = 2_000


def shortest_tree(
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    source_states: Sequence[int],
    source_costs: Sequence[float],
    limit: float = math.inf,
    engine: str | None = None,
    targets: Mapping[int, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Distances from the virtual source to every state, and each state's predecessor.

    The predecessor of a state reached straight from the source is ``n`` (the number of
    states); of an unreached state, -9999. ``limit`` stops the search at that distance.
    ``engine`` is ``"scipy"``, ``"heap"`` or ``None`` (by size). ``targets`` maps the
    states a path may end at to what ending there adds (zero or more): the heap then
    stops once nothing left can end cheaper, so only the states on the way are settled
    (a distance it did not settle is an upper bound, never less than the true one).
    """
    n = len(indptr) - 1
    if engine is None:
        engine = "heap" if n < SMALL_STATES else "scipy"
    if engine == "heap":
        return _heap(indptr, indices, weights, source_states, source_costs, limit, targets)
    return _scipy(indptr, indices, weights, source_states, source_costs, limit)


def _scipy(indptr, indices, weights, source_states, source_costs, limit):  # noqa: ANN001, ANN202
    from scipy.sparse import csr_array  # deferred: 0.2 s of import the bundled network never needs
    from scipy.sparse.csgraph import dijkstra

    n = len(indptr) - 1
    k = len(source_states)
    ip = np.empty(n + 2, dtype=np.int64 if indptr[-1] + k > 2**31 - 1 else np.int32)
    ip[: n + 1] = indptr
    ip[n + 1] = indptr[-1] + k
    ind = np.concatenate([indices, np.asarray(source_states, dtype=indices.dtype)])
    w = np.concatenate([weights, np.asarray(source_costs, dtype=float)])
    graph = csr_array((w, ind, ip), shape=(n + 1, n + 1))
    dist, pred, _ = dijkstra(graph, directed=True, indices=n, return_predecessors=True, limit=limit, min_only=True)
    return dist[:n], pred[:n]


def _heap(indptr, indices, weights, source_states, source_costs, limit, targets=None):  # noqa: ANN001, ANN202
    dist, pred = heap_tree(
        indptr.tolist(), indices.tolist(), weights.tolist(), source_states, source_costs, limit, targets
    )
    return np.array(dist), np.array(pred, dtype=np.int32)


def heap_tree(
    ip: list[int],
    ind: list[int],
    w: list[float],
    source_states: Sequence[int],
    source_costs: Sequence[float],
    limit: float = math.inf,
    targets: Mapping[int, float] | None = None,
) -> tuple[list[float], list[int]]:
    """The heap engine of :func:`shortest_tree` on a graph given as lists (``indptr``,
    ``indices`` and weights of its CSR rows), answering with lists: for a caller that
    searches one small graph many times and converts it once."""
    n = len(ip) - 1
    dist = [math.inf] * n
    pred = [-9999] * n
    done = [False] * n
    heap: list[tuple[float, int, int]] = []
    for s, c in zip(source_states, source_costs):
        s, c = int(s), float(c)
        if c < dist[s] and c <= limit:
            dist[s] = c
            pred[s] = n
            heapq.heappush(heap, (c, s, n))
    best = math.inf
    while heap:
        d, s, _ = heapq.heappop(heap)
        if d >= best:
            break  # every path still to settle costs at least d: none ends cheaper than best
        if done[s] or d > dist[s]:
            continue
        done[s] = True
        if targets is not None and s in targets:
            best = min(best, d + targets[s])
        for j in range(ip[s], ip[s + 1]):
            t = ind[j]
            nd = d + w[j]
            if nd < dist[t] and nd <= limit:
                dist[t] = nd
                pred[t] = s
                heapq.heappush(heap, (nd, t, s))
    return dist, pred
