"""The rail router: :class:`~routes.routing.base.Router` over a network store."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...errors import NoRoute
from ...model import Place, Route
from ...settings import DEFAULT, Settings
from .alternatives import alternatives
from .paths import route
from .snap import Position, snap
from .store import RailNetwork

__all__ = ["RailRouter"]


@dataclass(frozen=True)
class RailRouter:
    """Routes by rail on ``net`` with a profile, with or without turn rules."""

    net: RailNetwork = field(repr=False)
    profile: str = "main"
    turn_rules: bool = True
    settings: Settings = DEFAULT
    mode: str = "rail"

    def positions(self, a: Place, b: Place) -> tuple[Position, Position]:
        """Both places snapped to track the profile allows; :class:`NoRoute` if one is too far."""
        limit = self.settings.max_snap_km
        pa = snap(self.net, a, limit, self.profile)
        pb = snap(self.net, b, limit, self.profile)
        for place, pos in ((a, pa), (b, pb)):
            if pos is None:
                raise NoRoute(f"{place.name} is more than {limit:.0f} km from any track of the network {self.net.name}")
        assert pa is not None and pb is not None
        return pa, pb

    def shortest(self, a: Place, b: Place) -> Route:
        pa, pb = self.positions(a, b)
        return route(self.net, pa, pb, profile=self.profile, turn_rules=self.turn_rules, settings=self.settings)

    def alternatives(self, a: Place, b: Place, k: int = 2) -> list[Route]:
        pa, pb = self.positions(a, b)
        return alternatives(
            self.net, pa, pb, k, profile=self.profile, turn_rules=self.turn_rules, settings=self.settings
        )
