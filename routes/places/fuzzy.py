"""Typo matches, and the rules that decide when one may be taken.

A name within one edit (two for names of eight letters or more; a swap of neighbouring
letters counts as one) of a bundled name is a *candidate*. It is taken only when

* **unique** — it is the only place within that many edits (a town and its own station,
  or two records within 20 km of each other, count as one place);
* **in the country** given for the event or the trip, if one is given (and inside a
  qualifier such as "…, Hunan");
* **near** — it lies within ``Settings.fuzzy_near_km`` of one of the trip's other places
  (or ``--near``); with no context at all, no typo is taken;
* **not another place's name** — the name is not exactly the name of some other place
  in any tier (bundled, world gazetteer): "Onsong" is a town of its own, not a typo of
  "Sonbong".

Edits are counted on :func:`~routes.places.text.plain` keys (transliterated, variants not
folded), so a romanisation variant and a typo do not add up to a match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from ..geo import haversine_km, haversine_km_many
from ..model import Place
from ..settings import DEFAULT, Settings
from .text import plain

__all__ = ["FuzzyIndex", "max_edits"]

MIN_LETTERS = 4  # shorter names take no typo at all


def max_edits(key: str) -> int:
    """Edits allowed for a name's plain key: 0 under 4 letters, 1 under 8, else 2."""
    return 0 if len(key) < MIN_LETTERS else (1 if len(key) < 8 else 2)


def _same_place(a: Place, b: Place) -> bool:
    if a.id == b.id or a.station == b.id or b.station == a.id:
        return True
    if (a.kind == "region") != (b.kind == "region"):  # a town and the region named after it
        return True
    return haversine_km(a.lat, a.lon, b.lat, b.lon) <= 20


class FuzzyIndex:
    """Plain keys of every bundled name, for typo candidates."""

    def __init__(self, places: Iterable[Place]) -> None:
        keys: dict[str, set[str]] = defaultdict(set)
        names: dict[tuple[str, str], str] = {}
        for p in places:
            for n in p.names:
                k = plain(n)
                if k:
                    keys[k].add(p.id)
                    names.setdefault((k, p.id), n)
        self._keys = {k: tuple(sorted(v)) for k, v in keys.items()}
        self._key_list = list(self._keys)
        self._names = names

    def candidates(self, name: str) -> list[tuple[str, int, str]]:
        """(place id, edits, the name it is near) for every name within the allowed edits."""
        key = plain(name)
        limit = max_edits(key)
        if not limit:
            return []
        # deferred: rapidfuzz costs 6 ms of import, and only a name no tier knows gets here
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        out: dict[str, tuple[str, int, str]] = {}
        for cand, dist, _ in process.extract(key, self._key_list, scorer=OSA.distance, score_cutoff=limit, limit=None):
            if dist == 0:
                continue  # the same letters: the transliteration tier's business
            for pid in self._keys[cand]:
                if pid not in out or out[pid][1] > dist:
                    out[pid] = (pid, int(dist), self._names[(cand, pid)])
        return sorted(out.values(), key=lambda t: (t[1], t[0]))

    def accept(
        self,
        name: str,
        places: Mapping[str, Place],
        near: np.ndarray,
        admit: Callable[[Place], bool],
        exact_elsewhere: Sequence[Place] = (),
        settings: Settings = DEFAULT,
    ) -> tuple[list[tuple[Place, int, str]], str, list[Place]]:
        """The typo match to take, if the rules allow one.

        Returns (taken, reason, candidates): ``taken`` as (place, edits, matched name),
        best first, empty when refused; ``reason`` says why a candidate was refused;
        ``candidates`` are the places considered, for the error to list.
        """
        found = [(places[pid], d, n) for pid, d, n in self.candidates(name)]
        if not found:
            return [], "", []
        considered = [p for p, _, _ in found]
        inside = sorted((t for t in found if admit(t[0])), key=lambda t: (t[1], t[0].kind == "region"))
        if exact_elsewhere:
            other = exact_elsewhere[0]
            where = f" ({other.country})" if other.country else ""
            return [], f"'{name}' is the name of {other.name}{where}, not a typo", considered
        if not inside:
            return [], "no place of a similar name in the country or region given", considered
        first = inside[0][0]
        if any(not _same_place(first, p) for p, _, _ in inside[1:]):
            names = ", ".join(dict.fromkeys(p.name for p, _, _ in inside))
            return [], f"a typo could be any of {names}", considered
        if not len(near):
            return [], "a typo is only taken near the trip's other places; none were given", considered
        d = float(haversine_km_many(first.lat, first.lon, near[:, 0], near[:, 1]).min())
        if d > settings.fuzzy_near_km:
            return (
                [],
                f"{first.name} is {d:,.0f} km from the trip's other places, more than "
                f"{settings.fuzzy_near_km:,.0f} km for a typo",
                considered,
            )
        return inside, "", considered
