"""Journeys by road, air and sea: every leg carries its mode and is judged by that mode's
physics (issue #14)."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from routes import api
from routes.cli import main
from routes.errors import NoAirport, TripError
from routes.model import ModeTerms, Sighting, Trip
from routes.places import default_gazetteer
from routes.routing.air import AirRouter
from routes.routing.base import Router
from routes.routing.modes import leg_terms, transfer_hours
from routes.routing.road import road_router, sea_router
from routes.settings import DEFAULT, MODE_FIELDS, Settings, source_of
from routes.trips.read import parse_text


def trip(text: str) -> Trip:
    return parse_text(text)


FLIGHT = """
title: Pyongyang to Singapore within one day
mode: {mode}
events:
  - place: Pyongyang
    time: 2018-06-10T08:30+08:30
    kind: departed
  - place: Beijing
    kind: {beijing}
  - place: Singapore
    time: 2018-06-10T20:00+08:00
    kind: arrived
"""


@pytest.mark.parametrize("beijing", ["passed", "at"])
def test_pyongyang_beijing_singapore_in_one_day_is_feasible_by_air_and_not_by_rail(beijing):
    by_air = api.check_trip(trip(FLIGHT.format(mode="air", beijing=beijing)))
    by_rail = api.check_trip(trip(FLIGHT.format(mode="rail", beijing=beijing)))
    assert [lv.verdict for lv in by_air.legs] == ["feasible", "feasible"]
    assert [lv.verdict for lv in by_rail.legs] == ["infeasible", "infeasible"]
    (span,) = by_air.spans
    assert span.modes == ("air", "air") and span.km is not None and 5_000 < span.km[0] < 5_600
    # one flight through an overflown Beijing, two flights with a landing there
    flights = 1 if beijing == "passed" else 2
    assert f"{flights} flight{'s' if flights > 1 else ''} × 0.5 h taxi, climb and descent" in span.why
    assert "impossible even in a straight line" in by_rail.spans[0].why


def test_a_place_that_is_not_an_airport_flies_from_the_nearest_airport_and_says_so():
    report = api.check_trip(trip(FLIGHT.format(mode="air", beijing="passed")))
    first = report.legs[0].leg
    assert first.route is not None and first.route.nodes[0] == "airport:ZKPY"
    assert 20 < first.snap_km[0] < 30  # Pyongyang International Airport lies 25 km from the city
    assert any(
        "Pyongyang is not an airport: the flight uses Pyongyang International Airport (FNJ), 25 km away" in w
        for w in report.warnings
    )


def test_an_air_leg_to_a_place_with_no_airport_within_50_km_is_one_line_and_exit_2(tmp_path, capsys):
    path = tmp_path / "t.yaml"
    path.write_text(
        "title: t\nmode: air\nevents:\n  - place: {lat: 62.0, lon: 98.0, name: the taiga}\n  - place: ZKPY\n",
        encoding="utf-8",
    )
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "no airport lies within 50 km of the taiga" in err
    with pytest.raises(NoAirport):
        api.check_trip(path)


@pytest.mark.parametrize(
    ("name", "icao"),
    [("Sunan", "ZKPY"), ("ZKPY", "ZKPY"), ("FNJ", "ZKPY"), ("Changi", "WSSS"), ("Beijing Capital", "ZBAA")],
)
def test_airports_resolve_by_code_name_and_other_name_with_provenance(name, icao):
    m = default_gazetteer().resolve(name, prefer="airport")[0]
    assert m.place.kind == "airport" and m.place.meta("icao") == icao
    assert m.method == "airport" and m.resolution.method == "airport"
    assert "airportsdata" in m.place.source


def test_airport_names_never_take_a_town_s_name():
    """'Paris' is never 'Paris Beauvais Tille', 'Sunan' never 'Sunan Shuofang' (Wuxi), and a
    code written in lower case is a word, not a code."""
    index = default_gazetteer().airports()
    assert index is not None
    assert index.find("Paris") == [] and index.find("Warsaw") == []
    assert [p.meta("icao") for p, _ in index.find("Sunan")] == ["ZKPY"]
    assert index.find("zkpy") == []


def test_a_flight_is_the_great_circle_drawn_as_an_arc():
    gz = default_gazetteer()
    a, b = (gz.resolve(x, prefer="airport")[0].place for x in ("ZKPY", "WSSS"))
    r = AirRouter().shortest(a, b)
    assert isinstance(AirRouter(), Router) and r.mode == "air" and not r.estimated
    assert 4_700 < r.km < 4_780  # "about 4,700 km" (Hankyoreh, 2018-05-12)
    assert len(r.coords) > 50  # densified: a curve on the map, not one straight segment
    mid = r.coords[len(r.coords) // 2]
    assert abs(mid[1] - (a.lon + b.lon) / 2) > 0.3 or abs(mid[0] - (a.lat + b.lat) / 2) > 0.3


CAR = """
title: Dong Dang to Hanoi by car
mode: rail
events:
  - place: Dong Dang, Vietnam
    time: 2019-02-26T08:12+07:00
    kind: arrived
  - place: Hanoi
    mode: road
    time: 2019-02-26T{arrival}+07:00
    kind: arrived
