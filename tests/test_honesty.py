"""Say what is known and no more: each rule for taking a typo, provenance everywhere,
time zones from boundaries, and verdicts for legs off the network."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import routes.api as api
from routes import check_trip, parse_trip
from routes.cli import main
from routes.errors import PlaceNotFound
from routes.model import Place
from routes.places.index import Gazetteer
from routes.sources.bundled import load_lines, load_places, load_regions, load_rivers

USSURIYSK = (43.80, 131.95)
MOSCOW = (55.78, 37.66)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ----------------------------------------------------------------- the rules for a typo


def test_a_typo_near_the_trip_is_taken_and_says_so(gz):
    m = gz.resolve("Vladivostock", near=[USSURIYSK])[0]
    assert m.place.name == "Vladivostok" and m.method == "fuzzy" and m.score < 0.9
    assert "'Vladivostock'" in m.note and "Vladivostok" in m.note  # both spellings


def test_rule_near_a_typo_far_from_the_trip_is_refused(gz):
    with pytest.raises(PlaceNotFound) as info:
        gz.resolve("Vladivostock", near=[MOSCOW])
    assert "km from the trip's other places" in str(info.value)
    assert "'Vladivostok' (Russia, 6," in str(info.value)  # the candidate, its country, its distance


def test_rule_near_no_context_no_typo(gz):
    with pytest.raises(PlaceNotFound, match="only taken near the trip's other places"):
        gz.resolve("Vladivostock")


def test_rule_country_a_typo_outside_the_country_given_is_refused(gz):
    assert gz.resolve("Vladivostock", near=[USSURIYSK], country="Russia")[0].place.name == "Vladivostok"
    with pytest.raises(PlaceNotFound, match="not in North Korea"):
        gz.resolve("Vladivostock", near=[USSURIYSK], country="KP")


def test_rule_unique_a_typo_that_fits_two_places_is_refused():
    places = [
        Place("a", "Nadezhdino", "station", 45.0, 130.0, "RU", "Asia/Vladivostok"),
        Place("b", "Nadezhdina", "station", 45.5, 131.0, "RU", "Asia/Vladivostok"),
    ]
    gz = Gazetteer(places)
    with pytest.raises(PlaceNotFound, match="could be any of Nadezhdino, Nadezhdina"):
        gz.resolve("Nadezhdin", near=[(45.2, 130.5)])
    # with one of them only, the same typo is taken
    assert Gazetteer(places[:1]).resolve("Nadezhdin", near=[(45.2, 130.5)])[0].place.id == "a"


def test_rule_another_places_name_is_not_a_typo():
    """'Vladivostock' as the exact name of a place in the world gazetteer (here a made-up
    one, outside the country asked for) is that place's name, not a typo of Vladivostok."""
    other = Place("geonames:1", "Vladivostock", "town", 35.0, 139.0, "JP", "Asia/Tokyo", geonames_id=1)
    gz = Gazetteer(load_places(), load_regions(), load_rivers(), load_lines(), world=lambda: [other])
    with pytest.raises(PlaceNotFound, match="is the name of Vladivostock"):
        gz.resolve("Vladivostock", near=[USSURIYSK], country="RU")
    plain = Gazetteer(load_places(), load_regions(), load_rivers(), load_lines())
    assert plain.resolve("Vladivostock", near=[USSURIYSK], country="RU")[0].place.name == "Vladivostok"


def test_the_issues_examples_are_refused_without_the_world_gazetteer():
    gz = Gazetteer(load_places(), load_regions(), load_rivers(), load_lines())
    for name, near in [("Dong Dang", (21.85, 106.76)), ("Pingxiang", (22.82, 108.32)), ("Lang Son", (21.95, 106.70))]:
        with pytest.raises(PlaceNotFound):
            gz.resolve(name, near=[near])


# ----------------------------------------------------------------- resolved once, with provenance


def test_every_place_is_resolved_before_routing_and_no_judge_looks_names_up(monkeypatch):
    gz = Gazetteer(load_places(), load_regions(), load_rivers(), load_lines())
    original = api.resolve_trip

    def then_forbid(trip, gazetteer, *a, **k):
        resolved = original(trip, gazetteer, *a, **k)

        def boom(*_a, **_k):
            raise AssertionError("the gazetteer was asked after resolution")

        monkeypatch.setattr(gazetteer, "resolve", boom)
        monkeypatch.setattr(gazetteer, "candidates", boom)
        return resolved

    monkeypatch.setattr(api, "resolve_trip", then_forbid)
    report = check_trip(
        parse_trip(
            {
                "title": "t",
                "events": [{"place": "Khasan", "time": "2023-09-12T06:00+10:00"}, {"place": "Ussuriysk"}],
                "claims": [
                    {"distance": {"from": "Khasan", "to": "Vladivostok", "km": 200}},
                    {"via": "Baranovsky"},
                    {"in_region": {"place": "Ussuriysk", "region": "Primorsky Krai"}},
                    {"distance": {"from": {"lat": 43.1, "lon": 131.9, "name": "a pier"}, "to": "Khasan", "km": 130}},
                ],
            }
        ),
        gazetteer=gz,
    )
    assert [p.name for p in report.claim_places[0]] == ["Khasan", "Vladivostok"]
    assert report.claim_places[3][0].name == "a pier"
    assert {c.verdict for c in report.claims} <= {"supported", "contradicted"}


