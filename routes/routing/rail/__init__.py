"""Rail routing on a stored network: build, contract, snap, routes and alternatives.

Functions over a :class:`RailNetwork` (an opened store of arrays), networkx-style:

>>> from routes.routing.rail import open_network, snap, route
>>> net = open_network()                       # the bundled network, cached   # doctest: +SKIP
"""

from __future__ import annotations

from .alternatives import alternatives
from .chainage import Chainage, default_factor, line_chainage
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
from .records import NetworkRecords, records_from_lines
from .router import RailRouter
from .snap import PROFILES, Position, allowed_chains, nearest, position_of_node, snap
from .store import RailNetwork, StoreError

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
