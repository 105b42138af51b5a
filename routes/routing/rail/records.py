"""The plain records a rail network is built from: nodes and edges as flat arrays.

Every source feeds the same builder (:func:`.build.build_arrays`) with one
:class:`NetworkRecords`: the bundled gazetteer lines through :func:`records_from_lines`,
an OpenStreetMap extract through its importer, the benchmarks' synthetic networks
directly. Nothing here needs a graph library.

Codes are small integers so that a million edges stay a few MB; the tuples below name
them, and a store keeps the tuples it was built with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...errors import DataError
from ...model import Place
from ...sources.bundled import LineFeature
from .chainage import Chainage, default_factor, is_sparse, line_chainage

__all__ = [
    "NODE_KINDS",
    "EDGE_MODES",
    "SERVICES",
    "USAGES",
    "UNKNOWN",
    "NetworkRecords",
    "records_from_lines",
    "gauge_bits",
]

NODE_KINDS = ("switch", "station", "junction")  # a switch is track meeting track, with no station
SERVICES = ("", "yard", "spur", "siding", "crossover")  # "" is running line (OSM: no service tag)
USAGES = ("", "main", "branch", "industrial", "military", "tourism", "test")  # "" is not recorded
# how a train crosses an edge: on its own wheels, or on a train ferry (OSM railway=ferry);
# both are edges of the rail network, so rail routing may use a ferry like a line
EDGE_MODES = ("rail", "ferry")
UNKNOWN = -1  # electrified: 1 yes, 0 no, -1 not recorded


def gauge_bits(gauges: Iterable[str], table: list[str]) -> int:
    """The bitmask of ``gauges`` over ``table`` (extended in place with new gauges).

    >>> t = ["1520"]
    >>> gauge_bits(["1435", "1520"], t), t
    (3, ['1520', '1435'])
    """
    bits = 0
    for g in gauges:
        if g not in table:
            if len(table) >= 8:
                raise DataError(f"more than 8 gauges in one network (adding {g!r} to {table})")
            table.append(g)
        bits |= 1 << table.index(g)
    return bits


@dataclass(frozen=True, eq=False)
class NetworkRecords:
    """Nodes and edges of a rail network, as arrays (see the module docstring).

    Nodes: ``node_ids`` (unique strings), ``node_names``, ``node_lat``/``node_lon``,
    ``node_kind`` (index into :data:`NODE_KINDS`), ``node_main`` (worth naming in a
    route's "via"), ``node_gauge_change`` (a bogie exchange is recorded here; a station
    where dual-gauge track ends counts as one without being marked).

    Edges: ``edge_u``/``edge_v`` (node indices), their geometry as ``vertex_lat``/
    ``vertex_lon`` with ``edge_offsets`` (edge ``e`` has vertices
    ``edge_offsets[e]:edge_offsets[e+1]``, the first at ``u``, the last at ``v``),
    ``vertex_km`` (railway km of each vertex from its edge's start: kilometre posts, or
    ``None`` for the geodesic length of the geometry), ``edge_line`` (index into
    ``lines``), ``edge_gauge`` (bitmask over ``gauges``), ``edge_electrified`` (1, 0 or
    :data:`UNKNOWN`), ``edge_service`` (:data:`SERVICES`), ``edge_usage`` (:data:`USAGES`),
    ``edge_mode`` (:data:`EDGE_MODES`; ``None`` when every edge is rail).

    ``lines`` holds one mapping per line (``id``, ``name`` and whatever else the source
    knows: ``name_local``, ``gauge``, ``electrified``, ``source``, ...).
    """

    node_ids: Sequence[str]
    node_names: Sequence[str]
    node_lat: np.ndarray
    node_lon: np.ndarray
    node_kind: np.ndarray
    node_main: np.ndarray
    node_gauge_change: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_offsets: np.ndarray
    vertex_lat: np.ndarray
    vertex_lon: np.ndarray
    vertex_km: np.ndarray | None
    edge_line: np.ndarray
    edge_gauge: np.ndarray
    edge_electrified: np.ndarray
    edge_service: np.ndarray
    edge_usage: np.ndarray
    gauges: tuple[str, ...]
    lines: tuple[Mapping[str, Any], ...]
    edge_mode: np.ndarray | None = None
    # what a route's choice weighs: "rail" km (coarse geometry, kilometre posts the
    # better measure of length: the bundled lines) or "geometry" (track drawn to within
    # metres, as OpenStreetMap's, whose drawn length is the track's length)
    cost: str = "rail"
    extra: Mapping[str, Any] = field(default_factory=dict)  # facts about the source, kept in the store

    def __post_init__(self) -> None:
        n, e = len(self.node_ids), len(self.edge_u)
        for name in ("node_names", "node_lat", "node_lon", "node_kind", "node_main", "node_gauge_change"):
            if len(getattr(self, name)) != n:
                raise DataError(f"network records: {name} has {len(getattr(self, name))} entries for {n} nodes")
        for name in ("edge_v", "edge_line", "edge_gauge", "edge_electrified", "edge_service", "edge_usage"):
            if len(getattr(self, name)) != e:
                raise DataError(f"network records: {name} has {len(getattr(self, name))} entries for {e} edges")
        if self.edge_mode is not None:
            if len(self.edge_mode) != e:
                raise DataError(f"network records: edge_mode has {len(self.edge_mode)} entries for {e} edges")
            if e and int(np.max(self.edge_mode)) >= len(EDGE_MODES):
                raise DataError("network records: an edge's mode is not in EDGE_MODES")
        if self.cost not in ("rail", "geometry"):
            raise DataError(f"network records: cost {self.cost!r} is 'rail' or 'geometry'")
        off = np.asarray(self.edge_offsets)
        if len(off) != e + 1 or (e and (off[0] != 0 or np.any(np.diff(off) < 2))):
            raise DataError("network records: every edge needs at least two vertices (edge_offsets)")
        nv = int(off[-1]) if e else 0
        for name in ("vertex_lat", "vertex_lon") + (("vertex_km",) if self.vertex_km is not None else ()):
            if len(getattr(self, name)) != nv:
                raise DataError(f"network records: {name} has {len(getattr(self, name))} entries for {nv} vertices")
        if e and (min(self.edge_u.min(), self.edge_v.min()) < 0 or max(self.edge_u.max(), self.edge_v.max()) >= n):
            raise DataError("network records: an edge names a node that does not exist")
        lat, lon = np.asarray(self.node_lat), np.asarray(self.node_lon)
        if n and (np.any(~np.isfinite(lat)) or np.abs(lat).max() > 90 or np.abs(lon).max() > 180):
            raise DataError("network records: a node's lat/lon is out of range")
        if e and (self.edge_line.min() < 0 or self.edge_line.max() >= len(self.lines)):
            raise DataError("network records: an edge names a line that does not exist")
        if len(self.gauges) > 8 or (e and int(self.edge_gauge.max()) >= 1 << len(self.gauges)):
            raise DataError("network records: an edge's gauge is not in the gauge table")


def _bundled_kind(p: Place) -> int:
    return NODE_KINDS.index(p.kind) if p.kind in NODE_KINDS else 0


def _line_record(line: LineFeature, ch: Chainage, lo: int, hi: int) -> dict[str, Any]:
    return {
        "id": line.id,
        "name": line.name,
        "name_local": line.name_local,
        "gauge": line.gauge,
        "electrified": line.electrified,
        "source": line.source,
        "kilometre_posts": sum(1 for v in line.vertices if v.km is not None),
        "stations": sum(1 for v in line.vertices if v.ref),
        "factor": round(ch.factor, 4),
        "km_basis": "kilometre posts" if lo < hi else "geometry x line factor",
        "service": "running line (bundled lines have no yards or spurs)",
        "usage": "not recorded",
    }


def records_from_lines(lines: Sequence[LineFeature], places: Iterable[Place]) -> NetworkRecords:
    """The records of the bundled network: a node per station a line lists, an edge per
    pair of consecutive stations of a line, with the geometry between them.

    Each edge's railway km come from the line's kilometre posts where it has them, else
    from its geometry times a factor (see :func:`.chainage.line_chainage` and
    :func:`.chainage.default_factor`). Lines connect only where they name the same
    station. The lines record gauge and electrification; they say nothing of yards,
    spurs or usage (every bundled line is running line, usage not recorded).
    """
    by_id = {p.id: p for p in places}
    main = {p.station for p in by_id.values() if p.station} | {p.id for p in by_id.values() if p.kind == "junction"}
    chainage = {line.id: line_chainage(line) for line in lines}
    posted = [(is_sparse(c), c.factor) for c in chainage.values() if len(c.posts) >= 2]
    index: dict[str, int] = {}
    gauges: list[str] = []
    edges: list[tuple[int, int, int, int, int]] = []  # u, v, line, gauge bits, electrified
    offsets = [0]
    verts: list[tuple[float, float, float]] = []
    line_meta: list[dict[str, Any]] = []
    for li, line in enumerate(lines):
        ch = chainage[line.id]
        if len(ch.posts) < 2:
            ch = line_chainage(line, default_factor=default_factor(posted, is_sparse(ch)))
        lo, hi = (ch.posts[0][0], ch.posts[-1][0]) if len(ch.posts) >= 2 else (0, -1)
        bits = gauge_bits(sorted(line.gauges), gauges)
        elec = {"yes": 1, "no": 0}.get(line.electrified.strip().lower(), UNKNOWN)
        refs = [(i, v.ref) for i, v in enumerate(line.vertices) if v.ref]
        for _, ref in refs:
            if ref not in by_id:
                raise DataError(f"line {line.id}: unknown place id {ref!r}")
            index.setdefault(ref, len(index))
        for (i, u), (j, v) in zip(refs, refs[1:]):
            edges.append((index[u], index[v], li, bits, elec))
            verts.extend(
                (x.lat, x.lon, float(r - ch.rail[i])) for x, r in zip(line.vertices[i : j + 1], ch.rail[i : j + 1])
            )
            offsets.append(len(verts))
        line_meta.append(_line_record(line, ch, lo, hi))
    ids = list(index)
    nodes = [by_id[i] for i in ids]
    e = np.array(edges, dtype=np.int64).reshape(-1, 5)
    vx = np.array(verts, dtype=float).reshape(-1, 3)
    return NetworkRecords(
        node_ids=ids,
        node_names=[p.name for p in nodes],
        node_lat=np.array([p.lat for p in nodes], dtype=float),
        node_lon=np.array([p.lon for p in nodes], dtype=float),
        node_kind=np.array([_bundled_kind(p) for p in nodes], dtype=np.uint8),
        node_main=np.array([i in main for i in ids], dtype=bool),
        node_gauge_change=np.zeros(len(ids), dtype=bool),
        edge_u=e[:, 0],
        edge_v=e[:, 1],
        edge_offsets=np.array(offsets, dtype=np.int64),
        vertex_lat=vx[:, 0].copy(),
        vertex_lon=vx[:, 1].copy(),
        vertex_km=vx[:, 2].copy(),
        edge_line=e[:, 2].astype(np.int32),
        edge_gauge=e[:, 3].astype(np.uint8),
        edge_electrified=e[:, 4].astype(np.int8),
        edge_service=np.zeros(len(e), dtype=np.uint8),
        edge_usage=np.zeros(len(e), dtype=np.uint8),
        gauges=tuple(gauges),
        lines=tuple(line_meta),
        extra={"source": "bundled gazetteer (gazetteer/lines, gazetteer/places); see gazetteer/SOURCES.md"},
    )
