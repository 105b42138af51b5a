"""Airports: the maintained ``airportsdata`` package (ICAO and IATA codes, names, cities,
coordinates and time zones of about 28,000 airports and airstrips, MIT licence), plus the
other names of an airport the bundled ``gazetteer/airports.csv`` records with a source
each ("Sunan" for Pyongyang International Airport).

Reading the package's table takes about 0.1 s, so it is read only when an air leg or a
name no other tier knows asks for it (:func:`airport_rows` is cached).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import NamedTuple

import airportsdata

from ..errors import DataError
from .bundled import _csv_rows, data_root

__all__ = ["AirportRow", "airport_rows", "airport_aliases", "database_version"]

log = logging.getLogger(__name__)


class AirportRow(NamedTuple):
    """One airport as the package gives it (a tuple: 28,000 of them are made at once)."""

    icao: str
    iata: str
    name: str
    city: str
    country: str
    lat: float
    lon: float
    tz: str


def database_version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # deferred: 10 ms, only for this line

    try:
        return version("airportsdata")
    except PackageNotFoundError:  # pragma: no cover - installed with routes
        return "?"


@lru_cache(maxsize=1)
def airport_rows() -> tuple[AirportRow, ...]:
    """Every airport of the ``airportsdata`` package, in ICAO order."""
    out = []
    for icao, a in sorted(airportsdata.load("ICAO").items()):
        try:
            row = AirportRow(
                icao,
                a["iata"] or "",
                a["name"].strip(),
                a["city"] or "",
                a["country"] or "",
                float(a["lat"]),
                float(a["lon"]),
                a["tz"] or "",
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            log.debug("airportsdata row %s skipped", icao)
            continue
        if -90 <= row.lat <= 90 and -180 <= row.lon <= 180:
            out.append(row)
    log.info("read %d airports from airportsdata %s", len(out), database_version())
    return tuple(out)


@lru_cache(maxsize=1)
def airport_aliases() -> dict[str, tuple[tuple[str, ...], str]]:
    """Other names of airports, by ICAO code: (names, source), from ``gazetteer/airports.csv``."""
    f = data_root().joinpath("airports.csv")
    if not f.is_file():
        return {}
    out: dict[str, tuple[tuple[str, ...], str]] = {}
    for n, row in enumerate(_csv_rows(f), start=2):
        icao = row.get("icao", "").upper()
        names = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
        if not icao or not names or not row.get("source"):
            raise DataError(f"gazetteer/airports.csv:{n}: give icao, aliases and source")
        out[icao] = (names, row["source"])
    return out
