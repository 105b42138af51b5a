"""routes extract: news reports in, draft trips out, every field traced to its words."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from routes import api, check_trip
from routes.cli import main
from routes.model import Place, Trip
from routes.places import default_gazetteer
from routes.places.index import Gazetteer
from routes.places.spot import PlaceSpotter
from routes.present.files import write_atomic
from routes.sources.bundled import load_lines, load_places, load_regions, load_rivers
from routes.trips import example_trip_path, load_trip
from routes.trips.extract import draft_trip
from routes.trips.when import read_times
from routes.trips.write import trip_to_yaml

ARTICLES = Path(__file__).parent / "data" / "articles"
# the founding article lives in shared/ beside the clone (CI) or beside the worktrees (/work/shared)
_ROOT = Path(__file__).resolve().parents[1]
SEED = next(
    (
        p / "shared" / "seed" / "kim-putin-summit-2023.txt"
        for p in (_ROOT.parent, _ROOT.parent.parent)
        if (p / "shared" / "seed" / "kim-putin-summit-2023.txt").exists()
    ),
    _ROOT.parent / "shared" / "seed" / "kim-putin-summit-2023.txt",
)
CASES = sorted(p.stem for p in ARTICLES.glob("*.txt") if p.with_suffix(".yaml").exists())


@pytest.fixture(scope="module")
def spotter() -> PlaceSpotter:
    return PlaceSpotter(default_gazetteer(world=False))


def _draft(name: str, spotter: PlaceSpotter):
    path = ARTICLES / f"{name}.txt"
    return draft_trip(path.read_text(encoding="utf-8"), spotter, name=path.name), path.read_text(encoding="utf-8")


def _window(ev, gz) -> tuple[datetime, datetime] | None:
    if ev.time is None:
        return None
    place = gz.resolve(ev.place)[0].place
    w = ev.time.to_window(ZoneInfo(place.tz))
    return w.earliest, w.latest


def _same_place(a: str, b: str, gz) -> bool:
    if a == b:
        return True
    pa, pb = gz.resolve(a)[0].place, gz.resolve(b)[0].place
    return pa.id == pb.id or pa.station == pb.id or pb.station == pa.id


def _assert_matches(draft: Trip, expected: Trip, gz) -> None:
    got = [(e.place, e.kind, _window(e, gz)) for e in draft.events]
    want = [(e.place, e.kind, _window(e, gz)) for e in expected.events]
    assert len(got) == len(want), f"events: {got} != {want}"
    for g, w in zip(got, want):
        assert _same_place(g[0], w[0], gz), f"place {g[0]} where {w[0]} is expected"
        assert g[1:] == w[1:], f"{w[0]}: kind/time {g[1:]} where {w[1:]} is expected"
    claims = [(c.kind, c.places, c.value, c.qualifier if c.kind == "speed" else "") for c in draft.claims]
    expect = [(c.kind, c.places, c.value, c.qualifier if c.kind == "speed" else "") for c in expected.claims]
    assert len(claims) == len(expect), f"claims: {claims} != {expect}"
    for w in expect:  # claims in any order
        hit = next(
            (
                g
                for g in claims
                if (g[0], g[2], g[3]) == (w[0], w[2], w[3])
                and len(g[1]) == len(w[1])
                and all(_same_place(a, b, gz) for a, b in zip(g[1], w[1]))
            ),
            None,
        )
        assert hit is not None, f"claim {w} expected, drafted {claims}"
        claims.remove(hit)
    if expected.traveller:
        assert draft.traveller == expected.traveller


@pytest.mark.parametrize("name", CASES)
def test_each_article_gives_its_expected_trip(name, spotter):
    draft, _ = _draft(name, spotter)
    assert draft.trip is not None, draft.left_out
    _assert_matches(draft.trip, load_trip(ARTICLES / f"{name}.yaml"), spotter.gz)


@pytest.mark.parametrize("name", CASES)
def test_every_field_is_traced_to_its_words(name, spotter, tmp_path):
    """quote is the sentence at span; each piece of evidence is the text at its offsets;
    the written trip file reads back with them."""
    draft, text = _draft(name, spotter)
    for ev, evidence in zip(draft.trip.events, draft.events):
        assert ev.span is not None and ev.quote == " ".join(text[ev.span[0] : ev.span[1]].split())
        fields = {e.field for e in evidence}
        assert {"sentence", "place", "kind"} <= fields
        for e in evidence:
            assert text[e.start : e.end] == e.text
        place = next(e for e in evidence if e.field == "place")
        assert ev.span[0] <= place.start < place.end <= ev.span[1]
    for c, evidence in zip(draft.trip.claims, draft.claims):
        assert c.quote and c.span is not None
        for e in evidence:
            assert text[e.start : e.end] == e.text
    back = load_trip(write_atomic(tmp_path / "t.yaml", trip_to_yaml(draft.trip)))
    assert [e.quote for e in back.events] == [e.quote for e in draft.trip.events]


def _verdicts(report):
    return (
        [(lv.leg.start_name, lv.leg.end_name, lv.verdict) for lv in report.legs],
        [s.verdict for s in report.spans],
        [(c.claim.kind, c.verdict) for c in report.claims],
    )


def _as_example(report):
    legs, spans, claims = _verdicts(report)
    return legs, spans, sorted(claims)


def test_the_seed_facts_give_the_bundled_examples_verdicts(spotter):
    """Our own report of the September 2023 journey (same facts as the founding article):
    Khasan 12 Sep 06:00 +10, Ussuriysk and the Razdolnaya bridge passed, Vostochny on 13 Sep,
    the 1,000 km claim — and `routes check` gives the verdicts of the bundled example."""
    draft, _ = _draft("vostochny-2023", spotter)
    khasan = draft.trip.events[0]
    assert khasan.place == "Khasan" and khasan.time.text == "2023-09-12T06:00+10:00"
    assert draft.trip.events[-1].time.day == date(2023, 9, 13)
    assert _as_example(check_trip(draft.trip)) == _as_example(check_trip(example_trip_path()))


@pytest.mark.skipif(not SEED.exists(), reason="the founding article is not in ../shared/seed/ here")
def test_the_founding_article_gives_the_bundled_examples_verdicts(spotter):
    draft = draft_trip(SEED.read_text(encoding="utf-8"), spotter)
    assert [e.place for e in draft.trip.events][0] == "Khasan"
    assert _as_example(check_trip(draft.trip)) == _as_example(check_trip(example_trip_path()))


def test_world_gazetteer_places_are_found_when_installed():
    """Harbin and Suifenhe are not bundled; a world tier (faked here with two GeoNames
    cities) lets the extractor find them, and the gazetteer says where they came from."""
    world = [
        Place("geonames:2037013", "Harbin", "city", 45.75, 126.65, "CN", "Asia/Harbin", ("哈尔滨",), 2037013),
        Place("geonames:2034714", "Suifenhe", "city", 44.4, 131.15, "CN", "Asia/Harbin", (), 2034714),
    ]
    gz = Gazetteer(load_places(), load_regions(), load_rivers(), load_lines(), world=lambda: world)
    text = (ARTICLES / "harbin-2019.txt").read_text(encoding="utf-8")
    draft = draft_trip(text, PlaceSpotter(gz))
    _assert_matches(draft.trip, load_trip(ARTICLES / "harbin-2019.world.yaml"), gz)
    assert "world" in draft.trip.events[0].note and "GeoNames 2037013" in draft.trip.events[0].note


def test_no_fuzzy_matches_from_running_text(spotter):
    """Near the trip, the gazetteer reads "Ussurysk" as Ussuriysk and "Khasn" as Khasan
    (typos, one edit each); in running text nothing is matched by edit distance, so they
    are not events."""
    near = [(42.43, 130.64)]
    assert spotter.gz.resolve("Ussurysk", near=near)[0].method == "fuzzy"
    assert spotter.gz.resolve("Khasn", near=near)[0].place.name == "Khasan"
    draft = draft_trip(
        "The train arrived at Khasn on Tuesday and reached Ussurysk.", spotter, dateline=date(2023, 9, 13)
    )
    assert draft.trip is None and draft.events == ()


def test_regions_and_countries_are_context_not_events(spotter):
    text = "The train crossed into Russia, arrived in Primorsky Krai on Tuesday and reached Ussuriysk in Primorye."
    draft = draft_trip(text, spotter, dateline=date(2023, 9, 13))
    assert draft.trip is None
    assert [e.place for e in _events(draft)] == ["Ussuriysk"]
    assert {(c.field, c.text) for c in draft.context} == {
        ("country", "Russia"),
        ("region", "Primorsky Krai"),
        ("region", "Primorye"),
    }


def _events(draft):
    return [type("E", (), {"place": next(e.text for e in ev if e.field == "place")}) for ev in draft.events]


def test_places_in_other_scripts(spotter):
    """Cyrillic and Hangul names of the gazetteer are found and written in its Latin name."""
    ko, _ = _draft("khasan-2023-ko", spotter)
    ru, _ = _draft("khabarovsk-2011-ru", spotter)
    assert [e.place for e in ko.trip.events][:2] == ["Tumangang", "Khasan"]
    assert [e.place for e in ru.trip.events][:2] == ["Bikin", "Khabarovsk-1"]


@pytest.mark.parametrize(
    ("sentence", "tense", "expected"),
    [
        # dateparser put these a week off, or read nothing (the measurements)
        ("It arrived at 6 a.m. Tuesday.", "past", "2023-09-12T06:00:00"),
        ("It will arrive on Wednesday.", "future", "2023-09-13"),
        ("It left late Tuesday.", "past", ("2023-09-12T18:00:00", "2023-09-13T00:00:00")),
        ("It arrived early Wednesday.", "past", ("2023-09-13T00:00:00", "2023-09-13T12:00:00")),
        ("It left late on the 12th.", "past", ("2023-09-12T18:00:00", "2023-09-13T00:00:00")),
        ("It arrived Tuesday morning.", "past", ("2023-09-12T06:00:00", "2023-09-12T12:00:00")),
        ("It arrived on Sept. 11, 2023.", "past", "2023-09-11"),
        ("It arrived at 10:40 a.m. local time on Tuesday.", "past", "2023-09-12T10:40:00"),
        ("It arrived at 9 a.m. Korea time on Tuesday.", "past", "2023-09-12T09:00:00+09:00"),
        ("It arrived at 10 p.m. Moscow time on Sept. 12.", "past", "2023-09-12T22:00:00+03:00"),
        ("Поезд прибыл 12 сентября 2023 года.", "past", "2023-09-12"),
        ("열차는 12일 오전 6시 도착했다.", "past", "2023-09-12T06:00:00"),
    ],
)
def test_time_rules(sentence, tense, expected):
    """Weekdays by tense from a Wednesday 13 September dateline; parts of a day as windows;
    zone qualifiers; dates in three languages."""
    hits = read_times(sentence, date(2023, 9, 13), tense)
    assert len(hits) == 1, hits
    s = hits[0].spec
    if isinstance(expected, tuple):
        assert (s.earliest.isoformat(), s.latest.isoformat()) == expected
    elif "T" in expected:
        assert s.instant.isoformat() == expected
    else:
        assert s.day.isoformat() == expected


def test_what_is_not_a_time():
    """dateparser's search read "at 6 a" as 1 June; lower-case "may" is a verb."""
    assert read_times("He waited at 6 a platform.", date(2023, 9, 13)) == []
    assert read_times("Kim may arrive soon.", date(2023, 9, 13)) == []


