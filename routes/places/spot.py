"""Find the gazetteer's places named in running text, in any script it holds.

Names are spotted only where the words of the text *are* a name or alias of some tier
(bundled places and regions, then the world gazetteer when installed), exactly or as a
spelling variant (:func:`~routes.places.index.fold`); nothing is matched by edit distance,
so a person's name is never read as a station two letters away. What a spotted name means
is then asked of :meth:`Gazetteer.resolve`, so its rules (and its refusals) apply.

>>> from routes.places import default_gazetteer
>>> spotter = PlaceSpotter(default_gazetteer(world=False))
>>> [(m.text, m.kind) for m in spotter.find("The train left Хасан for Ussuriisk in Primorye.")]
[('Хасан', 'place'), ('Ussuriisk', 'place'), ('Primorye', 'region')]
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..errors import PlaceNotFound
from ..geo import haversine_km
from ..model import Mention, Place, Resolved
from ..settings import DEFAULT
from .index import Gazetteer, fold, normalize

__all__ = ["PlaceSpotter", "COUNTRIES"]

# Country names (and the usual short forms) → ISO 3166 code: context for an article, never
# an event. Names from the ISO 3166 list and the countries' own usage in English, Russian
# and Korean.
COUNTRIES = {
    "Russia": "RU",
    "Russian Federation": "RU",
    "Россия": "RU",
    "Российская Федерация": "RU",
    "러시아": "RU",
    "North Korea": "KP",
    "DPRK": "KP",
    "Democratic People's Republic of Korea": "KP",
    "КНДР": "KP",
    "Северная Корея": "KP",
    "북한": "KP",
    "조선": "KP",
    "South Korea": "KR",
    "Republic of Korea": "KR",
    "Южная Корея": "KR",
    "한국": "KR",
    "Korea": "",
    "China": "CN",
    "People's Republic of China": "CN",
    "Китай": "CN",
    "중국": "CN",
    "Mongolia": "MN",
    "Монголия": "MN",
    "Japan": "JP",
    "Япония": "JP",
    "Vietnam": "VN",
    "Viet Nam": "VN",
    "Ukraine": "UA",
    "Украина": "UA",
    "Belarus": "BY",
    "Kazakhstan": "KZ",
    "United States": "US",
}

# words beside a name that say what kind of place it is
_AFTER_KIND = (
    (re.compile(r"^\s+(?:railway |rail |train )?station\b", re.I), "station"),
    (re.compile(r"^\s+junction\b", re.I), "station"),
    (re.compile(r"^\s+(?:city|town)\b", re.I), "town"),
    (re.compile(r"^\s+(?:cosmodrome|spaceport|space (?:center|centre)|launch (?:site|facility))\b", re.I), "site"),
    (re.compile(r"^\s+(?:border crossing|checkpoint)\b", re.I), "border_crossing"),
)
_BEFORE_KIND = (
    (re.compile(r"\b(?:city|town|village|settlement) of\s+$", re.I), "town"),
    (re.compile(r"\bstation (?:of|at)\s+$", re.I), "station"),
)
_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*", re.U)
_POSSESSIVE = re.compile(r"['’ʼ]s$")
# words that continue a name but are not part of one the gazetteer knows: "the Pacific
# Fleet", "Vladivostok Air" are not places
_NAME_GLUE = {"station", "river", "bridge", "krai", "oblast", "region", "territory", "province", "city", "town"}
_BRIDGE = (
    re.compile(
        r"\b(?:(?:the|a)\s+)?(?:railway\s+|rail\s+)?bridge\s+(?:over|across|on|spanning)\s+(?:the\s+)?"
        r"(?P<river>[A-ZА-ЯЁ][\w'’-]+(?:\s+[A-ZА-ЯЁ][\w'’-]+)?)(?:\s+[Rr]iver)?"
    ),
    re.compile(r"\b(?:the\s+)?(?P<river>[A-ZА-ЯЁ][\w'’-]+)(?:\s+[Rr]iver)?\s+(?:railway\s+|rail\s+)?bridge\b"),
    re.compile(r"\b(?:железнодорожн\w+\s+)?мост\w*\s+(?:через|над)\s+(?:реку\s+|р\.\s*)?(?P<river>[А-ЯЁ][\w-]+)"),
)
_CROSSED_RIVER = re.compile(r"\bcross(?:ed|es|ing)?\s+(?:over\s+)?the\s+(?P<river>[A-Z][\w'’-]+)(?:\s+[Rr]iver)\b")
_SAME_PLACE_KM = 20.0
# where a place name stands: after a preposition or a movement verb, perhaps "the city of"
_PLACE_SLOT = re.compile(
    r"\b(?:in|at|to|from|via|through|into|near|for|toward|towards|reached|left|passed|crossed|visited|leaving|reaching)"
    r"\s+(?:the\s+)?(?:(?:\w+\s+)?(?:city|town|station|village|port)\s+of\s+)?"
)
_NOT_WORLD = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "sept",
    "local",
    "time",
}  # a town and its station, or two rows for one site, are one place


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    if name.startswith("HANGUL"):
        return "hangul"
    if name.startswith(("CJK", "HIRAGANA", "KATAKANA")):
        return "cjk"
    return "word"


def _is_unspaced(name: str) -> bool:
    """Hangul and CJK names sit inside longer runs of letters (particles, no spaces)."""
    return any(_script(c) != "word" for c in name if c.isalpha())


@dataclass(frozen=True)
class _Entry:
    kind: str  # place | region | country | river
    name: str


class PlaceSpotter:
    """Spots names in text and resolves them through a :class:`Gazetteer`.

    Build one per gazetteer and reuse it: the name index is made once.
    """

    def __init__(self, gz: Gazetteer, countries: dict[str, str] | None = None) -> None:
        self.gz = gz
        self.countries = dict(COUNTRIES if countries is None else countries)
        self._keys: dict[str, list[_Entry]] = defaultdict(list)
        self._folded: dict[str, list[_Entry]] = defaultdict(list)
        self._unspaced: dict[str, list[_Entry]] = defaultdict(list)
        self._longest = 1

        def add(name: str, kind: str) -> None:
            name = name.strip()
            if not name:
                return
            e = _Entry(kind, name)
            if _is_unspaced(name):
                if len(name) >= 2:
                    self._unspaced[name].append(e)
                return
            key = normalize(name)
            if len(key.replace(" ", "")) < 3:
                return
            self._keys[key].append(e)
            self._folded[fold(name)].append(e)
            self._longest = max(self._longest, len(key.split()))

        for p in gz.places.values():  # the bundled places and regions; the world tier is asked per name
            for n in p.names:
                add(n, "region" if p.kind == "region" else "place")
        for r in gz.rivers.values():
            for n in (r.name, *r.aliases):
                add(n, "river")
        for n in self.countries:
            add(n, "country")
        self._longest = min(self._longest, 8)

    # ------------------------------------------------------------------ spotting
    def find(self, text: str) -> list[Mention]:
        """Every name in ``text``, longest first where names overlap, in text order."""
        found = self._bridges(text) + self._spaced(text) + self._unspaced_names(text)
        found += self._world_names(text, found)
        found.sort(key=lambda m: (m.start, -(m.end - m.start), m.kind == "river"))  # a town before a river
        out: list[Mention] = []
        for m in found:
            if out and m.start < out[-1].end:
                continue
            out.append(m)
        return out

    def _kind_of(self, entries: Sequence[_Entry]) -> str:
        kinds = {e.kind for e in entries}
        for k in ("place", "region", "country", "river"):  # a town beats the region named after it
            if k in kinds:
                return k
        return "place"

    def _spaced(self, text: str) -> list[Mention]:
        toks = [(m.start(), m.end(), _POSSESSIVE.sub("", m.group())) for m in _TOKEN.finditer(text)]
        out: list[Mention] = []
        i = 0
        while i < len(toks):
            start = toks[i][0]
            if not toks[i][2][:1].isupper():
                i += 1
                continue
            hit = None
            for n in range(min(self._longest, len(toks) - i), 0, -1):
                words = [t[2] for t in toks[i : i + n]]
                # the words must be joined only by spaces, hyphens or apostrophes in the text
                gaps = [text[toks[i + k][1] : toks[i + k + 1][0]] for k in range(n - 1)]
                if any(not re.fullmatch(r"[\s\-‐‑–—']{1,3}", g) or "\n\n" in g for g in gaps):
                    continue
                key = normalize(" ".join(words))
                entries = self._keys.get(key) or self._folded.get(fold(" ".join(words)))
                if entries:
                    hit = (n, entries)
                    break
            if hit is None:
                i += 1
                continue
            n, entries = hit
            end = toks[i + n - 1][1]
            surface = text[start:end]
            if _POSSESSIVE.search(surface):
                end -= 2
                surface = text[start:end]
            nxt = toks[i + n][2] if i + n < len(toks) else ""
            joined = i + n < len(toks) and re.fullmatch(r"[ \-]", text[end : toks[i + n][0]] or "x")
            if joined and nxt[:1].isupper() and nxt.lower() not in _NAME_GLUE:
                # part of a longer name the gazetteer does not know ("Pacific Fleet"), or of a
                # compound ("Pyongyang-Moscow relations"): skip the whole run of capitals
                i += n
                while (
                    i < len(toks)
                    and toks[i][2][:1].isupper()
                    and re.fullmatch(r"[ \-]", text[toks[i - 1][1] : toks[i][0]] or "x")
                ):
                    i += 1
                continue
            kind = self._kind_of(entries)
            out.append(Mention(start, end, surface, kind, surface, self._prefer(text, start, end)))
            i += n
        return out

    def _world_names(self, text: str, found: list[Mention]) -> list[Mention]:
        """Names of the world gazetteer (when installed), asked only for capitalised words
        that stand where a place does ("arrived in X", "left X", "the city of X") and that
        no bundled name covers: its alternate names include words such as "The" and "Kim"."""
        world = None  # loaded only when a word in a place's slot is not a bundled name
        taken = [(m.start, m.end) for m in found if m.kind != "river"]  # "Suifenhe" the town, not the river
        out: list[Mention] = []
        for slot in _PLACE_SLOT.finditer(text):
            a = slot.end()
            words = list(_TOKEN.finditer(text, a, min(len(text), a + 80)))[:3]
            if not words or words[0].start() != a:
                continue
            for n in range(len(words), 0, -1):
                ws = words[:n]
                if not all(w.group()[:1].isupper() for w in ws):
                    continue
                if any(not re.fullmatch(r"[ \-]", text[x.end() : y.start()]) for x, y in zip(ws, ws[1:])):
                    continue
                end = ws[-1].end()
                surface = _POSSESSIVE.sub("", text[a:end])
                end = a + len(surface)
                key = normalize(surface)
                if len(key) < 4 or surface.isupper() or key in _NOT_WORLD or any(x < end and a < y for x, y in taken):
                    continue
                world = world or self.gz.world()
                if world is None:
                    return out
                if not world.exact(surface):
                    continue
                out.append(Mention(a, end, surface, "place", surface, self._prefer(text, a, end)))
                taken.append((a, end))
                break
        return out

    def _unspaced_names(self, text: str) -> list[Mention]:
        out: list[Mention] = []
        for name, entries in self._unspaced.items():
            at = text.find(name)
            while at >= 0:
                before = text[at - 1] if at > 0 else " "
                hangul = _script(name[0]) == "hangul"
                if not (hangul and before.isalpha() and _script(before) == "hangul"):
                    kind = self._kind_of(entries)
                    out.append(Mention(at, at + len(name), name, kind, name, None))
                at = text.find(name, at + 1)
        return out

    def _bridges(self, text: str) -> list[Mention]:
        out: list[Mention] = []
        for pat in (*_BRIDGE, _CROSSED_RIVER):
            for m in pat.finditer(text):
                river = self.gz.river_for(m.group("river"))
                if river is None:
                    continue
                name = f"{river.name} railway bridge"
                if not self.gz.bridge_candidates(name):
                    continue
                a, b = m.span()
                if pat is _CROSSED_RIVER:  # the verb stays outside: "crossed" [the Zeya River]
                    a = m.start("river")
                if text[a:b].lower().startswith(("the ", "a ")):
                    a += text[a:b].index(" ") + 1
                out.append(Mention(a, b, text[a:b], "bridge", name, "bridge"))
        return out

    @staticmethod
    def _prefer(text: str, start: int, end: int) -> str | None:
        after = text[end : end + 30]
        for pat, kind in _AFTER_KIND:
            if pat.match(after):
                return kind
        before = text[max(0, start - 30) : start]
        for pat, kind in _BEFORE_KIND:
            if pat.search(before):
                return kind
        return None

    def country_code(self, mention: Mention) -> str:
        """The ISO code of a country mention ('' when the name is a region of several)."""
        key = normalize(mention.text)
        for name, code in self.countries.items():
            if normalize(name) == key:
                return code
        return ""

    # ------------------------------------------------------------------ resolving
    def resolve(
        self, mention: Mention, near: Iterable[tuple[float, float]] = (), known: Sequence[Place] = ()
    ) -> Resolved:
        """The place a mention names, by the gazetteer's own rules.

        ``known`` are places the text has already named without doubt: a name that could
        mean one of them means it ("Vostochny" after "Vostochny Cosmodrome").

        Raises
        ------
        PlaceNotFound
            The gazetteer does not accept the name, or accepts it only as a typo.
        """
        near = list(near)
        matches = self.gz.resolve(mention.name, near=near, prefer=mention.prefer)
        if mention.kind == "bridge":
            bridges = tuple(m.place for m in matches if m.place.kind == "bridge")
            return Resolved(bridges[0], matches[0].how, matches[0].score, mention.name, bridges[1:], matches[0].method)
        accepted = [m for m in matches if m.method not in ("fuzzy", "online")]
        if not accepted:
            raise PlaceNotFound(mention.name, tuple(m.place.name for m in matches[:5]))
        best = next((m for m in accepted if any(not _distinct(m.place, k) for k in known)), None)
        if best is not None:  # the text named this place before, without doubt
            return Resolved(best.place, best.how, best.score, best.place.name, (), best.method)
        best = accepted[0]
        rivals = [
            m.place
            for m in accepted[1:]
            if m.score >= best.score - DEFAULT.ambiguity_margin
            and m.place.kind != "region"
            and _distinct(best.place, m.place)
        ]
        try:  # the name written must read back as this place
            back = self.gz.resolve(best.place.name, near=near, prefer=mention.prefer)[0].place
            if _distinct(back, best.place):
                rivals.append(back)
        except PlaceNotFound:
            pass
        return Resolved(best.place, best.how, best.score, best.place.name, tuple(rivals), best.method)


def _distinct(a: Place, b: Place) -> bool:
    if a.id == b.id or a.station == b.id or b.station == a.id:
        return False
    return haversine_km(a.lat, a.lon, b.lat, b.lon) > _SAME_PLACE_KM
