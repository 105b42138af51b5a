"""A network's own gazetteer layer: the stations (and bridges) of an imported network,
indexed by every name they carry, and read from the network's folder.

The layer is a tier of :class:`~routes.places.index.Gazetteer` (searched first), not a
resolver of its own: its matches go through the same ranking, ambiguity notes, typo rules
and provenance as every other tier.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from ..errors import DataError
from ..model import Place
from .keys import name_keys
from .text import fold, normalize

__all__ = ["NameIndex", "LAYER_FILE", "load_layer"]

LAYER_FILE = "places.json"


class NameIndex:
    """Places by their normalised names and by their folded (transliterated) names."""

    def __init__(self, places: Sequence[Place]) -> None:
        self.places = {p.id: p for p in places}
        self._exact: dict[str, set[str]] = defaultdict(set)
        self._folded: dict[str, set[str]] = defaultdict(set)
        owners = [(p.id, n) for p in places for n in p.names]
        for (pid, _), (exact, folded) in zip(owners, name_keys([n for _, n in owners])):
            self._exact[exact].add(pid)
            self._folded[folded].add(pid)

    def __len__(self) -> int:
        return len(self.places)

    def has(self, key: str) -> bool:
        return bool(self._exact.get(key) or self._folded.get(fold(key)))

    def lookup(self, q: str) -> list[tuple[str, float, str, str]]:
        """(place id, score, how, method) for a normalised query: a name, an alias, or the
        same after transliteration."""
        if not self.places:
            return []
        out = []
        for pid in sorted(self._exact.get(q, ())):
            primary = normalize(self.places[pid].name) == q
            out.append((pid, 1.0, "name" if primary else "alias", "exact" if primary else "alias"))
        seen = {x[0] for x in out}
        for pid in sorted(self._folded.get(fold(q), ())):
            if pid not in seen:
                out.append((pid, 0.95, f"spelling variant of '{self.places[pid].name}'", "transliteration"))
        return out


def load_layer(folder: Path, network: str) -> tuple[Place, ...]:
    """The gazetteer layer stored with a network (its ``places.json``); empty when the
    network has none (the bundled one). Names are data from OpenStreetMap, kept as text."""
    path = Path(folder) / LAYER_FILE
    if not path.is_file():
        return ()
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        out = []
        for r in rows:
            out.append(
                Place(
                    id=str(r["id"]),
                    name=str(r["name"]),
                    kind=str(r["kind"]),
                    lat=float(r["lat"]),
                    lon=float(r["lon"]),
                    country=str(r.get("country", "")),
                    tz=str(r.get("tz") or "UTC"),
                    aliases=tuple(str(a) for a in r.get("aliases", ())),
                    station=r.get("station") or None,
                    source=str(r.get("source", "")),
                    extra=(("network", network), ("osm", str(r.get("osm", "")))),
                )
            )
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise DataError(f"{path} is damaged ({err}); import the network again") from err
    return tuple(out)
