"""Railway km along a line: kilometre posts where the line has them, else its geometry scaled.

See :func:`line_chainage`; :mod:`.records` uses it to give every edge of a bundled line
its railway length.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...geo import polyline_km
from ...sources.bundled import LineFeature

__all__ = ["Chainage", "line_chainage", "default_factor", "is_sparse", "POST_SLACK_KM", "SPARSE_KM"]

log = logging.getLogger(__name__)
POST_SLACK_KM = 1.0  # station points sit up to ~0.5 km off their kilometre post


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


def is_sparse(c: Chainage) -> bool:
    """The line is drawn station to station (vertices more than :data:`SPARSE_KM` apart)."""
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
