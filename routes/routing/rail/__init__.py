"""Rail routing: the network built from line geometry, snapping, shortest routes and alternatives."""

from __future__ import annotations

from .build import Chainage, build_network, default_factor, line_chainage
from .contract import Chain, contract
from .network import Position, RailNetwork, join_routes

__all__ = [
    "Chain",
    "Chainage",
    "Position",
    "RailNetwork",
    "build_network",
    "contract",
    "default_factor",
    "join_routes",
    "line_chainage",
]
