"""Draft a trip from the text of a news report.

Functions over text: sentences are read one by one for places (spotted and resolved by a
:class:`PlaceFinder`, in practice :class:`routes.places.spot.PlaceSpotter`), the verbs that
move the traveller to them, times, sources and claims. Every field keeps the words it came
from, so an analyst corrects a draft instead of typing one. What the rules are unsure of is
marked ``confidence: low``; what they leave out is listed with the reason.

>>> from routes.places import default_gazetteer
>>> from routes.places.spot import PlaceSpotter
>>> text = "The train arrived at Khasan at 6 a.m. on Tuesday. It passed Ussuriysk late Tuesday."
>>> d = draft_trip(text, PlaceSpotter(default_gazetteer(world=False)), dateline=date(2023, 9, 13))
>>> [(e.place, e.kind, e.time.text) for e in d.trip.events]
[('Khasan', 'arrived', '2023-09-12T06:00+10:00'), ('Ussuriysk', 'passed', '2023-09-12T18:00+10:00 – 2023-09-13T00:00+10:00')]
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cmp_to_key
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import PlaceNotFound
from ..model import Claim, Mention, Place, Resolved, Sighting, TimeSpec, Trip
from ..settings import DEFAULT, Settings
from . import lexicon as lx
from .claims_text import RawClaim, find_claims
from .text import Dateline, Sentence, credit_line, find_dateline, headline, is_caption, sentence_source, sentences
from .when import TimeHit, read_times

__all__ = ["PlaceFinder", "Evidence", "Draft", "draft_trip"]

log = logging.getLogger(__name__)

_KIND_RANK = {"arrived": 5, "departed": 4, "at": 3, "passed": 2, "toward": 1, "went": 1, "expected": 0}


class PlaceFinder(Protocol):
    """What the extractor needs of a gazetteer: spot names in text, and resolve them."""

    def find(self, text: str) -> Sequence[Mention]: ...

    def resolve(
        self, mention: Mention, near: Iterable[tuple[float, float]] = (), known: Sequence[Place] = ()
    ) -> Resolved: ...


@dataclass(frozen=True)
class Evidence:
    """The words a field of the draft came from: ``text == article[start:end]``."""

    field: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Draft:
    """A draft trip and how each part of it was read.

    ``trip`` is ``None`` when the text gave fewer than two events (a trip needs two);
    ``events``/``claims`` hold the evidence of each event and claim of the trip, in order.
    """

    trip: Trip | None
    events: tuple[tuple[Evidence, ...], ...]
    claims: tuple[tuple[Evidence, ...], ...]
    context: tuple[Evidence, ...]
    left_out: tuple[tuple[Evidence, str], ...]
    warnings: tuple[str, ...]
    dateline: Dateline | None
    found: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Ev:
    mention: Mention
    resolved: Resolved
    kind: str
    verb: Evidence
    tense: str
    sentence: Sentence
    source: Evidence | None
    confidence: str
    time: TimeHit | None = None
    dwell_hours: float = 0.0
    note: str = ""
    prev_mention: int = -1  # offset of the event mention just before it in the same sentence


# ---------------------------------------------------------------------------- reading
def _tense(sent: Sentence, verb_start: int, verb_text: str) -> str:
    before = sent.text[max(0, verb_start - sent.start - 60) : verb_start - sent.start]
    if lx.FUTURE.search(before) or re.search(
        r"\b(?:will|would|shall|to\s+be\s+held|to\s+take\s+place|expected|likely\s+to|due\s+to)\b", verb_text, re.I
    ):
        return "future"
    if lx.PAST_FORM.match(verb_text) or re.search(r"\b(?:had|has|have|was|were)\s+(?:\w+\s+)?$", before, re.I):
        return "past"
    return ""


def _verbs(sent: Sentence) -> list[tuple[int, int, str, str]]:
    """(start, end, text, kind) of the movement verbs of a sentence, in article offsets."""
    out = []
    for pat, kind in lx.VERBS:
        for m in pat.finditer(sent.text):
            out.append((sent.start + m.start(), sent.start + m.end(), m.group(), kind))
    out.sort(key=lambda v: (v[0], -(v[1] - v[0])))
    kept: list[tuple[int, int, str, str]] = []
    for v in out:
        if kept and v[0] < kept[-1][1]:
            continue
        kept.append(v)
    return kept


def _link(text: str, verb: tuple[int, int, str, str], m: Mention, settings: Settings) -> bool:
    between = text[verb[1] : m.start]
    if lx.BREAK.search(between):
        return False
    return len(between.split()) <= settings.max_link_words


def _subject_actors(text: str, sent: Sentence, verb_start: int, place_words: set[str]) -> set[str]:
    head = text[sent.start : verb_start]
    cut = max(head.rfind(", "), head.rfind("; "), head.rfind(" that "), head.rfind(" and "), head.rfind("“"))
    for mark in (" -- ", " - ", " — ", " – ", ")"):  # after a dateline or a parenthesis
        cut = max(cut, head.rfind(mark) + len(mark) - 2 if mark in head else -1)
    said = list(re.finditer(r"\b(?:said|says|reported|confirmed|announced|added|told)\b", head))
    if said:  # "Crews said the train stopped": the subject follows what was said
        cut = max(cut, said[-1].end() - 1)
    subject = head[cut + 1 :] if cut >= 0 else head
    words = re.findall(r"[A-Z][\w-]*(?:['’]s)?", subject)
    out = set()
    for w in words:
        w = re.sub(r"['’]s$", "", w)
        if w.lower() in lx.SUBJECT_WORDS or w.isupper() or w.lower() in place_words:
            continue
        out.add(w)
    return out


@dataclass(frozen=True)
class _Reading:
    events: list[_Ev]
    claims: list[tuple[RawClaim, Sentence, Evidence | None]]
    context: list[Evidence]
    left_out: list[tuple[Evidence, str]]
    traveller: str
    source_names: dict[int, str]


def _read(
    text: str,
    sents: list[Sentence],
    mentions: Sequence[Mention],
    resolve: dict[int, Resolved],
    failed: dict[int, str],
    settings: Settings,
) -> _Reading:
    place_words = {w.lower() for m in mentions for w in re.findall(r"\w+", m.text)}
    names: dict[int, str] = {}  # where a source is named → the name it is written as
    events: list[_Ev] = []
    claims: list[tuple[RawClaim, Sentence, Evidence | None]] = []
    context: list[Evidence] = []
    left: list[tuple[Evidence, str]] = []
    traveller: set[str] = set()
    traveller_name = ""
    for sent in sents:
        ms = [m for m in mentions if sent.start <= m.start < sent.end]
        for m in ms:
            if m.kind in ("region", "country"):
                context.append(Evidence(m.kind, m.text, m.start, m.end))
        places = [m for m in ms if m.kind in ("place", "bridge")]
        if not places:
            continue
        src = sentence_source(sent.text)
        source = None
        if src is not None:
            a, b = sent.start + src[1], sent.start + src[2]
            source = Evidence("source", text[a:b], a, b)
            names[a] = src[0]
        earlier = next((m for m in reversed(mentions) if m.end <= sent.start and m.kind in ("place", "bridge")), None)
        raw_claims, consumed = find_claims(text, sent, places, earlier)
        claims.extend((c, sent, source) for c in raw_claims)
        verbs = _verbs(sent)
        linked: dict[int, tuple[tuple[int, int, str, str], str]] = {}
        prev: Mention | None = None
        for m in places:
            ev_why = consumed.get(m.start)
            if ev_why is not None:
                left.append((Evidence("place", m.text, m.start, m.end), ev_why))
                prev = None
                continue
            before = [v for v in verbs if v[1] <= m.start]
            verb = before[-1] if before and _link(text, before[-1], m, settings) else None
            kind = verb[3] if verb else ""
            if (
                verb is None
                and prev is not None
                and prev.start in linked
                and lx.LIST_GAP.match(text[prev.end : m.start])
            ):
                verb, kind = linked[prev.start]
            if verb is not None and before and verb[3] == "departed" and lx.FOR.search(text[verb[1] : m.start]):
                kind = "toward"
            if verb is None and lx.FROM.search(text[max(sent.start, m.start - 40) : m.start]) and before:
                verb, kind = before[-1], "departed"
            after_tense = ""
            if verb is None:  # Korean: the verb follows the place
                verb, after_tense = _verb_after(text, sent, m)
                kind = verb[3] if verb else ""
            if verb is None:
                left.append((Evidence("place", m.text, m.start, m.end), "no verb moves the traveller there"))
                prev = m
                continue
            linked[m.start] = (verb, kind)
            prev = m
            head = sent.text[: verb[0] - sent.start]
            if lx.NEGATION.search(head[-30:]) and not re.match(r"stop", verb[2], re.I):
                left.append((Evidence("place", m.text, m.start, m.end), "the verb is negated"))
                continue
            clause = sent.text[: m.end - sent.start]
            tense = after_tense or _tense(sent, verb[0], verb[2])
            if lx.SPECULATION.search(clause) and (tense == "future" or lx.HEDGE.search(clause)):
                left.append((Evidence("place", m.text, m.start, m.end), "speculation, not a report of the journey"))
                continue
            actors = _subject_actors(text, sent, verb[0], place_words)
            if actors and not traveller:
                traveller = actors
                traveller_name = _full_name(text, actors)
            elif actors and traveller and not (actors & traveller):
                who = ", ".join(sorted(actors))
                left.append((Evidence("place", m.text, m.start, m.end), f"about another traveller ({who})"))
                continue
            if m.start in failed:
                left.append((Evidence("place", m.text, m.start, m.end), failed[m.start]))
                continue
            conf = "low" if lx.HEDGE.search(sent.text[: verb[1] - sent.start]) else ""
            if kind == "toward":
                conf = "low"
            events.append(
                _Ev(
                    mention=m,
                    resolved=resolve[m.start],
                    kind=kind,
                    verb=Evidence("kind", verb[2], verb[0], verb[1]),
                    tense=tense,
                    sentence=sent,
                    source=source,
                    confidence=conf,
                    prev_mention=next((e.mention.start for e in reversed(events) if e.sentence == sent), -1),
                )
            )
    return _Reading(events, claims, context, left, traveller_name, names)


def _verb_after(text: str, sent: Sentence, m: Mention) -> tuple[tuple[int, int, str, str] | None, str]:
    """A verb after the place, as Korean puts it: the verb and its tense."""
    rest = text[m.end : sent.end]
    for pat, kind in lx.VERBS_AFTER:
        hit = pat.match(rest)
        if hit:
            tail = rest[hit.end() : hit.end() + 20]
            tense = (
                "future"
                if lx.FUTURE_AFTER.match(rest[hit.end() - 2 :])
                else ("past" if re.match(r"\S*(?:했|었|났|갔|왔)", tail) else "")
            )
            return (m.end + hit.start(), m.end + hit.end(), hit.group().strip(), kind), tense
    return None, ""


def _full_name(text: str, actors: set[str]) -> str:
    """The fullest form of the traveller's name in the text ("Kim" → "Kim Jong-un")."""
    best = ""
    for a in sorted(actors):
        for m in re.finditer(r"\b" + re.escape(a) + r"(?:\s+[A-Z][\w-]+){0,2}", text):
            name = re.sub(r"['’]s$", "", m.group())
            words = [w for w in name.split() if w.lower() not in lx.SUBJECT_WORDS]
            cand = " ".join(words)
            if len(cand) > len(best):
                best = cand
    return best


