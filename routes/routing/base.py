"""What every router offers: a shortest route and alternatives between two places.

Rail (:class:`~routes.routing.rail.RailRouter`), air (:class:`~routes.routing.air.AirRouter`)
and the estimates for road, sea and foot (:class:`~routes.routing.road.DetourRouter`)
implement it, so the pipeline routes a leg by its mode through one interface.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ..model import Place, Route

__all__ = ["Router"]


@runtime_checkable
class Router(Protocol):
    """A way of getting from one place to another.

    ``shortest`` raises :class:`~routes.errors.NoRoute` when the places are not joined;
    ``alternatives`` returns up to ``k`` materially different other routes (maybe none).
    """

    @property
    def mode(self) -> str: ...

    def shortest(self, a: Place, b: Place) -> Route: ...

    def alternatives(self, a: Place, b: Place, k: int = 2) -> list[Route]: ...
