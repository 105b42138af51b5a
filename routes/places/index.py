"""Resolve place names in any spelling or script to places, saying how each was found.

Tiers, each tried only when the ones before found nothing:

0. the stations and bridges of the network routed on, when it has a gazetteer layer of its
   own (an imported OpenStreetMap network): the same methods as the bundled tier below,
   their detail naming the network;
1. the bundled gazetteer: a name (``exact``, 1.0) or alias (``alias``, 1.0); the same after
   transliterating other scripts and folding romanisation variants (``transliteration``,
   0.95); a bridge named by its river, found where a rail line crosses it (``crossing``, 0.9);
2. the optional world gazetteer (``world``, 0.9): exact names and GeoNames alternate names,
   ranked by context (see :mod:`routes.places.world`);
   airports (``airport``, 0.9): an ICAO or IATA code in capitals, an airport's name or another
   name the bundled data records (:mod:`routes.places.airports`); for a place an air leg
   touches (``prefer="airport"``) this tier comes before the world gazetteer;
3. a typo (``fuzzy``, 0.8 for one edit, 0.7 for two), taken only when it is the only place
   within that many edits, lies near the trip's other places (or ``--near``), and the name
   is not exactly the name of some other place in any tier (:mod:`routes.places.fuzzy`);
4. an online geocoder, when the user asked for one (``online``, 0.6).

A qualifier narrows every tier: "Dong Dang, Vietnam", "Changsha, Hunan", or ``country``.
Otherwise :class:`~routes.errors.PlaceNotFound` lists candidates with their country and
distance from the trip: never a silent guess.
"""

from __future__ import annotations

import logging
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from shapely.geometry import Point as SPoint

from ..errors import PlaceNotFound, UnknownQualifier
from ..geo import haversine_km, haversine_km_many
from ..model import Place, Resolution
from ..settings import DEFAULT, Settings
from ..sources.bundled import Area, LineFeature
from .airports import AirportIndex
from .bridges import river_crossings
from .fuzzy import FuzzyIndex
from .keys import name_keys
from .layer import NameIndex
from .qualifiers import Qualifier, country_code, country_name, read_qualifier, split_qualifier
from .text import fold, normalize
from .timezones import tz_for
from .world import Between, WorldDB, WorldIndex, explain_choice, km_from, rank_world

__all__ = ["Match", "Gazetteer", "normalize", "fold", "hint", "near_array", "distinct"]

log = logging.getLogger(__name__)

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
    """A candidate place for a query: how sure we are (0–1), how it matched in words, and
    the method (one of :data:`routes.model.RESOLVED_BY`)."""

    place: Place
    score: float
    how: str
    method: str = "exact"
    note: str = ""  # what a reader should know about the choice (ambiguity, typo)

    @property
    def resolution(self) -> Resolution:
        return Resolution(self.method, round(min(1.0, self.score), 3), self.how)


def _kind_fit(kind: str, prefer: str | None) -> float:
    if prefer == "station":
        return {"station": 0.04, "junction": 0.04, "town": 0.02, "city": 0.02}.get(kind, 0.0)
    if prefer in ("town", "city"):
        return {"town": 0.04, "city": 0.04, "station": 0.02, "junction": 0.02}.get(kind, 0.0)
    if prefer:
        return 0.04 if kind == prefer else 0.0
    return 0.0


def hint(p: Place, near: np.ndarray | Sequence[tuple[float, float]] = ()) -> str:
    """A candidate as an error shows it: ``'Pyongyang' (North Korea, 2,620 km from the trip's places)``."""
    bits = [country_name(p.country)] if p.country else []
    d = km_from(p, near)
    if d is not None:
        bits.append(f"{d:,.0f} km from the trip's places")
    return f"'{p.name}'" + (f" ({', '.join(bits)})" if bits else "")