# ---------------------------------------------------------------------------- times
def _zone(place: Place) -> ZoneInfo:
    try:
        return ZoneInfo(place.tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _localized(spec: TimeSpec, place: Place) -> TimeSpec:
    """Naive (local) instants and windows in the place's own zone, written with its offset."""
    z = _zone(place)

    def aware(t: datetime) -> datetime:
        return t if t.tzinfo is not None else t.replace(tzinfo=z)

    def iso(t: datetime) -> str:
        return t.isoformat(timespec="minutes")

    if spec.instant is not None:
        t = aware(spec.instant)
        return TimeSpec(instant=t, text=iso(t))
    if spec.earliest is not None and spec.latest is not None:
        lo, hi = aware(spec.earliest), aware(spec.latest)
        return TimeSpec(earliest=lo, latest=hi, text=f"{iso(lo)} – {iso(hi)}")
    return spec


def _timed(events: list[_Ev], dateline: date | None, tz: str | None) -> list[_Ev]:
    """Give each event the time phrase of its sentence nearest to it (each phrase once)."""
    out: list[_Ev] = []
    taken: set[tuple[int, int]] = set()
    ref: date | None = None
    for ev in events:
        s = ev.sentence
        hits = read_times(s.text, dateline, ev.tense, tz, ref, offset=s.start)
        others = [e.mention.start for e in events if e.sentence == s and e is not ev]

        def dist(h: TimeHit, anchor: int) -> int:
            return min(abs(h.start - anchor), abs(h.end - anchor))

        mine = [
            h
            for h in hits
            if (h.start, h.end) not in taken
            and all(dist(h, ev.mention.start) <= dist(h, o) for o in others)
            and not lx.BREAK.search(re.sub(r",\s*$", "", _gap(s, h, ev)).replace(",", ""))
        ]
        hit = min(mine, key=lambda h: dist(h, ev.mention.start), default=None)
        if hit is not None:
            taken.add((hit.start, hit.end))
            spec = _localized(hit.spec, ev.resolved.place)
            conf = ev.confidence or hit.confidence
            ev = replace(ev, time=replace(hit, spec=spec), confidence=conf)
            t = spec.instant or spec.earliest
            ref = spec.day if spec.day is not None else (t.date() if t is not None else ref)
        out.append(ev)
    return out


def _gap(s: Sentence, h: TimeHit, ev: _Ev) -> str:
    a, b = sorted((h.end, ev.mention.start)) if h.end <= ev.mention.start else sorted((ev.mention.end, h.start))
    gap = s.text[max(0, a - s.start) : max(0, b - s.start)]
    return re.sub(r"\b(?:and|then)\b", "", gap) if len(gap.split()) <= 4 else gap


# ---------------------------------------------------------------------------- events
def _window(ev: _Ev) -> tuple[datetime, datetime] | None:
    if ev.time is None:
        return None
    w = ev.time.spec.to_window(_zone(ev.resolved.place))
    return w.earliest, w.latest


def _merge(a: _Ev, b: _Ev) -> _Ev | None:
    """One event for two mentions of a place, or ``None`` if their times disagree."""
    wa, wb = _window(a), _window(b)
    if wa and wb and (wa[1] < wb[0] or wb[1] < wa[0]):
        if (
            a.kind == "arrived"
            and b.kind == "departed"
            and a.time
            and b.time
            and a.time.spec.instant
            and b.time.spec.instant
        ):
            hours = (b.time.spec.instant - a.time.spec.instant).total_seconds() / 3600
            return replace(a, dwell_hours=round(hours, 2), note=f"left at {b.time.spec.text} ({b.time.text})")
        return None
    ra, rb = _KIND_RANK.get(a.kind, 0), _KIND_RANK.get(b.kind, 0)
    keep = a if (ra, a.time is not None) >= (rb, b.time is not None) else b
    other = b if keep is a else a
    times = [e.time for e in (a, b) if e.time is not None]
    time = min(times, key=lambda t: _width(t.spec), default=None)
    src = keep.source or other.source
    conf = "low" if (keep.confidence == "low" and other.confidence == "low") else ""
    if time is not None and time is not keep.time and time.confidence == "low":
        conf = "low"
    return replace(keep, time=time, source=src, confidence=conf)


def _width(spec: TimeSpec) -> float:
    if spec.instant is not None:
        return 0.0
    if spec.day is not None:
        return 24.0
    assert spec.earliest is not None and spec.latest is not None
    return (spec.latest - spec.earliest).total_seconds() / 3600


def _same_place(a: _Ev, b: _Ev) -> bool:
    pa, pb = a.resolved.place, b.resolved.place
    if a.mention.kind == "bridge" or b.mention.kind == "bridge":
        return a.resolved.name == b.resolved.name
    return pa.id == pb.id or pa.station == pb.id or pb.station == pa.id


def _ordered(events: list[_Ev]) -> list[_Ev]:
    """Events in travel order: timed ones by time; an untimed one after the event named
    just before it in its sentence, else after the one before it in the text."""
    merged: list[_Ev] = []
    for ev in events:
        for i, old in enumerate(merged):
            if _same_place(old, ev):
                both = _merge(old, ev)
                if both is not None:
                    merged[i] = both
                    break
        else:
            merged.append(ev)
    timed = sorted((e for e in merged if e.time is not None), key=cmp_to_key(_before))
    untimed = [e for e in merged if e.time is None]
    order = list(timed)
    for ev in untimed:
        anchor = ev.prev_mention
        pos = None
        if anchor >= 0:
            pos = next(
                (i for i, e in enumerate(order) if e.mention.start == anchor or _mentions(e, anchor, events)), None
            )
        if pos is None:
            before = [e for e in order if e.mention.start < ev.mention.start]
            pos = order.index(max(before, key=lambda e: e.mention.start)) if before else -1
        order.insert(pos + 1, ev)
    out = []
    for i, ev in enumerate(order):
        if ev.kind in ("toward", "went"):
            last = i == len(order) - 1
            past = ev.tense == "past" and ev.kind == "went"
            ev = replace(ev, kind="expected" if last and not past else ("arrived" if past else "passed"))
        if ev.tense == "future":
            ev = replace(ev, kind="expected")
        out.append(ev)
    return out


def _before(a: _Ev, b: _Ev) -> int:
    """-1 when ``a`` surely comes first by time, 1 when ``b`` does, else text order."""
    wa, wb = _window(a), _window(b)
    assert wa is not None and wb is not None
    for x, y, sign in ((wa, wb, -1), (wb, wa, 1)):
        if x[1] < y[0] or (x[0] <= y[0] and x[1] <= y[1] and x != y):
            return sign
    return -1 if a.mention.start < b.mention.start else 1


def _mentions(e: _Ev, offset: int, events: list[_Ev]) -> bool:
    """Whether merged event ``e`` is the place mentioned at ``offset``."""
    return any(x.mention.start == offset and _same_place(x, e) for x in events)


# ---------------------------------------------------------------------------- the draft
def _source_text(ev_source: Evidence | None, agency: str, names: dict[int, str]) -> str:
    if ev_source is None:
        return agency
    name = names.get(ev_source.start, ev_source.text)
    if agency and agency.lower() not in name.lower():
        return f"{name}, via {agency}"
    return name


def _evidence(ev: _Ev) -> tuple[Evidence, ...]:
    s = ev.sentence
    out = [
        Evidence("sentence", s.text, s.start, s.end),
        Evidence("place", ev.mention.text, ev.mention.start, ev.mention.end),
    ]
    out.append(ev.verb)
    if ev.time is not None:
        out.append(Evidence("time", ev.time.text, ev.time.start, ev.time.end))
    if ev.source is not None:
        out.append(ev.source)
    return tuple(out)


def _sighting(ev: _Ev, agency: str, names: dict[int, str]) -> Sighting:
    r = ev.resolved
    notes = [ev.note] if ev.note else []
    conf = ev.confidence
    if r.rivals and ev.mention.kind == "bridge":
        notes.append(
            f"the railways cross this river at {len(r.rivals) + 1} places; routes check takes the one on the route"
        )
    elif r.rivals:
        conf = "low"
        notes.append(
            "could also be " + "; ".join(f"{p.name} ({p.kind}, {p.lat:.2f}, {p.lon:.2f})" for p in r.rivals[:3])
        )
    if r.method in ("world", "fuzzy", "online"):
        notes.append(f"'{ev.mention.text}' matched {r.place.name} ({r.method}: {r.how})")
    return Sighting(
        place=r.name,
        time=ev.time.spec if ev.time is not None else None,
        kind=ev.kind,
        source=_source_text(ev.source, agency, names),
        note="; ".join(notes),
        dwell_hours=ev.dwell_hours,
        confidence=conf,
        quote=ev.sentence.quote,
        span=(ev.sentence.start, ev.sentence.end),
    )


def _skip_spans(text: str, sents: list[Sentence]) -> tuple[list[Sentence], list[tuple[Evidence, str]]]:
    kept, left, seen = [], [], set()
    paras: dict[int, str] = {}
    for s in sents:
        paras[s.para] = paras.get(s.para, "") + " " + s.text
    for s in sents:
        para = " ".join(paras[s.para].split())
        if is_caption(para):
            left.append((Evidence("sentence", s.text, s.start, s.end), "a photo caption"))
            continue
        key = " ".join(s.text.split())
        if key in seen:
            continue
        seen.add(key)
        kept.append(s)
    return kept, left


def draft_trip(
    text: str,
    finder: PlaceFinder,
    dateline: date | None = None,
    tz: str | None = None,
    name: str = "",
    settings: Settings = DEFAULT,
) -> Draft:
    """Read a report into a draft trip.

    Parameters
    ----------
    text
        The report as plain text.
    finder
        Spots and resolves place names (a :class:`~routes.places.spot.PlaceSpotter`).
    dateline
        The day the report was filed; by default the dateline at the top of the text.
    tz
        The zone of clock times the text does not qualify; by default each place's own.
    """
    warnings: list[str] = []
    found_dl = find_dateline(text)
    if dateline is not None:
        dl: Dateline | None = Dateline(dateline, True, "--dateline", 0, 0, found_dl.agency if found_dl else "")
    else:
        dl = found_dl
        if dl is None:
            warnings.append("no dateline found: weekdays and dates without a year were left out (give --dateline)")
        elif not dl.year_given:
            warnings.append(f"the dateline '{dl.text}' has no year: read as {dl.date.year} from the text")
    agency = credit_line(text) or (dl.agency if dl else "")
    all_sents = sentences(text)
    sents, left = _skip_spans(text, all_sents)
    mentions = [m for m in finder.find(text) if any(s.start <= m.start < s.end for s in sents)]
    resolved, failed = _resolve_all(finder, mentions)
    reading = _read(text, sents, mentions, resolved, failed, settings)
    events = _ordered(_timed(reading.events, dl.date if dl else None, tz))
    claims, claim_evidence, claim_left = _claims(reading.claims, resolved, agency, reading.source_names)
    left = left + reading.left_out + claim_left
    found = tuple(dict.fromkeys(resolved[m.start].place.name for m in mentions if m.start in resolved))
    sightings = tuple(_sighting(e, agency, reading.source_names) for e in events)
    untimed_runs = any(a.time is None and b.time is None for a, b in zip(sightings, sightings[1:]))
    trip = None
    if len(sightings) >= 2:
        title = headline(text) or f"Draft trip from {name or 'a report'}"
        trip = Trip(
            title=title,
            events=sightings,
            claims=tuple(claims),
            traveller=reading.traveller,
            order="route" if untimed_runs else "listed",
        )
    return Draft(
        trip=trip,
        events=tuple(_evidence(e) for e in events),
        claims=tuple(claim_evidence),
        context=tuple(reading.context),
        left_out=tuple(left),
        warnings=tuple(warnings),
        dateline=dl,
        found=found,
    )


def _resolve_all(finder: PlaceFinder, mentions: Sequence[Mention]) -> tuple[dict[int, Resolved], dict[int, str]]:
    """Resolve every place mention: sure ones first, then the rest in their light."""
    sure: dict[int, Resolved] = {}
    failed: dict[int, str] = {}
    pending = [m for m in mentions if m.kind in ("place", "bridge")]
    for m in pending:
        try:
            r = finder.resolve(m)
        except PlaceNotFound as err:
            failed[m.start] = f"the gazetteer does not accept it: {err}"
            continue
        if not r.rivals and m.kind != "bridge":
            sure[m.start] = r
    known = [r.place for r in sure.values()]
    near = [(p.lat, p.lon) for p in known]
    out = dict(sure)
    for m in pending:
        if m.start in sure or m.start in failed:
            continue
        try:
            out[m.start] = finder.resolve(m, near=near, known=known)
        except PlaceNotFound as err:
            failed[m.start] = f"the gazetteer does not accept it: {err}"
    return out, failed


def _claim_text(c: RawClaim, names: list[str]) -> str:
    """Words for a claim read in other units: "Nakhodka is 105 miles (169 km) from Vladivostok"."""
    if not c.note:
        return ""
    if c.kind == "distance":
        return f"{names[0]} is {c.note} from {names[1]}"
    return f"{c.qualifier} speed {c.note}"


def _claims(
    raw: list[tuple[RawClaim, Sentence, Evidence | None]],
    resolved: dict[int, Resolved],
    agency: str,
    source_names: dict[int, str],
) -> tuple[list[Claim], list[tuple[Evidence, ...]], list[tuple[Evidence, str]]]:
    out: list[Claim] = []
    ev_out: list[tuple[Evidence, ...]] = []
    left: list[tuple[Evidence, str]] = []
    seen: set[tuple] = set()
    for c, sent, source in raw:
        names = []
        conf = c.confidence
        for m in c.places:
            r = resolved.get(m.start)
            if r is None:
                break
            names.append(r.name)
            if r.rivals:
                conf = "low"
        if len(names) != len(c.places):
            left.append((Evidence("claim", c.text, c.start, c.end), "a place of the claim is not in the gazetteer"))
            continue
        key = (c.kind, tuple(names), c.value)
        if key in seen:
            i = next(i for i, old in enumerate(out) if (old.kind, old.places, old.value) == key)
            if out[i].confidence == "low" and not conf:  # keep the plainer statement of the two
                out.pop(i)
                ev_out.pop(i)
            else:
                continue
        seen.add(key)
        out.append(
            Claim(
                kind=c.kind,
                places=tuple(names),
                value=c.value,
                qualifier=c.qualifier,
                source=_source_text(source, agency, source_names),
                text=_claim_text(c, names),
                confidence=conf,
                quote=sent.quote,
                span=(sent.start, sent.end),
            )
        )
        evidence = [Evidence("sentence", sent.text, sent.start, sent.end), Evidence("claim", c.text, c.start, c.end)]
        evidence += [Evidence("place", m.text, m.start, m.end) for m in c.places]
        if source is not None:
            evidence.append(source)
        ev_out.append(tuple(evidence))
    return out, ev_out, left
