"""routes: reconstruct and verify reported rail journeys.

Resolve places in any spelling or script, infer the rail route between sightings with
alternatives, judge whether reported times, distances and claims hold up, and draw it.
"""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version

from .api import build_map, check_trip, load_network, resolve, where
from .errors import AmbiguousPlace, DataError, NoRoute, OnlineError, PlaceNotFound, RoutesError, TripError
from .model import Claim, ClaimVerdict, Leg, LegVerdict, Place, Point, Report, Route, Sighting, Span, Trip, Window
from .trips import load_trip, parse_trip

try:
    __version__ = version("routes-rail")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "__version__",
    "build_map",
    "check_trip",
    "load_network",
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