@pytest.mark.parametrize(
    ("sentence", "kind", "confidence"),
    [
        ("The train arrived at Khasan on Tuesday.", "arrived", ""),
        ("The train left Khasan on Tuesday.", "departed", ""),
        ("The train departed from Khasan on Tuesday.", "departed", ""),
        ("The train passed Khasan on Tuesday.", "passed", ""),
        ("The train crossed the Razdolnaya River on Tuesday.", "passed", ""),
        ("The leader visited Khasan on Tuesday.", "at", ""),
        ("The train stopped at Khasan on Tuesday.", "at", ""),
        ("The train will arrive at Khasan on Thursday.", "expected", ""),
        ("The train is expected to reach Khasan on Thursday.", "expected", ""),
        ("The train appeared to pass Khasan on Tuesday.", "passed", "low"),
    ],
)
def test_event_kinds_from_verbs(sentence, kind, confidence, spotter):
    text = sentence + " It then passed Ussuriysk."
    draft = draft_trip(text, spotter, dateline=date(2023, 9, 13))
    first = draft.trip.events[0]
    assert (first.kind, first.confidence) == (kind, confidence)


def test_speculation_and_other_travellers_are_left_out(spotter):
    text = (
        "SEOUL, Sept. 13, 2023 (Yonhap) -- Kim's train arrived at Khasan on Tuesday. "
        "Initially, it was speculated that Kim would travel to Vladivostok. "
        "Putin arrived in Khabarovsk on Tuesday. "
        "The train passed Ussuriysk later, KCNA said."
    )
    draft = draft_trip(text, spotter)
    assert [e.place for e in draft.trip.events] == ["Khasan", "Ussuriysk"]
    why = {e.text: w for e, w in draft.left_out}
    assert why["Vladivostok"].startswith("speculation")
    assert "another traveller (Putin)" in why["Khabarovsk"]


