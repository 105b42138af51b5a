"""The country of a point, from its time zone: offline, from tzdata's own zone tables.

:func:`~routes.places.timezones.tz_for` puts a point in an IANA zone (timezonefinder, with
the zone boundaries of timezone-boundary-builder, built from OpenStreetMap); tzdata's
``zone.tab`` names the one country each zone is for (``Asia/Vladivostok`` → RU,
``Europe/Berlin`` → DE). The boundaries follow national borders, so this is as good as
they are near a border (they are simplified: a point within a few hundred metres of a
border can land on the other side) and exact inside a country. A zone ``zone.tab`` does
not list takes the first country ``zone1970.tab`` gives it; a point at sea (an ``Etc/``
zone) has no country.

>>> country_for_zone("Asia/Vladivostok"), country_for_zone("Europe/Berlin"), country_for_zone("Etc/GMT-9")
('RU', 'DE', '')
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .timezones import tz_for

__all__ = ["country_for_zone", "country_at"]


def _table(name: str) -> dict[str, str]:
    text = resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            out.setdefault(parts[2], parts[0].split(",")[0])
    return out


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    return {**_table("zone1970.tab"), **_table("zone.tab")}


def country_for_zone(tz: str) -> str:
    """The ISO 3166 code of the country the zone is for, or "" (at sea, unknown zones)."""
    return _zones().get(tz, "")


def country_at(lat: float, lon: float) -> tuple[str, str]:
    """(country code, IANA zone) of a point."""
    tz = tz_for(lat, lon)
    return country_for_zone(tz), tz
