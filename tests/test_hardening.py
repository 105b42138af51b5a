"""Hostile input, one defect at a time: each gets one clear line and exit 2, never a
traceback, never NaN in an output, never raw control characters on the terminal."""

from __future__ import annotations

import errno
import json
import os
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from routes.cli import main
from routes.errors import TripError
from routes.present.files import TMP_SUFFIX, write_atomic
from routes.settings import DEFAULT, Settings
from routes.trips.read import load_trip, parse_text

GOOD = "title: t\nevents:\n  - {place: Khasan, time: 2023-09-12T06:00+10:00}\n  - {place: Ussuriysk, time: 2023-09-12T18:00+10:00}\n"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def check_bad(in_tmp, capsys, text: str, message: str, command: str = "check") -> str:
    trip = in_tmp / "trip.yaml"
    trip.write_text(text, encoding="utf-8", errors="surrogatepass")
    code, out, err = run(capsys, command, str(trip))
    assert code == 2, (out, err)
    assert err.startswith("routes: error:") and err.count("\n") == 1, err
    assert len(err) <= 301
    assert message in err, err
    assert not (in_tmp / "output").exists()
    return err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("speed_kmh: {min: 20, max: 1" + "0" * 400 + "}\n", "speed_kmh.max"),
        ("speed_kmh: {min: 20, max: 1" + "0" * 5000 + "}\n", "cannot read a value"),
        ("speed_kmh: {min: 20, max: .nan}\n", "speed_kmh.max must be a finite number"),
        ("speed_kmh: {min: 20, max: .inf}\n", "speed_kmh.max must be a finite number"),
        ("speed_kmh: 1.0e+400\n", "speed_kmh must be a finite number"),
        ("gauge_change_hours: .nan\n", "gauge_change_hours must be a finite number"),
        ("claims:\n  - distance: {from: Khasan, to: Ussuriysk, km: .nan}\n", "km must be a finite number"),
        ("claims:\n  - distance: {from: Khasan, to: Ussuriysk, km: 100, tolerance_pct: .inf}\n", "tolerance_pct"),
        ("claims:\n  - speed: {kmh: -.inf}\n", "kmh must be"),
    ],
)
def test_numbers_that_are_not_finite_are_refused_naming_the_field(in_tmp, capsys, extra, message):
    check_bad(in_tmp, capsys, GOOD + extra, message)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ("{place: {lat: .nan, lon: 131.0}}", "lat must be a finite number"),
        ("{place: {lat: 43.0, lon: .inf}}", "lon must be a finite number"),
        ("{place: {lat: 1e999, lon: 1}}", "lat must be a finite number"),
        ("{place: Ussuriysk, dwell_hours: .nan}", "dwell_hours must be a finite number"),
        ("{place: Ussuriysk, dwell_hours: 1.0e+308}", "dwell_hours must be between"),
        ("{place: Ussuriysk, time: 9999-12-31}", "year 9999 is outside 1800–2200"),
        ("{place: Ussuriysk, time: '0001-01-01T00:00+10:00'}", "year 1 is outside 1800–2200"),
        ("{place: Ussuriysk, time: {earliest: '9999-12-31T23:00', latest: '9999-12-31T23:59'}}", "year 9999"),
        ("{place: Ussuriysk, time: 2023-02-30}", "cannot read a value"),
    ],
)
def test_bad_coordinates_dwell_and_calendar_ends_are_refused(in_tmp, capsys, event, message):
    text = f"title: t\nevents:\n  - {{place: Khasan, time: 2023-09-12T06:00+10:00}}\n  - {event}\n"
    check_bad(in_tmp, capsys, text, message)


def test_no_output_ever_holds_nan(in_tmp, capsys):
    """A strict parser reads every JSON we write (allow_nan=False would raise, not write NaN)."""
    trip = in_tmp / "t.yaml"
    trip.write_text(
        GOOD + "claims:\n  - speed: {kmh: 45, type: top}\n  - distance: {from: Khasan, to: Ussuriysk, km: 0}\n",
        encoding="utf-8",
    )
    code, checked, err = run(capsys, "check", str(trip), "--json")
    assert code in (0, 1), err
    code, _, err = run(capsys, "build", str(trip), "--format", "geojson", "-o", "t.geojson")
    assert code == 0, err
    texts = [checked, (in_tmp / "t.geojson").read_text(encoding="utf-8")]
    for text in texts:
        json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))


def test_deep_nesting_is_refused(in_tmp, capsys):
    check_bad(in_tmp, capsys, GOOD + "note: " + "[" * 500 + "]" * 500 + "\n", "nested more than 20 levels")
    p = in_tmp / "deep.json"
    p.write_text('{"title": "t", "events": ' + "[" * 5000 + "]" * 5000 + "}", encoding="utf-8")
    code, _, err = run(capsys, "check", str(p))
    assert code == 2 and "nested" in err and err.count("\n") == 1


def test_a_lone_surrogate_is_refused_at_read_time(in_tmp, capsys):
    err = check_bad(in_tmp, capsys, GOOD.replace("title: t", 'title: "bad \\udfff"'), "line 1")
    assert "invalid Unicode" in err or "lone surrogate" in err
    p = in_tmp / "t.json"
    p.write_text('{"title": "bad \\udfff", "events": [{"place": "Khasan"}, {"place": "Ussuriysk"}]}', encoding="utf-8")
    code, _, err = run(capsys, "check", str(p))
    assert code == 2 and "lone surrogate" in err and err.count("\n") == 1


