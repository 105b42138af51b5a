"""Trip files written by routes read back to the same trip, whatever text they carry."""

from __future__ import annotations

import dataclasses

import pytest
import yaml
from hostile import PAYLOADS, hostile_trip_yaml

from routes.errors import TripError
from routes.model import Claim, Point, Sighting, TimeSpec, Trip
from routes.present.files import write_atomic as write_trip
from routes.trips import example_trip_path, load_trip, parse_trip
from routes.trips.write import trip_to_yaml

# text that would change a YAML document if it were pasted into one
NASTY = [
    "key: value",
    "- item\n- other",
    "--- \n...",
    "!!python/object/apply:os.system ['true']",
    "&anchor *alias",
    "# not a comment",
    "'single' \"double\" `back`",
    "tab\there, and a colon: inside",
    "Хасан 하산 哈桑",
    "{flow: map}, [flow, list]",
]


def _plain(trip: Trip) -> Trip:
    """The trip without the as-written text of its times (the reader keeps what it read)."""
    events = tuple(
        dataclasses.replace(e, time=dataclasses.replace(e.time, text="")) if e.time else e for e in trip.events
    )
    return dataclasses.replace(trip, events=events, source_path="")


def _round_trip(trip: Trip, tmp_path) -> Trip:
    path = write_trip(tmp_path / "out.yaml", trip_to_yaml(trip))
    return load_trip(path)


def test_the_bundled_example_reads_back_the_same(tmp_path):
    trip = load_trip(example_trip_path())
    assert _plain(_round_trip(trip, tmp_path)) == _plain(trip)


def test_every_field_and_time_form_reads_back(tmp_path):
    from datetime import date, datetime, timedelta, timezone

    tz = timezone(timedelta(hours=10))
    trip = Trip(
        title="All the fields",
        traveller="someone",
        speed_min=15,
        speed_max=55.5,
        order="route",
        gauge_change_hours=3,
        country="RU",
        events=(
            Sighting(
                "Khasan", TimeSpec(instant=datetime(2023, 9, 12, 6, 0, tzinfo=tz)), "arrived", "KCNA", dwell_hours=1.5
            ),
            Sighting(Point(43.8, 131.95), TimeSpec(instant=datetime(2023, 9, 12, 9, 30)), "passed", confidence="low"),
            Sighting(Point(43.5, 131.9, "a halt"), kind="passed", country="Russia"),
            Sighting(
                "Ussuriysk",
                TimeSpec(
                    earliest=datetime(2023, 9, 12, 18, 0, tzinfo=tz), latest=datetime(2023, 9, 13, 0, 0, tzinfo=tz)
                ),
                "departed",
                note="a note",
                quote="It left late on Tuesday.",
                span=(10, 34),
                confidence="medium",
            ),
            Sighting("Vostochny Cosmodrome", TimeSpec(day=date(2023, 9, 13)), "expected"),
        ),
        claims=(
            Claim(
                "distance",
                ("Vostochny Cosmodrome", "Vladivostok"),
                1000,
                10,
                "straight",
                source="Yonhap",
                quote="q",
                span=(1, 2),
            ),
            Claim("not_via", ("Vladivostok",), confidence="low"),
            Claim("via", ("Baranovsky", "Ussuriysk")),
            Claim("not_via", (Point(43.11, 131.88, "the port"),)),
            Claim("order", ("Baranovsky", "Ussuriysk")),
            Claim("speed", ("Khasan", "Ussuriysk"), 45, qualifier="top", text="45 km/h at most"),
            Claim("in_region", ("Vostochny Cosmodrome",), region="Amur Oblast"),
        ),
    )
    assert _plain(_round_trip(trip, tmp_path)) == _plain(trip)


@pytest.mark.parametrize("text", NASTY + PAYLOADS)
def test_text_fields_stay_data(tmp_path, text):
    """Whatever an article says, it comes back as the same string in the same field."""
    trip = Trip(
        title=text,
        traveller=text,
        events=(
            Sighting("Khasan", source=text, note=text, quote=text, span=(0, len(text))),
            Sighting("Ussuriysk", kind="passed", quote=text),
        ),
        claims=(Claim("not_via", ("Vladivostok",), source=text, text=text, quote=text),),
    )
    yaml_text = trip_to_yaml(trip)
    assert set(yaml.safe_load(yaml_text)) == {"title", "traveller", "mode", "events", "claims"}
    assert _plain(_round_trip(trip, tmp_path)) == _plain(trip)


def test_the_hostile_trip_reads_back(tmp_path):
    src = tmp_path / "hostile.yaml"
    src.write_text(hostile_trip_yaml(), encoding="utf-8")
    trip = load_trip(src)
    assert _plain(_round_trip(trip, tmp_path)) == _plain(trip)


def test_header_is_comment_lines_only():
    trip = load_trip(example_trip_path())
    text = trip_to_yaml(trip, header="Draft by routes extract\nsecond line")
    assert text.startswith("# Draft by routes extract\n# second line\ntitle:")
    assert parse_trip(yaml.safe_load(text)) is not None


TRACE_BAD = [
    ("confidence: sure", "confidence 'sure' is not one of low, medium, high"),
    ("span: [5, 2]", "span must be [start, end]"),
    ("span: [1, 2, 3]", "span must be [start, end]"),
    ("span: one", "span must be [start, end]"),
    ("span: [-1, 2]", "span must be [start, end]"),
]


@pytest.mark.parametrize(("line", "message"), TRACE_BAD)
def test_trace_keys_are_checked_on_events_and_claims(line, message):
    for where in ("event", "claim"):
        data = yaml.safe_load(
            "title: t\nevents:\n  - place: Khasan\n  - place: Ussuriysk\nclaims:\n  - not_via: Vladivostok\n"
        )
        target = data["events"][0] if where == "event" else data["claims"][0]
        target.update(yaml.safe_load(line))
        with pytest.raises(TripError, match=message.replace("[", r"\[").replace("]", r"\]")):
            parse_trip(data)


def test_trace_keys_are_read_and_change_no_verdict():
    from routes import check_trip

    plain = load_trip(example_trip_path())
    data = yaml.safe_load(example_trip_path().read_text(encoding="utf-8"))
    for ev in data["events"]:
        ev.update(confidence="low", quote="the words", span=[0, 9])
    for c in data["claims"]:
        c.update(confidence="low", quote="the words", span=[0, 9])
    traced = parse_trip(data)
    assert [e.confidence for e in traced.events] == ["low"] * 4
    assert traced.claims[0].quote == "the words" and traced.claims[0].span == (0, 9)
    a, b = check_trip(plain), check_trip(traced)
    assert [lv.verdict for lv in a.legs] == [lv.verdict for lv in b.legs]
    assert [c.verdict for c in a.claims] == [c.verdict for c in b.claims]
    assert [s.verdict for s in a.spans] == [s.verdict for s in b.spans]