claims:
  - speed: {{kmh: {kmh}, from: "Dong Dang, Vietnam", to: Hanoi}}
  - distance: {{from: "Dong Dang, Vietnam", to: Hanoi, km: 170}}
"""


@pytest.mark.parametrize(("arrival", "verdict"), [("11:12", "feasible"), ("09:12", "infeasible")])
def test_a_car_leg_of_170_km_is_feasible_in_3_hours_and_not_in_1(arrival, verdict):
    report = api.check_trip(trip(CAR.format(arrival=arrival, kmh=60)))
    (lv,) = report.legs
    assert lv.leg.mode == "road" and lv.verdict == verdict
    lo, hi = lv.leg.km or (0, 0)
    assert lo < 170 < hi  # the estimate holds the reported 170 km drive
    assert lv.leg.route is not None and lv.leg.route.estimated and "estimated" in lv.leg.route.estimate


def test_a_speed_claim_on_a_road_leg_is_judged_against_the_road():
    plausible = api.check_trip(trip(CAR.format(arrival="11:12", kmh=60))).claims
    too_fast = api.check_trip(trip(CAR.format(arrival="11:12", kmh=300))).claims
    assert plausible[0].verdict == "supported" and "by road" in plausible[0].why
    assert too_fast[0].verdict == "contradicted" and "faster than the top speed by road (120 km/h)" in too_fast[0].why
    assert plausible[1].verdict == "supported" and "road (estimated)" in plausible[1].why


VLADIVOSTOK_2019 = """
title: Ussuriysk to Russky Island, rail then car
mode: rail
events:
  - place: Ussuriysk
    time: 2019-04-24T15:00+10:00
    kind: departed
  - place: Vladivostok
    kind: arrived
  - place: {{lat: 43.025, lon: 131.893, name: Russky Island campus}}
    mode: road
    time: 2019-04-24T{arrival}+10:00
    kind: arrived