def test_yaml_alias_bombs_are_refused_and_plain_aliases_still_work(in_tmp, capsys):
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
    bomb += "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ntitle: *d\n"
    check_bad(in_tmp, capsys, bomb, "aliases of plain values only")
    ok = (
        "title: t\nevents:\n  - {place: Khasan, time: 2023-09-12T06:00+10:00, source: &s KCNA}\n"
        "  - {place: Ussuriysk, source: *s}\n"
    )
    (in_tmp / "ok.yaml").write_text(ok, encoding="utf-8")
    trip = load_trip(in_tmp / "ok.yaml")
    assert trip.events[1].source == "KCNA"


def test_a_huge_bad_value_is_quoted_short(in_tmp, capsys):
    err = check_bad(in_tmp, capsys, GOOD + "order: " + "x" * 9_000 + "\n", "order must be", command="check")
    assert len(err) < 300


@pytest.mark.parametrize(
    ("text", "settings", "message"),
    [
        (GOOD + "note: " + "x" * 200 + "\n", Settings(max_input_bytes=100), "larger than 100 bytes"),
        (GOOD, Settings(max_events=1), "2 events; the limit is 1 (max_events)"),
        (GOOD + "claims:\n  - not_via: A\n  - not_via: B\n", Settings(max_claims=1), "max_claims"),
        (GOOD.replace("title: t", "title: " + "t" * 50), Settings(max_string_chars=20), "max_string_chars"),
        (GOOD.replace("Ussuriysk", "U" * 300), DEFAULT, "place name of 300 characters"),
        (GOOD + "x: &a 1\n" + "".join(f"y{i}: *a\n" for i in range(5)), Settings(max_yaml_aliases=3), "aliases"),
    ],
)
def test_each_limit_has_its_own_message(tmp_path, text, settings, message):
    p = tmp_path / "t.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(TripError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_trip(p, settings=settings)


def test_the_default_limits_are_documented_settings():
    doc = Settings.__doc__ or ""
    for name in ("max_input_bytes", "max_events", "max_claims", "max_string_chars", "max_place_chars", "max_depth"):
        assert name in doc and getattr(DEFAULT, name) > 0


def test_closed_vocabularies_name_the_allowed_values(tmp_path):
    with pytest.raises(TripError, match="mode 'banana': use one of rail, road, air, sea, foot, unknown"):
        parse_text(GOOD + "mode: banana\n")
    with pytest.raises(TripError, match="distance measure 'crow': use one of any, straight, rail"):
        parse_text(GOOD + "claims:\n  - distance: {from: Khasan, to: Ussuriysk, km: 5, measure: crow}\n")


def test_terminal_escapes_in_a_trip_are_shown_not_obeyed(in_tmp, capsys):
    trip = in_tmp / "t.yaml"
    trip.write_text(
        GOOD.replace("title: t", 'title: "x\\e]0;owned\\a \\e[31mred\\u202e"')
        + 'claims:\n  - not_via: Vladivostok\n    text: "\\x9b31m"\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "check", str(trip))
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out and "\x9b" not in out
    assert "x\\x1b]0;owned\\x07 \\x1b[31mred\\u202e" in out
    code, out, err = run(capsys, "check", str(trip), "--json")
    assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out
    assert json.loads(out)["trip"] == "x\x1b]0;owned\x07 \x1b[31mred\u202e"


def test_kml_is_well_formed_whatever_the_trip_holds(in_tmp, capsys):
    trip = in_tmp / "t.yaml"
    trip.write_text(GOOD.replace("title: t", 'title: "ctl \\x01\\x0b\\x1b[0m \\uffff end"'), encoding="utf-8")
    code, out, err = run(capsys, "build", str(trip), "--format", "kml", "-o", "t.kml")
    assert code == 0, err
    root = ET.parse(in_tmp / "t.kml").getroot()  # a real XML parser
    name = root.find("{http://www.opengis.net/kml/2.2}Document/{http://www.opengis.net/kml/2.2}name")
    assert name is not None and name.text is not None and name.text.startswith("ctl ") and name.text.endswith(" end")


def test_a_killed_writers_temporary_file_is_cleaned_on_the_next_run(tmp_path):
    out = tmp_path / "map.html"
    dead = tmp_path / f".map.html.999999999-abcd{TMP_SUFFIX}"  # no process has this pid
    dead.write_text("half", encoding="utf-8")
    live = tmp_path / f".map.html.{os.getpid()}-ffff{TMP_SUFFIX}"  # still being written
    live.write_text("busy", encoding="utf-8")
    write_atomic(out, "<html></html>")
    assert out.read_text(encoding="utf-8") == "<html></html>"
    assert not dead.exists() and live.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, live.name])


def test_a_replaced_file_keeps_its_mode_and_group(tmp_path):
    out = tmp_path / "map.html"
    out.write_text("old", encoding="utf-8")
    os.chmod(out, 0o600)
    gid = out.stat().st_gid
    write_atomic(out, "new")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and out.stat().st_gid == gid
    fresh = tmp_path / "fresh.html"
    write_atomic(fresh, "x")
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~mask


def test_only_the_folder_written_to_is_created(in_tmp, capsys):
    code, out, err = run(capsys, "build", "-o", "a/../b/x.html")
    assert code == 0, err
    assert (in_tmp / "b" / "x.html").is_file()
    assert not (in_tmp / "a").exists()


def test_a_full_disk_names_the_file(in_tmp, capsys, monkeypatch):
    real = os.fdopen

    class Full:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: Full(real(fd, *a, **k)))
    code, out, err = run(capsys, "build", "-o", "full.html")
    assert code == 2
    assert "full.html" in err and "No space left on device" in err and err.count("\n") == 1
    assert list(Path(in_tmp).iterdir()) == []  # nothing half-written, no temporary file
