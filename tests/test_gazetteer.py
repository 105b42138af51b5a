"""Name resolution: a table of queries in many spellings and scripts, typos, context,
bridges found geometrically, and a clear error with candidates."""

from __future__ import annotations

import pytest

from routes.errors import PlaceNotFound
from routes.gazetteer import fold, normalize

# query -> expected station id: the best match is that station, or the town it serves
TABLE = [
    ("Khasan", "khasan"),
    ("Хасан", "khasan"),
    ("khasan station", "khasan"),
    ("Hasan", "khasan"),
    ("Ussuriysk", "ussuriysk"),
    ("Ussuriisk", "ussuriysk"),
    ("Ussurijsk", "ussuriysk"),
    ("Уссурийск", "ussuriysk"),
    ("Ussuriysk station", "ussuriysk"),
    ("Vladivostok", "vladivostok"),
    ("Владивосток", "vladivostok"),
    ("VLADIVOSTOK", "vladivostok"),
    ("Baranovsky", "baranovsky"),
    ("Барановский", "baranovsky"),
    ("Khabarovsk", "khabarovsk-1"),
    ("Хабаровск-1", "khabarovsk-1"),
    ("Tumangang", "tumangang"),
    ("Tuman-gang", "tumangang"),
    ("두만강", "tumangang"),
    ("Vostochny Cosmodrome", "vostochny-cosmodrome"),
    ("Космодром Восточный", "vostochny-cosmodrome"),
    ("Birobidzhan", "birobidzhan-1"),
    ("Биробиджан", "birobidzhan-1"),
    ("Belogorsk", "belogorsk"),
    ("Белогорск", "belogorsk"),
    ("Skovorodino", "skovorodino"),
    ("Tynda", "tynda"),
    ("Тында", "tynda"),
    ("Pyongyang", "pyongyang"),
    ("평양", "pyongyang"),
    ("P'yŏngyang", "pyongyang"),
    ("Chongjin", "chongjin-chongnyon"),
    ("Ch'ŏngjin", "chongjin-chongnyon"),
    ("Sinuiju", "sinuiju-chongnyon"),
    ("Moscow", "moscow-yaroslavsky"),
]


@pytest.mark.parametrize(("query", "expected"), TABLE)
def test_resolves(gz, query, expected):
    best = gz.resolve(query, prefer="station")[0]
    got = [m.place.id for m in gz.resolve(query, prefer="station")[:3]]
    assert expected in (best.place.id, best.place.station), got


TYPOS = [
    ("Khasn", "khasan"),
    ("Usuriysk", "ussuriysk"),
    ("Vladivostock", "vladivostok"),
    ("Khabarovks", "khabarovsk-1"),
]


@pytest.mark.parametrize(("query", "expected"), TYPOS)
def test_typos_within_two_edits_resolve_with_a_lower_score(gz, query, expected):
    best = gz.resolve(query, prefer="station")[0]
    assert best.place.id in (expected, gz.get(expected).station or expected) or best.place.station == expected
    assert best.score < 0.9
    assert "edit" in best.how


def test_far_typo_is_an_error_with_candidates(gz):
    with pytest.raises(PlaceNotFound) as info:
        gz.resolve("Xyzzyvostokkk")
    assert "no place 'Xyzzyvostokkk'" in str(info.value)


def test_error_suggests_the_closest_name(gz):
    with pytest.raises(PlaceNotFound) as info:
        gz.resolve("Khasanovo-Glavny")
    assert "Khasan" in " ".join(info.value.candidates)


def test_normalisation():
    assert normalize("Razdol'noye") == "razdolnoye"
    assert fold("Razdol'noye") == fold("Razdolnoe") == fold("Раздольное")
    assert fold("Artyom") == fold("Artem") == fold("Artëm")
    assert fold("Ussuriysk") == fold("Ussuriisk") == fold("Ussurijsk")


def test_context_ranks_a_shared_name(gz):
    # a town and its station share a name: a rail trip prefers the station
    ms = gz.resolve("Ussuriysk", prefer="station")
    assert ms[0].place.kind in ("station", "junction")
    kinds = {m.place.kind for m in ms}
    assert "town" in kinds or "city" in kinds


def test_bridge_by_river_is_found_geometrically(gz):
    ms = gz.resolve("the bridge over the Razdolnaya")
    assert ms, "no crossing found"
    assert all(m.place.kind == "bridge" for m in ms)
    assert all(m.place.source.startswith("computed:") for m in ms)
    # every candidate lies on a line's geometry (within rounding)
    ms2 = gz.resolve("Razdolnaya railway bridge")
    assert {m.place.id for m in ms} == {m.place.id for m in ms2}


def test_region_is_an_area(gz):
    m = gz.resolve("Amur Oblast")[0]
    assert m.place.kind == "region"
    cosmo = gz.get("vostochny-cosmodrome")
    assert gz.region_of(cosmo).id == m.place.id
