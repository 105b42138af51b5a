"""The physics of each mode of travel: speed range, detour band, allowances, transfers.

Defaults come from :class:`~routes.settings.Settings`, where each cites its source
(``source_of``); a trip overrides them per mode (``modes:``) and per leg (an event's
``speed_kmh`` and ``detour``), and the transfer time between two modes per trip
(``transfer_hours:``) and per event. Named vehicles give a mode's other published speed
ranges: ``speed_kmh: armoured_train``.

>>> from routes.model import Sighting, Trip
>>> trip = Trip("t", (Sighting("A"), Sighting("B", mode="road")))
>>> leg_terms(trip, 1).speed_kmh, leg_terms(trip, 1).detour
((30.0, 120.0), (1.12, 1.6))
>>> transfer_hours(trip, 1, "rail", "road")
0.25
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import MODES, ModeTerms, Trip
from ..settings import DEFAULT, Settings

__all__ = [
    "VEHICLES",
    "MODE_VEHICLE",
    "Terms",
    "leg_terms",
    "mode_terms",
    "vehicle_speed",
    "transfer_hours",
    "pair_hours",
    "fastest_kmh",
    "TRAVELLED",
]

# the modes that move along a route of their own (unknown has none)
TRAVELLED = tuple(m for m in MODES if m != "unknown")

# named speed ranges: vehicle -> (its mode, the Settings fields' prefix, in words)
VEHICLES: dict[str, tuple[str, str, str]] = {
    "train": ("rail", "rail", "a train"),
    "armoured_train": ("rail", "armoured_train", "an armoured train"),
    "motorcade": ("road", "road", "a car or motorcade"),
    "car": ("road", "road", "a car or motorcade"),
    "airliner": ("air", "air", "an airliner"),
    "business_jet": ("air", "business_jet", "a business jet"),
    "ship": ("sea", "sea", "a ship"),
    "walking": ("foot", "foot", "walking"),
}
MODE_VEHICLE = {"rail": "train", "road": "motorcade", "air": "airliner", "sea": "ship", "foot": "walking"}


@dataclass(frozen=True)
class Terms:
    """The physics one leg is judged by, with where each number came from."""

    mode: str
    speed_kmh: tuple[float, float]
    detour: tuple[float, float]  # (1, 1) for a mode routed on a network or flown
    allowance_hours: float  # per flight (air)
    speed_from: str  # "default (an airliner)", "the trip", "this leg"

    @property
    def vmin(self) -> float:
        return self.speed_kmh[0]

    @property
    def vmax(self) -> float:
        return self.speed_kmh[1]


def vehicle_speed(vehicle: str, settings: Settings = DEFAULT) -> tuple[float, float]:
    """The (min, max) km/h of a named vehicle (:data:`VEHICLES`)."""
    _, prefix, _ = VEHICLES[vehicle]
    return (getattr(settings, f"{prefix}_min_kmh"), getattr(settings, f"{prefix}_max_kmh"))


def fastest_kmh(settings: Settings = DEFAULT) -> float:
    """The fastest plausible speed of any mode: the bound for a leg of unknown mode."""
    return max(vehicle_speed(v, settings)[1] for v in VEHICLES)


def _defaults(mode: str, settings: Settings) -> tuple[tuple[float, float], tuple[float, float], float, str]:
    if mode == "unknown":
        top = fastest_kmh(settings)
        return (settings.foot_min_kmh, top), (1.0, 1.0), 0.0, "the fastest plausible mode"
    vehicle = MODE_VEHICLE[mode]
    detour = {
        "road": (settings.road_detour_min, settings.road_detour_max),
        "foot": (settings.road_detour_min, settings.road_detour_max),
        "sea": (settings.sea_detour_min, settings.sea_detour_max),
    }.get(mode, (1.0, 1.0))
    allowance = settings.air_allowance_hours if mode == "air" else 0.0
    return vehicle_speed(vehicle, settings), detour, allowance, f"default ({VEHICLES[vehicle][2]})"


def leg_terms(trip: Trip, end: int, settings: Settings = DEFAULT) -> Terms:
    """The physics of the leg that reaches event ``end``: its mode's defaults, then what the
    trip says of that mode (``speed_kmh`` for the trip's own mode, ``modes:``), then what the
    event says of its leg."""
    return mode_terms(trip, trip.mode_of(end), settings, trip.events[end].leg)


def mode_terms(trip: Trip, mode: str, settings: Settings = DEFAULT, leg: ModeTerms | None = None) -> Terms:
    """The physics of ``mode`` in this trip (and of one leg, given what it says of itself)."""
    speed, detour, allowance, source = _defaults(mode, settings)
    if mode == trip.mode and trip.speed_min is not None and trip.speed_max is not None:
        speed, source = (trip.speed_min, trip.speed_max), "the trip"
    own: ModeTerms | None = next((t for t in trip.modes if t.mode == mode), None)
    for terms, where in ((own, "the trip"), (leg, "this leg")):
        if terms is None:
            continue
        if terms.speed_kmh is not None:
            speed, source = terms.speed_kmh, where
        if terms.detour is not None:
            detour = terms.detour
        if terms.allowance_hours is not None:
            allowance = terms.allowance_hours
    return Terms(mode, speed, detour, allowance, source)


def transfer_hours(trip: Trip, at: int, a: str, b: str, settings: Settings = DEFAULT) -> float:
    """The least time a change from mode ``a`` to mode ``b`` takes at event ``at``: the
    event's own ``transfer_hours``, else the trip's for that pair (either order), else the
    default (a change to or from air: ``transfer_air_hours``; between other modes:
    ``transfer_ground_hours``). No change of mode, or a mode unknown, costs nothing (a
    break of gauge inside a rail route costs :func:`pair_hours` ``(trip, "rail", "rail")``)."""
    if "unknown" in (a, b) or a == b:
        return 0.0
    own = trip.events[at].transfer_hours
    if own is not None:
        return own
    return pair_hours(trip, a, b, settings)


def pair_hours(trip: Trip, a: str, b: str, settings: Settings = DEFAULT) -> float:
    """The transfer time between modes ``a`` and ``b`` for this trip (no event's own)."""
    if a == b == "rail" and trip.gauge_change_hours is not None:
        return trip.gauge_change_hours
    for x, y, hours in trip.transfers:
        if {x, y} == {a, b}:
            return hours
    if a == b == "rail":
        return settings.gauge_change_hours
    if a == b:
        return 0.0
    return settings.transfer_air_hours if "air" in (a, b) else settings.transfer_ground_hours
