"""The exceptions routes raises.

Every error a user can cause derives from :class:`RoutesError`; the command line turns
each into one line on stderr and exit code 2. Subclasses also derive from the matching
built-in so callers can catch either.
"""

from __future__ import annotations

__all__ = [
    "RoutesError",
    "TripError",
    "PlaceNotFound",
    "AmbiguousPlace",
    "UnknownQualifier",
    "NoRoute",
    "NoAirport",
    "DataError",
    "OnlineError",
    "ArticleError",
    "OptionError",
    "MissingExtra",
]


class RoutesError(Exception):
    """Root of every error routes raises on purpose."""


class TripError(RoutesError, ValueError):
    """A trip file is missing, unreadable or does not follow the trip format."""


class PlaceNotFound(RoutesError, LookupError):
    """A name matched no place well enough.

    ``candidates`` holds the closest names; ``hints`` the same with what tells them apart
    (country, km from the trip's other places); ``reason`` says why a near match was not
    taken, when one was refused.
    """

    def __init__(
        self, query: str, candidates: tuple[str, ...] = (), hints: tuple[str, ...] = (), reason: str = ""
    ) -> None:
        self.query = query
        self.candidates = tuple(candidates)
        self.hints = tuple(hints) or tuple(f"'{c}'" for c in self.candidates)
        self.reason = reason
        why = f" ({reason})" if reason else ""
        if self.hints:
            hint = f"; did you mean {', '.join(self.hints[:5])}?"
        else:
            hint = "; give coordinates instead ({lat: .., lon: .., name: ..}) or try --online"
        shown = query if len(query) <= 80 else query[:79] + "…"
        super().__init__(f"no place '{shown}'{why}{hint}")


class AmbiguousPlace(PlaceNotFound):
    """A name fits several places equally and nothing in the context decides."""


class UnknownQualifier(RoutesError, LookupError):
    """A place's qualifier ("Dong Dang, Vietnam") or ``country:`` names no known country or
    first-level region: an error, never ignored."""

    def __init__(self, qualifier: str, query: str = "") -> None:
        self.qualifier = qualifier
        where = f" in '{query}'" if query and query != qualifier else ""
        super().__init__(
            f"no country or first-level region '{qualifier}'{where}; use a country name or code "
            "(Vietnam, VN) or a province or region (Hunan, Amur Oblast)"
        )


class NoRoute(RoutesError):
    """No rail connection joins two places on the network."""


class NoAirport(RoutesError, LookupError):
    """An air leg touches a place with no airport near enough to fly from."""


class DataError(RoutesError):
    """The bundled or user-supplied geodata is inconsistent."""


class OnlineError(RoutesError):
    """An online lookup was asked for and failed (offline, timeout, refused)."""


class ArticleError(RoutesError, ValueError):
    """A report given to ``routes extract`` is empty, not text, too large, or names no journey."""


class OptionError(RoutesError, ValueError):
    """An option of an output is malformed (a tile URL, a paper size, a resolution)."""


class MissingExtra(RoutesError, ImportError):
    """A capability needs an optional dependency that is not installed; the message names the extra."""