"""


def test_a_change_of_mode_costs_its_transfer_time():
    t = trip(VLADIVOSTOK_2019.format(arrival="18:30"))
    report = api.check_trip(t)
    (span,) = report.spans
    assert span.modes == ("rail", "road") and span.verdict == "feasible"
    assert "0.25 h rail→road at Vladivostok" in span.why
    assert transfer_hours(t, 1, "rail", "road") == DEFAULT.transfer_ground_hours == 0.25
    assert transfer_hours(t, 1, "road", "air") == DEFAULT.transfer_air_hours
    own = dataclasses.replace(
        t, events=(t.events[0], dataclasses.replace(t.events[1], transfer_hours=1.5), t.events[2])
    )
    assert transfer_hours(own, 1, "rail", "road") == 1.5
    slower = api.check_trip(own).spans[0]
    assert slower.hours_needed is not None and span.hours_needed is not None
    assert slower.hours_needed[0] == pytest.approx(span.hours_needed[0] + 1.25)


def test_gauge_change_hours_is_the_rail_rail_transfer_and_still_read():
    t = trip("title: t\ngauge_change_hours: 3\nevents:\n  - place: Khasan\n  - place: Tumangang\n")
    assert t.gauge_change_hours == 3
    u = trip("title: t\ntransfer_hours: {rail-rail: 4, rail-road: 1}\nevents:\n  - place: A\n  - place: B\n")
    assert dataclasses.replace(u).transfers == (("rail", "rail", 4.0), ("rail", "road", 1.0))
    with pytest.raises(TripError, match="the same allowance"):
        trip("title: t\ngauge_change_hours: 2\ntransfer_hours: {rail-rail: 3}\nevents:\n  - place: A\n  - place: B\n")


def test_speeds_are_overridden_per_trip_per_mode_and_per_leg():
    t = trip(
        "title: t\nmode: rail\nspeed_kmh: armoured_train\nmodes:\n  road: {speed_kmh: {min: 20, max: 70}, "
        "detour: {min: 1.3, max: 1.5}}\nevents:\n  - place: A\n  - place: B\n  - place: C\n    mode: road\n"
        "  - place: D\n    mode: road\n    speed_kmh: {min: 5, max: 40}\n  - place: E\n    mode: air\n"
        "    speed_kmh: business_jet\n"
    )
    assert leg_terms(t, 1).speed_kmh == (DEFAULT.armoured_train_min_kmh, 60.0)
    assert leg_terms(t, 2).speed_kmh == (20, 70) and leg_terms(t, 2).detour == (1.3, 1.5)
    assert leg_terms(t, 3).speed_kmh == (5, 40) and leg_terms(t, 3).speed_from == "this leg"
    assert leg_terms(t, 4).speed_kmh == (DEFAULT.business_jet_min_kmh, 980.0)
    u = trip("title: t\nmode: air\nevents:\n  - place: A\n  - place: B\n")
    assert leg_terms(u, 1).vmax == 900 and leg_terms(u, 1, Settings(air_max_kmh=950)).vmax == 950


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mode: banana\n", "mode 'banana': use one of rail, road, air, sea, foot, unknown"),
        ("events:\n  - place: A\n  - place: B\n    mode: car\n", "mode 'car': use one of rail, road, air"),
        ("speed_kmh: business_jet\n", "business_jet is a vehicle for air legs, not rail"),
        ("speed_kmh: rocket\n", "'rocket' is not a vehicle"),
        ("modes: {air: {detour: {min: 1.1, max: 1.2}}}\n", "detour applies to road, sea and foot legs, not air"),
        ("transfer_hours: {road-road: 1}\n", "no change between legs of one mode"),
        ("transfer_hours: {rail-banana: 1}\n", "not a pair of modes"),
        ("modes: {road: {detour: {min: 0.5, max: 1.2}}}\n", "detour.min must be between 1 and 10"),
    ],
)
def test_bad_modes_are_one_clear_error(text, message):
    body = text if "events:" in text else text + "events:\n  - place: A\n  - place: B\n"
    with pytest.raises(TripError, match=re.escape(message)):
        trip("title: t\n" + body)


def test_road_and_sea_are_estimates_with_their_bands():
    gz = default_gazetteer(world=False)
    a, b = gz.resolve("Vladivostok")[0].place, gz.resolve("Nakhodka")[0].place
    road, sea = road_router().shortest(a, b), sea_router().shortest(a, b)
    assert road.km_range[1] / road.km_range[0] == pytest.approx(DEFAULT.road_detour_max / DEFAULT.road_detour_min)
    assert sea.km_range == pytest.approx(
        (sea.km / DEFAULT.sea_detour_min * DEFAULT.sea_detour_min, sea.km / DEFAULT.sea_detour_min * 1.3)
    )
    assert road.mode == "road" and sea.mode == "sea" and "estimated" in road.estimate and "sea detour" in sea.estimate


def test_every_default_speed_band_allowance_and_transfer_cites_its_source():
    assert {"rail_max_kmh", "armoured_train_max_kmh", "road_max_kmh", "air_max_kmh", "business_jet_max_kmh"} <= set(
        MODE_FIELDS
    )
    assert {"sea_max_kmh", "foot_max_kmh", "road_detour_min", "road_detour_max", "sea_detour_max"} <= set(MODE_FIELDS)
    assert {"air_allowance_hours", "transfer_ground_hours", "transfer_air_hours", "gauge_change_hours"} <= set(
        MODE_FIELDS
    )
    for name in MODE_FIELDS:
        src = source_of(name)
        assert len(src) > 20, f"{name} cites no source"
        if name.endswith(("_max_kmh", "_detour_max")) or name.startswith(("transfer_", "road_detour")):
            assert re.search(r"https?://|doi:", src), f"{name}: a published figure needs its address: {src}"


def test_an_unknown_mode_is_judged_by_the_straight_line_at_the_fastest_plausible_speed():
    t = Trip(
        "t",
        (
            Sighting("Khasan", time=parse_text(FLIGHT.format(mode="air", beijing="at")).events[0].time),
            Sighting(
                "Ussuriysk", mode="unknown", time=parse_text(FLIGHT.format(mode="air", beijing="at")).events[2].time
            ),
        ),
    )
    report = api.check_trip(t)
    (lv,) = report.legs
    assert lv.leg.mode == "unknown" and lv.leg.route is None and lv.verdict == "unknown"
    assert "980 km/h" in report.spans[0].why  # the fastest of any mode: a business jet


def test_check_json_carries_each_leg_s_mode_and_estimate(tmp_path, capsys):
    path = tmp_path / "car.yaml"
    path.write_text(CAR.format(arrival="11:12", kmh=60), encoding="utf-8")
    assert main(["check", str(path), "--json"]) in (0, 1)
    data = json.loads(capsys.readouterr().out)
    (leg,) = data["legs"]
    assert leg["mode"] == "road" and leg["rail_km"] is None and leg["km"][0] < 170 < leg["km"][1]
    assert leg["estimated"].startswith("estimated:") and leg["speed_kmh"] == [30.0, 120.0]
    assert [e["mode"] for e in data["events"]] == ["rail", "road"]


def test_mode_terms_refuse_nonsense():
    with pytest.raises(ValueError):
        ModeTerms("road", speed_kmh=(50, 10))
    with pytest.raises(ValueError):
        ModeTerms("banana")


MIXED = """
title: Ussuriysk by train, Russky Island by car, home by air
traveller: a test of every mode
mode: rail
events:
  - place: Ussuriysk
    time: 2019-04-24T12:00+10:00
    kind: departed
  - place: Vladivostok
    kind: arrived
  - place: {lat: 43.025, lon: 131.893, name: Russky Island campus}
    mode: road
  - place: VVO
    mode: road
  - place: Sunan
    mode: air
    time: 2019-04-26T18:00+09:00
    kind: arrived
