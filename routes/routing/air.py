"""The air router: a flight follows the great circle (the geodesic on the WGS84 ellipsoid)
between two airports.

The time a flight spends taxiing, climbing and descending beyond its cruise is not a
length: the pipeline adds it per flight (``Settings.air_allowance_hours``). Which airport
a place flies from is settled when the trip's places are resolved (the nearest airport
within ``Settings.airport_snap_km``), so this router takes the airports themselves.

>>> from routes.model import Place
>>> a = Place("ZKPY", "Pyongyang International Airport", "airport", 39.2241, 125.67)
>>> b = Place("WSSS", "Singapore Changi International Airport", "airport", 1.35019, 103.994)
>>> r = AirRouter().shortest(a, b)
>>> round(r.km), r.mode, r.estimated
(4737, 'air', False)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..geo import geodesic_path
from ..model import Place, Route

__all__ = ["AirRouter", "ARC_STEP_KM"]

ARC_STEP_KM = 50.0  # a point of the drawn arc at least this often: smooth at any zoom a report uses


@dataclass(frozen=True)
class AirRouter:
    """Flights on the great circle; implements :class:`~routes.routing.base.Router`."""

    mode: str = "air"

    def shortest(self, a: Place, b: Place) -> Route:
        coords, cum = geodesic_path(a.lat, a.lon, b.lat, b.lon, ARC_STEP_KM)
        return Route(nodes=(a.id, b.id), km=cum[-1], coords=np.asarray(coords), cum_km=np.asarray(cum), mode="air")

    def alternatives(self, a: Place, b: Place, k: int = 2) -> list[Route]:
        """A flight has no materially different alternative route to offer."""
        return []
