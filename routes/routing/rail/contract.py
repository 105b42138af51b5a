"""Contract chains of degree-2 stations into single routing edges (parallel chains kept)."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

__all__ = ["Chain", "contract"]


@dataclass
class Chain:
    """A contracted edge: consecutive full edges between two nodes of degree other than 2."""

    id: int
    u: str
    v: str
    edges: list[tuple[str, str, str]]  # full-graph edges, each oriented along the chain
    coords: np.ndarray  # (n, 2) lat, lon, oriented u -> v
    cum_km: np.ndarray  # (n,) km from u
    nodes: list[tuple[str, float]]  # (node, km from u), u and v included
    edge_km: list[tuple[float, float]]  # km interval of each edge along the chain

    @property
    def km(self) -> float:
        return float(self.cum_km[-1])

    def cut(self, a: float, b: float) -> tuple[list[tuple[float, float]], list[float]]:
        """Coordinates of the chain between km ``a`` and ``b`` (reversed when b < a),
        with the chain km of each coordinate."""
        lo, hi = min(a, b), max(a, b)
        i0 = int(np.searchsorted(self.cum_km, lo, side="right"))
        i1 = int(np.searchsorted(self.cum_km, hi, side="left"))
        pts = [self.at(lo)] + [(float(self.coords[i, 0]), float(self.coords[i, 1])) for i in range(i0, i1)]
        kms = [lo] + [float(self.cum_km[i]) for i in range(i0, i1)]
        pts.append(self.at(hi))
        kms.append(hi)
        return (pts, kms) if a <= b else (pts[::-1], kms[::-1])

    def at(self, km: float) -> tuple[float, float]:
        km = min(max(km, 0.0), self.km)
        i = int(np.searchsorted(self.cum_km, km, side="right")) - 1
        i = min(max(i, 0), len(self.cum_km) - 2)
        seg = self.cum_km[i + 1] - self.cum_km[i]
        f = 0.0 if seg <= 0 else (km - self.cum_km[i]) / seg
        lat = self.coords[i, 0] + f * (self.coords[i + 1, 0] - self.coords[i, 0])
        lon = self.coords[i, 1] + f * (self.coords[i + 1, 1] - self.coords[i, 1])
        return float(lat), float(lon)

    def edges_between(self, a: float, b: float) -> list[tuple[str, str, str]]:
        lo, hi = min(a, b), max(a, b)
        out = [e for e, (s, t) in zip(self.edges, self.edge_km) if t > lo + 1e-9 and s < hi - 1e-9]
        return out if a <= b else out[::-1]


def _oriented(G: nx.MultiGraph, e: tuple[str, str, str], frm: str) -> list[tuple[float, float]]:
    d = G.edges[e]
    return list(d["coords"]) if d["start"] == frm else list(d["coords"])[::-1]


def contract(G: nx.MultiGraph) -> tuple[nx.MultiGraph, dict[int, Chain], dict[str, tuple[int, float]]]:
    """Contract chains of degree-2 nodes; keep parallel chains as parallel edges."""
    keep = {n for n in G if G.degree(n) != 2}
    H = nx.MultiGraph()
    H.add_nodes_from((n, G.nodes[n]) for n in keep)
    chains: dict[int, Chain] = {}
    node_chain: dict[str, tuple[int, float]] = {}
    used: set[tuple[str, str, str]] = set()

    def walk(start: str, first: tuple[str, str, str]) -> None:
        edges: list[tuple[str, str, str]] = []
        coords: list[tuple[float, float]] = []
        nodes: list[tuple[str, float]] = [(start, 0.0)]
        edge_km: list[tuple[float, float]] = []
        cums: list[float] = []
        cur, e = start, first
        km = 0.0
        while True:
            used.add(_ekey(e))
            nxt = e[1] if e[0] == cur else e[0]
            part = _oriented(G, e, cur)
            coords.extend(part if not coords else part[1:])
            length = G.edges[e]["length_km"]
            cum = G.edges[e]["cum"]
            if G.edges[e]["start"] != cur:
                cum = [length - x for x in cum[::-1]]
            cums.extend(km + x for x in (cum if len(cums) == 0 else cum[1:]))
            edge_km.append((km, km + length))
            km += length
            edges.append((cur, nxt, e[2]))
            nodes.append((nxt, km))
            if nxt in keep or nxt == start:
                break
            cur = nxt
            nexts = [x for x in G.edges(cur, keys=True) if _ekey(x) not in used]
            if not nexts:
                break
            e = nexts[0]
        arr = np.asarray(coords, dtype=float)
        cid = len(chains)
        ch = Chain(cid, start, nodes[-1][0], edges, arr, np.asarray(cums), nodes, edge_km)
        chains[cid] = ch
        for n, k in nodes[1:-1]:
            node_chain[n] = (cid, k)
        H.add_edge(ch.u, ch.v, key=cid, chain=cid, length=ch.km)

    for n in keep:
        for e in G.edges(n, keys=True):
            if _ekey(e) not in used:
                walk(n, e)
    # pure cycles of degree-2 nodes: cut at an arbitrary node
    for e in G.edges(keys=True):
        if _ekey(e) not in used:
            n = e[0]
            keep.add(n)
            H.add_node(n, **G.nodes[n])
            walk(n, e)
    return H, chains, node_chain


def _ekey(e: tuple[str, str, str]) -> tuple[str, str, str]:
    u, v, k = e
    return (u, v, k) if u <= v else (v, u, k)
