"""Railway km of imported track: kilometre posts where a line has them, else its geometry.

A ``railway=milestone`` node on the track with ``railway:position`` (``"12.4"``, ``"7,8"``)
is a kilometre post. Posts are read along *runs*: the pieces of one railway line (the
same ``ref``) joined end to end where exactly two of them meet.

Two consecutive posts of a run *agree* when their km differ from the drawn km between
them by at most :data:`PAIR_TOLERANCE` of it plus :data:`POST_SLACK_KM` (km are given
to 100 m, and a post stands some metres off its point) and run the way the line's posts
mostly run. A *section* is a stretch of agreeing pairs; it is used when, over its whole
length, the posts' km stay within :data:`POST_TOLERANCE` of the drawn km (plus the
slack): OpenStreetMap draws track to within metres, so a section that disagrees more is
the kilometrage of another alignment (a line rebuilt without new posts, a jump), not a
measure of this track. Within a used section every segment's length is scaled so that
the posts' differences are kept; elsewhere a segment counts its geodesic length.

So rail km between stations come from the posts where a line has them, and no post
moves a route's km by more than 0.5 % of the section it lies in: two parallel tracks of
one line, one with posts and one without, cost the same to within that.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from ...geo import segment_km
from .osm_topology import Pieces

__all__ = ["PAIR_TOLERANCE", "POST_TOLERANCE", "POST_SLACK_KM", "parse_position", "segment_rail_km"]

PAIR_TOLERANCE = 0.03
POST_TOLERANCE = 0.005
POST_SLACK_KM = 0.05  # a post sits up to some 50 m from where its km is, and km are given to 100 m
_NUMBER = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*$")


def parse_position(text: str) -> float | None:
    """A ``railway:position`` value as km: ``"12.4"`` and ``"7,8"``; ``None`` for others
    (``"mi:12.5"``, ranges, text).

    >>> parse_position("7,8"), parse_position("12.4"), parse_position("mi:3")
    (7.8, 12.4, None)
    """
    m = _NUMBER.match(text or "")
    return float(m.group(1).replace(",", ".")) if m else None


def _runs(p: Pieces, refs: Sequence[str]) -> list[list[tuple[int, bool]]]:
    """Pieces of one line joined end to end: lists of (piece, reversed)."""
    ends: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)  # (node, ref) -> (piece, end)
    first, last = p.pv[p.poff[:-1]], p.pv[p.poff[1:] - 1]
    for pc in range(len(p)):
        r = refs[pc]
        if r:
            ends[(int(first[pc]), r)].append((pc, 0))
            ends[(int(last[pc]), r)].append((pc, 1))
    link: dict[tuple[int, int], tuple[int, int]] = {}
    for group in ends.values():
        if len(group) == 2 and group[0][0] != group[1][0]:
            link[group[0]], link[group[1]] = group[1], group[0]
    seen = np.zeros(len(p), dtype=bool)
    runs: list[list[tuple[int, bool]]] = []

    def walk(start: int, rev: bool) -> list[tuple[int, bool]]:
        run = []
        pc, r = start, rev
        while not seen[pc]:
            seen[pc] = True
            run.append((pc, r))
            nxt = link.get((pc, 0 if r else 1))  # leave by the end we did not enter by
            if nxt is None:
                break
            pc, r = nxt[0], nxt[1] == 1  # entering at its last vertex: run it backwards
        return run

    for pc in range(len(p)):  # start at the free ends first, so a run is walked from its end
        if not seen[pc] and (pc, 0) not in link:
            runs.append(walk(pc, False))
        elif not seen[pc] and (pc, 1) not in link:
            runs.append(walk(pc, True))
    for pc in range(len(p)):  # what is left lies on rings
        if not seen[pc]:
            runs.append(walk(pc, False))
    return runs


def _sections(ok: np.ndarray, dk: np.ndarray, dg: np.ndarray) -> np.ndarray:
    """``ok`` less the sections (runs of agreeing pairs) whose posts, over their whole
    length, stray from the drawn km by more than :data:`POST_TOLERANCE` plus the slack."""
    out = ok.copy()
    j = 0
    while j < len(ok):
        if not ok[j]:
            j += 1
            continue
        k = j
        while k < len(ok) and ok[k]:
            k += 1
        posted, drawn = float(dk[j:k].sum()), float(dg[j:k].sum())
        if abs(posted - drawn) > POST_TOLERANCE * drawn + POST_SLACK_KM:
            out[j:k] = False
        j = k
    return out


def segment_rail_km(
    p: Pieces, lat: np.ndarray, lon: np.ndarray, refs: Sequence[str], posts: Mapping[int, float]
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Per flat vertex, the railway km of the segment that ends there (0 at a piece's
    first vertex); per flat vertex, the geodesic km likewise; and counts of posts used
    and set aside."""
    vlat, vlon = lat[p.pv], lon[p.pv]
    geo = np.zeros(len(p.pv))
    if len(p.pv) > 1:
        geo[1:] = segment_km(vlat, vlon)
    geo[p.poff[:-1]] = 0.0
    rail = geo.copy()
    stats = {"used": 0, "set_aside": 0}
    if not posts:
        return rail, geo, stats
    n_nodes = int(max(int(p.pv.max()) if len(p.pv) else 0, max(posts)) + 1)
    is_post = np.zeros(n_nodes, dtype=bool)
    post_km = np.zeros(n_nodes)
    keys = np.fromiter(posts.keys(), dtype=np.int64, count=len(posts))
    is_post[keys] = True
    post_km[keys] = np.fromiter(posts.values(), dtype=float, count=len(posts))
    has_post = is_post[p.pv]
    piece_has = np.add.reduceat(has_post.astype(np.int64), p.poff[:-1]) > 0 if len(p) else np.zeros(0, bool)
    for run in _runs(p, refs):
        if not any(piece_has[pc] for pc, _ in run):
            continue
        # the run's vertices in order, each with the flat index of the segment reaching it
        verts: list[np.ndarray] = []
        segs: list[np.ndarray] = []
        for i, (pc, rev) in enumerate(run):
            lo, hi = int(p.poff[pc]), int(p.poff[pc + 1])
            idx = np.arange(lo, hi)
            # the segment reaching vertex k is stored at k going forward, at k + 1 backward
            idx = idx[::-1] if rev else idx
            seg_of = np.r_[-1, idx[1:] + (1 if rev else 0)]
            if i > 0:  # the first vertex is the joint, already the last of the piece before
                idx, seg_of = idx[1:], seg_of[1:]
            verts.append(idx)
            segs.append(seg_of)
        v = np.concatenate(verts)
        s = np.concatenate(segs)
        step = np.where(s >= 0, geo[np.maximum(s, 0)], 0.0)
        g = np.cumsum(step)
        at = np.flatnonzero(is_post[p.pv[v]])
        if len(at) < 2:
            continue
        km = post_km[p.pv[v[at]]]
        dk, dg = np.diff(km), np.diff(g[at])
        direction = np.sign(np.sum(np.sign(dk))) or 1.0
        ok = (dg > 0) & (np.sign(dk) == direction) & (np.abs(np.abs(dk) - dg) <= PAIR_TOLERANCE * dg + POST_SLACK_KM)
        ok = _sections(ok, np.abs(dk), dg)
        used = np.zeros(len(at), dtype=bool)
        used[:-1] |= ok
        used[1:] |= ok
        stats["used"] += int(used.sum())
        stats["set_aside"] += int((~used).sum())
        for j in np.flatnonzero(ok).tolist():
            a, b = int(at[j]), int(at[j + 1])
            scale = abs(float(dk[j])) / float(dg[j])
            reach = s[a + 1 : b + 1]
            rail[reach] = geo[reach] * scale
    return rail, geo, stats
