"""Small text helpers shared by the importers: cleaning headers, telling importance
questions from satisfaction questions, and splitting question from statement."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

__all__ = [
    "clean_text",
    "is_cryptic_id",
    "side_of",
    "split_common",
    "split_question",
    "statement_from_question",
    "statement_key",
    "unique_names",
]

_TAGS = re.compile(r"<[^>]*>")
_BREAKS = re.compile(r"<\s*/?\s*(?:br|p|div|li|tr|td|h\d)\b[^>]*>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_IMPORTANCE = re.compile(r"\b(?:important|importance|unimportant|matters?)\b", re.IGNORECASE)
_SATISFACTION = re.compile(r"\b(?:satisf\w*|dissatisf\w*|well[- ]served)\b", re.IGNORECASE)
_LEAD = re.compile(
    r"^(?:please\s+)?(?:rate\s+)?(?:how\s+)?(?:important|satisfied|well[- ]served)\s+"
    r"(?:is\s+it|is\s+this|are\s+you|would\s+you\s+say|do\s+you\s+feel)?\s*"
    r"(?:to\s+you\s+)?(?:that\s+you\s+can|that\s+you|that|for\s+you\s+to|to|with|about|when)?"
    r"\s*(?:your\s+ability\s+to\s+|how\s+well\s+you\s+can\s+)?",
    re.IGNORECASE,
)
_PREFIX_LEAD = re.compile(
    r"^(?:importance|satisfaction|imp|sat)\s*(?:of|with)?\s*[:\-–|]\s*", re.IGNORECASE
)
_CRYPTIC = re.compile(r"^(?:\d+_)?(?:QID|Q|V)\d+(?:[_#.\-]\d+)*(?:_\w+)?$", re.IGNORECASE)


def clean_text(text: str) -> str:
    """Strip HTML, decode entities, turn NBSP and newlines into spaces, collapse runs.

    Examples
    --------
    >>> clean_text("<b>How&nbsp;important</b>\\n\\nis it?")
    'How important is it?'
    """
    text = html.unescape(_TAGS.sub("", _BREAKS.sub(" ", str(text))))
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return _SPACES.sub(" ", text).strip()


def side_of(*texts: str) -> str | None:
    """``"importance"``, ``"satisfaction"`` or ``None`` from question texts.

    The texts are tried in order (most specific first, e.g. a side-by-side column
    set's label before the question); the first that names exactly one side wins.

    Examples
    --------
    >>> side_of("How important is each of the following?")
    'importance'
    >>> side_of("Satisfaction", "Rate importance and satisfaction")
    'satisfaction'
    >>> side_of("How well served are you today?"), side_of("What is your role?")
    ('satisfaction', None)
    """
    for text in texts:
        if not text:
            continue
        imp = _IMPORTANCE.search(text) is not None
        sat = _SATISFACTION.search(text) is not None
        if imp != sat:
            return "importance" if imp else "satisfaction"
    return None


def split_common(
    texts: Sequence[str], separators: Iterable[str] = (" - ",)
) -> tuple[str, list[str]]:
    """Split matrix column texts into the shared question and each row's statement.

    The question is the longest common prefix ending at a separator; the statement
    is the rest. A single text splits at its first separator. Without a common
    separator the question is ``""`` and each text is its own statement.

    Examples
    --------
    >>> split_common(["Q - a - b - row 1", "Q - a - b - row 2"])
    ('Q - a - b', ['row 1', 'row 2'])
    >>> split_common(["How important? - Minimize x-y"])
    ('How important?', ['Minimize x-y'])
    >>> split_common(["Is A nice?", "Is B nice?"])
    ('', ['Is A nice?', 'Is B nice?'])
    """
    if not texts:
        return "", []
    for sep in separators:
        if len(texts) == 1:
            if sep in texts[0]:
                main, sub = texts[0].split(sep, 1)
                return main.strip(), [sub.strip()]
            continue
        prefix = texts[0]
        for t in texts[1:]:
            i = 0
            limit = min(len(prefix), len(t))
            while i < limit and prefix[i] == t[i]:
                i += 1
            prefix = prefix[:i]
            if not prefix:
                break
        cut = prefix.rfind(sep)
        while cut > 0 and not all(t[cut : cut + len(sep)] == sep for t in texts):
            cut = prefix.rfind(sep, 0, cut)
        if cut > 0:
            return prefix[:cut].strip(), [t[cut + len(sep) :].strip() for t in texts]
    return "", [t.strip() for t in texts]


def split_question(
    texts: Sequence[str], separators: Iterable[str] = (" - ",)
) -> tuple[str, list[str], str | None]:
    """A question block's shared question, each column's statement, and the block's side.

    The side is read from the question's last part (then the whole question); without a
    shared question, from the texts, if they all agree.

    Examples
    --------
    >>> split_question(["How important is it? - Go", "How important is it? - Stop"])
    ('How important is it?', ['Go', 'Stop'], 'importance')
    >>> split_question(["How satisfied with A?", "How satisfied with B?"])
    ('', ['How satisfied with A?', 'How satisfied with B?'], 'satisfaction')
    """
    main, subs = split_common(texts, separators)
    if main:
        return main, subs, side_of(main.rsplit(" - ", 1)[-1], main)
    sides = {side_of(t) for t in texts}
    return main, subs, sides.pop() if len(sides) == 1 else None


def statement_from_question(text: str) -> str:
    """An outcome statement from a per-statement question, without its lead-in.

    Examples
    --------
    >>> statement_from_question("How important is it to minimize the time to find options?")
    'Minimize the time to find options'
    >>> statement_from_question("Satisfaction: Reduce errors")
    'Reduce errors'
    """
    text = clean_text(text)
    stripped = _PREFIX_LEAD.sub("", text, count=1)
    if stripped == text:
        stripped = _LEAD.sub("", text, count=1) if side_of(text) else text
    stripped = stripped.strip().rstrip("?").strip()
    if not stripped:
        return text
    return stripped[0].upper() + stripped[1:]


def statement_key(text: str) -> str:
    """The key two statements are matched on: case, spacing, HTML and end punctuation
    do not matter.

    Examples
    --------
    >>> statement_key(" Minimize the <i>time</i>  to report. ")
    'minimize the time to report'
    """
    return clean_text(text).casefold().rstrip(".?!:;").strip()


def is_cryptic_id(name: str) -> bool:
    """Whether a header is a tool's internal id (``Q12``, ``QID4_3``, ``V7``) rather than a name.

    Examples
    --------
    >>> is_cryptic_id("Q3"), is_cryptic_id("QID22#1_1"), is_cryptic_id("role")
    (True, True, False)
    """
    return _CRYPTIC.match(name.strip()) is not None


def unique_names(names: Sequence[str], fallbacks: Sequence[str] | None = None) -> list[str]:
    """Make names unique: a repeat gets `` (fallback)`` or `` (2)``, `` (3)``...

    Examples
    --------
    >>> unique_names(["a", "b", "a", "a"], ["x1", "x2", "x3", "x4"])
    ['a', 'b', 'a (x3)', 'a (x4)']
    """
    out: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(names):
        candidate = name
        if candidate in seen and fallbacks is not None:
            candidate = f"{name} ({fallbacks[i]})"
        k = 2
        while candidate in seen:
            candidate = f"{name} ({k})"
            k += 1
        seen.add(candidate)
        out.append(candidate)
    return out
