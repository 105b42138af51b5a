"""A grid index of track segments, stored as arrays, for snapping a point to the nearest edge.

Each segment (two consecutive vertices of an edge) is listed in every grid cell its
bounding box touches. A query looks at the cells in widening square rings around the
point until no unseen segment could be nearer than the best found.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ...geo import local_xy_km
from .turns import expand_pairs

__all__ = ["Grid", "build_grid", "nearest_segment", "cell_size_for"]

KM_PER_DEG_MIN = 110.5  # km per degree of latitude, at the least (a safe bound for rings)
CHUNK = 500_000  # segments measured or rasterised at a time: bounds the memory of a big build


@dataclass(frozen=True, eq=False)
class Grid:
    """``keys`` (sorted cell keys) with ``offsets`` into ``segments`` (first vertex of each)."""

    cell: float
    keys: np.ndarray
    offsets: np.ndarray
    segments: np.ndarray  # int32: a store holds fewer than 2**31 vertices


def cell_size_for(vlat: np.ndarray, vlon: np.ndarray, seg: np.ndarray) -> float:
    """A cell about four times the typical segment's extent, not below 0.002° (~200 m):
    most segments then sit in one or two cells."""
    if not len(seg):
        return 1.0
    ext = np.empty(len(seg))
    for i in range(0, len(seg), CHUNK):  # a chunk at a time: bounds the memory of a big build
        s = seg[i : i + CHUNK]
        ext[i : i + CHUNK] = np.maximum(np.abs(vlat[s + 1] - vlat[s]), np.abs(vlon[s + 1] - vlon[s]))
    return float(min(max(4.0 * np.median(ext), 0.002), 1.0))


def _cell(lat: np.ndarray, lon: np.ndarray, cell: float) -> tuple[np.ndarray, np.ndarray]:
    return np.floor((lat + 90.0) / cell).astype(np.int64), np.floor((lon + 180.0) / cell).astype(np.int64)


def _ncols(cell: float) -> int:
    return int(math.ceil(360.0 / cell)) + 2


def _bounds(vlat: np.ndarray, vlon: np.ndarray, seg: np.ndarray, cell: float) -> tuple[np.ndarray, ...]:
    """The first row and column of cells each segment's bounding box touches, and how many of each."""
    r0, c0 = _cell(np.minimum(vlat[seg], vlat[seg + 1]), np.minimum(vlon[seg], vlon[seg + 1]), cell)
    r1, c1 = _cell(np.maximum(vlat[seg], vlat[seg + 1]), np.maximum(vlon[seg], vlon[seg + 1]), cell)
    return r0, c0, r1 - r0 + 1, c1 - c0 + 1


def _cells_of(vlat: np.ndarray, vlon: np.ndarray, seg: np.ndarray, cell: float) -> tuple[np.ndarray, np.ndarray]:
    """(cell key, segment) for every cell each segment's bounding box touches."""
    r0, c0, nr, nc = _bounds(vlat, vlon, seg, cell)
    cells = nr * nc
    k = np.repeat(np.arange(len(seg)), cells)
    within = np.arange(cells.sum()) - np.repeat(np.cumsum(cells) - cells, cells)
    key = (r0[k] + within // nc[k]) * _ncols(cell) + (c0[k] + within % nc[k])
    return key, seg[k].astype(np.int32)


def build_grid(vlat: np.ndarray, vlon: np.ndarray, seg: np.ndarray) -> Grid:
    """The grid over segments ``seg`` (each the index of its first vertex).

    Built a chunk of segments at a time into arrays sized beforehand, so that a big
    network's grid takes little more memory than the grid itself.
    """
    cell = cell_size_for(vlat, vlon, seg)
    chunks = range(0, len(seg), CHUNK)
    total = 0
    for i in chunks:
        _, _, nr, nc = _bounds(vlat, vlon, seg[i : i + CHUNK], cell)
        total += int((nr * nc).sum())
    key = np.empty(total, dtype=np.int64)
    segs = np.empty(total, dtype=np.int32)
    at = 0
    for i in chunks:
        k, s = _cells_of(vlat, vlon, seg[i : i + CHUNK], cell)
        key[at : at + len(k)], segs[at : at + len(k)] = k, s
        at += len(k)
        del k, s
    by = np.argsort(key, kind="stable")
    segs = segs[by]
    key = key[by]
    del by
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, np.int64)
    offsets = np.concatenate([starts, [len(key)]]).astype(np.int64)
    return Grid(cell=cell, keys=key[starts].astype(np.int64), offsets=offsets, segments=segs)


