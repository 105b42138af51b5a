"""Precision and recall of ``routes extract`` for places, times and claims.

Each article under tests/data/articles/ (and heldout/) has an expected trip written by hand
beside it (NAME.yaml). This drafts each article with the bundled gazetteer and scores the
draft against the expected trip:

* places: an event of the draft is right when the expected trip has an event at the same
  place (the same gazetteer place, or a town and its station; a bridge by its name);
* times: of the events matched by place, a time is right when its window is the expected
  one to the minute; a time given where none is expected, or a different one, is wrong;
* claims: right when kind, places and number (within 1 %) agree.

The articles in tests/data/articles/ are the ones the rules were developed on, so their
figures are in-sample; heldout/ was written after, and is reported apart.

    python benchmarks/extract_accuracy.py [--verbose]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from routes import api
from routes.errors import PlaceNotFound
from routes.model import Claim, Place, Sighting, Trip
from routes.places import default_gazetteer
from routes.places.timezones import zone
from routes.trips import load_trip

ROOT = Path(__file__).resolve().parents[1] / "tests" / "data" / "articles"


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _place(name: str) -> Place | None:
    try:
        return default_gazetteer(world=False).resolve(name)[0].place
    except PlaceNotFound:
        return None


def same_place(a: str, b: str) -> bool:
    if a == b:
        return True
    pa, pb = _place(a), _place(b)
    if pa is None or pb is None or pa.kind == "bridge" or pb.kind == "bridge":
        return False
    return pa.id == pb.id or pa.station == pb.id or pb.station == pa.id


def _window(ev: Sighting) -> tuple[str, str] | None:
    if ev.time is None or not isinstance(ev.place, str):
        return None
    p = _place(ev.place)
    w = ev.time.to_window(zone(p)) if p is not None else None
    if w is None:
        return None
    return w.earliest.isoformat(timespec="minutes"), w.latest.isoformat(timespec="minutes")


def score_events(draft: Trip | None, expected: Trip) -> tuple[Score, Score]:
    places, times = Score(), Score()
    got = list(draft.events) if draft else []
    want = list(expected.events)
    pairs = []
    for ev in got:
        hit = next((w for w in want if same_place(str(ev.place), str(w.place))), None)
        if hit is None:
            places.fp += 1
            places.misses.append(f"extra place {ev.place}")
            if ev.time is not None:
                times.fp += 1
            continue
        want.remove(hit)
        places.tp += 1
        pairs.append((ev, hit))
    for w in want:
        places.fn += 1
        places.misses.append(f"missed place {w.place}")
        if w.time is not None:
            times.fn += 1
    for ev, w in pairs:
        a, b = _window(ev), _window(w)
        if a is None and b is None:
            continue
        if a == b:
            times.tp += 1
            continue
        if a is not None:
            times.fp += 1
        if b is not None:
            times.fn += 1
        times.misses.append(f"{w.place}: time {a} where {b} is expected")
    return places, times


def _claim_match(a: Claim, b: Claim) -> bool:
    if a.kind != b.kind or len(a.places) != len(b.places):
        return False
    if not all(same_place(x, y) for x, y in zip(a.places, b.places)):
        return False
    if (a.value is None) != (b.value is None):
        return False
    return a.value is None or b.value is None or abs(a.value - b.value) <= 0.01 * abs(b.value)


def score_claims(draft: Trip | None, expected: Trip) -> Score:
    s = Score()
    want = list(expected.claims)
    for c in draft.claims if draft else ():
        hit = next((w for w in want if _claim_match(c, w)), None)
        if hit is None:
            s.fp += 1
            s.misses.append(f"extra claim {c.describe()}")
        else:
            want.remove(hit)
            s.tp += 1
    for w in want:
        s.fn += 1
        s.misses.append(f"missed claim {w.describe()}")
    return s


def articles(folder: Path) -> list[tuple[Path, Path]]:
    return [(t, t.with_suffix(".yaml")) for t in sorted(folder.glob("*.txt")) if t.with_suffix(".yaml").exists()]


def run(folder: Path, verbose: bool) -> dict[str, Score]:
    totals = {"places": Score(), "times": Score(), "claims": Score()}
    for text_path, expected_path in articles(folder):
        expected = load_trip(expected_path)
        draft = api.extract(
            text_path.read_text(encoding="utf-8"), name=text_path.name, gazetteer=default_gazetteer(world=False)
        ).trip
        places, times = score_events(draft, expected)
        claims = score_claims(draft, expected)
        for k, s in (("places", places), ("times", times), ("claims", claims)):
            totals[k].add(s)
        line = "  ".join(
            f"{k} {s.tp}/{s.tp + s.fp}/{s.tp + s.fn}"
            for k, s in (("places", places), ("times", times), ("claims", claims))
        )
        print(f"  {text_path.name:32} {line}")
        if verbose:
            for s in (places, times, claims):
                for m in s.misses:
                    print(f"      {m}")
    return totals


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true", help="list every miss")
    args = ap.parse_args(argv)
    print("per article: right / drafted / expected")
    for label, folder in (("articles the rules were developed on", ROOT), ("held-out articles", ROOT / "heldout")):
        print(f"\n{label} ({folder.relative_to(ROOT.parents[2])}):")
        totals = run(folder, args.verbose)
        print()
        print(f"  {'':8} {'precision':>9} {'recall':>7}   (right, drafted, expected)")
        for k, s in totals.items():
            print(f"  {k:8} {s.precision:9.2f} {s.recall:7.2f}   ({s.tp}, {s.tp + s.fp}, {s.tp + s.fn})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
