"""Contract chains of degree-2 nodes into routing edges, on arrays (parallel chains kept).

A *routing node* is a node of degree other than 2, a node where the track's attributes
that routing cares about change (gauge, yard or spur, electrification), or a node the
caller forces (a bogie exchange). A *chain* is the run of edges between two routing
nodes through nodes of degree 2. Chains are found by pointer jumping over edge ends, so
a million edges take a handful of numpy passes, not a Python loop per edge.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

import numpy as np

__all__ = ["Chains", "contract", "bridges"]


@dataclass(frozen=True, eq=False)
class Chains:
    """The contraction: edges reordered chain by chain, each oriented along its chain.

    ``order[i]`` is the input edge that becomes edge ``i``; ``flip[i]`` says it runs
    v → u in its chain; ``offsets`` (one more than chains) delimits each chain's edges;
    ``routing`` marks the routing nodes.
    """

    order: np.ndarray
    flip: np.ndarray
    offsets: np.ndarray
    routing: np.ndarray


def _pair_ends(node_of_end: np.ndarray, interior: np.ndarray) -> np.ndarray:
    """For each edge end at an interior node, the other edge end at that node (else -1)."""
    partner = np.full(len(node_of_end), -1, dtype=node_of_end.dtype)
    ends = np.flatnonzero(interior[node_of_end])
    ends = ends[np.argsort(node_of_end[ends], kind="stable")]
    a, b = ends[0::2], ends[1::2]
    partner[a], partner[b] = b, a
    return partner


def _jump(succ: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pointer jumping on a successor array: steps to the end, the end, the least index
    seen, and which elements never reach an end (they lie on cycles)."""
    n = len(succ)
    idx = np.arange(n, dtype=succ.dtype)
    dist = (succ != -1).astype(succ.dtype)
    tail = np.where(succ == -1, idx, succ)
    low = np.where(succ == -1, idx, np.minimum(idx, succ))
    nxt = succ.copy()
    for _ in range(int(np.ceil(np.log2(max(n, 2)))) + 2):
        m = np.flatnonzero(nxt != -1)
        if not len(m):
            break
        j = nxt[m]
        dist[m] += dist[j]
        tail[m] = tail[j]
        low[m] = np.minimum(low[m], low[j])
        nxt[m] = nxt[j]
    return dist, tail, low, nxt != -1


def contract(n_nodes: int, u: np.ndarray, v: np.ndarray, klass: np.ndarray, force: np.ndarray) -> Chains:
    """Chains of the graph with ``n_nodes`` nodes and edges ``u``–``v``.

    ``klass`` is a per-edge key: a degree-2 node whose two edges differ in it stays a
    routing node; ``force`` marks nodes that must stay routing nodes anyway.

    >>> c = contract(4, np.array([0, 1, 2]), np.array([1, 2, 3]), np.zeros(3), np.zeros(4, bool))
    >>> c.order.tolist(), c.flip.tolist(), c.offsets.tolist(), c.routing.tolist()
    ([0, 1, 2], [False, False, False], [0, 3], [True, False, False, True])
    """
    # int32 halves the memory of a million-edge contraction (2**31 edge ends is far off)
    it = np.int32 if 2 * len(u) < 2**31 - 1 and n_nodes < 2**31 - 1 else np.int64
    u, v = np.asarray(u, dtype=it), np.asarray(v, dtype=it)
    e = len(u)
    node_of_end = np.empty(2 * e, dtype=it)
    node_of_end[0::2], node_of_end[1::2] = u, v
    deg = np.bincount(node_of_end, minlength=n_nodes)
    routing = (deg != 2) | np.asarray(force, dtype=bool)
    routing[u[u == v]] = True  # a loop's node
    # a degree-2 node between edges of different classes
    klass = np.asarray(klass)
    ends = np.argsort(node_of_end, kind="stable")
    at = node_of_end[ends]
    ends //= 2  # the edge of each end
    differ = (at[:-1] == at[1:]) & (klass[ends[:-1]] != klass[ends[1:]])
    routing[at[:-1][differ]] = True
    del ends, at, differ  # each step lets go of what it is done with: a big build's memory
    while True:
        partner = _pair_ends(node_of_end, ~routing)
        # entering edge e at end s, it is left at end s^1; the next element enters the
        # edge that meets it there, unless that node is a routing node
        succ = partner[np.arange(2 * e, dtype=partner.dtype) ^ 1]
        del partner
        dist, tail, low, cyclic = _jump(succ)
        del succ
        if not cyclic.any():
            break
        # a ring of degree-2 nodes: make the node at its least edge end a routing node
        routing[np.unique(node_of_end[low[cyclic]])] = True
    del low, cyclic
    starts = np.flatnonzero(routing[node_of_end])
    reverse_start = tail[starts] ^ 1
    canon = np.unique(np.minimum(starts, reverse_start))
    del starts, reverse_start
    chain_of_tail = np.full(2 * e, -1, dtype=it)
    chain_of_tail[tail[canon]] = np.arange(len(canon))
    member = np.flatnonzero(chain_of_tail[tail] >= 0)
    chain = chain_of_tail[tail[member]]
    del chain_of_tail, tail
    by = np.lexsort((-dist[member], chain))
    del dist
    member, chain = member[by], chain[by]
    del by
    counts = np.bincount(chain, minlength=len(canon))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    if len(member) != e:  # every edge lies on exactly one chain
        raise AssertionError(f"contraction covered {len(member)} of {e} edges")
    return Chains(
        order=(member // 2).astype(np.int64), flip=(member % 2).astype(bool), offsets=offsets, routing=routing
    )


def _int64s(a: np.ndarray) -> array[int]:
    return array("q", a.astype(np.int64).tobytes())


def bridges(n_nodes: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Which edges of the multigraph (``u[i]``–``v[i]``) are bridges: removing one
    disconnects its ends, so every path between them runs along it.

    Parallel edges and loops are never bridges. Tarjan's low-link, iterative (a country's
    network is far deeper than Python's recursion limit).

    >>> bridges(4, np.array([0, 1, 1, 2]), np.array([1, 2, 2, 3])).tolist()
    [True, False, False, True]
    """
    m = len(u)
    ends = np.concatenate([u, v]).astype(np.int64)
    order = np.argsort(ends, kind="stable")
    # machine integers, not lists of Python ints: a fifth of the memory at a million stations
    other = _int64s(np.concatenate([v, u])[order])
    edge = _int64s(np.concatenate([np.arange(m), np.arange(m)])[order])
    indptr = _int64s(np.searchsorted(ends[order], np.arange(n_nodes + 1)))
    del ends, order
    disc = array("q", [-1]) * n_nodes
    low = array("q", [0]) * n_nodes
    out = np.zeros(m, dtype=bool)
    clock = 0
    for root in range(n_nodes):
        if disc[root] >= 0:
            continue
        disc[root] = low[root] = clock
        clock += 1
        stack = [(root, -1, indptr[root])]  # (node, the edge it was reached by, next adjacency slot)
        while stack:
            x, via, k = stack[-1]
            if k < indptr[x + 1]:
                stack[-1] = (x, via, k + 1)
                y, e = other[k], edge[k]
                if e == via:
                    continue
                if disc[y] < 0:
                    disc[y] = low[y] = clock
                    clock += 1
                    stack.append((y, e, indptr[y]))
                else:
                    low[x] = min(low[x], disc[y])
                continue
            stack.pop()
            if stack:
                p = stack[-1][0]
                low[p] = min(low[p], low[x])
                if low[x] > disc[p]:
                    out[via] = True
    return out