def _square(r: int, c: int, k: int, skip: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of the cells within ``k`` of (r, c) but not within ``skip``."""
    side = np.arange(-k, k + 1)
    rows, cols = np.repeat(r + side, len(side)), np.tile(c + side, len(side))
    outside = (np.abs(rows - r) > skip) | (np.abs(cols - c) > skip)
    return rows[outside], cols[outside]


def unique_sorted(a: np.ndarray) -> np.ndarray:
    """The distinct values of ``a``, sorted (``np.unique`` imports numpy.ma on first use: 20 ms)."""
    a = np.sort(a)
    return a[np.r_[True, a[1:] != a[:-1]]] if len(a) else a


def _distances(vlat, vlon, seg, lat, lon):  # noqa: ANN001, ANN202 - arrays in, arrays out
    """Planar km from (lat, lon) to each segment, and the fraction along it of the nearest point."""
    ax, ay = local_xy_km(vlat[seg], vlon[seg], lat, lon)
    bx, by = local_xy_km(vlat[seg + 1], vlon[seg + 1], lat, lon)
    dx, dy = bx - ax, by - ay
    len2 = dx * dx + dy * dy
    t = np.where(len2 > 0, -(ax * dx + ay * dy) / np.where(len2 > 0, len2, 1.0), 0.0)
    t = np.clip(t, 0.0, 1.0)
    px, py = ax + t * dx, ay + t * dy
    return np.hypot(px, py), t


def nearest_segment(
    grid: Grid,
    vlat: np.ndarray,
    vlon: np.ndarray,
    lat: float,
    lon: float,
    allowed: Callable[[np.ndarray], np.ndarray] | None = None,
    max_km: float = math.inf,
) -> tuple[int, float, float] | None:
    """(first vertex of the nearest segment, fraction along it, planar km), or ``None``.

    ``allowed`` filters segments (given their first vertices, says which to keep); only segments within
    ``max_km`` are looked for (all of them when it is infinite).
    """
    r, c = _cell(np.array([lat]), np.array([lon]), grid.cell)
    r0, c0 = int(r[0]), int(c[0])
    ncols = _ncols(grid.cell)
    cell_km = grid.cell * KM_PER_DEG_MIN * max(math.cos(math.radians(min(abs(lat) + grid.cell, 89.9))), 0.01)
    max_rings = int(max_km / cell_km) + 2 if math.isfinite(max_km) else int(360 / grid.cell)
    best: tuple[int, float, float] | None = None
    # squares of 0, 1, 3, 7, ... cells around the point's cell, each adding what the last
    # did not look at, until no unseen segment could be nearer than the best found
    done, k = -1, 0
    while True:
        if best is not None and best[2] <= done * cell_km:
            break
        if k > max_rings or k > 64:
            if best is None and k > 64:  # far from every track: measure all segments at once
                return _brute(grid, vlat, vlon, lat, lon, allowed, max_km)
            break
        rows, cols = _square(r0, c0, k, done)
        done, k = k, 2 * k + 1
        keys = rows * ncols + cols
        pos = np.searchsorted(grid.keys, keys)
        inside = pos < len(grid.keys)
        pos, keys = pos[inside], keys[inside]
        pos = pos[grid.keys[pos] == keys]  # the cells that hold segments
        if not len(pos):
            continue
        starts, ends = grid.offsets[pos], grid.offsets[pos + 1]
        idx, _ = expand_pairs(starts, ends - starts, np.zeros(len(pos), np.int64), np.ones(len(pos), np.int64))
        seg = unique_sorted(grid.segments[idx])
        if allowed is not None:
            seg = seg[allowed(seg)]
        if not len(seg):
            continue
        d, t = _distances(vlat, vlon, seg, lat, lon)
        i = int(np.argmin(d))
        if best is None or d[i] < best[2]:
            best = (int(seg[i]), float(t[i]), float(d[i]))
    if best is not None and best[2] > max_km:
        return None
    return best


def _brute(grid, vlat, vlon, lat, lon, allowed, max_km):  # noqa: ANN001, ANN202
    seg = unique_sorted(grid.segments)
    if allowed is not None:
        seg = seg[allowed(seg)]
    if not len(seg):
        return None
    d, t = _distances(vlat, vlon, seg, lat, lon)
    i = int(np.argmin(d))
    return None if d[i] > max_km else (int(seg[i]), float(t[i]), float(d[i]))
