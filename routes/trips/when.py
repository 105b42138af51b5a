"""Times in news text: find the phrases, then read them against the dateline.

dateparser reads what it reads well: a written date in many languages and formats
("Sept. 13, 2023", "13 сентября", "9월 13일", "2023年9月13日", "13.09.2023"). Our own rules
read what it gets wrong (measured with dateparser 1.5, and reproduced by benchmarks/extract_times.py: with ``PREFER_DATES_FROM='past'``
"6 a.m. Tuesday" could land a week early and "Wednesday" after a Tuesday dateline a week
back; "late Tuesday" and "early Wednesday" got no result; ``search_dates`` read "at 6 a"
as 1 June), and what it does not try: which phrases are times at all, a weekday taken
forward or back by the tense of its sentence, the year a dateline leaves out, vague parts
of a day as windows, and zone qualifiers ("local time", "Korea time", "Moscow time").

>>> from datetime import date
>>> [h.spec.instant.isoformat() for h in read_times("It arrived at 6 a.m. on Tuesday.", date(2023, 9, 13), "past")]
['2023-09-12T06:00:00']
>>> h = read_times("It left late on the 12th.", date(2023, 9, 13), "past")[0]
>>> h.spec.earliest.isoformat(), h.spec.latest.isoformat()
('2023-09-12T18:00:00', '2023-09-13T00:00:00')
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import dateparser

from ..model import TimeSpec

__all__ = ["TimeHit", "read_times", "read_date", "PARTS_OF_DAY", "ZONE_WORDS"]

log = logging.getLogger(__name__)

# Vague parts of a day as windows, in hours from that day's midnight (past 24 runs into the
# next day). Wide on purpose: a window too narrow would make a true report look impossible.
PARTS_OF_DAY = {
    "early hours": (0, 6),
    "early morning": (0, 9),
    "early": (0, 12),  # "early Wednesday": news style uses it from after midnight to mid-morning
    "morning": (6, 12),
    "late morning": (9, 12),
    "afternoon": (12, 18),
    "evening": (18, 24),
    "late": (18, 24),
    "night": (18, 30),
    "late night": (18, 30),
    "overnight": (18, 30),
    "рано утром": (0, 9),
    "утром": (6, 12),
    "днём": (12, 18),
    "днем": (12, 18),
    "вечером": (18, 24),
    "поздно вечером": (18, 24),
    "ночью": (18, 30),
}
# Qualifiers of a clock time → IANA zone; "local" means the zone of the event's place.
ZONE_WORDS = {
    "local time": "local",
    "korea time": "Asia/Seoul",
    "korean time": "Asia/Seoul",
    "korea standard time": "Asia/Seoul",
    "kst": "Asia/Seoul",
    "seoul time": "Asia/Seoul",
    "pyongyang time": "Asia/Pyongyang",
    "moscow time": "Europe/Moscow",
    "msk": "Europe/Moscow",
    "beijing time": "Asia/Shanghai",
    "vladivostok time": "Asia/Vladivostok",
    "gmt": "UTC",
    "utc": "UTC",
    "по местному времени": "local",
    "по московскому времени": "Europe/Moscow",
    "по мск": "Europe/Moscow",
    "по владивостокскому времени": "Asia/Vladivostok",
    "현지시간": "local",
    "현지 시간": "local",
    "한국시간": "Asia/Seoul",
    "한국 시간": "Asia/Seoul",
    "평양시간": "Asia/Pyongyang",
    "모스크바 시간": "Europe/Moscow",
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# weekdays in Russian (the accusative after "в") and Korean, as Monday..Sunday
_WEEKDAY_WORDS = {
    **{w: i for i, w in enumerate(_WEEKDAYS)},
    **{w: i for i, w in enumerate(("понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье"))},
    **{w: i for i, w in enumerate(("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"))},
}
_RELATIVE_WORDS = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "вчера": -1, "сегодня": 0, "завтра": 1}
_RELATIVE_WORDS |= {"어제": -1, "오늘": 0, "내일": 1}
_MON = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_RU_MON = r"(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
_ATOMS = [
    ("iso", r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?(?!\d)"),
    (
        "date_en",
        rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}\b\.?(?:,?\s+\d{{4}})?|{_MON}\b\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?)",
    ),
    ("date_ru", rf"\b\d{{1,2}}\s+{_RU_MON}(?:\s+\d{{4}}(?:\s*(?:года|г\.))?)?"),
    ("date_ko", r"(?:\d{4}년\s*)?\d{1,2}월\s*\d{1,2}일"),
    ("date_zh", r"(?:\d{4}年)?\d{1,2}月\d{1,2}日"),
    ("date_num", r"\b\d{1,2}\.\d{1,2}\.\d{4}\b"),
    (
        "weekday",
        r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\bв\s+(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)\b"
        r"|(?:월|화|수|목|금|토|일)요일",
    ),
    ("ordinal", r"\bthe\s+\d{1,2}(?:st|nd|rd|th)\b|(?<![\d월])\b\d{1,2}일"),
    (
        "rel",
        r"\b(?:yesterday|today|tomorrow|tonight|last\s+night|this\s+morning|вчера|сегодня|завтра)\b|어제|오늘|내일",
    ),
    ("prev", r"\b(?:the\s+(?:previous|preceding)\s+day|the\s+day\s+before|a\s+day\s+earlier|накануне)\b"),
    ("next", r"\b(?:the\s+(?:next|following)\s+day|a\s+day\s+later)\b"),
    (
        "clock",
        r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:a\.\s?m\b\.?|p\.\s?m\b\.?|am\b|pm\b)|\b(?:[01]?\d|2[0-3]):[0-5]\d\b"
        r"|\b(?:[01]\d|2[0-3])[0-5]\d\s*(?=hours|hrs|GMT|UTC|KST|MSK)|\b(?:noon|midday|midnight)\b"
        r"|\b\d{1,2}\s+o['’]clock\b|\b\d{1,2}\s+in\s+the\s+(?:morning|afternoon|evening)\b"
        r"|(?:오전|오후|새벽)\s*\d{1,2}시(?:\s*\d{1,2}분)?|\bв\s+\d{1,2}:\d{2}\b",
    ),
    (
        "part",
        r"\b(?:early\s+hours|early\s+morning|late\s+morning|late\s+night|early|late|morning|afternoon|evening|night|overnight"
        r"|рано\s+утром|поздно\s+вечером|утром|дн[её]м|вечером|ночью)\b",
    ),
    (
        "zone",
        "|".join(
            (rf"\b{re.escape(z)}\b" if z.isascii() else re.escape(z)) for z in sorted(ZONE_WORDS, key=len, reverse=True)
        ),
    ),
]
_ATOM = re.compile("|".join(f"(?P<{n}>{p})" for n, p in _ATOMS), re.I)
_CASED = {"date_en"}  # "may", "march" and "sunday" in lower case are not dates
_GAP = re.compile(
    r"^[\s,()]*(?:(?:в|на|около|on|at|in|of|the|around|about|approximately|roughly|shortly|just|after|before|by|until|from|"
    r"and|hours?|hrs|local|time)[\s,()]+)*$",
    re.I,
)
_MAX_GAP = 25


@dataclass(frozen=True)
class TimeHit:
    """A time phrase and what it means: ``spec`` is naive where the time is local to the
    event's place, aware where the text (or ``--tz``) gave a zone."""

    start: int
    end: int
    text: str
    spec: TimeSpec
    confidence: str = ""
    why: str = ""


