"""Time zones of places: each place carries an IANA zone name; this turns it into a zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import TripError
from ..geo import haversine_km
from ..model import Place
from ..sources.bundled import load_places

__all__ = ["zone", "tz_for"]


def zone(place: Place) -> ZoneInfo:
    """The zone of a place; an unknown zone name is a :class:`TripError`."""
    try:
        return ZoneInfo(place.tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise TripError(f"place {place.name}: unknown time zone {place.tz!r}") from err


def tz_for(lat: float, lon: float) -> str:
    """The zone of the nearest bundled place: good enough inside the bundled region."""
    best = min(load_places(), key=lambda q: haversine_km(lat, lon, q.lat, q.lon), default=None)
    return best.tz if best is not None else "UTC"
