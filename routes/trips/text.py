"""The text of a report: read it safely, split it into sentences (keeping every character
offset), and find its headline, dateline, photo captions and who said what."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from ..errors import ArticleError
from ..settings import DEFAULT, Settings
from .when import read_date

__all__ = ["Sentence", "Dateline", "read_article", "decode_article", "sentences", "find_dateline", "headline"]
__all__ += ["is_caption", "credit_line", "sentence_source"]


@dataclass(frozen=True)
class Sentence:
    """A sentence: ``text`` is ``article[start:end]``; ``para`` the paragraph's number."""

    start: int
    end: int
    text: str
    para: int

    @property
    def quote(self) -> str:
        return " ".join(self.text.split())


@dataclass(frozen=True)
class Dateline:
    """When and by whom a report was filed."""

    date: date
    year_given: bool
    text: str
    start: int
    end: int
    agency: str = ""


def read_article(source: str | Path | BinaryIO, name: str = "", settings: Settings = DEFAULT) -> str:
    """Read a report as text; at most ``settings.max_article_bytes`` are read.

    Raises
    ------
    ArticleError
        Missing, empty, binary or too large.
    """
    limit = settings.max_article_bytes
    try:
        if isinstance(source, (str, Path)):
            name = name or str(source)
            with open(source, "rb") as fh:
                data = fh.read(limit + 1)
        else:
            data = source.read(limit + 1)
    except FileNotFoundError as err:
        raise ArticleError(f"no such file: {name}") from err
    except IsADirectoryError as err:
        raise ArticleError(f"{name} is a folder; give the report as a text file, or - to read standard input") from err
    except OSError as err:
        raise ArticleError(f"cannot read {name}: {err.strerror or err}") from err
    if len(data) > limit:
        raise ArticleError(
            f"{name} is larger than {limit / 1e6:g} MB; routes extract reads one report as plain text "
            "(save the article's text alone)"
        )
    return decode_article(data, name or "the report")


def decode_article(data: bytes, name: str = "the report") -> str:
    """Bytes to text: UTF-8 (a byte-order mark for UTF-8 or UTF-16 is honoured)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise ArticleError(
            f"{name} is not text (byte {err.start} is not UTF-8); save the report as plain UTF-8 text"
        ) from err
    bad = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if "\x00" in text or bad > max(2, len(text) // 100):
        raise ArticleError(f"{name} is not text (it holds control bytes); give the report as plain text")
    if not text.strip():
        raise ArticleError(f"{name} is empty; give the text of a news report")
    return text


_ABBREV = re.compile(
    r"(?:\b(?:[ap]\.m|Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Maj|Capt|Sgt|Adm|Gov|Sen|Rep|Jr|Sr|No|vs|etc|approx|Jan|Feb|Mar|Apr|"
    r"Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun|e\.g|i\.e|U\.S|U\.N|U\.K|D\.C|km|"
    r"ул|г|им|т\.е|т\.д)|\b[A-Z])\.$"
)
_TIME_WORD = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|"
    r"Moscow|Korea|Seoul|Pyongyang|Beijing|Vladivostok|GMT|UTC|KST|MSK)\b"
)
_END = re.compile(r"[.!?。！？]+[\"'”’»)]*(?=\s+|$)|[。！？]")
_PARA = re.compile(r"\n[ \t]*\n|\n(?=[ \t]*[-•*]\s)")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, at = [], 0
    for m in _PARA.finditer(text):
        out.append((at, m.start()))
        at = m.end()
    out.append((at, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def sentences(text: str) -> list[Sentence]:
    """The sentences of a text, each with its offsets.

    >>> [s.text for s in sentences("It left at 6 a.m. Tuesday. Then it stopped.\\n\\nNew para")]
    ['It left at 6 a.m. Tuesday.', 'Then it stopped.', 'New para']
    """
    out: list[Sentence] = []
    for n, (a, b) in enumerate(_paragraphs(text)):
        start = a
        for m in _END.finditer(text, a, b):
            end = m.end()
            if _ABBREV.search(text[start:end].rstrip("\"'”’»)")):
                # "6 a.m. The next day" ends a sentence; "6 a.m. Tuesday", "Sept. 13" do not
                nxt = text[end:b].lstrip()
                if not (re.search(r"[ap]\.m\.$", text[start:end]) and nxt[:1].isupper() and not _TIME_WORD.match(nxt)):
                    continue
            out.append(_trimmed(text, start, end, n))
            start = end
        if text[start:b].strip():
            out.append(_trimmed(text, start, b, n))
    return [s for s in out if s.text]


def _trimmed(text: str, a: int, b: int, para: int) -> Sentence:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return Sentence(a, b, text[a:b], para)


def headline(text: str) -> str:
    """The first line, if it reads as a headline (short, no full stop at its end)."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = first.split(" | ")[0].strip()
    if read_date(first) is not None and len(first) < 40:  # a date line, not a headline
        return ""
    if 0 < len(first) <= 150 and not first.endswith((".", "?", "!")):
        return first
    return ""


