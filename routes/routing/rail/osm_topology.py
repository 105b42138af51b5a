"""The topology of an OpenStreetMap railway import: ways into pieces, pieces into edges.

Track is connected only where ways share a node: ways that cross without one (a bridge,
a tunnel, a mapping gap) never meet. A shared node tagged ``railway=railway_crossing``
(a diamond crossing) is not a junction either: it is split into one node per track
through it, the ways ending there paired by the straightest continuation (legs at least
:data:`STRAIGHT_DEG` apart).

Vertices are kept as one flat array of node indices, ``pv``, with piece offsets ``poff``:
a *piece* is a run of a way's nodes that the extract holds (an extract cut at its edge
leaves ways with missing nodes; each run of two or more present nodes is a piece).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...geo import local_xy_km
from .spatial import build_grid, nearest_segment

STRAIGHT_DEG = 150.0  # two tracks ending at a diamond crossing run on into each other when this straight

__all__ = [
    "Pieces",
    "Nodes",
    "make_pieces",
    "split_crossings",
    "Attachment",
    "attach_points",
    "insert_points",
    "cut_edges",
]


class Nodes:
    """The node table being built: the extract's way nodes (arrays), then the nodes the
    import adds (a split crossing's copies, stations put on the track), with OSM ids and a
    suffix that keeps each network node id unique."""

    def __init__(self, osm: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> None:
        self._osm, self._lat, self._lon = np.asarray(osm, np.int64), np.asarray(lat, float), np.asarray(lon, float)
        self._more: list[tuple[int, str, float, float]] = []
        self._cache: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self._osm) + len(self._more)

    def add(self, osm_id: int, suffix: str, lat: float, lon: float) -> int:
        self._more.append((int(osm_id), suffix, float(lat), float(lon)))
        self._cache = None
        return len(self) - 1

    def _arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._cache is None:
            m = self._more
            self._cache = (
                np.concatenate([self._osm, np.array([x[0] for x in m], np.int64)]),
                np.concatenate([self._lat, np.array([x[2] for x in m], float)]),
                np.concatenate([self._lon, np.array([x[3] for x in m], float)]),
            )
        return self._cache

    @property
    def osm(self) -> np.ndarray:
        return self._arrays()[0]

    @property
    def lat(self) -> np.ndarray:
        return self._arrays()[1]

    @property
    def lon(self) -> np.ndarray:
        return self._arrays()[2]

    def ids(self, idx: np.ndarray) -> list[str]:
        """Network node ids of nodes ``idx``: ``n<OSM id>``, with the suffix of an added node."""
        osm = self.osm
        base = len(self._osm)
        return [f"n{osm[i]}" if i < base else f"n{osm[i]}{self._more[i - base][1]}" for i in idx.tolist()]


@dataclass
class Pieces:
    """Runs of present nodes of each way: ``pv[poff[p]:poff[p+1]]`` are piece ``p``'s node
    indices, ``way[p]`` the way it comes from."""

    pv: np.ndarray
    poff: np.ndarray
    way: np.ndarray
    missing_refs: int = 0
    cut_ways: int = 0

    def __len__(self) -> int:
        return len(self.way)

    def seg_first(self) -> np.ndarray:
        """Flat index of the first vertex of every segment (vertex k and k + 1 of one piece)."""
        inside = np.ones(len(self.pv), dtype=bool)
        inside[self.poff[1:] - 1] = False
        return np.flatnonzero(inside)


def make_pieces(offsets: np.ndarray, idx: np.ndarray, present: np.ndarray) -> Pieces:
    """Pieces of ways given as node ``idx`` (per ref, into the node table) with ``offsets``,
    dropping refs the extract lacks (``present`` False: the piece breaks there) and a node
    repeated right after itself (the piece goes on)."""
    n_ways = len(offsets) - 1
    way_of_ref = np.repeat(np.arange(n_ways), np.diff(offsets))
    kept = np.flatnonzero(present)
    missing_before = np.cumsum(~present)
    kw, ki = way_of_ref[kept], idx[kept]
    brk = np.ones(len(kept), dtype=bool)
    if len(kept) > 1:
        same_way = kw[1:] == kw[:-1]
        gap = missing_before[kept[1:]] - missing_before[kept[:-1]] > 0
        brk[1:] = ~same_way | gap
    repeat = np.zeros(len(kept), dtype=bool)
    repeat[1:] = ~brk[1:] & (ki[1:] == ki[:-1])
    kept, kw, ki, brk = kept[~repeat], kw[~repeat], ki[~repeat], brk[~repeat]
    piece_of = np.cumsum(brk) - 1
    counts = np.bincount(piece_of, minlength=int(brk.sum())) if len(kept) else np.zeros(0, np.int64)
    good = counts >= 2
    keep_v = good[piece_of] if len(kept) else np.zeros(0, bool)
    pv = ki[keep_v].astype(np.int64)
    poff = np.concatenate([[0], np.cumsum(counts[good])]).astype(np.int64)
    way = kw[brk][good] if len(kept) else np.zeros(0, np.int64)
    missing = int((~present).sum())
    cut = len(np.unique(way_of_ref[~present])) if missing else 0
    return Pieces(pv=pv, poff=poff, way=way.astype(np.int64), missing_refs=missing, cut_ways=cut)


def _bearing_xy(lat: np.ndarray, lon: np.ndarray, a: int, b: int) -> float:
    x, y = local_xy_km(np.array([lat[b]]), np.array([lon[b]]), float(lat[a]), float(lon[a]))
    return float(np.degrees(np.arctan2(x[0], y[0])))


def split_crossings(p: Pieces, crossing: np.ndarray, nodes: Nodes) -> int:
    """Give each track through a diamond crossing (``crossing``: node indices) a node of its
    own, so that no train turns there; returns how many nodes were split. ``p.pv`` changes in place."""
    if not len(crossing):
        return 0
    lat, lon = nodes.lat, nodes.lon
    at = np.flatnonzero(np.isin(p.pv, crossing))
    if not len(at):
        return 0
    piece_of = np.searchsorted(p.poff, at, side="right") - 1
    split = 0
    by_node: dict[int, list[tuple[int, int]]] = {}
    for k, pc in zip(at.tolist(), piece_of.tolist()):
        by_node.setdefault(int(p.pv[k]), []).append((k, pc))
    for node, occ in by_node.items():
        if len(occ) < 2:
            continue
        groups: list[list[int]] = []
        ends: list[tuple[int, float]] = []  # (flat index, bearing of the track leaving the node)
        for k, pc in occ:
            lo, hi = int(p.poff[pc]), int(p.poff[pc + 1]) - 1
            if lo < k < hi:
                groups.append([k])  # the way runs through: one track
            else:
                nxt = k + 1 if k == lo else k - 1
                ends.append((k, _bearing_xy(lat, lon, node, int(p.pv[nxt]))))
        used: set[int] = set()
        pairs = []
        for i in range(len(ends)):
            for j in range(i + 1, len(ends)):
                d = abs(ends[i][1] - ends[j][1]) % 360.0
                pairs.append((-min(d, 360.0 - d), i, j))
        for neg, i, j in sorted(pairs):
            if -neg >= STRAIGHT_DEG and i not in used and j not in used:
                used.update((i, j))
                groups.append([ends[i][0], ends[j][0]])
        groups += [[ends[i][0]] for i in range(len(ends)) if i not in used]
        if len(groups) < 2:
            continue
        for g, ks in enumerate(groups[1:], start=1):
            copy = nodes.add(int(nodes.osm[node]), f"~{g}", float(lat[node]), float(lon[node]))
            p.pv[ks] = copy
        split += 1
    return split


@dataclass(frozen=True)
class Attachment:
    """Where a point meets the track: segment ``k`` (its first vertex, flat) at fraction ``t``."""

    k: int
    t: float
    km: float


def attach_points(
    p: Pieces,
    nodes: Nodes,
    lat: np.ndarray,
    lon: np.ndarray,
    max_km: float,
    allowed_pieces: np.ndarray | None = None,
) -> list[Attachment | None]:
    """The nearest point of the track (of the allowed pieces) to each (lat, lon), or None
    beyond ``max_km``."""
    seg = p.seg_first()
    vlat = nodes.lat[p.pv]
    vlon = nodes.lon[p.pv]
    if allowed_pieces is not None:
        seg = seg[allowed_pieces[np.searchsorted(p.poff, seg, side="right") - 1]]
    if not len(seg):
        return [None] * len(lat)
    grid = build_grid(vlat, vlon, seg)
    out: list[Attachment | None] = []
    for a, b in zip(np.asarray(lat, float).tolist(), np.asarray(lon, float).tolist()):
        found = nearest_segment(grid, vlat, vlon, a, b, None, max_km)
        out.append(None if found is None else Attachment(int(found[0]), float(found[1]), float(found[2])))
    return out


def insert_points(p: Pieces, nodes: Nodes, where: list[tuple[Attachment, int, str]]) -> list[int]:
    """Put points on the track: for each (attachment, OSM id, suffix), the node at the
    attachment (an existing vertex within a metre of it, else a new node inserted into its
    segment). Returns the node index of each; ``p`` changes in place."""
    vlat, vlon = nodes.lat, nodes.lon
    out: list[int] = []
    inserts: list[tuple[int, float, int]] = []  # (segment, t, node)
    for att, osm_id, suffix in where:
        a, b = int(p.pv[att.k]), int(p.pv[att.k + 1])
        x, y = local_xy_km(np.array([vlat[b]]), np.array([vlon[b]]), float(vlat[a]), float(vlon[a]))
        seg_km = float(np.hypot(x[0], y[0]))
        if att.t * seg_km < 0.001:
            out.append(a)
        elif (1 - att.t) * seg_km < 0.001:
            out.append(b)
        else:
            plat = float(vlat[a] + att.t * (vlat[b] - vlat[a]))
            plon = float(vlon[a] + att.t * (vlon[b] - vlon[a]))
            n = nodes.add(osm_id, suffix, plat, plon)
            inserts.append((att.k, att.t, n))
            out.append(n)
    if inserts:
        inserts.sort()
        ks = np.array([k + 1 for k, _, _ in inserts], dtype=np.int64)
        new = np.array([n for _, _, n in inserts], dtype=np.int64)
        p.pv = np.insert(p.pv, ks, new)
        # every piece offset after an insertion point moves by the insertions before it
        p.poff = p.poff + np.searchsorted(ks, p.poff, side="left")
        p.poff[0] = 0
    return out


def cut_edges(p: Pieces, is_node: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges: each piece cut at every vertex that is a network node (``is_node`` per node
    index) and at its ends. Returns (first flat vertex, last flat vertex, piece) per edge."""
    if not len(p.pv):
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    cut = is_node[p.pv].copy()
    cut[p.poff[:-1]] = True
    cut[p.poff[1:] - 1] = True
    at = np.flatnonzero(cut)
    piece = np.searchsorted(p.poff, at, side="right") - 1
    same = piece[1:] == piece[:-1]
    first, last = at[:-1][same], at[1:][same]
    return first, last, piece[:-1][same]
