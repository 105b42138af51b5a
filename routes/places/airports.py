"""Airports as places: found by code ("ZKPY", "FNJ"), by name ("Changi", "Beijing Capital",
"Singapore Changi Airport") or by another name the bundled data records ("Sunan"), and
the nearest airport to a place that is not one.

Names match exactly after :func:`~routes.places.text.normalize`, against the airport's
name, its name without generic words ("International", "Airport", "Air Base", …) and that
without its city's name: "Singapore Changi International Airport" answers to "Changi". A
single word of a longer name does not match ("Sunan" is not "Sunan Shuofang"), nor does a
short name that is the town of some airport ("Paris" is never "Paris Beauvais Tille"), and
codes match only when written in capitals, as codes are, so "Ufa" is a town, "UFA" an airport.
Airports with an IATA code (the ones airliners use) rank before airstrips.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from ..geo import haversine_km, haversine_km_many
from ..model import Place
from ..sources.airports import AirportRow, airport_aliases, airport_rows, database_version
from .text import normalize
from .timezones import tz_for

__all__ = ["AirportIndex", "airport_key", "load_airport_index"]

_GENERIC = re.compile(
    r"\b(international|intl|airport|airfield|aerodrome|airstrip|air ?base|air force base|"
    r"naval air station|air station|heliport|the)\b\.?"
)
_CODE = re.compile(r"^(?:[A-Z]{3}|[A-Z][A-Z0-9]{3})$")


def airport_key(name: str) -> str:
    """A name without the words every airport's name has.

    >>> airport_key("Singapore Changi International Airport")
    'singapore changi'
    >>> airport_key("Changi Air Base")
    'changi'
    """
    return _strip(normalize(name))


def _strip(normalized: str) -> str:
    return " ".join(_GENERIC.sub(" ", normalized).split())


class AirportIndex:
    """Airports by code and name, and a nearest-airport search on arrays (no Place objects
    are made until one is asked for)."""

    def __init__(self, rows: Sequence[AirportRow], aliases: dict[str, tuple[tuple[str, ...], str]] | None = None):
        self.rows = tuple(rows)
        self.aliases = dict(aliases or {})
        self._codes: dict[str, int] = {}
        self._names: dict[str, list[int]] = defaultdict(list)
        # a short name that is some airport's town ("Paris" from "Paris Beauvais Tille",
        # "Warsaw" from "Perry-Warsaw") is that town's name, not an airport's
        town_of: dict[str, str] = {}  # a town's key, made once per town name (28,000 airports, far fewer towns)
        for r in self.rows:
            if r.city not in town_of:
                town_of[r.city] = airport_key(r.city)
        towns = set(town_of.values())
        for i, r in enumerate(self.rows):
            self._codes.setdefault(r.icao.upper(), i)
            if r.iata:
                self._codes.setdefault(r.iata.upper(), i)
            full = normalize(r.name)
            for key in self._keys(full, town_of[r.city]):
                if key == full or key not in towns:
                    self._names[key].append(i)
        by_icao = {r.icao.upper(): i for i, r in enumerate(self.rows)}
        self._alias_of: dict[str, list[int]] = defaultdict(list)
        for icao, (names, _) in self.aliases.items():
            if icao in by_icao:
                for n in names:
                    self._alias_of[normalize(n)].append(by_icao[icao])
        self.lat = np.array([r.lat for r in self.rows], dtype=float)
        self.lon = np.array([r.lon for r in self.rows], dtype=float)
        self._served = np.array([bool(r.iata) for r in self.rows], dtype=bool)

    def __len__(self) -> int:
        return len(self.rows)

    @staticmethod
    def _keys(full: str, city: str) -> set[str]:
        core = _strip(full)
        keys = {full, core} - {""}
        if city and core != city:
            for part in (core.removeprefix(city + " "), core.removesuffix(" " + city)):
                if part and part != core:
                    keys.add(part)
        return keys

    # ------------------------------------------------------------------ places
    def place(self, i: int) -> Place:
        r = self.rows[i]
        other, cited = self.aliases.get(r.icao.upper(), ((), ""))
        codes = tuple(c for c in (r.iata, r.icao) if c)
        source = f"airportsdata {database_version()} (MIT): ICAO {r.icao}" + (f", IATA {r.iata}" if r.iata else "")
        if cited:
            source += f"; other names: {cited}"
        return Place(
            id=f"airport:{r.icao}",
            name=r.name,
            kind="airport",
            lat=r.lat,
            lon=r.lon,
            country=r.country,
            tz=r.tz or tz_for(r.lat, r.lon),
            aliases=(*codes, *other),
            source=source,
            extra=(("icao", r.icao), ("iata", r.iata), ("city", r.city)),
        )

    def _ranked(self, idx: Sequence[int], admit: Callable[[Place], bool]) -> list[Place]:
        places = [self.place(i) for i in dict.fromkeys(idx)]
        kept = [p for p in places if admit(p)]
        return sorted(kept, key=lambda p: (not p.meta("iata"), p.id))

    # ------------------------------------------------------------------ lookups
    def find(self, query: str, admit: Callable[[Place], bool] = lambda p: True) -> list[tuple[Place, str]]:
        """Airports ``query`` names, best first, each with how it matched."""
        q = query.strip()
        if _CODE.match(q) and q in self._codes:
            p = self.place(self._codes[q])
            kind = "IATA" if p.meta("iata") == q else "ICAO"
            return [(p, f"{kind} code {q}")] if admit(p) else []
        key = normalize(q)
        named = self._ranked(self._alias_of.get(key, []), admit)
        if named:
            return [(p, f"other name '{q}' of {p.name}") for p in named]
        hits = self._names.get(key) or self._names.get(airport_key(q)) or []
        return [(p, f"airport name {p.name}") for p in self._ranked(hits, admit)]

    def nearest(self, lat: float, lon: float, within_km: float) -> tuple[Place, float] | None:
        """The nearest airport with an IATA code within ``within_km`` (the ones airliners
        use), else the nearest airport of any kind within it; None when there is none."""
        if not len(self.rows):
            return None
        # a box first: the great-circle test then runs on a few hundred airports, not 28,000
        dlat = within_km / 111.0
        dlon = within_km / max(1.0, 111.0 * float(np.cos(np.radians(min(89.0, abs(lat))))))
        box = np.nonzero(
            (np.abs(self.lat - lat) <= dlat)
            & ((np.abs(self.lon - lon) <= dlon) | (np.abs(self.lon - lon) >= 360 - dlon))
        )[0]
        if not len(box):
            return None
        d = haversine_km_many(lat, lon, self.lat[box], self.lon[box])
        for pool in (self._served[box], np.ones(len(box), dtype=bool)):
            ok = pool & (d <= within_km)
            if ok.any():
                j = int(np.argmin(np.where(ok, d, np.inf)))
                p = self.place(int(box[j]))
                return p, haversine_km(lat, lon, p.lat, p.lon)
        return None


@lru_cache(maxsize=1)
def load_airport_index() -> AirportIndex:
    """The airports of the ``airportsdata`` package with the bundled other names (cached)."""
    return AirportIndex(airport_rows(), airport_aliases())