_DATELINE = re.compile(
    r"(?m)^\s*(?P<city>[A-ZА-ЯЁ][A-ZА-ЯЁ .'’-]{1,40}),\s*(?P<date>[^()\n/]{3,40}?)\s*"
    r"(?:\((?P<agency>[^)\n]{2,40})\)|/(?P<agency2>[^/\n]{2,40})/)"
)
_AGENCY_ONLY = re.compile(r"(?m)^\s*(?P<city>[A-Z][A-Z .'-]{1,40})\s*\((?P<agency>[^)\n]{2,40})\)\s*[-—–]")
_DATE_LINE = re.compile(r"(?mi)^\s*(?:published|posted|updated|date)?[:\s]*(?P<date>[^\n]{6,40})$")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


def find_dateline(text: str, head: int = 2000) -> Dateline | None:
    """The dateline at the top of a report ("SEOUL, Sept. 13 (Yonhap) --"), or a date line.

    A dateline without a year takes the year of a full date in the text on the same day
    and month, else the latest year the text names; with no year anywhere, ``None``.

    >>> d = find_dateline("SEOUL, Sept. 13 (Yonhap) -- Photo taken on Sept. 13, 2023.")
    >>> d.date.isoformat(), d.agency, d.year_given
    ('2023-09-13', 'Yonhap', False)
    """
    top = text[:head]
    m = _DATELINE.search(top)
    agency = ""
    found: tuple[date, bool] | None = None
    span = (0, 0)
    if m:
        found = read_date(m.group("date"), None)
        agency = (m.group("agency") or m.group("agency2") or "").strip()
        span = m.span()
    if found is None:
        m2 = _AGENCY_ONLY.search(top)
        if m2:
            agency = agency or m2.group("agency").strip()
        for dm in _DATE_LINE.finditer(top):
            got = read_date(dm.group("date"), None)
            if got is not None and got[1]:
                found, span = got, dm.span("date")
                break
    if found is None:
        return None
    d, year_given = found
    if not year_given:
        year = _year_for(text, d)
        if year is None:
            return None
        d = d.replace(year=year)
    return Dateline(d, year_given, text[span[0] : span[1]].strip(), span[0], span[1], agency)


def _year_for(text: str, d: date) -> int | None:
    same = re.compile(r"\b" + d.strftime("%b") + r"[a-z]*\.?\s+0?" + str(d.day) + r"\b,?\s+(\d{4})")
    m = same.search(text)
    if m:
        return int(m.group(1))
    years = [int(y) for y in _YEAR.findall(text)]
    return max(years) if years else None


_CAPTION = re.compile(r"\b(?:photo|picture|image|file photo|screenshot)\b", re.I)
_CAPTION_VERB = re.compile(r"\b(?:shows?|pose[sd]?|released|carried|taken|seen here|in this)\b", re.I)


