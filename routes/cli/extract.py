"""``routes extract ARTICLE|-``: a draft trip file from the text of a news report."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .. import api
from ..errors import ArticleError
from ..present.files import write_atomic
from .term import json_text, say

__all__ = ["add_parser", "run"]

# controls and bidirectional overrides that a terminal would obey (newlines and tabs are fine)
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HEADER = (
    "A draft written by routes extract: check every event against the report before\n"
    "relying on it. 'quote' and 'span' show the words each came from; 'confidence: low'\n"
    "marks what the extractor was unsure of. routes check reads this file as it is."
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    e = sub.add_parser("extract", help="draft a trip file from the text of a news report")
    e.add_argument("article", metavar="ARTICLE", help="the report as a text file, or - for standard input")
    e.add_argument("--dateline", metavar="DATE", help="the day the report was filed (default: the date at its top)")
    e.add_argument(
        "--tz", metavar="ZONE", help="zone of clock times the text leaves unqualified (default: each place's)"
    )
    e.add_argument("-o", "--output", metavar="TRIP.yaml", help="write here (default: print)")
    e.add_argument("--network", metavar="N", help="also spot the stations of this network (default: bundled)")
    e.add_argument("--json", action="store_true", help="the draft as JSON, with the text span of every field")


def _options(args: argparse.Namespace) -> tuple[date | None, str | None]:
    day = None
    if args.dateline:
        try:
            day = date.fromisoformat(args.dateline)
        except ValueError as err:
            raise ArticleError(f"--dateline {args.dateline!r}: give a date as YYYY-MM-DD, e.g. 2023-09-13") from err
    if args.tz:
        try:
            ZoneInfo(args.tz)
        except (ZoneInfoNotFoundError, ValueError) as err:
            raise ArticleError(f"--tz {args.tz!r} is not a time zone; give an IANA name, e.g. Asia/Seoul") from err
    return day, args.tz


def run(args: argparse.Namespace) -> int:
    # deferred: the report reader (dateparser and its rules) would cost every other
    # command 70 ms of import
    from ..trips.text import read_article
    from ..trips.write import draft_to_json, trip_to_yaml

    day, tz = _options(args)
    if args.article == "-":
        name = "standard input"
        text = read_article(sys.stdin.buffer, name)
    else:
        name = args.article
        text = read_article(args.article)
    draft = api.extract(text, dateline=day, tz=tz, name=name, network=args.network)
    if draft.trip is None:
        found = f" ({', '.join(draft.found[:8])})" if draft.found else ""
        n = len(draft.events)
        raise ArticleError(f"{name}: found {n} event{'s' if n != 1 else ''}{found}; a trip needs two: nothing written")
    for w in draft.warnings:
        say(f"warning: {w}", file=sys.stderr)
    if args.json:
        out = json_text(json.dumps(draft_to_json(draft), ensure_ascii=False, indent=2, allow_nan=False)) + "\n"
    else:
        out = trip_to_yaml(draft.trip, header=HEADER)
        if not args.output and _UNSAFE.search(out):  # for a terminal: every non-ASCII character escaped
            out = trip_to_yaml(draft.trip, header=HEADER, ascii_only=True)
    if args.output:
        path = write_atomic(Path(args.output), out)
        low = sum(e.confidence == "low" for e in draft.trip.events) + sum(
            c.confidence == "low" for c in draft.trip.claims
        )
        say(path)
        say(
            f"{len(draft.trip.events)} events and {len(draft.trip.claims)} claims drafted from {name}"
            f"{f'; {low} marked confidence: low' if low else ''} — check them against the report",
            file=sys.stderr,
        )
    else:
        sys.stdout.write(out)
    return 0
