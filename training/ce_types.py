"""Answer kinds for the cross-encoder's typed negatives: the kind a question's wh-phrase asks for, and whether a
sentence holds a span of that kind. A Python port of the engine's OLD rules, frozen: answerType as it was before
2d57303 (fixed-order regexes: "how long" -> duration, "how many/much/old" -> number, "when" / "what year" -> date,
"who" -> person; the other kinds left out) and scanCues (now src/engine/question/answer-cues.ts). Not kept in sync: the
engine has since read the first asking wh-phrase ("Who revealed how long ...?" is a person there, a duration here).
The copy is tolerated because only train_cross_encoder.py --typed-from (off by default) reads it, to pick training
negatives; nothing served depends on it. Whoever retrains with it should port answer-type.ts afresh.

    >>> question_kind('How long did Obama and Putin meet?')
    'duration'
    >>> holds_kind('Obama and Putin met for 90 minutes.', 'duration', question_words('How long did Obama and Putin meet?'))
    True
    >>> holds_kind("Following Obama's meeting with Putin, the two spoke.", 'duration', question_words('How long did Obama and Putin meet?'))
    False
    >>> question_kind('Who revealed how long the meeting lasted?')  # the old fixed order; the engine now says person
    'duration'
"""
import re
import unicodedata

WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W\d_]+|[.,]\d+)*")
WH_WORDS = {"what", "which", "who", "whom", "whose", "where", "when", "how", "why"}
DURATION_UNITS = set("second seconds minute minutes hour hours day days week weeks month months year years decade decades century centuries".split())
MONTHS = set("january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec".split())
WEEKDAYS = set("monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow".split())
NUMBER_WORDS = set(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen "
    "nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion trillion dozen "
    "dozens hundreds thousands millions billions half".split())
NOT_NAMES = set("the a an i in on at it this that these those he she they we his her their its but and or if when while after before as for of to mr mrs ms dr".split())
KINDS = ("duration", "number", "date", "person")


def normalize(word: str) -> str:
    w = unicodedata.normalize("NFD", word.lower())
    w = "".join(c for c in w if not unicodedata.combining(c))
    w = w.replace("\u2019", "'")
    w = re.sub(r"'s$", "", w).replace("'", "")
    return w.replace(",", "")


def word_list(text: str) -> list[str]:
    return WORD.findall(text)


def question_words(question: str) -> set[str]:
    return {normalize(w) for w in word_list(question)}


def question_kind(question: str) -> str | None:
    """One of KINDS when the question's wording asks for it clearly, else None (answerType's first rules)."""
    ws = [normalize(w) for w in word_list(question)]
    q = " ".join(ws)
    if re.search(r"\bhow (long|many (years|days|hours|minutes|weeks|months))\b", q):
        return "duration"
    if re.search(r"\bhow (many|much|old)\b|\bwhat (percentage|percent|number|amount)\b", q):
        return "number"
    first = next((w for w in ws if w in WH_WORDS), None)
    if first == "when" or re.search(r"\b(what|which) (year|date|day|month|decade|century)\b|\bin what year\b", q):
        return "date"
    if re.search(r"\bwhere\b", q):
        return None
    if re.search(r"^(who|whom|whose)\b|\b(who|whom|whose) (is|was|were|are|did|does|has|had|will|became|won|said)\b", q):
        return "person"
    return None


def sentence_kinds(sentence: str, qwords: set[str]) -> set[str]:
    """The kinds of span the sentence holds outside the question's own words (scanCues; a place counts as a person,
    as answerSpans falls back to any name)."""
    raw = word_list(sentence)
    lower = [normalize(w) for w in raw]
    n = len(raw)

    def is_date(i):
        w = lower[i]
        return (w in MONTHS and w != "may") or w in WEEKDAYS or re.fullmatch(r"(1\d|20)\d\d(s)?", w) is not None

    def is_number(i):
        return raw[i][:1].isdigit() or lower[i] in NUMBER_WORDS

    def is_capital(i):
        w = lower[i]
        return raw[i][:1].isupper() and w not in NOT_NAMES and w not in MONTHS and w not in WEEKDAYS

    found: set[str] = set()
    i = 0
    while i < n:
        if lower[i] in qwords:
            i += 1
            continue
        if is_date(i):
            found.add("date")
            end = i
            while end + 1 < n and (is_number(end + 1) or lower[end + 1] in MONTHS) and end - i < 3:
                end += 1
            i = end + 1
            continue
        if is_number(i):
            end = i
            while end + 1 < n and is_number(end + 1):
                end += 1
            if end + 1 < n and lower[end + 1] in DURATION_UNITS:
                found.add("duration")
                i = end + 2
                continue
            found.add("number")
            i = end + 1
            continue
        if i > 0 and is_capital(i):
            found.add("person")
            end = i
            while end + 1 < n and is_capital(end + 1) and lower[end + 1] not in qwords:
                end += 1
            i = end + 1
            continue
        i += 1
    return found


def holds_kind(sentence: str, kind: str, qwords: set[str]) -> bool:
    """Whether the sentence holds a span answering `kind` (a "how many" question takes a duration too, as answerSpans)."""
    kinds = sentence_kinds(sentence, qwords)
    return kind in kinds or (kind == "number" and "duration" in kinds)
