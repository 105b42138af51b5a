"""The rail network: the station graph, its contraction for routing, snapping and routes.

``graph`` is the station-level :class:`networkx.MultiGraph` (see :mod:`.build`);
``routing`` is the same network with chains of degree-2 nodes contracted to single edges
(parallel chains kept), which is what queries run on; the geometry of each chain is kept
for drawing and for cutting routes that start or end inside a chain.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
from shapely import STRtree
from shapely.geometry import LineString
from shapely.geometry import Point as SPoint

from ...errors import NoRoute
from ...geo import geodesic_km
from ...model import Place, Route
from ...sources.bundled import LineFeature
from .contract import Chain

__all__ = ["Position", "RailNetwork", "join_routes"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Position:
    """Where a place sits on the network: a routing node, or a km offset on a chain."""

    node: str | None = None
    chain: int | None = None
    km: float = 0.0
    snap_km: float = 0.0  # how far the place itself lies from this point
    lat: float = 0.0
    lon: float = 0.0


@dataclass
class RailNetwork:
    """The station graph, its contraction for routing, and the line metadata."""

    graph: nx.MultiGraph
    routing: nx.MultiGraph
    chains: dict[int, Chain]
    node_chain: dict[str, tuple[int, float]]
    lines: dict[str, LineFeature]
    _tree: STRtree | None = field(default=None, repr=False)
    _tree_chains: list[int] = field(default_factory=list, repr=False)

    # --------------------------------------------------------------- snapping
    def position_of_node(self, node: str) -> Position:
        d = self.graph.nodes[node]
        if node in self.routing:
            return Position(node=node, lat=d["lat"], lon=d["lon"])
        cid, km = self.node_chain[node]
        return Position(chain=cid, km=km, lat=d["lat"], lon=d["lon"])

    def nearest(self, lat: float, lon: float) -> Position:
        """The point of the network nearest to (lat, lon)."""
        if self._tree is None:
            geoms = []
            for cid, ch in self.chains.items():
                geoms.append(LineString([(x[1], x[0]) for x in ch.coords]))
                self._tree_chains.append(cid)
            self._tree = STRtree(geoms)
        if not self._tree_chains:
            raise NoRoute("the rail network is empty")
        pt = SPoint(lon, lat)
        best: Position | None = None
        # nearest in degrees first, then refine by geodesic km among a few neighbours
        idx = self._tree.query_nearest(pt, all_matches=True)
        near = set(int(i) for i in np.atleast_1d(idx))
        cands = self._tree.query(pt.buffer(1.0))
        near.update(int(i) for i in np.atleast_1d(cands))
        for i in near:
            ch = self.chains[self._tree_chains[i]]
            geom = self._tree.geometries[i]
            f = geom.project(pt, normalized=True)
            # map the fraction of degree-length to km via per-vertex cumulative degree length
            deg = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(ch.coords[:, 0]), np.diff(ch.coords[:, 1])))])
            km = float(np.interp(f * deg[-1], deg, ch.cum_km)) if deg[-1] > 0 else 0.0
            plat, plon = ch.at(km)
            d = geodesic_km(lat, lon, plat, plon)
            if best is None or d < best.snap_km:
                best = Position(chain=ch.id, km=km, snap_km=d, lat=plat, lon=plon)
        assert best is not None
        for end, k in ((self.chains[best.chain].u, 0.0), (self.chains[best.chain].v, self.chains[best.chain].km)):  # type: ignore[index]
            if abs(best.km - k) < 1e-6:
                return Position(node=end, snap_km=best.snap_km, lat=best.lat, lon=best.lon)
        return best

    def snap(self, place: Place, max_km: float = 50.0) -> Position | None:
        """A station to its node, a town to its station, anything else to the nearest track.

        Returns ``None`` when the nearest track is more than ``max_km`` away.
        """
        if place.id in self.graph:
            return self.position_of_node(place.id)
        if place.station and place.station in self.graph:
            pos = self.position_of_node(place.station)
            snap = geodesic_km(place.lat, place.lon, pos.lat, pos.lon)
            return Position(pos.node, pos.chain, pos.km, snap, pos.lat, pos.lon)
        pos = self.nearest(place.lat, place.lon)
        return pos if pos.snap_km <= max_km else None

    # --------------------------------------------------------------- routing
    def route(
        self,
        a: Position,
        b: Position,
        avoid: Iterable[str] = (),
        penalties: dict[int, float] | None = None,
    ) -> Route:
        """The shortest rail route from ``a`` to ``b``; raises :class:`NoRoute`."""
        pieces = self._pieces(a, b, frozenset(avoid), penalties or {})
        return self._route_from(pieces, a, b)

    def alternatives(
        self,
        a: Position,
        b: Position,
        k: int = 2,
        max_overlap: float = 0.8,
        max_stretch: float = 2.0,
        avoid: Iterable[str] = (),
    ) -> list[Route]:
        """Up to ``k`` routes other than the shortest that differ materially from it.

        The penalty method on the contracted graph: after each route, the chains it
        uses cost more, and the next shortest path is accepted when it shares less than
        ``max_overlap`` of its length with every route already found and is at most
        ``max_stretch`` times the shortest.
        """
        avoid_set = frozenset(avoid)
        best_pieces = self._pieces(a, b, avoid_set, {})
        best = self._route_from(best_pieces, a, b)
        found: list[tuple[Route, list[tuple[int, float, float]]]] = [(best, best_pieces)]
        penalties: dict[int, float] = {}
        out: list[Route] = []
        for _ in range(4 * k + 4):
            if len(out) >= k:
                break
            for cid, _s, _t in found[-1][1]:
                if cid >= 0:
                    penalties[cid] = penalties.get(cid, 1.0) * 1.6
            try:
                pieces = self._pieces(a, b, avoid_set, penalties)
            except NoRoute:
                break
            r = self._route_from(pieces, a, b)
            if r.km > max_stretch * best.km + 1e-9:
                break
            if all(_overlap(pieces, p) < max_overlap * r.km for _, p in found):
                found.append((r, pieces))
                out.append(r)
            else:
                found.append((r, pieces))
        return out

    def _pieces(
        self, a: Position, b: Position, avoid: frozenset[str], penalties: dict[int, float]
    ) -> list[tuple[int, float, float]]:
        """Shortest path as chain pieces ``(chain id, km from, km to)``."""
        H = self.routing
        blocked = {cid for cid, ch in self.chains.items() if any(n in avoid for n, _ in ch.nodes)}
        added: list[str] = []
        virt: dict[tuple[str, str], list[tuple[float, int, float, float]]] = {}

        def endpoint(pos: Position, name: str) -> str:
            if pos.node is not None:
                if pos.node in avoid:
                    raise NoRoute(f"{pos.node} is on the avoid list")
                return pos.node
            assert pos.chain is not None
            ch = self.chains[pos.chain]
            H.add_node(name)
            added.append(name)
            for end, km, end_km in ((ch.u, pos.km, 0.0), (ch.v, ch.km - pos.km, ch.km)):
                if pos.chain in blocked:
                    # only the part of the chain between this point and `end` is blocked
                    lo, hi = min(pos.km, end_km), max(pos.km, end_km)
                    if any(n in avoid and lo - 1e-9 <= k <= hi + 1e-9 for n, k in ch.nodes):
                        continue
                key = f"v{name}{end_km}"
                H.add_edge(name, end, key=key, length=km, virtual=True)
                virt.setdefault((name, end), []).append((km, pos.chain, pos.km, end_km))
            return name

        try:
            s = endpoint(a, "@start")
            t = endpoint(b, "@end")
            if a.chain is not None and a.chain == b.chain:
                H.add_edge(s, t, key="direct", length=abs(a.km - b.km), virtual=True)
                virt.setdefault((s, t), []).append((abs(a.km - b.km), a.chain, a.km, b.km))
            if s == t:
                return []

            def weight(u: str, v: str, d: dict) -> float | None:
                best = None
                for attrs in d.values():
                    cid = attrs.get("chain")
                    if cid is not None and cid in blocked:
                        continue
                    w = attrs["length"] * (penalties.get(cid, 1.0) if cid is not None else 1.0)
                    if best is None or w < best:
                        best = w
                return best

            try:
                _, path = nx.bidirectional_dijkstra(H, s, t, weight=weight)
            except (nx.NetworkXNoPath, nx.NodeNotFound) as err:
                raise NoRoute("no rail connection") from err
            pieces: list[tuple[int, float, float]] = []
            for u, v in zip(path, path[1:]):
                best_attrs = None
                best_w = math.inf
                for attrs in H[u][v].values():
                    cid = attrs.get("chain")
                    if cid is not None and cid in blocked:
                        continue
                    w = attrs["length"] * (penalties.get(cid, 1.0) if cid is not None else 1.0)
                    if w < best_w:
                        best_w, best_attrs = w, attrs
                assert best_attrs is not None
                if best_attrs.get("virtual"):
                    pieces.append(_virtual_piece(virt, u, v, best_attrs["length"]))
                else:
                    ch = self.chains[best_attrs["chain"]]
                    pieces.append((ch.id, 0.0, ch.km) if u == ch.u else (ch.id, ch.km, 0.0))
            return pieces
        finally:
            for n in added:
                H.remove_node(n)

    def _route_from(self, pieces: list[tuple[int, float, float]], a: Position, b: Position) -> Route:
        coords: list[tuple[float, float]] = []
        cum: list[float] = []
        nodes: list[str] = []
        edges: list[tuple[str, str, str]] = []
        km = 0.0
        for cid, s, t in pieces:
            ch = self.chains[cid]
            part, kms = ch.cut(s, t)
            along = [km + abs(k - s) for k in kms]
            if coords:
                part, along = part[1:], along[1:]
            coords.extend(part)
            cum.extend(along)
            km += abs(t - s)
            lo, hi = min(s, t), max(s, t)
            passed = [n for n, k in ch.nodes if lo - 1e-6 <= k <= hi + 1e-6]
            if s > t:
                passed.reverse()
            for n in passed:
                if not nodes or nodes[-1] != n:
                    nodes.append(n)
            part_edges = ch.edges_between(s, t)
            # orient every edge in the direction of travel
            edges.extend(part_edges if s <= t else [(v, u, k) for u, v, k in part_edges])
        if not coords:
            coords, cum = [(a.lat, a.lon)], [0.0]
        lines: list[str] = []
        for e in edges:
            line = self.graph.edges[e]["line"]
            if not lines or lines[-1] != line:
                lines.append(line)
        return Route(
            nodes=tuple(nodes),
            km=km,
            coords=tuple(coords),
            lines=tuple(lines),
            gauge_breaks=tuple(self._gauge_breaks(edges)),
            via=tuple(n for n in nodes if self.graph.nodes[n].get("main")),
            edges=tuple(edges),
            cum_km=tuple(cum),
        )

    def _gauge_breaks(self, edges: Sequence[tuple[str, str, str]]) -> list[str]:
        """Nodes where no gauge runs on from the track before: bogies must change there.

        ``edges`` are oriented in the direction of travel.
        """
        out: list[str] = []
        running: frozenset[str] | None = None
        for u, _v, k in edges:
            g = self.graph.edges[u, _v, k]["gauge"]
            if running is None:
                running = g
            elif running & g:
                running = running & g
            else:
                out.append(u)
                running = g
        return out

    # --------------------------------------------------------------- facts
    def info(self) -> dict[str, Any]:
        G = self.graph
        total = sum(d["length_km"] for _, _, d in G.edges(data=True))
        comps = sorted((len(c) for c in nx.connected_components(G)), reverse=True)
        lines = []
        for lid, line in self.lines.items():
            km = sum(d["length_km"] for _, _, d in G.edges(data=True) if d["line"] == lid)
            geom = sum(d["geom_km"] for _, _, d in G.edges(data=True) if d["line"] == lid)
            stations = sum(1 for v in line.vertices if v.ref)
            lines.append(
                {
                    "id": lid,
                    "name": line.name,
                    "name_local": line.name_local,
                    "gauge": line.gauge,
                    "km": round(km, 1),
                    "geometry_km": round(geom, 1),
                    "kilometre_posts": sum(1 for v in line.vertices if v.km is not None),
                    "stations": stations,
                    "source": line.source,
                }
            )
        return {
            "lines": lines,
            "total_km": round(total, 1),
            "total_geometry_km": round(sum(d["geom_km"] for _, _, d in G.edges(data=True)), 1),
            "stations": G.number_of_nodes(),
            "edges": G.number_of_edges(),
            "routing_nodes": self.routing.number_of_nodes(),
            "routing_edges": self.routing.number_of_edges(),
            "components": comps,
            "sources": sorted({line.source for line in self.lines.values() if line.source}),
        }


def join_routes(routes: Sequence[Route]) -> Route:
    """One route running through ``routes`` in turn (each starting where the last ended).

    Lines and main stations are listed once each, in order; a break of gauge where two
    routes meet is not looked for (each route's own breaks are kept).
    """
    nodes: list[str] = []
    coords: list[tuple[float, float]] = []
    cum: list[float] = []
    total = 0.0
    for r in routes:
        start = 1 if coords else 0
        nodes.extend(n for n in r.nodes if not nodes or n != nodes[-1])
        coords.extend(r.coords[start:])
        cum.extend(total + k for k in r.cum_km[start:])
        total += r.km
    return Route(
        nodes=tuple(nodes),
        km=total,
        coords=tuple(coords),
        lines=tuple(dict.fromkeys(x for r in routes for x in r.lines)),
        gauge_breaks=tuple(x for r in routes for x in r.gauge_breaks),
        via=tuple(dict.fromkeys(x for r in routes for x in r.via)),
        edges=tuple(e for r in routes for e in r.edges),
        cum_km=tuple(cum),
    )


def _virtual_piece(virt, u, v, length):  # noqa: ANN001, ANN202 - internal helper
    for key in ((u, v), (v, u)):
        for km, cid, start_km, end_km in virt.get(key, []):
            if abs(km - length) < 1e-9:
                if key == (u, v):
                    return (cid, start_km, end_km)
                return (cid, end_km, start_km)
    raise AssertionError("virtual edge without a record")


def _overlap(p: list[tuple[int, float, float]], q: list[tuple[int, float, float]]) -> float:
    total = 0.0
    for c1, a1, b1 in p:
        for c2, a2, b2 in q:
            if c1 == c2:
                lo = max(min(a1, b1), min(a2, b2))
                hi = min(max(a1, b1), max(a2, b2))
                total += max(0.0, hi - lo)
    return total