def test_provenance_in_json_markdown_and_the_table(in_tmp, capsys):
    trip = in_tmp / "t.yaml"
    trip.write_text(
        "title: t\nevents:\n  - place: Khasan\n  - place: Ussuriisk\n  - place: Vladivostock\n"
        "  - place: Sinuiju Chongnyeon\n"
        "  - place: {lat: 43.12, lon: 131.89, name: the pier}\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", str(trip), "--json")
    d = json.loads(out)
    got = [(e["resolved_by"]["method"], e["place"]["name"]) for e in d["events"]]
    assert got == [
        ("exact", "Khasan"),
        ("alias", "Ussuriysk"),
        ("fuzzy", "Vladivostok"),
        ("transliteration", "Sinuiju Chongnyon"),
        ("coordinates", "the pier"),
    ]
    assert d["events"][2]["resolved_by"]["score"] < 0.9 and "edit" in d["events"][2]["resolved_by"]["detail"]
    assert d["summary"]["fuzzy_places"] == 1
    assert any("'Vladivostock'" in w and "Vladivostok" in w for w in d["warnings"])
    code, out, _ = run(capsys, "check", str(trip))
    assert "resolved by" in out and "fuzzy 0.80" in out and "coordinates 1.00" in out
    assert out.rstrip().splitlines()[-1].endswith("places matched as typos: 1")
    code, out, _ = run(capsys, "build", str(trip), "--format", "md")
    md = Path(out.splitlines()[0]).read_text(encoding="utf-8")
    assert "| resolved by |" in md and "fuzzy (0.80)" in md


# ----------------------------------------------------------------- time zones and legs off the network


def test_a_point_takes_its_zone_from_time_zone_boundaries():
    report = check_trip(
        parse_trip(
            {
                "title": "Đồng Đăng",
                "events": [
                    {"place": {"lat": 21.946, "lon": 106.697, "name": "Đồng Đăng station"}, "time": "2019-02-26T08:15"},
                    {"place": {"lat": 21.03, "lon": 105.85, "name": "Hanoi"}, "time": "2019-02-26T11:00"},
                ],
            }
        )
    )
    assert report.places[0].name == "Đồng Đăng station"
    assert report.windows[0].earliest.isoformat() == "2019-02-26T08:15:00+07:00"  # not +09:00


def test_offsets_follow_tzdata_for_the_date():
    """Khabarovsk: UTC+11 in 2012, UTC+10 in 2023 (the README says so)."""
    for year, offset in ((2012, "+11:00"), (2023, "+10:00")):
        trip = {"title": "t", "events": [{"place": "Khabarovsk", "time": f"{year}-07-01T12:00"}, {"place": "Bikin"}]}
        assert check_trip(parse_trip(trip)).windows[0].earliest.isoformat().endswith(offset)


def _off_network(hours: int) -> dict:
    return {
        "title": "to Harbin",
        "speed_kmh": {"min": 20, "max": 60},
        "events": [
            {"place": "Khasan", "time": "2023-09-12T06:00+10:00"},
            {"place": {"lat": 45.75, "lon": 126.65, "name": "Harbin"}, "time": f"2023-09-12T{6 + hours:02d}:00+10:00"},
        ],
    }


def test_a_leg_off_the_network_possible_in_a_straight_line_is_unknown(in_tmp, capsys):
    report = check_trip(parse_trip(_off_network(14)))
    span = report.spans[0]
    assert span.verdict == "unknown" and span.rail_km is None
    assert "possible in a straight line: needs ≥" in span.why and "of 14.0 h" in span.why
    assert report.legs[0].verdict == "unknown"
    path = in_tmp / "t.json"
    path.write_text(json.dumps(_off_network(14)), encoding="utf-8")
    assert run(capsys, "check", str(path))[0] == 0
    assert run(capsys, "check", str(path), "--fail-on", "unknown")[0] == 1


