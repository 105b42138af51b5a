"""routes: reconstruct and verify reported rail journeys.

Resolve places in any spelling or script, infer the rail route between sightings with
alternatives, judge whether reported times, distances and claims hold up, and draw it.
"""

from __future__ import annotations

import logging

from .api import (
    RoutePlan,
    alternative_routes,
    build_map,
    check_trip,
    load_network,
    open_network,
    plan_route,
    resolve,
    shortest_route,
    where,
)
from .errors import AmbiguousPlace, DataError, NoRoute, OnlineError, PlaceNotFound, RoutesError, TripError
from .model import Claim, ClaimVerdict, Leg, LegVerdict, Place, Point, Report, Route, Sighting, Span, Trip, Window
from .trips import load_trip, parse_trip

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "__version__",
    "build_map",
    "check_trip",
    "load_network",
    "open_network",
    "shortest_route",
    "alternative_routes",
    "plan_route",
    "RoutePlan",
    "resolve",
    "where",
    "load_trip",
    "parse_trip",
    "RoutesError",
    "TripError",
    "PlaceNotFound",
    "AmbiguousPlace",
    "NoRoute",
    "DataError",
    "OnlineError",
    "Place",
    "Point",
    "Sighting",
    "Claim",
    "Trip",
    "Route",
    "Leg",
    "LegVerdict",
    "ClaimVerdict",
    "Span",
    "Report",
    "Window",
]


def __getattr__(name: str) -> str:
    """``routes.__version__``, read from the installed metadata when first asked for."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version  # 20 ms: only when asked

        try:
            return version("routes-rail")
        except PackageNotFoundError:  # running from a source tree that is not installed
            return "0+unknown"
    raise AttributeError(f"module 'routes' has no attribute {name!r}")