@dataclass
class _Phrase:
    start: int
    end: int
    atoms: list[tuple[str, str]] = field(default_factory=list)


def _lang(kind: str) -> list[str]:
    return {"date_ru": ["ru"], "date_ko": ["ko"], "date_zh": ["zh", "ja"]}.get(kind, ["en"])


def _parse_written_date(kind: str, s: str) -> tuple[date, bool] | None:
    """A written date through dateparser; ``True`` when the text gives the year."""
    has_year = bool(re.search(r"\d{4}", s))
    settings: dict[str, object] = {
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day", "month"],
    }
    if not has_year:  # any leap year, so that 29 February parses; the year is ours to choose
        settings["RELATIVE_BASE"] = datetime(2024, 1, 1)
    got = dateparser.parse(
        s.replace("Sept.", "Sep.").replace("Sept ", "Sep "), languages=_lang(kind), settings=settings
    )
    return None if got is None else (got.date(), has_year)


def read_date(text: str, near: date | None = None) -> tuple[date, bool] | None:
    """The first written date in ``text``; a date without a year takes the year that puts
    it nearest ``near`` (returned flag: whether the text gave the year).

    >>> read_date("SEOUL, Sept. 13 (Yonhap)", date(2023, 6, 1))
    (datetime.date(2023, 9, 13), False)
    >>> read_date("ВЛАДИВОСТОК, 12 сентября 2023")
    (datetime.date(2023, 9, 12), True)
    """
    for m in _ATOM.finditer(text):
        kind = m.lastgroup or ""
        if kind == "iso":
            return date.fromisoformat(m.group()[:10]), True
        if kind.startswith("date_") and (kind not in _CASED or m.group()[:1].isupper() or m.group()[:1].isdigit()):
            got = _parse_written_date(kind, m.group())
            if got is None:
                continue
            d, has_year = got
            if not has_year and near is not None:
                d = _nearest_year(d, near)
            return d, has_year
    return None