def test_sources_from_the_sentence_and_the_dateline(spotter):
    text = (
        "SEOUL, Sept. 13, 2023 (Yonhap) -- The train arrived at Khasan at 6 a.m. on Tuesday, KCNA said. "
        "It passed Ussuriysk, according to foreign media reports. It reached Vostochny Cosmodrome on Wednesday."
    )
    draft = draft_trip(text, spotter)
    assert [e.source for e in draft.trip.events] == [
        "KCNA, via Yonhap",
        "foreign media reports, via Yonhap",
        "Yonhap",
    ]


def test_claims_of_every_kind(spotter):
    text = (
        "MOSCOW, July 9, 2024 (TASS) - The train left Tynda on Monday and travelled via Novy Urgal. "
        "It bypassed Komsomolsk-on-Amur and did not go to Khabarovsk. "
        "It stopped at Fevralsk before reaching Postyshevo, at speeds of up to 60 km/h. "
        "Postyshevo is some 800 km from Tynda."
    )
    draft = draft_trip(text, spotter)
    got = {(c.kind, c.places, c.value) for c in draft.trip.claims}
    assert got == {
        ("via", ("Novy Urgal",), None),
        ("not_via", ("Komsomolsk-on-Amur",), None),
        ("not_via", ("Khabarovsk",), None),
        ("order", ("Fevralsk", "Postyshevo"), None),
        ("speed", (), 60.0),
        ("distance", ("Postyshevo", "Tynda"), 800.0),
    }