def is_caption(paragraph: str) -> bool:
    """A photo caption: it describes a picture, and its dates are when it was published."""
    return len(paragraph) < 700 and bool(_CAPTION.search(paragraph)) and bool(_CAPTION_VERB.search(paragraph))


def credit_line(text: str) -> str:
    """The agency credited on a line of its own near the end ("(Yonhap)"), if any."""
    tail = text[-3000:]
    found = re.findall(r"(?m)^\s*\(([A-Z][\w .&-]{1,40})\)\s*$", tail)
    return found[-1].strip() if found else ""


_SAID = r"(?:said|says|reported|confirmed|announced|quoted|wrote|stated|claimed|added)"
_SOURCE_PATTERNS = (
    re.compile(r"\baccording to (?P<s>[^,.;:]{2,80})", re.I),
    re.compile(r"\b(?:as )?(?:reported|announced|confirmed) by (?P<s>[^,.;:]{2,60})", re.I),
    re.compile(
        r"(?:^|[,;:]\s*|\bthat\s+|\b(?:and|though|although|but|while|as)\s+)"
        r"(?P<s>(?:[\w'’()-]+\s+){0,7}?[\w'’()-]+)\s+" + _SAID + r"\b"
    ),
    re.compile(r",\s*" + _SAID + r"\s+(?P<s>(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,5})"),
    re.compile(r"\bciting (?P<s>[^,.;:]{2,60})", re.I),
)
_GENERIC = re.compile(
    r"\b(?:news agency|news outlet|agency|outlet|newspaper|daily|broadcaster|state media|news)\b", re.I
)
_NOT_SOURCES = {"it", "he", "she", "they", "we", "i", "this", "that", "who", "which", "spokesperson"}


def _clean_source(s: str) -> str:
    s = " ".join(s.split()).strip(" ,'\"“”")
    abbr = re.search(r"\(([A-Z]{2,10})\)", s)
    if abbr:
        return abbr.group(1)
    s = re.sub(r"^(?:(?:the|some|a|an|other|though|although|but|while|as|and)\s+)+", "", s, flags=re.I)
    s = re.sub(r"^(?:[A-Z][\w-]*['’]s\s+)+", "", s)  # "Russia's", "the North's"
    s = re.sub(r"\s+(?:on|in|last|this|early|late)\s+\w+$", "", s)
    s = re.sub(r"\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$", "", s)
    caps = [w for w in s.split() if re.fullmatch(r"[A-Z]{2,10}", w)]
    if caps:
        return caps[0]
    if re.search(r"[A-Z]", s):
        stripped = " ".join(_GENERIC.sub("", s).split())  # "Yonhap News Agency" → "Yonhap"
        demonym = r"(?:Russian|Chinese|Japanese|Korean|North Korean|South Korean|US|U\.S\.|foreign|local)"
        if stripped and not re.fullmatch(demonym, stripped, re.I):  # "Russian state media" stays
            return stripped
    return s


def sentence_source(sentence: str) -> tuple[str, int, int] | None:
    """Who a sentence says said it ("KCNA said", "according to Yonhap"), with its offsets
    inside the sentence.

    >>> sentence_source("The train left, the North's Korean Central News Agency (KCNA) said Wednesday.")[0]
    'KCNA'
    >>> sentence_source("Russian news outlet RBK said Kim will go.")[0]
    'RBK'
    """
    for pat in _SOURCE_PATTERNS:
        for m in pat.finditer(sentence):
            raw = m.group("s")
            words = raw.split()
            if not words or words[-1].lower() in _NOT_SOURCES or words[0].lower() in _NOT_SOURCES:
                continue
            if not (re.search(r"[A-Z]", raw) or re.search(r"\b(?:media|reports?|sources?|officials?)\b", raw, re.I)):
                continue
            clean = _clean_source(raw)
            if clean and clean.lower() not in _NOT_SOURCES:
                return clean, m.start("s"), m.end("s")
    return None
