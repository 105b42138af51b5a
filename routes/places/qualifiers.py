"""Qualifiers that narrow a name's search: a country or a first-level region.

"Dong Dang, Vietnam", "Changsha, Hunan", "Khasan, Primorsky Krai", and ``country:`` on an
event or the trip. A qualifier is matched against the countries and GeoNames first-level
divisions of ``gazetteer/world/`` and the bundled regions; one that matches nothing is an
:class:`~routes.errors.UnknownQualifier`, never ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from shapely.geometry import Point as SPoint

from ..errors import UnknownQualifier
from ..model import Place
from ..sources.bundled import Area, load_admin1, load_countries
from .text import normalize

__all__ = ["Qualifier", "read_qualifier", "country_code", "country_name", "split_qualifier"]

# words that name the kind of a division rather than the division ("Hunan Sheng",
# "Guangxi Zhuangzu Zizhiqu", "Amur Oblast"): a qualifier may leave them out
_DESIGNATORS = frozenset(
    "sheng shi zizhiqu zhuangzu huizu uygur uighur province oblast krai kray region autonomous "
    "okrug respublika republic aymag aimak governorate prefecture state".split()
)


@dataclass(frozen=True)
class Qualifier:
    """What a qualifier allows: countries (ISO codes), GeoNames admin1 divisions
    (country, code), bundled region outlines. A place passes if any of them holds it."""

    text: str
    countries: frozenset[str] = frozenset()
    admin1: frozenset[tuple[str, str]] = frozenset()
    regions: tuple[Area, ...] = ()

    def admits(self, place: Place) -> bool:
        if place.country and place.country in self.countries:
            return True
        code = place.meta("admin1")
        if code and (place.country, str(code)) in self.admin1:
            return True
        pt = SPoint(place.lon, place.lat)
        return any(r.geometry.covers(pt) for r in self.regions)


def _keys(name: str) -> set[str]:
    """A name's keys: normalised, and without trailing designators."""
    key = normalize(name)
    out = {key}
    words = key.split()
    while len(words) > 1 and words[-1] in _DESIGNATORS:
        words = words[:-1]
        out.add(" ".join(words))
    return out


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    idx: dict[str, str] = {}
    for code, name, aliases in load_countries():
        idx[code.casefold()] = code
        for n in (name, *aliases):
            idx[normalize(n)] = code
    return idx


@lru_cache(maxsize=1)
def _admin1_index() -> dict[str, frozenset[tuple[str, str]]]:
    idx: dict[str, set[tuple[str, str]]] = {}
    for cc, code, name in load_admin1():
        for k in _keys(name):
            idx.setdefault(k, set()).add((cc, code))
    return {k: frozenset(v) for k, v in idx.items()}


def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country name or code, or None.

    >>> country_code("Vietnam"), country_code("viet nam"), country_code("KP"), country_code("Narnia")
    ('VN', 'VN', 'KP', None)
    """
    return _country_index().get(normalize(text)) or _country_index().get(text.strip().casefold())


def country_name(code: str) -> str:
    """The English name of a country code (the code itself when unknown)."""
    return next((name for c, name, _ in load_countries() if c == code), code)


def read_qualifier(text: str, regions: Sequence[Area] = (), query: str = "") -> Qualifier:
    """The qualifier named by ``text``: countries, first-level divisions and bundled regions
    whose name (or alias, or name without "Province", "Oblast", "Sheng", …) it is.

    Raises
    ------
    UnknownQualifier
        Nothing of that name.
    """
    keys = _keys(text)
    code = country_code(text)
    countries = frozenset({code}) if code else frozenset()
    admin1: frozenset[tuple[str, str]] = frozenset().union(*(_admin1_index().get(k, frozenset()) for k in keys))
    areas = tuple(r for r in regions if keys & set().union(*(_keys(n) for n in (r.name, *r.aliases))))
    if not (countries or admin1 or areas):
        raise UnknownQualifier(text.strip(), query)
    return Qualifier(text.strip(), countries, admin1, areas)


def split_qualifier(query: str) -> tuple[str, str] | None:
    """``("Dong Dang", "Vietnam")`` for ``"Dong Dang, Vietnam"``; None without a comma."""
    if "," not in query:
        return None
    name, _, qual = query.rpartition(",")
    name, qual = name.strip(), qual.strip()
    return (name, qual) if name and qual else None
