"""The trip-file reader: the bundled example, and a clear error for each bad input."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from routes.errors import TripError
from routes.model import Point, TimeSpec
from routes.trips.read import example_trip_path, load_trip, parse_time, parse_trip


def test_example_trip_is_the_september_2023_journey():
    trip = load_trip(example_trip_path())
    places = [e.place for e in trip.events]
    assert places == ["Khasan", "Ussuriysk", "Razdolnaya railway bridge", "Vostochny Cosmodrome"]
    khasan = trip.events[0].time
    assert khasan is not None and khasan.instant == datetime(2023, 9, 12, 6, 0, tzinfo=timezone(timedelta(hours=10)))
    assert trip.events[3].time is not None and trip.events[3].time.day == date(2023, 9, 13)
    assert trip.events[1].time is None and trip.events[1].kind == "passed"
    kinds = {c.kind for c in trip.claims}
    assert kinds == {"distance", "not_via"}
    assert (trip.speed_min, trip.speed_max) == (20, 60)


def test_bare_date_is_the_whole_local_day():
    w = parse_time("2023-09-13").to_window(ZoneInfo("Asia/Yakutsk"))
    assert w.earliest.isoformat() == "2023-09-13T00:00:00+09:00"
    assert (w.latest - w.earliest) == timedelta(days=1) - timedelta(seconds=1)


def test_naive_time_is_local_to_the_place():
    w = parse_time("2023-09-12T06:00").to_window(ZoneInfo("Asia/Vladivostok"))
    assert w.earliest.utcoffset() == timedelta(hours=10)


def test_window_and_json(tmp_path):
    p = tmp_path / "t.json"
    p.write_text(
        '{"title": "w", "events": [{"place": {"lat": 43.1, "lon": 131.9}, "time": {"earliest": "2023-09-12T06:00+10:00", "latest": "2023-09-12T08:00+10:00"}}, {"place": "Ussuriysk"}]}',
        encoding="utf-8",
    )
    trip = load_trip(p)
    assert isinstance(trip.events[0].place, Point)
    t = trip.events[0].time
    assert isinstance(t, TimeSpec) and t.earliest is not None and t.latest is not None
    assert (t.latest - t.earliest) == timedelta(hours=2)


BAD = [
    ("missing file", None, "trip file not found"),
    ("invalid yaml", "title: [unclosed\nevents:\n", "invalid YAML at line"),
    ("not a mapping", "- just\n- a list\n", "a trip must be a mapping"),
    ("empty file", "", "got empty"),
    ("no title", "events: []\n", "needs a 'title'"),
    ("one event", "title: t\nevents:\n  - place: Khasan\n", "at least two located events, found 1"),
    (
        "bad time",
        "title: t\nevents:\n  - place: Khasan\n    time: next tuesday\n  - place: Ussuriysk\n",
        "cannot read time 'next tuesday'",
    ),
    (
        "bad kind",
        "title: t\nevents:\n  - place: Khasan\n    kind: flew\n  - place: Ussuriysk\n",
        "kind 'flew' is not one of",
    ),
    ("unknown key", "title: t\nevent:\n  - place: Khasan\n", "unknown key 'event'"),
    ("bad speed", "title: t\nspeed_kmh: {min: 80, max: 20}\nevents:\n  - place: A\n  - place: B\n", "min <= max"),
    (
        "window backwards",
        "title: t\nevents:\n  - place: A\n    time: {earliest: 2023-09-12T08:00+10:00, latest: 2023-09-12T06:00+10:00}\n  - place: B\n",
        "ends before it starts",
    ),
    (
        "unknown mode",
        "title: t\nmode: banana\nevents:\n  - place: A\n  - place: B\n",
        "mode 'banana': use one of rail, road, air, sea, foot, unknown",
    ),
    (
        "unknown order",
        "title: t\norder: random\nevents:\n  - place: A\n  - place: B\n",
        "order must be 'listed' or 'route', got 'random'",
    ),
    (
        "unknown measure",
        "title: t\nevents:\n  - place: A\n  - place: B\nclaims:\n  - distance: {from: A, to: B, km: 3, measure: car}\n",
        "measure 'car': use one of any, straight, rail, road, sea, air",
    ),
    (
        "unknown speed type",
        "title: t\nevents:\n  - place: A\n  - place: B\nclaims:\n  - speed: {kmh: 3, type: peak}\n",
        "speed type 'peak': use one of average, top",
    ),
    (
        "unknown point key",
        "title: t\nevents:\n  - place: {lat: 1, lon: 2, label: x}\n  - place: B\n",
        "unknown key 'label' in coordinates (known: lat, lon, name)",
    ),
    (
        "bad claim",
        "title: t\nevents:\n  - place: A\n  - place: B\nclaims:\n  - distance: {from: A, km: 3}\n",
        "distance needs 'from', 'to' and 'km'",
    ),
]


@pytest.mark.parametrize(("case", "text", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_trip_files_raise_one_clear_error(tmp_path, case, text, message):
    p = tmp_path / "trip.yaml"
    if text is not None:
        p.write_text(text, encoding="utf-8")
    with pytest.raises(TripError) as info:
        load_trip(p)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_points_take_a_name_and_countries_are_kept():
    trip = parse_trip(
        {
            "title": "t",
            "country": "Vietnam",
            "events": [
                {"place": {"lat": 21.946, "lon": 106.697, "name": "Đồng Đăng"}},
                {"place": "Hanoi", "country": "VN"},
            ],
            "claims": [{"via": {"lat": 21.85, "lon": 106.76, "name": "Lạng Sơn"}}],
        }
    )
    assert trip.country == "Vietnam" and trip.events[1].country == "VN"
    assert trip.events[0].label == "Đồng Đăng" and trip.claims[0].describe() == "via Lạng Sơn"


def test_parse_trip_rejects_non_mapping_events():
    with pytest.raises(TripError, match="event 1 must be a mapping"):
        parse_trip({"title": "t", "events": ["Khasan", "Ussuriysk"]})
