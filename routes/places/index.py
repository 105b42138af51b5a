"""Resolve place names in any spelling or script to gazetteer places.

Matching runs in tiers, each with a score: an exact name or alias (1.0); the same after
folding romanisation variants and transliterating other scripts (0.95); a bridge named by
its river, found where a rail line crosses the river (0.9); a typo within two edits
(0.8, 0.7). Weaker matches raise :class:`~routes.errors.PlaceNotFound` with candidates:
never a silent guess. Ties are ranked by context (nearby places, the kind that fits).
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from anyascii import anyascii
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein
from shapely.geometry import Point as SPoint

from ..errors import PlaceNotFound
from ..geo import haversine_km_many
from ..model import Place
from ..sources.bundled import Area, LineFeature
from .bridges import river_crossings

__all__ = [
    "Match",
    "Gazetteer",
    "normalize",
    "fold",
]

log = logging.getLogger(__name__)

_APOSTROPHES = "'’ʼ‘`´ʹʻ\""
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.,/()]+")


def normalize(text: str) -> str:
    """Case, diacritics on Latin letters, apostrophes and hyphens folded; scripts kept.

    >>> normalize("Razdol'noye")
    'razdolnoye'
    >>> normalize("Artëm")
    'artem'
    >>> normalize("Раздольное")
    'раздольное'
    """
    s = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    out = []
    for ch in s:
        if ch in _APOSTROPHES:
            continue
        d = unicodedata.normalize("NFKD", ch)
        out.append(d[0] if d and d[0].isascii() and d[0].isalpha() else ch)
    return _SEPARATORS.sub(" ", "".join(out)).strip()


_FOLDS = (
    ("yo", "e"),
    ("ye", "e"),
    ("iy", "i"),
    ("ij", "i"),
    ("yi", "i"),
    ("ii", "i"),
    ("eo", "o"),
    ("eu", "u"),
    ("kh", "h"),
    ("sch", "sh"),
    ("yy", "y"),
)


def fold(text: str) -> str:
    """A romanisation-insensitive key: transliterated to ASCII, variants folded, no spaces.

    >>> fold("Ussuriysk") == fold("Ussuriisk") == fold("Ussurijsk") == fold("Уссурийск")
    True
    >>> fold("Tuman-gang") == fold("Tumangang")
    True
    """
    s = anyascii(normalize(text)).lower()
    s = re.sub(r"[^a-z0-9]", "", s)
    for a, b in _FOLDS:
        s = s.replace(a, b)
    return s


_KIND_WORDS = {
    "station": "station",
    "railway station": "station",
    "rail station": "station",
    "train station": "station",
    "станция": "station",
    "вокзал": "station",
    "city": "city",
    "town": "town",
}
_BRIDGE_PATTERNS = (
    re.compile(r"^(?:the )?(?:railway |rail )?bridge (?:over|across|on) (?:the )?(?P<river>.+?)(?: river)?$"),
    re.compile(r"^(?:the )?(?P<river>.+?)(?: river)? (?:railway |rail )?bridge$"),
    re.compile(r"^(?:железнодорожный )?мост (?:через|над) (?:реку |р )?(?P<river>.+)$"),
)


@dataclass(frozen=True)
class Match:
    """A candidate place for a query, with how sure we are (0–1) and how it matched."""

    place: Place
    score: float
    how: str


def _kind_fit(kind: str, prefer: str | None) -> float:
    if prefer == "station":
        return {"station": 0.04, "junction": 0.04, "town": 0.02, "city": 0.02}.get(kind, 0.0)
    if prefer in ("town", "city"):
        return {"town": 0.04, "city": 0.04, "station": 0.02, "junction": 0.02}.get(kind, 0.0)
    if prefer:
        return 0.04 if kind == prefer else 0.0
    return 0.0


class Gazetteer:
    """An index over places, regions, rivers and lines, answering :meth:`resolve`.

    Parameters
    ----------
    places, regions, rivers, lines
        The data to index; :func:`default_gazetteer` passes the bundled data.
    geocoder
        An object with ``geocode(query) -> (lat, lon, display_name) | None`` consulted
        last, only when given (the command line gives one with ``--online``).
    """

    def __init__(
        self,
        places: Sequence[Place],
        regions: Sequence[Area] = (),
        rivers: Sequence[Area] = (),
        lines: Sequence[LineFeature] = (),
        geocoder: object | None = None,
        world: Callable[[], Sequence[Place]] | None = None,
    ) -> None:
        self.places = {p.id: p for p in places}
        self.regions = {r.id: r for r in regions}
        self.rivers = {r.id: r for r in rivers}
        self.lines = tuple(lines)
        self.geocoder = geocoder
        self._world_loader = world
        self._world_places: tuple[Place, ...] | None = None
        for r in regions:
            c = r.geometry.representative_point()
            self.places[r.id] = Place(
                id=r.id,
                name=r.name,
                kind="region",
                lat=c.y,
                lon=c.x,
                country=str(r.prop("country", "")),
                tz=str(r.prop("tz", "UTC")),
                aliases=r.aliases,
                source=r.source,
            )
        self._exact: dict[str, set[str]] = defaultdict(set)
        self._folded: dict[str, set[str]] = defaultdict(set)
        for p in self.places.values():
            for n in p.names:
                self._exact[normalize(n)].add(p.id)
                self._folded[fold(n)].add(p.id)
        self._fold_keys = list(self._folded)
        self._served = {p.station for p in self.places.values() if p.station}
        self._crossing_cache: dict[str, tuple[Place, ...]] = {}
        self._river_keys: dict[str, str] = {}
        for r in rivers:
            for n in (r.name, *r.aliases):
                key = fold(re.sub(r"(?i)\b(river|reka|река|р\.)\b", "", n))
                if key:
                    self._river_keys[key] = r.id

    # ------------------------------------------------------------------ lookups
    def get(self, place_id: str) -> Place:
        return self.places[place_id]

    def region_geometry(self, region_id: str):  # noqa: ANN201 - shapely geometry
        return self.regions[region_id].geometry

    def region_of(self, place: Place) -> Area | None:
        """The bundled region containing the place, if any."""
        pt = SPoint(place.lon, place.lat)
        for r in self.regions.values():
            if r.geometry.covers(pt):
                return r
        return None

    def candidates(
        self,
        query: str,
        near: Iterable[tuple[float, float]] | np.ndarray = (),
        prefer: str | None = None,
        limit: int = 5,
    ) -> list[Match]:
        """All plausible matches, best first (may be empty)."""
        q = normalize(query)
        if not q:
            return []
        if q.startswith("the "):
            q = q[4:]
        for word, kind in _KIND_WORDS.items():
            if q.endswith(" " + word) and len(q) > len(word) + 1:
                base = q[: -len(word) - 1]
                if self._exact.get(base) or self._folded.get(fold(base)):
                    q, prefer = base, prefer or kind
                    break
        found: dict[str, Match] = {}

        def add(pid: str, score: float, how: str) -> None:
            if pid not in found or found[pid].score < score:
                found[pid] = Match(self.places[pid], score, how)

        for pid in self._exact.get(q, ()):
            add(pid, 1.0, "exact")
        for pid in self._folded.get(fold(q), ()):
            add(pid, 0.95, "spelling variant")
        bridges: list[Match] = []
        if not found:
            bridges = self.bridge_candidates(q)
        if not found and not bridges:
            key = fold(q)
            max_edits = 1 if len(key) <= 5 else 2
            for cand, dist, _ in process.extract(
                key, self._fold_keys, scorer=Levenshtein.distance, limit=10, score_cutoff=max_edits
            ):
                for pid in self._folded[cand]:
                    add(pid, 0.9 - 0.1 * dist, f"{dist} edit{'s' if dist > 1 else ''}")
        if prefer == "station":
            # a town's main station is what a rail trip means by the town's name
            for m in list(found.values()):
                st = m.place.station
                if m.place.kind in ("town", "city") and st in self.places:
                    add(st, m.score, f"station of {m.place.name} ({m.how})")
        matches = list(found.values()) + bridges
        near_arr = near_array(near)
        served = self._served

        def rank(m: Match) -> tuple[float, str]:
            main = 0.01 if m.place.id in served else 0.0  # the station a town names as its own
            return (-(m.score + _kind_fit(m.place.kind, prefer) + _near_bonus(m.place, near_arr) + main), m.place.id)

        ranked = sorted(matches, key=rank)
        return ranked[:limit] if limit else ranked

    def resolve(
        self,
        query: str,
        near: Iterable[tuple[float, float]] | np.ndarray = (),
        prefer: str | None = None,
    ) -> list[Match]:
        """Matches for ``query``, best first; raises when nothing matches well enough.

        Raises
        ------
        PlaceNotFound
            No match within two edits; the error lists the closest names.
        """
        matches = self.candidates(query, near=near, prefer=prefer, limit=0)
        if matches:
            return matches
        world = self._world(query)
        if world:
            return world
        if self.geocoder is not None:
            hit = self.geocoder.geocode(query)  # type: ignore[attr-defined]
            if hit is not None:
                lat, lon, label = hit
                p = Place(
                    id=f"online:{fold(query)}",
                    name=str(label).split(",")[0] or query,
                    kind="point",
                    lat=float(lat),
                    lon=float(lon),
                    source=f"Nominatim (OpenStreetMap contributors, ODbL): {label}",
                )
                return [Match(p, 0.6, "online geocoder")]
        raise PlaceNotFound(query, self.suggest(query))

    def suggest(self, query: str, limit: int = 5) -> tuple[str, ...]:
        """The closest names to a query that matched nothing."""
        key = fold(query)
        if not key:
            return ()
        names: list[str] = []
        for cand, _score, _ in process.extract(key, self._fold_keys, scorer=fuzz.WRatio, limit=limit * 3):
            for pid in sorted(self._folded[cand]):
                name = self.places[pid].name
                if name not in names:
                    names.append(name)
        return tuple(names[:limit])

    def _world(self, query: str) -> list[Match]:
        if self._world_loader is None:
            return []
        if self._world_places is None:
            self._world_places = tuple(self._world_loader())
        key = normalize(query)
        hits = [p for p in self._world_places if any(normalize(n) == key for n in p.names)]
        return [Match(p, 0.85, "world gazetteer (GeoNames)") for p in hits]

    # ------------------------------------------------------------------ bridges
    def river_for(self, text: str) -> Area | None:
        key = fold(re.sub(r"(?i)\b(river|reka|река)\b", "", text))
        if key in self._river_keys:
            return self.rivers[self._river_keys[key]]
        hit = process.extractOne(key, list(self._river_keys), scorer=Levenshtein.distance, score_cutoff=2)
        return self.rivers[self._river_keys[hit[0]]] if hit else None

    def bridge_candidates(self, text: str) -> list[Match]:
        """Bridges named by their river: every point where a bundled line crosses it."""
        q = normalize(text)
        for pat in _BRIDGE_PATTERNS:
            m = pat.match(q)
            if m:
                river = self.river_for(m.group("river"))
                if river is not None:
                    return [Match(p, 0.9, f"crossing of the {river.name}") for p in self.crossings(river.id)]
        return []

    def crossings(self, river_id: str) -> list[Place]:
        """Where the bundled lines cross a river (computed once per river)."""
        if river_id not in self._crossing_cache:
            self._crossing_cache[river_id] = river_crossings(self.rivers[river_id], self.lines, self.places)
        return list(self._crossing_cache[river_id])


def near_array(near: Iterable[tuple[float, float]] | np.ndarray) -> np.ndarray:
    """Context points as an (n, 2) array of (lat, lon)."""
    arr = near if isinstance(near, np.ndarray) else np.array(list(near), dtype=float)
    return arr.reshape(-1, 2)


def _near_bonus(p: Place, near: np.ndarray) -> float:
    """A bonus for closeness to the context points (the trip's other places): one
    vectorised pass, so a trip of thousands of events stays linear per name."""
    if not len(near):
        return 0.0
    d = float(haversine_km_many(p.lat, p.lon, near[:, 0], near[:, 1]).min())
    return 0.08 * math.exp(-d / 400.0)
