"""Time zones of places: each place carries an IANA zone name; this turns it into a zone.

A point given by coordinates (or found online) takes its zone from real time-zone
boundaries: the timezonefinder package, offline, with the boundary data of
timezone-boundary-builder (OpenStreetMap, ODbL). Offsets then follow tzdata for the date:
Khabarovsk was UTC+11 in 2011 and is UTC+10 since 2014.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import TripError
from ..model import Place

if TYPE_CHECKING:  # imported when first needed: a trip of named places never needs it
    from timezonefinder import TimezoneFinder

__all__ = ["zone", "tz_for"]


def zone(place: Place) -> ZoneInfo:
    """The zone of a place; an unknown zone name is a :class:`TripError`."""
    try:
        return ZoneInfo(place.tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise TripError(f"place {place.name}: unknown time zone {place.tz!r}") from err


@lru_cache(maxsize=1)
def _finder() -> TimezoneFinder:
    # deferred: timezonefinder (with cffi and h3) costs 40 ms of import, which only a point
    # given by coordinates, or found online, needs
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def tz_for(lat: float, lon: float) -> str:
    """The IANA zone at a point, from time-zone boundaries.

    At sea, outside every boundary, the nautical zone of the longitude (``Etc/GMT-9``
    is UTC+9).

    >>> tz_for(21.946, 106.697)     # Đồng Đăng, Vietnam: UTC+7 (tzdata links the zones)
    'Asia/Bangkok'
    >>> tz_for(48.48, 135.07)       # Khabarovsk
    'Asia/Vladivostok'
    """
    name = _finder().timezone_at(lng=lon, lat=lat)
    if name:
        return name
    hours = round(lon / 15.0)
    return "Etc/GMT" if hours == 0 else f"Etc/GMT{-hours:+d}"