# ------------------------------------------------------------------ the command line
def test_cli_writes_a_trip_that_check_reads(tmp_path, capsys):
    out = tmp_path / "trip.yaml"
    assert main(["extract", str(ARTICLES / "vostochny-2023.txt"), "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# A draft written by routes extract")
    assert main(["check", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Vostochny Cosmodrome" in printed and "low" in printed  # the claim's confidence column


def test_cli_check_shows_event_confidence(tmp_path, capsys):
    out = tmp_path / "t.yaml"
    assert main(["extract", str(ARTICLES / "nakhodka-2022.txt"), "-o", str(out)]) == 0
    # the article's "105 miles" is wrong (93 km straight, 209 km by rail): check says so
    assert main(["check", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "Nakhodka is 105 miles (169 km) from Vladivostok  contradicted" in printed
    assert "events, as the trip file gives them:" in printed
    row = next(line for line in printed.splitlines() if re.match(r"3\s+Nakhodka", line))
    assert row.rstrip().endswith("low")
    assert main(["check", str(out), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [e["confidence"] for e in data["events"]] == [e.confidence for e in load_trip(out).events]
    assert data["events"][0]["quote"] and data["events"][0]["span"]


def test_cli_reads_standard_input_and_prints_json(monkeypatch, capsys):
    import io

    raw = (ARTICLES / "vladivostok-2019.txt").read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    assert main(["extract", "-", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    text = raw.decode("utf-8")
    assert [e["place"] for e in data["trip"]["events"]][0] == "Pyongyang"
    for ev in data["events"]:
        for f in ev["fields"].values():
            a, b = f["span"]
            assert text[a:b] == f["text"]
    assert data["dateline"]["date"] == "2019-04-25"


def test_cli_dateline_and_tz_options(tmp_path, capsys):
    art = tmp_path / "a.txt"
    art.write_text(
        "The train arrived at Khasan at 6 a.m. on Tuesday. It passed Ussuriysk late Tuesday.", encoding="utf-8"
    )
    assert main(["extract", str(art), "--dateline", "2023-09-13", "--tz", "Asia/Seoul"]) == 0
    trip = yaml.safe_load(capsys.readouterr().out)
    assert trip["events"][0]["time"] == "2023-09-12T06:00+09:00"


BAD = [
    ("empty", b"", "is empty"),
    ("blank", b"  \n\n \n", "is empty"),
    ("binary", bytes(range(256)) * 4, "is not text"),
    ("nul", b"The train arrived at Khasan.\x00\x00\x00", "is not text"),
    ("latin-1", "Le train est arrivé à Khasan.".encode("latin-1"), "not UTF-8"),
    ("no places", (ARTICLES / "no-places.txt").read_bytes(), "a trip needs two"),
    ("one place", b"The train arrived at Khasan on Tuesday.", "found 1 event (Khasan)"),
]


@pytest.mark.parametrize(("case", "data", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_articles_give_one_line_and_write_nothing(tmp_path, capsys, case, data, message):
    art = tmp_path / "article.txt"
    art.write_bytes(data)
    out = tmp_path / "trip.yaml"
    assert main(["extract", str(art), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and "Traceback" not in err[0]
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.txt"]


def test_a_50_mb_file_is_refused_at_once(tmp_path, capsys):
    art = tmp_path / "big.txt"
    with open(art, "wb") as fh:  # sparse: 50 MB without writing them
        fh.truncate(50 * 1024 * 1024)
    assert main(["extract", str(art), "-o", str(tmp_path / "t.yaml")]) == 2
    assert "larger than 2 MB" in capsys.readouterr().err
    assert not (tmp_path / "t.yaml").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["extract", "missing.txt"], "no such file"),
        (["extract", "."], "is a folder"),
        (["extract", "ARTICLE", "--dateline", "13/09/2023"], "give a date as YYYY-MM-DD"),
        (["extract", "ARTICLE", "--tz", "Mars/Olympus"], "is not a time zone"),
        (["extract", "ARTICLE", "--network", "fareast"], "no network named 'fareast'"),
    ],
)
def test_bad_options_give_one_line(argv, message, capsys, in_tmp):
    (in_tmp / "ARTICLE").write_text((ARTICLES / "vostochny-2023.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_article_text_stays_data_in_the_trip_file(tmp_path, spotter):
    """Markup and YAML in an article reach the trip file as quoted strings, never as keys."""
    text = (
        "Kim's train arrived at Khasan on Tuesday <script>alert(1)</script> key: value. "
        "It passed Ussuriysk, --- !!python/object:os.system ['x'] said KCNA."
    )
    draft = draft_trip(text, spotter, dateline=date(2023, 9, 13))
    data = yaml.safe_load(trip_to_yaml(draft.trip))
    assert set(data) <= {"title", "traveller", "mode", "order", "events", "claims"}
    assert "<script>" in data["events"][0]["quote"]
    assert api.check_trip(load_trip_from(data, tmp_path)).trip.events[0].quote == data["events"][0]["quote"]


def load_trip_from(data, tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_trip(p)
