"""Routers for modes with no bundled network: road, foot and sea.

There is no road or sea network in routes (yet): a leg's length is *estimated* as the
great circle times a detour band (route length over straight-line length) whose ends
cite their sources in :class:`~routes.settings.Settings` (``road_detour_min`` …). The route
says so: ``estimate`` holds the words every output shows, and ``km``/``km_max`` the band.
Train ferries belong to the rail network, as edges of it, not here.

>>> from routes.model import Place
>>> a = Place("dd", "Dong Dang", "town", 21.9695, 106.7083)
>>> b = Place("hn", "Hanoi", "city", 21.0245, 105.8455)
>>> r = road_router().shortest(a, b)
>>> [round(x) for x in r.km_range], r.mode
([154, 220], 'road')
>>> r.estimate
'estimated: 138 km great circle × road detour 1.12–1.6'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..geo import geodesic_path
from ..model import Place, Route
from ..settings import DEFAULT, Settings

__all__ = ["DetourRouter", "road_router", "sea_router", "foot_router"]

_STEP_KM = 50.0


@dataclass(frozen=True)
class DetourRouter:
    """The great circle times a detour band ``(lo, hi)``, drawn as the great circle and
    labelled estimated; implements :class:`~routes.routing.base.Router`."""

    mode: str
    detour: tuple[float, float]

    def __post_init__(self) -> None:
        lo, hi = self.detour
        if not 1.0 <= lo <= hi:
            raise ValueError(f"{self.mode} detour band {lo:g}–{hi:g}: need 1 <= min <= max")

    def shortest(self, a: Place, b: Place) -> Route:
        coords, cum = geodesic_path(a.lat, a.lon, b.lat, b.lon, _STEP_KM)
        lo, hi = self.detour
        straight = cum[-1]
        return Route(
            nodes=(a.id, b.id),
            km=straight * lo,
            coords=np.asarray(coords),
            cum_km=np.asarray(cum) * lo,
            mode=self.mode,
            km_max=straight * hi,
            estimate=f"estimated: {straight:,.0f} km great circle × {self.mode} detour {lo:g}–{hi:g}",
        )

    def alternatives(self, a: Place, b: Place, k: int = 2) -> list[Route]:
        """An estimate has no alternatives to offer."""
        return []


def road_router(settings: Settings = DEFAULT, detour: tuple[float, float] | None = None) -> DetourRouter:
    return DetourRouter("road", detour or (settings.road_detour_min, settings.road_detour_max))


def foot_router(settings: Settings = DEFAULT, detour: tuple[float, float] | None = None) -> DetourRouter:
    """Walking follows streets and paths: the road detour band."""
    return DetourRouter("foot", detour or (settings.road_detour_min, settings.road_detour_max))


def sea_router(settings: Settings = DEFAULT, detour: tuple[float, float] | None = None) -> DetourRouter:
    return DetourRouter("sea", detour or (settings.sea_detour_min, settings.sea_detour_max))