def _nearest_year(d: date, near: date) -> date:
    options = []
    for y in (near.year - 1, near.year, near.year + 1):
        try:
            options.append(d.replace(year=y))
        except ValueError:  # 29 February
            continue
    return min(options, key=lambda x: abs((x - near).days))


def _phrases(text: str) -> list[_Phrase]:
    out: list[_Phrase] = []
    for m in _ATOM.finditer(text):
        kind = m.lastgroup or ""
        s = m.group()
        if kind in _CASED and not s[:1].isupper() and not s[:1].isdigit():
            continue
        if kind == "weekday" and s[:1].isascii() and s[:1].islower() and not s.startswith("в"):
            continue  # "may", "sunday" in lower case
        if kind == "part" and s.lower() in ("early", "late"):
            # "late" is a time only before a day: "late Tuesday", "late on the 12th"
            if not re.match(r"\s+(?:on\s+)?(?:the\s+\d|[A-Z]|yesterday|today|tomorrow|\d)", text[m.end() :]):
                continue
        if out and m.start() - out[-1].end <= _MAX_GAP and _GAP.match(text[out[-1].end : m.start()]):
            out[-1].end = m.end()
            out[-1].atoms.append((kind, s))
        else:
            out.append(_Phrase(m.start(), m.end(), [(kind, s)]))
    return [p for p in out if any(k not in ("zone", "part") for k, _ in p.atoms)]


def _clock(s: str) -> tuple[int, int] | None:
    t = s.lower().replace(" ", "")
    ko = re.match(r"(오전|오후|새벽)(\d{1,2})시(?:(\d{1,2})분)?", t)
    if ko:
        h = int(ko.group(2)) % 12 + (12 if ko.group(1) == "오후" else 0)
        return h, int(ko.group(3) or 0)
    t = re.sub(r"^в", "", t)
    if t in ("noon", "midday"):
        return 12, 0
    if t == "midnight":
        return 0, 0
    m = re.match(r"(\d{1,2})o['’]clock", t)
    if m:
        return int(m.group(1)) % 24, 0
    m = re.match(r"(\d{1,2})inthe(morning|afternoon|evening)", t)
    if m:
        h = int(m.group(1)) % 12
        return (h if m.group(2) == "morning" else h + 12), 0
    m = re.match(r"(\d{1,2})[:.]?(\d{2})?(a\.?m|p\.?m)?", t)
    if not m:
        return None
    h, mi = int(m.group(1)), int(m.group(2) or 0)
    ap = (m.group(3) or "").replace(".", "")
    if ap:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ap == "pm" else 0)
    if h > 23 or mi > 59:
        return None
    return h, mi


def _weekday(name: str, dateline: date, tense: str) -> tuple[date, str]:
    want = _WEEKDAY_WORDS[name.lower()]
    back = (dateline.weekday() - want) % 7
    fwd = (want - dateline.weekday()) % 7
    if tense == "past":
        return dateline - timedelta(days=back), ""
    if tense == "future":
        return dateline + timedelta(days=fwd), ""
    if back <= fwd:
        return dateline - timedelta(days=back), "" if back <= 2 else "low"
    return dateline + timedelta(days=fwd), "" if fwd <= 2 else "low"


def _ordinal(n: int, dateline: date) -> date | None:
    options = []
    for k in (-1, 0, 1):
        y, mo = dateline.year, dateline.month + k
        if mo == 0:
            y, mo = y - 1, 12
        if mo == 13:
            y, mo = y + 1, 1
        try:
            options.append(date(y, mo, n))
        except ValueError:
            continue
    return min(options, key=lambda x: abs((x - dateline).days), default=None)