def test_a_leg_off_the_network_impossible_in_a_straight_line_is_infeasible(in_tmp, capsys):
    report = check_trip(parse_trip(_off_network(2)))
    span = report.spans[0]
    assert span.verdict == "infeasible" and "impossible even in a straight line" in span.why
    assert span.straight_line_hours is not None and span.straight_line_hours > 2
    path = in_tmp / "t.json"
    path.write_text(json.dumps(_off_network(2)), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1 and "infeasible" in out


def test_a_stay_at_one_place_is_a_dwell_not_a_leg():
    report = check_trip(
        parse_trip(
            {
                "title": "stay",
                "events": [
                    {"place": "Khasan", "time": "2023-09-12T06:00+10:00", "kind": "arrived"},
                    {"place": "Khasan", "time": "2023-09-12T09:00+10:00", "kind": "departed"},
                    {"place": "Ussuriysk", "time": "2023-09-12T18:00+10:00"},
                ],
            }
        )
    )
    assert [(lv.leg.start, lv.leg.end) for lv in report.legs] == [(1, 2)]
    assert report.spans[0].verdict == "feasible" and "a stay at Khasan" in report.spans[0].why


# ----------------------------------------------------------------- the command line


def test_resolve_answers_every_name_and_reports_each_failure(capsys):
    code, out, err = run(capsys, "resolve", "Khasan", "Qqqzzzxxx", "Ussuriysk", "Wwwyyyvvv")
    assert code == 2
    assert "Khasan" in out and "Ussuriysk" in out
    lines = err.strip().splitlines()
    assert len(lines) == 2 and "'Qqqzzzxxx'" in lines[0] and "'Wwwyyyvvv'" in lines[1]


def test_resolve_near_applies_to_typos(capsys):
    assert run(capsys, "resolve", "Vladivostock")[0] == 2
    code, out, _ = run(capsys, "resolve", "Vladivostock", "--near", "Ussuriysk", "--json")
    assert code == 0 and json.loads(out)[0]["matches"][0]["resolved_by"]["method"] == "fuzzy"


def test_the_format_follows_the_extension(in_tmp, capsys):
    code, out, err = run(capsys, "build", "-o", "out.geojson")
    assert code == 0, err
    assert json.loads((in_tmp / "out.geojson").read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    code, _, err = run(capsys, "build", "-o", "out.kml", "--format", "geojson")
    assert code == 2 and "ends in .kml but --format is geojson" in err and err.count("\n") == 1
    assert not (in_tmp / "out.kml").exists()


@pytest.mark.parametrize("at", ["2023-09-20T12:00+10:00", "2023-09-01T12:00+10:00"])
def test_build_where_outside_the_trip_is_one_line(in_tmp, capsys, at):
    code, _, err = run(capsys, "build", "--where", at)
    assert code == 2 and err.startswith("routes: error: --where") and err.count("\n") == 1
    assert not (in_tmp / "output").exists()


def test_a_trip_from_standard_input(in_tmp, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("title: piped\nevents:\n  - place: Khasan\n  - place: Ussuriysk\n"))
    code, out, _ = run(capsys, "check", "-", "--json")
    assert code == 0 and json.loads(out)["trip"] == "piped"


def test_an_unknown_country_is_one_inert_line(in_tmp, capsys):
    trip = in_tmp / "t.yaml"
    trip.write_text(
        'title: t\ncountry: "Narnia\\e[31m"\nevents:\n  - place: Khasan\n  - place: Rajin\n', encoding="utf-8"
    )
    code, _, err = run(capsys, "check", str(trip))
    assert code == 2 and err.count("\n") == 1 and "no country or first-level region 'Narnia\\x1b[31m'" in err


def test_country_on_the_trip_narrows_the_names(in_tmp, capsys):
    trip = in_tmp / "t.yaml"
    trip.write_text("title: t\ncountry: North Korea\nevents:\n  - place: Khasan\n  - place: Rajin\n", encoding="utf-8")
    code, _, err = run(capsys, "check", str(trip))
    assert code == 2 and "no place 'Khasan' (not in North Korea" in err and "'Khasan' (Russia" in err
    trip.write_text(
        "title: t\ncountry: North Korea\nevents:\n  - {place: Khasan, country: RU}\n  - place: Rajin\n",
        encoding="utf-8",
    )
    assert run(capsys, "check", str(trip))[0] == 0


def test_no_judge_searches_a_route(monkeypatch):
    """Routes are found before judging: a distance claim's rail km is routed with the legs,
    and the claims are judged with the router out of reach."""
    import routes.routing.rail.paths as paths

    original = api.judge_claims

    def judge_without_router(*a, **k):
        def boom(*_a, **_k):
            raise AssertionError("a judge searched a route")

        monkeypatch.setattr(paths, "find_path", boom)
        monkeypatch.setattr("routes.pipeline.infer.find_path", boom)
        return original(*a, **k)

    monkeypatch.setattr(api, "judge_claims", judge_without_router)
    report = check_trip(
        parse_trip(
            {
                "title": "t",
                "events": [{"place": "Khasan", "time": "2023-09-12T06:00+10:00"}, {"place": "Ussuriysk"}],
                "claims": [{"distance": {"from": "Khasan", "to": "Vladivostok", "km": 240, "measure": "rail"}}],
            }
        )
    )
    (cv,) = report.claims
    assert dict(cv.numbers)["rail_km"] > 200 and cv.verdict in ("supported", "contradicted")
