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
    "NoRoute",
    "DataError",
    "OnlineError",
]


class RoutesError(Exception):
    """Root of every error routes raises on purpose."""


class TripError(RoutesError, ValueError):
    """A trip file is missing, unreadable or does not follow the trip format."""


class PlaceNotFound(RoutesError, LookupError):
    """A name matched no place well enough; ``candidates`` holds the closest names."""

    def __init__(self, query: str, candidates: tuple[str, ...] = ()) -> None:
        self.query = query
        self.candidates = tuple(candidates)
        hint = ""
        if self.candidates:
            shown = ", ".join(f"'{c}'" for c in self.candidates[:5])
            hint = f"; did you mean {shown}?"
        else:
            hint = "; give coordinates instead ({lat: .., lon: ..}) or try --online"
        super().__init__(f"no place '{query}'{hint}")


class AmbiguousPlace(PlaceNotFound):
    """A name fits several places equally and nothing in the context decides."""


class NoRoute(RoutesError):
    """No rail connection joins two places on the network."""


class DataError(RoutesError):
    """The bundled or user-supplied geodata is inconsistent."""


class OnlineError(RoutesError):
    """An online lookup was asked for and failed (offline, timeout, refused)."""
