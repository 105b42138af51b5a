"""Name resolution: a table of queries in many spellings and scripts, typos, context,
bridges found geometrically, and a clear error with candidates."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import Point as SPoint

from routes import check_trip, parse_trip
from routes.errors import PlaceNotFound
from routes.places import fold, normalize

# query -> expected station id: the best match is that station, or the town it serves.
# Spellings, scripts, former names, romanisations and decorations, for a rail trip.
TABLE = [
    # Russian border and Primorye
    ("Khasan", "khasan"),
    ("Хасан", "khasan"),
    ("하산", "khasan"),
    ("khasan station", "khasan"),
    ("Hasan", "khasan"),
    ("KHASSAN", "khasan"),
    ("Ussuriysk", "ussuriysk"),
    ("Ussuriisk", "ussuriysk"),
    ("Ussurijsk", "ussuriysk"),
    ("Уссурийск", "ussuriysk"),
    ("Ussuriysk station", "ussuriysk"),
    ("Voroshilov", "ussuriysk"),
    ("Nikolsk-Ussuriysky", "ussuriysk"),
    ("우수리스크", "ussuriysk"),
    ("Vladivostok", "vladivostok"),
    ("Владивосток", "vladivostok"),
    ("VLADIVOSTOK", "vladivostok"),
    ("블라디보스토크", "vladivostok"),
    ("Baranovsky", "baranovsky"),
    ("Baranovskiy", "baranovsky"),
    ("Барановский", "baranovsky"),
    ("Ugolnaya", "ugolnaya"),
    ("Ugol'naya", "ugolnaya"),
    ("Artyom", "artyom-primorsky-1"),
    ("Artem", "artyom-primorsky-1"),
    ("Artëm", "artyom-primorsky-1"),
    ("Артём", "artyom-primorsky-1"),
    ("Razdol'noye", "razdolnoye"),
    ("Razdolnoe", "razdolnoye"),
    ("Раздольное", "razdolnoye"),
    ("Nakhodka", "nakhodka"),
    ("Partizansk", "partizansk-station"),
    ("Suchan", "partizansk-station"),
    ("Grodekovo", "grodekovo"),
    ("Dalnerechensk", "dalnerechensk-1"),
    ("Iman", "dalnerechensk-1"),
    ("Spassk-Dalny", "spassk-dalny-station"),
    # Khabarovsk, JAO, Amur
    ("Khabarovsk", "khabarovsk-1"),
    ("Хабаровск-1", "khabarovsk-1"),
    ("Birobidzhan", "birobidzhan-1"),
    ("Биробиджан", "birobidzhan-1"),
    ("Belogorsk", "belogorsk"),
    ("Белогорск", "belogorsk"),
    ("Kuybyshevka-Vostochnaya", "belogorsk"),
    ("Svobodny", "svobodny"),
    ("Svobodnyy", "svobodny"),
    ("Ledyanaya", "ledyanaya"),
    ("Ледяная", "ledyanaya"),
    ("Tsiolkovsky", "tsiolkovsky"),
    ("Uglegorsk", "tsiolkovsky"),
    ("Углегорск", "tsiolkovsky"),
    ("Циолковский", "tsiolkovsky"),
    ("Skovorodino", "skovorodino"),
    ("Bamovskaya", "bamovskaya"),
    ("Tynda", "tynda"),
    ("Тында", "tynda"),
    ("Blagoveshchensk", "blagoveshchensk"),
    ("Blagoveschensk", "blagoveshchensk"),
    ("Komsomolsk-on-Amur", "komsomolsk-on-amur"),
    ("Komsomolsk-na-Amure", "komsomolsk-on-amur"),
    ("Комсомольск-на-Амуре", "komsomolsk-on-amur"),
    ("Volochaevka-1", "volochaevka-1"),
    ("Volochayevka I", "volochaevka-1"),
    ("Novy Urgal", "novy-urgal"),
    ("Novyy Urgal", "novy-urgal"),
    # North Korea
    ("Tumangang", "tumangang"),
    ("Tuman-gang", "tumangang"),
    ("두만강", "tumangang"),
    ("Rajin", "rajin"),
    ("Najin", "rajin"),
    ("라진", "rajin"),
    ("Chongjin", "chongjin-chongnyon"),
    ("Ch'ŏngjin", "chongjin-chongnyon"),
    ("Cheongjin", "chongjin-chongnyon"),
    ("청진", "chongjin-chongnyon"),
    ("Hamhung", "hamhung"),
    ("Hamheung", "hamhung"),
    ("함흥", "hamhung"),
    ("Kimchaek", "kimchaek"),
    ("Songjin", "kimchaek"),
    ("Pyongyang", "pyongyang"),
    ("P'yŏngyang", "pyongyang"),
    ("평양", "pyongyang"),
    ("Пхеньян", "pyongyang"),
    ("Sinuiju", "sinuiju-chongnyon"),
    ("신의주", "sinuiju-chongnyon"),
    # elsewhere
    ("Moscow", "moscow-yaroslavsky"),
    ("Москва", "moscow-yaroslavsky"),
]

# non-station places: query -> expected place id
SITES = [
    ("Vostochny Cosmodrome", "vostochny-cosmodrome"),
    ("Космодром Восточный", "vostochny-cosmodrome"),
    ("보스토치니 우주기지", "vostochny-cosmodrome"),
    ("Knevichi", "knevichi-airfield"),
    ("Knevichi airfield", None),  # not an alias: must fail or match within two edits
    ("KnAAPO", "knaapo"),
    ("Komsomolsk-on-Amur Aircraft Plant", "knaapo"),
    ("Friendship Bridge", "friendship-bridge-tumen"),
    ("Мост Дружбы", "friendship-bridge-tumen"),
    ("Primorsky Krai", "primorsky-krai"),
    ("Amur Oblast", "amur-oblast"),
    ("Jewish Autonomous Oblast", "jewish-autonomous-oblast"),
    ("Rason", "rajin"),
]


@pytest.mark.parametrize(("query", "expected"), [s for s in SITES if s[1]])
def test_resolves_sites_and_regions(gz, query, expected):
    ids = [m.place.id for m in gz.resolve(query)[:3]]
    assert ids[0] == expected or gz.get(ids[0]).station == expected, ids


def test_the_table_is_large_enough():
    assert len(TABLE) + len([s for s in SITES if s[1]]) >= 60


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
    near = [(gz.get(expected).lat + 0.5, gz.get(expected).lon)]  # another place of the trip, 55 km away
    best = gz.resolve(query, prefer="station", near=near)[0]
    assert best.place.id in (expected, gz.get(expected).station or expected) or best.place.station == expected
    assert best.score < 0.9
    assert "edit" in best.how and best.method == "fuzzy"


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


def test_a_river_crossed_twice_offers_both_bridges(gz):
    ms = gz.resolve("the bridge over the Zeya")
    lines = {m.place.meta("line") for m in ms}
    assert lines == {"transsib-khabarovsk-bamovskaya", "bam-tynda-komsomolsk"}


@pytest.mark.parametrize(
    ("events", "line"),
    [
        (["Belogorsk", "bridge over the Zeya", "Shimanovskaya"], "transsib-khabarovsk-bamovskaya"),
        (["Tynda", "bridge over the Zeya", "Fevralsk"], "bam-tynda-komsomolsk"),
        (["Arkhara", "Bureya bridge", "Zavitaya"], "transsib-khabarovsk-bamovskaya"),
        (["Novy Urgal", "Bureya bridge", "Tynda"], "bam-tynda-komsomolsk"),
    ],
)
def test_context_picks_the_crossing_on_the_trip(events, line):
    report = check_trip(parse_trip({"title": "t", "events": [{"place": e} for e in events]}))
    bridge = report.places[1]
    assert bridge.kind == "bridge" and bridge.meta("line") == line
    assert any("ambiguous" in w for w in report.warnings)  # the other crossing is named


def test_every_place_keeps_the_clock_of_its_region(gz):
    """A place inside a bundled region uses that region's time zone (Amur Oblast UTC+9,
    Primorye UTC+10, ...). Places within ~3 km of a region's edge are left out: the
    outlines are simplified."""
    wrong = []
    for p in gz.places.values():
        region = gz.region_of(p) if p.kind != "region" else None
        if region is None or region.geometry.boundary.distance(SPoint(p.lon, p.lat)) < 0.03:
            continue
        if p.tz != region.prop("tz"):
            wrong.append((p.id, p.tz, region.id, region.prop("tz")))
    assert not wrong


def test_every_bundled_place_names_its_source():
    from routes.sources.bundled import load_places

    assert not [p.id for p in load_places() if not p.source.strip()]


def test_name_keys_kept_between_runs_are_those_of_the_names_and_never_stale(tmp_path, monkeypatch):
    """The keys of many names are kept in the cache folder: read back the same, keyed by
    the names themselves (a changed name gets its own), and a damaged file is set aside."""
    from routes.places import keys
    from routes.sources.bundled import load_places

    monkeypatch.setenv("ROUTES_CACHE_DIR", str(tmp_path))
    names = [p_name for p in load_places() for p_name in p.names]
    assert len(names) >= keys.FEW
    fresh = [(normalize(n), fold(n)) for n in names]
    assert keys.name_keys(names) == fresh
    (cached,) = (tmp_path / "names").iterdir()
    assert keys.name_keys(names) == fresh  # read back
    renamed = [*names[:-1], "Уссурийск-Пассажирский"]
    assert keys.name_keys(renamed)[-1] == (normalize(renamed[-1]), fold(renamed[-1]))
    assert len(list((tmp_path / "names").iterdir())) == 2
    cached.write_text('[["not", "these"]]', encoding="utf-8")  # damaged, or another version's
    assert keys.name_keys(names) == fresh
    assert json.loads(cached.read_text(encoding="utf-8"))[0] == list(fresh[0])  # and written again


def test_bridges_kept_between_runs_are_those_computed_and_follow_the_data(tmp_path, monkeypatch):
    """The bridges where bundled lines cross rivers are kept in the cache folder: the same
    places as computed from the lines, and new ones when a data file changes."""
    import shutil

    from routes.places import bridges
    from routes.sources import bundled

    monkeypatch.setenv("ROUTES_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "data"
    shutil.copytree(bundled.data_root(), data, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(bundled, "data_root", lambda: data)
    loaders = (bundled.load_places, bundled.load_lines, bundled.load_rivers)
    for f in loaders:
        f.cache_clear()
    try:
        places = {p.id: p for p in bundled.load_places()}
        rivers = bundled.load_rivers()
        for r in rivers:
            assert bridges.bundled_crossings(r.id) == bridges.river_crossings(r, bundled.load_lines(), places)
        assert bridges.bundled_crossings("razdolnaya")  # the example trip's bridge
        assert len(list((tmp_path / "cache" / "bridges").iterdir())) == 1  # computed once, then read
        geojson = data / "rivers.geojson"
        geojson.write_text(geojson.read_text(encoding="utf-8").replace("Razdolnaya", "Suifen"), encoding="utf-8")
        bundled.load_rivers.cache_clear()
        assert all(p.name.startswith("Suifen rail bridge") for p in bridges.bundled_crossings("razdolnaya"))
        assert len(list((tmp_path / "cache" / "bridges").iterdir())) == 2
    finally:
        for f in loaders:
            f.cache_clear()