"""


def _modes_in(fmt: str, text: str) -> set[str]:
    if fmt in ("html", "fragment"):
        import html as html_mod

        page = html_mod.unescape(text) if fmt == "fragment" else text
        (data,) = re.findall(r'<script type="application/json" id="routes-scene-\w+">(.*?)</script>', page, re.S)
        scene = json.loads(data)
        assert all(leg["glyph"] for leg in scene["legs"]), "every leg has its mode's icon"
        dashes = {leg["mode"]: leg["dash"] for leg in scene["legs"]}
        assert dashes["rail"] == "" and dashes["road"] and dashes["air"] and dashes["road"] != dashes["air"]
        return {leg["mode"] for leg in scene["legs"]}
    if fmt == "geojson":
        feats = json.loads(text)["features"]
        legs = [f for f in feats if f["properties"]["feature"] == "leg"]
        assert all(f["properties"]["icon"] and "line_style" in f["properties"] for f in legs)
        return {f["properties"]["mode"] for f in legs}
    if fmt == "kml":
        import xml.etree.ElementTree as ET

        root = ET.fromstring(text)
        ns = "{http://www.opengis.net/kml/2.2}"
        return {d.findtext(f"{ns}value") for d in root.iter(f"{ns}Data") if d.get("name") == "mode"}
    if fmt in ("svg", "pdf", "png"):
        return _printed_modes(fmt, text)
    if fmt == "md":
        rows = [r for r in text.splitlines() if r.startswith("| ") and "**" in r]
        return {m for r in rows for m in ("rail", "road", "air") if f" {m} |" in r}
    raise AssertionError(f"no reader for {fmt}")


def _printed_modes(fmt: str, path: str) -> set[str]:
    """The printed maps say each mode in their legend (an icon and words), as text."""
    from pathlib import Path

    from routes.present.style import MODE_STYLES

    data = Path(path).read_bytes()
    if fmt == "png":
        assert data.startswith(b"\x89PNG")
        return {"rail", "road", "air"}  # a picture: its legend is the SVG's and the PDF's, drawn
    if fmt == "svg":
        import xml.etree.ElementTree as ET

        texts = " ".join(t.text or "" for t in ET.fromstring(data).iter("{http://www.w3.org/2000/svg}text"))
    else:
        from pypdf import PdfReader

        texts = PdfReader(path).pages[0].extract_text()
    return {m for m in ("rail", "road", "air") if MODE_STYLES[m]["label"] in texts}


def test_a_mixed_rail_road_air_trip_renders_and_exports_in_every_format(tmp_path, capsys):
    from routes.present.formats import FORMATS

    path = tmp_path / "mixed.yaml"
    path.write_text(MIXED, encoding="utf-8")
    report = api.check_trip(path)
    assert [lv.leg.mode for lv in report.legs] == ["rail", "road", "road", "air"]
    assert report.legs[-1].leg.route is not None and report.legs[-1].leg.route.nodes == ("airport:UHWW", "airport:ZKPY")
    for fmt, suffix in FORMATS.items():
        target = tmp_path / f"out{suffix}"
        assert main(["build", str(path), "--format", fmt, "-o", str(target)]) == 0, capsys.readouterr().err
        text = str(target) if fmt in ("png", "svg", "pdf") else target.read_text(encoding="utf-8")
        assert _modes_in(fmt, text) == {"rail", "road", "air"}, fmt
    capsys.readouterr()
    assert main(["check", str(path)]) in (0, 1)
    out = capsys.readouterr().out
    assert re.search(r"\bmode\s+km\s+straight km", out) and re.search(r"Russky Island campus\s+road\s+~\d+–\d+", out)


@pytest.mark.parametrize(
    ("claim", "verdict", "why"),
    [
        # Lạng Sơn lies on the way from Đồng Đăng to Hanoi: a road estimate cannot say
        ("not_via: {lat: 21.853, lon: 106.761, name: Lang Son}", "unverifiable", "its real path is not known"),
        ("via: {lat: 21.853, lon: 106.761, name: Lang Son}", "unverifiable", "could run through it"),
        # Vinh, 270 km south of Hanoi, is off any road from Đồng Đăng to Hanoi within the band
        ("not_via: {lat: 18.679, lon: 105.681, name: Vinh}", "supported", "not on the inferred route"),
    ],
)
def test_via_claims_on_a_road_estimate_say_what_the_estimate_cannot_tell(claim, verdict, why):
    report = api.check_trip(trip(CAR.format(arrival="11:12", kmh=60) + f"  - {claim}\n"))
    cv = report.claims[-1]
    assert cv.verdict == verdict and why in cv.why


def test_a_flight_does_not_pass_the_places_under_it():
    """A via claim of a place under the flight's arc is not supported: a flight goes to its ends."""
    gz = default_gazetteer()
    a, b = (gz.resolve(x, prefer="airport")[0].place for x in ("ZKPY", "WSSS"))
    lat, lon = AirRouter().shortest(a, b).coords[60].tolist()  # a point of the arc itself
    text = FLIGHT.format(mode="air", beijing="passed").replace("  - place: Beijing\n    kind: passed\n", "")
    text += f"claims:\n  - via: {{lat: {lat:.5f}, lon: {lon:.5f}, name: under the arc}}\n"
    (cv,) = api.check_trip(trip(text)).claims
    assert cv.verdict == "contradicted" and "under the arc: not on the inferred route" in cv.why
