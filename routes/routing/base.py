"""What every router offers: a shortest route and alternatives between two places.

Rail is the one router today (:mod:`routes.routing.rail`); air and road routers will
implement the same protocol, so the pipeline can route a leg without knowing the mode.
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

    mode: str

    def shortest(self, a: Place, b: Place) -> Route: ...

    def alternatives(self, a: Place, b: Place, k: int = 2) -> list[Route]: ...
