"""Rail routing on a stored network: build, contract, snap, routes and alternatives.

Functions over a :class:`RailNetwork` (an opened store of arrays), networkx-style:

>>> from routes.routing.rail import open_network, snap, route
>>> net = open_network()                       # the bundled network, cached   # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .alternatives import alternatives
from .facts import BBox, attribution, components, network_geojson, network_info, to_networkx
from .geometry import assemble, gauge_breaks, join_routes
from .networks import (
    BUNDLED,
    NetworkNotFound,
    build_network,
    build_store,
    bundled_key,
    cache_dir,
    data_dir,
    list_networks,
    network_from_records,
    network_path,
    open_network,
    remove_network,
)
from .paths import find_path, route
from .router import RailRouter
from .snap import PROFILES, Position, allowed_chains, nearest, position_of_node, snap
from .store import RailNetwork, StoreError

if TYPE_CHECKING:
    from .chainage import Chainage, default_factor, line_chainage
    from .records import NetworkRecords, records_from_lines

__all__ = [
    "BBox",
    "BUNDLED",
    "Chainage",
    "NetworkNotFound",
    "NetworkRecords",
    "PROFILES",
    "Position",
    "RailNetwork",
    "RailRouter",
    "StoreError",
    "allowed_chains",
    "attribution",
    "alternatives",
    "build_network",
    "build_store",
    "bundled_key",
    "cache_dir",
    "components",
    "data_dir",
    "default_factor",
    "assemble",
    "find_path",
    "gauge_breaks",
    "join_routes",
    "line_chainage",
    "list_networks",
    "nearest",
    "network_from_records",
    "network_geojson",
    "network_info",
    "network_path",
    "open_network",
    "position_of_node",
    "records_from_lines",
    "remove_network",
    "route",
    "snap",
    "to_networkx",
]

# what builds a network, imported when first asked for: opening one (every check, route and
# map) does without it (10 ms of import)
_BUILDING = {
    "Chainage": "chainage",
    "default_factor": "chainage",
    "line_chainage": "chainage",
    "NetworkRecords": "records",
    "records_from_lines": "records",
}


def __getattr__(name: str) -> Any:
    if name in _BUILDING:
        from importlib import import_module

        return getattr(import_module(f".{_BUILDING[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
