"""The rail network: a networkx graph built from line features, snapping, and routing.

Two graphs are kept. ``graph`` is the station-level :class:`networkx.MultiGraph`: a node at
every station or junction a line lists, an edge between consecutive stations of a line
with its geometry, its railway length (from kilometre posts, see :func:`line_chainage`)
and geodesic length in km, gauge and line. Lines connect only where they
name the same station; lines that merely cross do not. ``routing`` is the same network
with chains of degree-2 nodes contracted to single edges (parallel chains kept), which is
what queries run on; the geometry of each chain is kept for drawing and for cutting
routes that start or end inside a chain.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
from geographiclib.geodesic import Geodesic
from shapely import STRtree
from shapely.geometry import LineString
from shapely.geometry import Point as SPoint

from .data import LineFeature
from .errors import NoRoute
from .model import Place, Route

__all__ = [
    "Chain",
    "Chainage",
    "Position",
    "RailNetwork",
    "build_network",
    "geodesic_km",
    "nearest_vertex",
    "polyline_km",
    "line_chainage",
    "join_routes",
    "POST_SLACK_KM",
]

log = logging.getLogger(__name__)
_WGS84 = Geodesic.WGS84
POST_SLACK_KM = 1.0  # station points sit up to ~0.5 km off their kilometre post


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance on the WGS84 ellipsoid, in km.

    >>> round(geodesic_km(0, 0, 0, 1), 3)
    111.319
    """
    return float(_WGS84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"]) / 1000.0


_A_KM = 6378.137  # WGS84 semi-major axis
_E2 = 0.00669437999014  # WGS84 first eccentricity squared


def polyline_km(coords: Sequence[tuple[float, float]]) -> np.ndarray:
    """Cumulative km at each vertex of a (lat, lon) polyline on the WGS84 ellipsoid, from 0.

    Each segment uses the ellipsoid's meridional and prime-vertical radii of curvature at
    its mid-latitude: for segments of tens of km this agrees with the exact geodesic
    (:func:`geodesic_km`) to better than 0.01 % and runs vectorised, which keeps loading
    the network fast.

    >>> round(float(polyline_km([(50.0, 120.0), (50.0, 120.1), (50.1, 120.1)])[-1]), 3)
    18.293
    """
    if len(coords) < 2:
        return np.zeros(len(coords))
    pts = np.radians(np.asarray(coords, dtype=float))
    lat, lon = pts[:, 0], pts[:, 1]
    mid = (lat[1:] + lat[:-1]) / 2
    w = 1 - _E2 * np.sin(mid) ** 2
    meridional = _A_KM * (1 - _E2) / w**1.5
    normal = _A_KM / np.sqrt(w)
    seg = np.hypot(meridional * np.diff(lat), normal * np.cos(mid) * np.diff(lon))
    return np.concatenate([[0.0], np.cumsum(seg)])


def nearest_vertex(coords: Sequence[tuple[float, float]], lat: float, lon: float) -> tuple[float, int]:
    """(geodesic km, index) of the vertex of ``coords`` nearest to (lat, lon).

    All vertices are ranked at once on the sphere (vectorised); only those that could beat
    the best by the sphere's error (< 0.6 %) are measured exactly on the ellipsoid.

    >>> nearest_vertex([(50.0, 120.0), (50.0, 121.0), (51.0, 121.0)], 50.9, 121.1)[1]
    2
    """
    if not len(coords):
        raise ValueError("no vertices")
    pts = np.radians(np.asarray(coords, dtype=float))
    p1, l1 = math.radians(lat), math.radians(lon)
    h = np.sin((pts[:, 0] - p1) / 2) ** 2 + math.cos(p1) * np.cos(pts[:, 0]) * np.sin((pts[:, 1] - l1) / 2) ** 2
    approx = 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    cands = np.flatnonzero(approx <= approx.min() * 1.012 + 1e-6)
    best = min((geodesic_km(lat, lon, *coords[int(i)]), int(i)) for i in cands)
    return best


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


@dataclass(frozen=True)
class Chainage:
    """Distances along one line, per vertex, from its first vertex."""

    geodesic: np.ndarray  # km of the drawn geometry
    rail: np.ndarray  # railway km: kilometre posts where the line has them
    factor: float  # posted km per geodesic km (or the default for a line without posts)
    posts: tuple[tuple[int, float], ...]  # (vertex, km) posts used
    ignored: tuple[tuple[int, float], ...]  # (vertex, km) posts found inconsistent


def line_chainage(line: LineFeature, default_factor: float = 1.0) -> Chainage:
    """Geodesic and railway km at each vertex of a line.

    The railway km interpolates the line's kilometre posts (vertices with ``km``):
    between two posts, the posts' difference is shared out in proportion to geometry;
    before the first and after the last post, geometry is scaled by the line's own ratio
    of posted km to geodesic km (``default_factor`` for a line with fewer than two posts).
    Posts that run backwards, or imply track shorter than 97 % of its drawn geometry
    less :data:`POST_SLACK_KM`, are not used, and are listed in ``ignored``.
    """
    g = polyline_km([(v.lat, v.lon) for v in line.vertices])
    posts = [(i, v.km) for i, v in enumerate(line.vertices) if v.km is not None]
    sign = math.copysign(1.0, posts[-1][1] - posts[0][1]) if len(posts) >= 2 else 1.0
    good: list[tuple[int, float]] = []
    ignored: list[tuple[int, float]] = []
    for i, km in posts:
        if good:
            j, kj = good[-1]
            dk, dg = (km - kj) * sign, g[i] - g[j]
            if dk <= 0 or dk < 0.97 * dg - POST_SLACK_KM:
                ignored.append((i, km))
                log.debug("line %s: km post %s at vertex %d not used (inconsistent)", line.id, km, i)
                continue
        good.append((i, km))
    if len(good) < 2:
        return Chainage(g, g * default_factor, default_factor, tuple(good), tuple(ignored))
    (first, k_first), (last, k_last) = good[0], good[-1]
    span = g[last] - g[first]
    factor = abs(k_last - k_first) / span if span > 0 else default_factor
    r = np.empty_like(g)
    r[: first + 1] = (g[: first + 1] - g[first]) * factor
    for (p, kp), (q, kq) in zip(good, good[1:]):
        seg = g[q] - g[p]
        frac = (g[p + 1 : q + 1] - g[p]) / seg if seg > 0 else np.ones(q - p)
        r[p + 1 : q + 1] = r[p] + abs(kq - kp) * frac
    r[last:] = r[last] + (g[last:] - g[last]) * factor
    return Chainage(g, r - r[0], factor, tuple(good), tuple(ignored))


SPARSE_KM = 2.0  # mean vertex spacing above which a line is drawn station to station


def _sparse(c: Chainage) -> bool:
    return len(c.geodesic) < 2 or c.geodesic[-1] / (len(c.geodesic) - 1) > SPARSE_KM


def default_factor(posted: Sequence[tuple[bool, float]], sparse: bool) -> float:
    """Posted km per drawn km for a line without kilometre posts.

    The median over lines with posts that are drawn as densely as it: a GPS track measures
    within a percent of its posts, a station-to-station polyline some 25 % short, so one
    median for both would suit neither. Falls back to all lines, then to 1.

    >>> default_factor([(True, 1.2), (True, 1.3), (False, 1.01)], sparse=True)
    1.25
    >>> default_factor([(True, 1.2), (False, 1.01)], sparse=False)
    1.01
    """
    alike = [f for s, f in posted if s == sparse] or [f for _, f in posted]
    return float(np.median(alike)) if alike else 1.0


def build_network(lines: Sequence[LineFeature], places: Iterable[Place]) -> RailNetwork:
    """Build the station graph from line features, then contract degree-2 chains.

    Each edge carries ``length_km`` (railway km, from kilometre posts where the line has
    them, see :func:`line_chainage`) and ``geom_km`` (the geodesic length of its drawn
    geometry). Lines without posts are scaled by :func:`default_factor`.
    """
    by_id = {p.id: p for p in places}
    main = {p.station for p in by_id.values() if p.station} | {p.id for p in by_id.values() if p.kind == "junction"}
    chainage = {line.id: line_chainage(line) for line in lines}
    posted = [(_sparse(c), c.factor) for c in chainage.values() if len(c.posts) >= 2]
    G = nx.MultiGraph()
    for line in lines:
        ch = chainage[line.id]
        if len(ch.posts) < 2:
            ch = line_chainage(line, default_factor=default_factor(posted, _sparse(ch)))
        g, r, factor = ch.geodesic, ch.rail, ch.factor
        lo, hi = (ch.posts[0][0], ch.posts[-1][0]) if len(ch.posts) >= 2 else (0, -1)
        refs = [i for i, v in enumerate(line.vertices) if v.ref]
        for i, j in zip(refs, refs[1:]):
            verts = line.vertices[i : j + 1]
            coords = [(v.lat, v.lon) for v in verts]
            u, v = verts[0].ref, verts[-1].ref
            assert u is not None and v is not None
            for n in (u, v):
                if n not in G:
                    p = by_id[n]
                    G.add_node(n, lat=p.lat, lon=p.lon, name=p.name, main=n in main, kind=p.kind)
            G.add_edge(
                u,
                v,
                key=f"{line.id}:{i}",
                line=line.id,
                line_name=line.name,
                gauge=line.gauges,
                length_km=float(r[j] - r[i]),
                geom_km=float(g[j] - g[i]),
                basis="kilometre posts" if lo <= i and j <= hi else "geometry x line factor",
                factor=factor,
                coords=coords,
                cum=[float(x - r[i]) for x in r[i : j + 1]],
                start=u,
            )
    for n in G:
        if G.degree(n) != 2:
            G.nodes[n]["main"] = True
    routing, chains, node_chain = contract(G)
    return RailNetwork(G, routing, chains, node_chain, {line.id: line for line in lines})


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
