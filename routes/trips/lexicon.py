"""The words ``routes extract`` reads a report by: movement verbs and the event kind each
gives, tense, hedges, speculation, and the patterns of claims (distance, via, not via,
order, speed). Each is a plain table or regular expression, so a rule can be read, tested
and changed in one place."""

from __future__ import annotations

import re

__all__ = [
    "VERBS",
    "VERBS_AFTER",
    "FUTURE_AFTER",
    "FUTURE",
    "PAST_FORM",
    "HEDGE",
    "SPECULATION",
    "NEGATION",
    "BREAK",
    "LIST_GAP",
    "FROM",
    "FOR",
    "NOT_VIA_BEFORE",
    "BESIDE_BEFORE",
    "VIA_BEFORE",
    "BEFORE_BETWEEN",
    "DISTANCE",
    "DISTANCE_TAIL",
    "SPEED",
    "SUBJECT_WORDS",
]

_I = re.I
# (pattern, kind): "toward" is a heading that does not say the place was reached
VERBS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, _I), k)
    for p, k in (
        (r"\barriv(?:ed|es|e|ing)\b(?:\s+(?:at|in|into|on))?", "arrived"),
        (r"\breach(?:ed|es|ing)?\b", "arrived"),
        (r"\b(?:pull|roll|steam)(?:ed|s|ing)?\s+into\b", "arrived"),
        (r"\bgot\s+to\b", "arrived"),
        (r"\breturn(?:ed|s|ing)?\s+to\b", "arrived"),
        (
            r"\b(?:left|leav(?:e|es|ing)|depart(?:ed|s|ing)?(?:\s+from)?|set\s+(?:off|out)\s+from|pulled\s+out\s+of)\b",
            "departed",
        ),
        (
            r"\b(?:pass(?:ed|es|ing)?(?:\s+through|\s+by)?|(?:went|go(?:es)?|ran|rolled|moved|travell?(?:ed|ing|s)?)\s+through"
            r"|transit(?:ed|s|ing)?(?:\s+through)?)\b",
            "passed",
        ),
        (r"\bcross(?:ed|es|ing)?(?:\s+(?:over|into))?\b", "passed"),
        (
            r"\b(?:head(?:ed|s|ing)?|bound|making\s+its\s+way|on\s+(?:its|his|her|the)\s+way)\s+(?:to|for|toward|towards)\b",
            "toward",
        ),
        (r"\b(?:travell?(?:ed|ing|s)?|went|go(?:es)?|journeyed|moved|come|came)\s+(?:on\s+)?to\b", "went"),
        # "visited X", "will visit X"; not the noun ("his visit to X")
        (r"\b(?:visit(?:ed|ing)|tour(?:ed|ing)|(?:to|will|would|may|might|could|did|also)\s+(?:visit|tour))\b", "at"),
        (
            r"\b(?:stopp?(?:ed|s|ing)?(?:\s+over)?|a\s+(?:brief\s+|short\s+)?stop(?:over)?|stay(?:ed|s|ing)?|paus(?:ed|es|ing)|halt(?:ed|s|ing)"
            r"|spent\s+(?:\w+\s+){0,3}?)\s+(?:at|in)\b",
            "at",
        ),
        (r"\b(?:was|were|is|are)\s+(?:still\s+|already\s+)?(?:at|in)\b", "at"),
        (
            r"\b(?:summit|talks|meeting|ceremony)\b[^.;]{0,40}?\b(?:held|take\s+place|took\s+place|taking\s+place|be\s+held)\b",
            "at",
        ),
        (r"\bdue\s+(?:in|at)\b", "expected"),
        # Russian: the verb comes before the place, as in English
        (r"\b(?:прибыл[аио]?|прибыва[ею]т|приехал[аио]?|прибуд(?:ет|ут))\s+(?:в|на)\b", "arrived"),
        (
            r"\b(?:отбыл[аио]?|отправил(?:ся|ась|ось|ись)|покинул[аио]?|выехал[аио]?|отправится|отбудет)(?:\s+из)?\b",
            "departed",
        ),
        (
            r"\b(?:проследовал[аио]?|прош[её]л|прошла|прошло|миновал[аио]?|пересек(?:ла|ло|ли)?|пересёк)(?:\s+через)?\b",
            "passed",
        ),
        (r"\b(?:посетил[аио]?|посетит|остановил(?:ся|ась|ось)\s+(?:в|на))\b", "at"),
    )
)
# Korean puts the verb after the place: "하산역에 도착했다" (arrived at Khasan station)
VERBS_AFTER: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), k)
    for p, k in (
        (r"^\S{0,3}\s*(?:[^\s.]{0,12}\s+){0,2}?도착", "arrived"),
        (r"^\S{0,3}\s*(?:[^\s.]{0,12}\s+){0,2}?(?:출발|떠났|떠나|떠난)", "departed"),
        (r"^\S{0,3}\s*(?:[^\s.]{0,12}\s+){0,2}?(?:통과|지나|지났|건너|건넜)", "passed"),
        (r"^\S{0,3}\s*(?:[^\s.]{0,12}\s+){0,2}?(?:방문|머물)", "at"),
    )
)
FUTURE_AFTER = re.compile(r"^[^.]{0,20}?(?:할\s*예정|할\s*것|하겠|할\s*계획)")
# a verb in the future (or the conditional of a forecast) makes an expected event
FUTURE = re.compile(
    r"\b(?:будет|будут)\s+$|\b(?:will|shall|would|won['’]t|is\s+to|are\s+to|(?:is|are|was|were)\s+(?:expected|due|scheduled|set|slated|poised|"
    r"planning|going|likely)\s+to|plans?\s+to|expected\s+to|likely\s+to|set\s+to)\s+(?:(?:\w+ly|be|then|also|later)\s+){0,2}$"
    r"|['’]ll\s+$",
    _I,
)
PAST_FORM = re.compile(
    r"^(?:\w+л[аио]?\b|\w+л(?:ся|ась|ось|ись)\b|пр[оо]ш[её]л|\w+ed|left|went|ran|got|was|were|spent|came|held|took|a\s+(?:brief\s+|short\s+)?stop|made)\b",
    _I,
)
HEDGE = re.compile(
    r"\b(?:likely|appear(?:ed|s)?\s+to|apparently|reportedly|believed|probably|possibly|may|might|could|would|seem(?:ed|s)?"
    r"|thought\s+to|unconfirmed)\b",
    _I,
)
SPECULATION = re.compile(
    r"\b(?:speculat\w*|rumou?r\w*|initially|originally|had\s+been\s+expected|(?:was|were)\s+(?:widely\s+)?expected|previously|"
    r"instead\s+of|rather\s+than)\b",
    _I,
)
NEGATION = re.compile(r"\b(?:not|n['’]t|never|no\s+longer)\s+(?:\w+\s+)?$", _I)
# between a verb and its place: these end the link
BREAK = re.compile(
    r"[;:.!?]|,|\b(?:и|но|где|который|которая|after)\b|\b(?:and|but|which|where|while|when|before|after|because|then|said|says|according|until|whose|who)\b",
    _I,
)
LIST_GAP = re.compile(
    r"^\s*(?:,\s*(?:and\s+|then\s+)?|,?\s+(?:and|or)\s+(?:then\s+)?)(?:the\s+)?(?:(?:town|city|station|village)\s+of\s+)?$",
    _I,
)
FROM = re.compile(r"\bfrom\s+(?:the\s+)?(?:[\w'’-]+\s+){0,4}?$", _I)
FOR = re.compile(r"\b(?:for|toward|towards|в|на)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,4}?$", _I)
NOT_VIA_BEFORE = (
    (
        re.compile(
            r"\b(?:did\s+not|didn['’]t|never|would\s+not|will\s+not|won['’]t|does\s+not|doesn['’]t)\s+(?:go|travel|head|pass|come|enter|visit)"
            r"(?:\s+(?:to|through|via|in|into|by))?\s+(?:the\s+(?:[\w'’-]+\s+){0,3}?(?:of\s+)?)?$",
            _I,
        ),
        "",
    ),
    (
        re.compile(
            r"\b(?:bypass(?:ed|ing|es)?|avoid(?:ed|ing|s)?|skipp?(?:ed|ing|s)?|steer(?:ed|ing)?\s+clear\s+of|"
            r"instead\s+of\s+(?:going\s+(?:to|through)\s+)?|rather\s+than\s+(?:going\s+(?:to|through)\s+)?)\s*"
            r"(?:the\s+(?:[\w'’-]+\s+){0,3}?(?:of\s+)?)?$",
            _I,
        ),
        "",
    ),
    (
        re.compile(
            r"\b(?:mov(?:ed|ing|es)|head(?:ed|ing|s)|travell?(?:ed|ing|s)|pass(?:ed|ing|es)|skirt(?:ed|ing|s)|runn?(?:ing|s)|went|go(?:ing|es))"
            r"\s+(?:\w+\s+){0,2}?(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:wards?)?\s+of\s+$",
            _I,
        ),
        "low",
    ),
)
# a place named only to say where something else is: "north of X", "near X"
BESIDE_BEFORE = re.compile(
    r"\b(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:wards?)?\s+of\s+$|\bnear\s+(?:the\s+)?$|"
    r"\boutside\s+(?:of\s+)?$",
    _I,
)
VIA_BEFORE = re.compile(
    r"\b(?:via|by\s+way\s+of|(?:routed|route)\s+(?:through|via))\s+(?:the\s+(?:[\w'’-]+\s+){0,3}?of\s+)?$", _I
)
BEFORE_BETWEEN = re.compile(
    r"^\s*(?:station\s+)?,?\s*(?:and\s+)?(?:shortly\s+|well\s+|just\s+|long\s+)?before\s+(?:\w+ing\s+)?(?:(?:at|in|to|through)\s+)?"
    r"(?:the\s+(?:[\w'’-]+\s+){0,3}?of\s+)?$",
    _I,
)
DISTANCE = re.compile(
    r"(?P<q>\b(?:some|about|around|roughly|nearly|almost|approximately|more\s+than|over|less\s+than|under|at\s+least|just\s+over)\s+)?"
    r"(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*-?\s*(?P<u>km|kilomet(?:er|re)s?|miles?|mi)\b(?!\s*(?:/|per\s+hour|an\s+hour))",
    _I,
)
DISTANCE_TAIL = re.compile(
    r"^\s*(?:\([^)]{0,30}\)\s*)?(?:\w+\s+){0,2}?(?P<rel>(?:away\s+)?from|to|between|(?:north|south|east|west|north-?east|north-?west|"
    r"south-?east|south-?west)(?:wards?)?\s+of)\b",
    _I,
)
SPEED = re.compile(
    r"(?P<q>\b(?:average(?:d)?\s+(?:speed\s+of\s+)?|averaging\s+|(?:at\s+)?an\s+average(?:\s+speed)?\s+of\s+|(?:a\s+)?top\s+speed\s+of\s+|"
    r"(?:at\s+)?(?:speeds?\s+of\s+)?up\s+to\s+|no\s+(?:more|faster)\s+than\s+|(?:a\s+)?maximum(?:\s+speed)?\s+of\s+|at\s+most\s+|"
    r"(?:at\s+)?(?:a\s+)?speeds?\s+of\s+(?:about\s+|around\s+|some\s+)?|at\s+(?:about\s+|around\s+|some\s+)?))"
    r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>km/h|kmh|kph|km\s+(?:per|an)\s+hour|kilomet(?:er|re)s\s+(?:per|an)\s+hour|mph|miles\s+(?:per|an)\s+hour)",
    _I,
)
# capitalised words that may start a subject without naming who moved
SUBJECT_WORDS = frozenset(
    """the a an this that these those his her its their he she it they we later earlier then after following before
    on in at by initially meanwhile however train armoured armored special north south east west northern southern
    eastern western korean korea russian chinese soviet japanese mongolian leader president minister premier chairman
    mr ms mrs dr official officials state far monday tuesday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december sept jan feb aug oct nov dec his convoy
    delegation motorcade locomotive carriage""".split()
)