class Gazetteer:
    """An index over places, regions, rivers and lines, answering :meth:`resolve`.

    Parameters
    ----------
    places, regions, rivers, lines
        The data to index; :func:`default_gazetteer` passes the bundled data.
    geocoder
        An object with ``geocode(query) -> (lat, lon, display_name) | None`` consulted
        last, only when given (the command line gives one with ``--online``).
    world
        A loader of the world gazetteer (a :class:`WorldIndex` or a sequence of places),
        called once, when a name is first looked for beyond the bundled data.
    layer, layer_name
        The places of a network's own gazetteer layer (the stations of an imported
        network), searched before the bundled data, and the network's name.
    crossings
        Where the lines cross a river, by river id, when the caller has them (the bundled
        data's, kept between runs: :func:`~routes.places.bridges.bundled_crossings`);
        else they are computed from ``lines``, which serve nothing else.
    """

    def __init__(
        self,
        places: Sequence[Place],
        regions: Sequence[Area] = (),
        rivers: Sequence[Area] = (),
        lines: Sequence[LineFeature] = (),
        geocoder: object | None = None,
        world: Callable[[], WorldIndex | WorldDB | Sequence[Place]] | None = None,
        settings: Settings = DEFAULT,
        airports: Callable[[], AirportIndex] | None = None,
        layer: Sequence[Place] = (),
        layer_name: str = "",
        crossings: Callable[[str], tuple[Place, ...]] | None = None,
    ) -> None:
        self.places = {p.id: p for p in places}
        self.layer_name = layer_name
        self._layer = NameIndex(layer)
        self.regions = {r.id: r for r in regions}
        self.rivers = {r.id: r for r in rivers}
        self.lines = tuple(lines)
        self._crossings_of = crossings
        self.geocoder = geocoder
        self.settings = settings
        self._world_loader = world
        self._world_index: WorldIndex | WorldDB | None = None
        self._airport_loader = airports
        self._airport_index: AirportIndex | None = None
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
        owners = [(p.id, n) for p in self.places.values() for n in p.names]
        for (pid, _), (exact, folded) in zip(owners, name_keys([n for _, n in owners])):
            self._exact[exact].add(pid)
            self._folded[folded].add(pid)
        self._fold_keys = list(self._folded)
        for p in layer:
            self.places.setdefault(p.id, p)
        self._fuzzy_index: FuzzyIndex | None = None  # built for the first name that may be a typo
        self._served = {p.station for p in self.places.values() if p.station}
        self._crossing_cache: dict[str, tuple[Place, ...]] = {}
        self._river_keys: dict[str, str] = {}
        for r in rivers:
            for n in (r.name, *r.aliases):
                key = fold(re.sub(r"(?i)\b(river|reka|река|р\.)\b", "", n))
                if key:
                    self._river_keys[key] = r.id

    @property
    def _fuzzy(self) -> FuzzyIndex:
        """The typo index, built when a name first needs it (most trips name none)."""
        if self._fuzzy_index is None:
            self._fuzzy_index = FuzzyIndex(self.places.values())
        return self._fuzzy_index

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

    def world(self) -> WorldIndex | WorldDB | None:
        """The world gazetteer, loaded on first use (None when not installed or not asked for)."""
        if self._world_loader is None:
            return None
        if self._world_index is None:
            got = self._world_loader()
            self._world_index = got if isinstance(got, (WorldIndex, WorldDB)) else WorldIndex(tuple(got))
        return self._world_index if len(self._world_index) else None

    def airports(self) -> AirportIndex | None:
        """The airport database, read on first use (None when this gazetteer has none)."""
        if self._airport_loader is None:
            return None
        if self._airport_index is None:
            self._airport_index = self._airport_loader()
        return self._airport_index

    def nearest_airport(self, place: Place, within_km: float) -> tuple[Place, float] | None:
        """The airport a place that is not one flies from: the nearest with an IATA code
        within ``within_km``, else the nearest of any kind; None when there is none."""
        index = self.airports()
        return None if index is None else index.nearest(place.lat, place.lon, within_km)

    def _airport_matches(self, query: str, admit: Callable[[Place], bool], near: np.ndarray) -> list[Match]:
        index = self.airports()
        if index is None:
            return []
        found = index.find(query, admit)
        if len(near):
            found.sort(key=lambda pm: (km_from(pm[0], near) or 0.0) // 50)  # stable: served airports first within 50 km
        hits = [Match(p, 0.9, how, "airport") for p, how in found]
        return self._with_note(query, hits, near) if hits else []

    def candidates(
        self,
        query: str,
        near: Iterable[tuple[float, float]] | np.ndarray = (),
        prefer: str | None = None,
        limit: int = 5,
    ) -> list[Match]:
        """Bundled places whose name, alias or transliteration is ``query`` (or bridges over
        the river it names), best first; no typos, no world gazetteer."""
        q = normalize(query)
        if not q:
            return []
        if q.startswith("the "):
            q = q[4:]
        for word, kind in _KIND_WORDS.items():
            if q.endswith(" " + word) and len(q) > len(word) + 1:
                base = q[: -len(word) - 1]
                if self._exact.get(base) or self._folded.get(fold(base)) or self._layer.has(base):
                    q, prefer = base, prefer or kind
                    break
        found: dict[str, Match] = {}

        def add(pid: str, score: float, how: str, method: str) -> None:
            if pid not in found or found[pid].score < score:
                found[pid] = Match(self.places[pid], score, how, method)

        layer = self._layer.lookup(q)
        if layer:  # the network's own stations first: a tier of its own
            for pid, score, how, method in layer:
                add(pid, score, f"network {self.layer_name}: {how}", method)
            return self._rank(list(found.values()), near_array(near), prefer, limit)
        for pid in self._exact.get(q, ()):
            primary = normalize(self.places[pid].name) == q
            add(pid, 1.0, "name" if primary else "alias", "exact" if primary else "alias")
        for pid in self._folded.get(fold(q), ()):
            add(pid, 0.95, f"spelling variant of '{self.places[pid].name}'", "transliteration")
        bridges = [] if found else self.bridge_candidates(q)
        if prefer == "station":
            # a town's main station is what a rail trip means by the town's name
            for m in list(found.values()):
                st = m.place.station
                if m.place.kind in ("town", "city") and st in self.places:
                    add(st, m.score, f"station of {m.place.name} ({m.how})", m.method)
        return self._rank(list(found.values()) + bridges, near_array(near), prefer, limit)

    def _rank(self, matches: list[Match], near: np.ndarray, prefer: str | None, limit: int) -> list[Match]:
        served = self._served

        def rank(m: Match) -> tuple[float, str]:
            main = 0.01 if m.place.id in served else 0.0  # the station a town names as its own
            return (-(m.score + _kind_fit(m.place.kind, prefer) + _near_bonus(m.place, near) + main), m.place.id)

        # one match needs no ranking (nor the distances to every other place of the trip)
        ranked = sorted(matches, key=rank) if len(matches) > 1 else list(matches)
        return ranked[:limit] if limit else ranked

    def resolve(
        self,
        query: str,
        near: Iterable[tuple[float, float]] | np.ndarray = (),
        prefer: str | None = None,
        country: str | None = None,
        near_countries: Iterable[str] = (),
        allow_fuzzy: bool = True,
        between: Between | None = None,
    ) -> list[Match]:
        """Matches for ``query``, best first, each as sure as its tier allows.

        Parameters
        ----------
        near
            Coordinates of the trip's other places (or ``--near``): ranks places of one
            name, and a typo is only taken near them.
        country
            A country name or ISO code the place must be in (``country:`` in a trip).
        near_countries
            The countries of the trip's other places (ranks world places).
        allow_fuzzy
            Whether a typo may match (a first pass without context sets False).
        between
            The located sightings before and after this one: places of one name in the
            world gazetteer are then ranked by the detour they make between them.

        Raises
        ------
        PlaceNotFound
            Nothing matched well enough; the error lists candidates.
        UnknownQualifier
            The qualifier or ``country`` names no country or region.
        """
        if len(query) > self.settings.max_place_chars:
            raise PlaceNotFound(
                query, reason=f"{len(query):,} characters; no place name is longer than {self.settings.max_place_chars}"
            )
        near = near_array(near)
        near_countries = set(near_countries)
        name, quals = self._qualifiers(query.strip(), country)

        def admit(p: Place) -> bool:
            return all(qf.admits(p) for qf in quals)

        bundled = self.candidates(name, near=near, prefer=prefer, limit=0)
        hits = [m for m in bundled if admit(m.place)]
        if hits:
            return self._with_note(query, hits, near)
        if prefer == "airport" and (flights := self._airport_matches(query.strip(), admit, near)):
            return flights
        world = self.world()
        world_all = world.exact(name) if world is not None else []
        world_hits = [p for p in world_all if admit(p)]
        if world_hits:
            ranked = rank_world(world_hits, near, near_countries, self.settings, between)
            note = explain_choice(query, ranked, near, near_countries, between) if _distinct_places(ranked) else ""
            return [
                Match(p, 0.9, f"GeoNames {p.geonames_id}", "world", note if i == 0 else "")
                for i, p in enumerate(ranked)
            ]
        if prefer != "airport" and (flights := self._airport_matches(query.strip(), admit, near)):
            return flights
        elsewhere = [m.place for m in bundled] + list(world_all)
        reason = ""
        if allow_fuzzy:
            taken, reason, fuzzy_cands = self._fuzzy.accept(
                name, self.places, near, admit, exact_elsewhere=elsewhere, settings=self.settings
            )
            if taken:
                matches = [
                    Match(p, 0.9 - 0.1 * d, f"{d} edit{'s' if d > 1 else ''} from '{n}'", "fuzzy") for p, d, n in taken
                ]
                best = matches[0]
                note = f"'{query}' read as a typo of '{taken[0][2]}' ({best.place.name}, {best.how}): check it"
                matches[0] = Match(best.place, best.score, best.how, best.method, note)
                return self._promote(matches, prefer)
            elsewhere = elsewhere + [p for p in fuzzy_cands if p not in elsewhere]
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
                    tz=tz_for(float(lat), float(lon)),
                    source=f"Nominatim (OpenStreetMap contributors, ODbL): {label}",
                )
                return [Match(p, 0.6, "online geocoder", "online")]
        if quals and elsewhere:
            where = " and ".join(q.text for q in quals)
            reason = f"not in {where}" + (f"; {reason}" if reason else "")
        cands = elsewhere or [self.places[pid] for pid in self._suggest_ids(name)]
        raise PlaceNotFound(
            query,
            tuple(dict.fromkeys(p.name for p in cands)),
            tuple(dict.fromkeys(hint(p, near) for p in cands)),
            reason,
        )

    def _qualifiers(self, query: str, country: str | None) -> tuple[str, list[Qualifier]]:
        quals: list[Qualifier] = []
        if country:
            code = country_code(country)
            if code is None:
                raise UnknownQualifier(country)
            quals.append(Qualifier(country_name(code), countries=frozenset({code})))
        split = split_qualifier(query)
        if split is None or self._exact.get(normalize(query)) or self._layer.has(normalize(query)):
            return query, quals
        world = self.world()
        if world is not None and world.exact(query):
            return query, quals
        name, qual = split
        quals.append(read_qualifier(qual, tuple(self.regions.values()), query))
        return name, quals

    def _with_note(self, query: str, hits: list[Match], near: np.ndarray) -> list[Match]:
        best = hits[0]
        rivals = [m.place for m in hits[1:] if m.score >= best.score - 0.05 and distinct(best.place, m.place)]
        if not rivals or best.method == "crossing":
            return hits
        others = "; ".join(f"{p.name} ({p.kind}, {p.lat:.2f}, {p.lon:.2f})" for p in rivals[:3])
        p = best.place
        why = "the closest fit to the trip's other places" if len(near) else "the best fit to the name"
        note = (
            f"'{query}' is ambiguous: chose {p.name} ({p.kind}, {p.lat:.2f}, {p.lon:.2f}) as {why}; "
            f"also {others} — name it more exactly if that is wrong"
        )
        return [Match(best.place, best.score, best.how, best.method, note), *hits[1:]]

    def _promote(self, taken: list[Match], prefer: str | None) -> list[Match]:
        if prefer != "station":
            return taken
        out = []
        for m in taken:
            st = m.place.station
            if m.place.kind in ("town", "city") and st in self.places:
                out.append(Match(self.places[st], m.score, f"station of {m.place.name} ({m.how})", m.method, m.note))
            out.append(m)
        return out

    def _suggest_ids(self, query: str, limit: int = 5) -> list[str]:
        key = fold(query)
        if not key:
            return []
        from rapidfuzz import fuzz, process  # deferred: 6 ms of import, only for a name nothing matched

        ids: list[str] = []
        for cand, _score, _ in process.extract(key, self._fold_keys, scorer=fuzz.WRatio, limit=limit * 3):
            for pid in sorted(self._folded[cand]):
                if pid not in ids and self.places[pid].name not in {self.places[i].name for i in ids}:
                    ids.append(pid)
        return ids[:limit]

    def suggest(self, query: str, limit: int = 5) -> tuple[str, ...]:
        """The closest names to a query that matched nothing."""
        return tuple(self.places[pid].name for pid in self._suggest_ids(query, limit))

    # ------------------------------------------------------------------ bridges
    def river_for(self, text: str) -> Area | None:
        key = fold(re.sub(r"(?i)\b(river|reka|река)\b", "", text))
        if key in self._river_keys:
            return self.rivers[self._river_keys[key]]
        from rapidfuzz import process  # deferred: 6 ms of import, only for a river not named exactly
        from rapidfuzz.distance import Levenshtein

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
                    return [
                        Match(p, 0.9, f"where a line crosses the {river.name}", "crossing")
                        for p in self.crossings(river.id)
                    ]
        return []

    def crossings(self, river_id: str) -> list[Place]:
        """Where the bundled lines cross a river (computed once per river)."""
        if river_id not in self._crossing_cache:
            if self._crossings_of is not None:
                self._crossing_cache[river_id] = self._crossings_of(river_id)
            else:
                self._crossing_cache[river_id] = river_crossings(self.rivers[river_id], self.lines, self.places)
        return list(self._crossing_cache[river_id])


def distinct(a: Place, b: Place) -> bool:
    """Two matches are different places (not a town and its own station, not 20 km apart)."""
    if a.station == b.id or b.station == a.id or a.id == b.id:
        return False
    if (a.kind == "region") != (b.kind == "region"):  # a city and the region named after it
        return False
    return haversine_km(a.lat, a.lon, b.lat, b.lon) > 20


def _distinct_places(places: Sequence[Place]) -> bool:
    return any(distinct(places[0], p) for p in places[1:])


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