def _day_of(
    atoms: list[tuple[str, str]], dateline: date | None, tense: str, ref: date | None
) -> tuple[date | None, str, str]:
    """The day a phrase names, its confidence, and why it could not be read."""
    conf = ""
    for kind, s in atoms:
        if kind == "iso":
            return date.fromisoformat(s[:10]), "", ""
        if kind.startswith("date_"):
            got = _parse_written_date(kind, s)
            if got is None:
                continue
            d, has_year = got
            if has_year:
                return d, "", ""
            if dateline is None:
                return None, "", f"'{s}' has no year and there is no dateline"
            return _nearest_year(d, dateline), "", ""
    if dateline is None:
        return None, "", "no dateline to count from (give --dateline)"
    for kind, s in atoms:
        low = s.lower()
        if kind == "ordinal":
            return _ordinal(int(re.sub(r"\D", "", s)), dateline), "", ""
        if kind == "weekday":
            d, conf = _weekday(low.split()[-1], dateline, tense)
            return d, conf, ""
        if kind == "rel":
            shift = _RELATIVE_WORDS.get(low, 0)
            if low.startswith("last"):
                shift = -1
            return dateline + timedelta(days=shift), "", ""
        if kind == "prev":
            return (ref or dateline) - timedelta(days=1), "" if ref else "low", ""
        if kind == "next":
            return (ref or dateline) + timedelta(days=1), "" if ref else "low", ""
    return None, conf, ""


def _zone(atoms: list[tuple[str, str]], default_tz: str | None) -> ZoneInfo | None:
    for kind, s in atoms:
        if kind == "zone":
            z = ZONE_WORDS[" ".join(s.lower().split())]
            return None if z == "local" else ZoneInfo(z)
    return ZoneInfo(default_tz) if default_tz else None


def read_times(
    text: str,
    dateline: date | None,
    tense: str = "",
    tz: str | None = None,
    ref: date | None = None,
    offset: int = 0,
) -> list[TimeHit]:
    """Every time phrase in ``text`` (one sentence), read against the dateline.

    Parameters
    ----------
    dateline
        The day the report was filed: weekdays, "yesterday" and dates without a year count
        from it.
    tense
        ``"past"`` takes a weekday back to the dateline or before it, ``"future"`` forward
        to it or after; otherwise the nearer of the two (marked low when 3 days off).
    tz
        The zone of clock times the text leaves unqualified; ``None``: the place's own.
    ref
        The day of an earlier time in the same passage, for "the previous/next day".
    offset
        Added to every span (the sentence's place in the article).
    """
    out: list[TimeHit] = []
    for ph in _phrases(text):
        atoms = ph.atoms
        day, conf, why = _day_of(atoms, dateline, tense, ref)
        clock = next((c for k, s in atoms if k == "clock" and (c := _clock(s)) is not None), None)
        parts = " ".join(s.lower() for k, s in atoms if k == "part")
        part = PARTS_OF_DAY.get(" ".join(parts.split())) or next(
            (PARTS_OF_DAY[p] for p in parts.split() if p in PARTS_OF_DAY), None
        )
        low_rel = [s.lower() for k, s in atoms if k == "rel"]
        if part is None and low_rel and low_rel[0] in ("tonight", "last night"):
            part = PARTS_OF_DAY["night"]
        if part is None and low_rel and low_rel[0] == "this morning":
            part = PARTS_OF_DAY["morning"]
        iso = next((s for k, s in atoms if k == "iso" and len(s) > 10), None)
        zone = _zone(atoms, tz)
        phrase = text[ph.start : ph.end]
        if iso is not None:
            t = datetime.fromisoformat(iso.replace("Z", "+00:00").replace(" ", "T"))
            out.append(TimeHit(ph.start + offset, ph.end + offset, phrase, TimeSpec(instant=t, text=phrase)))
            continue
        if day is None:
            fallback = ref or dateline
            if clock is not None and fallback is not None:
                day, conf = fallback, "low"  # a clock time alone: the day of the passage, or the dateline
            else:
                if why:
                    log.info("time '%s' left out: %s", phrase, why)
                continue
        assert day is not None
        if clock is not None:
            t = datetime(day.year, day.month, day.day, *clock, tzinfo=zone)
            spec = TimeSpec(instant=t, text=phrase)
        elif part is not None:
            start = datetime(day.year, day.month, day.day, tzinfo=zone)
            spec = TimeSpec(
                earliest=start + timedelta(hours=part[0]), latest=start + timedelta(hours=part[1]), text=phrase
            )
        else:
            spec = TimeSpec(day=day, text=phrase)
        out.append(TimeHit(ph.start + offset, ph.end + offset, phrase, spec, conf, why))
    return out
