"""Claims stated in a sentence: distances, via, not via, order and speeds.

A place named only inside a claim ("some 1,000 km from Vladivostok", "bypassed Harbin")
is a reference point, not a stop of the journey: it is returned as *consumed*, with why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Mention
from . import lexicon as lx
from .text import Sentence

__all__ = ["RawClaim", "find_claims"]

_MILE_KM = 1.609344  # the international mile


@dataclass(frozen=True)
class RawClaim:
    """A claim as read, before its places are resolved; ``text`` is ``article[start:end]``."""

    kind: str
    places: tuple[Mention, ...]
    start: int
    end: int
    text: str
    value: float | None = None
    qualifier: str = ""
    confidence: str = ""
    note: str = ""


def _number(s: str) -> float:
    return float(s.replace(",", ""))


def find_claims(
    text: str, sent: Sentence, places: Sequence[Mention], earlier: Mention | None = None
) -> tuple[list[RawClaim], dict[int, str]]:
    """The claims of one sentence, and the mentions they use up (offset → why).

    ``earlier`` is the last place named before the sentence: what "the spaceport lies
    1,000 km from X" measures from when the sentence names no other place (marked low).
    """
    claims: list[RawClaim] = []
    consumed: dict[int, str] = {}
    for m in places:
        before = text[max(sent.start, m.start - 80) : m.start]
        for pat, conf in lx.NOT_VIA_BEFORE:
            hit = pat.search(before)
            if hit:
                a = m.start - len(before) + hit.start()
                claims.append(RawClaim("not_via", (m,), a, m.end, text[a : m.end], confidence=conf))
                consumed[m.start] = "the report says the journey did not go there"
                break
        else:
            hit = lx.VIA_BEFORE.search(before)
            if hit:
                a = m.start - len(before) + hit.start()
                claims.append(RawClaim("via", (m,), a, m.end, text[a : m.end]))
                consumed[m.start] = "named as a via point (a claim)"
            elif lx.BESIDE_BEFORE.search(before):
                consumed[m.start] = "named only to say where something else is"
    _via_lists(text, places, claims, consumed)
    claims += _distances(text, sent, places, consumed, earlier)
    claims += _orders(text, places, consumed)
    claims += _speeds(text, sent, places)
    return claims, consumed


def _via_lists(text: str, places: Sequence[Mention], claims: list[RawClaim], consumed: dict[int, str]) -> None:
    """ "via X and Y": Y is a via point too."""
    for a, b in zip(places, places[1:]):
        done = {c.places[0].start for c in claims if c.kind == "via"}
        if a.start in done and b.start not in consumed and lx.LIST_GAP.match(text[a.end : b.start]):
            claims.append(RawClaim("via", (b,), b.start, b.end, b.text))
            consumed[b.start] = "named as a via point (a claim)"


def _distances(
    text: str, sent: Sentence, places: Sequence[Mention], consumed: dict[int, str], earlier: Mention | None
) -> list[RawClaim]:
    out = []
    for d in lx.DISTANCE.finditer(sent.text):
        a, b = sent.start + d.start(), sent.start + d.end()
        tail = lx.DISTANCE_TAIL.match(text[b : sent.end])
        after = [m for m in places if m.start >= b]
        prior = [m for m in places if m.end <= a]
        if tail is None or not after:
            continue
        rel = tail.group("rel").lower()
        first = after[0]
        if first.start - (b + tail.end()) > 30:
            continue
        if rel == "between" and len(after) >= 2:
            x, y = after[0], after[1]
        elif (
            rel == "from" and len(after) >= 2 and re.match(r"\s+to\s+(?:the\s+)?", text[after[0].end : after[1].start])
        ):
            x, y = after[0], after[1]  # "a 1,200 km journey from X to Y"
        elif prior:
            x, y = prior[-1], first
        elif earlier is not None and earlier.text != first.text:
            x, y = earlier, first
        else:
            continue
        km = _number(d.group("n"))
        unit = d.group("u").lower()
        note = ""
        if unit.startswith("mi"):
            note = f"{d.group('n')} miles ({km * _MILE_KM:,.0f} km)"
            km = km * _MILE_KM
        words = text[a : y.end].lower()
        measure = "rail" if re.search(r"\b(?:by rail|by train|rail|railway|of track)\b", words) else ""
        if re.search(r"\b(?:as the crow flies|straight[- ]line|in a straight line)\b", text[a : sent.end].lower()):
            measure = "straight"
        q = (d.group("q") or "").strip().lower()
        conf = "low" if q in ("more than", "over", "less than", "under", "at least", "just over") else ""
        if x is earlier:
            conf = "low"
        out.append(RawClaim("distance", (x, y), a, y.end, text[a : y.end], round(km, 1), measure or "any", conf, note))
        consumed[y.start] = "a reference point of a distance"
        if x in after:
            consumed[x.start] = "a reference point of a distance"
    return out


def _orders(text: str, places: Sequence[Mention], consumed: dict[int, str]) -> list[RawClaim]:
    out = []
    for a, b in zip(places, places[1:]):
        if a.start in consumed or b.start in consumed:
            continue
        if lx.BEFORE_BETWEEN.match(text[a.end : b.start]):
            out.append(RawClaim("order", (a, b), a.start, b.end, text[a.start : b.end]))
    return out


def _speeds(text: str, sent: Sentence, places: Sequence[Mention]) -> list[RawClaim]:
    out = []
    for s in lx.SPEED.finditer(sent.text):
        a, b = sent.start + s.start(), sent.start + s.end()
        v = _number(s.group("n"))
        unit = s.group("u").lower()
        note = ""
        if "mph" in unit or "mile" in unit:
            note = f"{s.group('n')} mph ({v * _MILE_KM:.0f} km/h)"
            v *= _MILE_KM
        q = (s.group("q") or "").lower()
        if re.search(r"up to|top|maximum|no (?:more|faster)|at most", q):
            kind, conf = "top", ""
        elif "average" in q or "averag" in q:
            kind, conf = "average", ""
        else:
            kind, conf = "average", "low"
        stretch: tuple[Mention, ...] = ()
        inside = [p for p in places if p.kind in ("place", "bridge")]
        for w in re.finditer(r"\b(?:between|from)\b", text[sent.start : sent.end]):
            after = [p for p in inside if p.start > sent.start + w.end()]
            if len(after) >= 2:
                stretch = (after[0], after[1])
                break
        out.append(RawClaim("speed", stretch, a, b, text[a:b], round(v, 1), kind, conf, note))
    return out
