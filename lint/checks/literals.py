"""The words a regular expression cannot match without: a gate in front of the regex engine.

Most documents contain none of a boilerplate phrase's words ("paypal", "subscribe",
"getty images"), and finding that out with `str.__contains__` over the case-folded
text runs at memory speed, while the regex engine tries the pattern at every
position.  So for each phrase we derive a set of literal strings of which every match
must contain one, and search with the regex only when one occurs.  As ripgrep and
Hyperscan do, only sequences of plain characters, alternations and repeats of at
least one count; anything else (classes, anchors, look-arounds) requires nothing.
The parse uses Python's own `re` parser; a pattern it cannot read, or one using the
`regex` module's own set syntax, simply gets no gate.
"""

from __future__ import annotations

import re
from functools import lru_cache

try:  # Python's pattern parser: private, so its absence only turns the gates off
    from re import _parser as sre_parse
    from re import _constants as sre_constants
except ImportError:  # pragma: no cover - other implementations
    sre_parse = sre_constants = None

MIN_LENGTH = 3  # shorter literals occur in nearly every document: no use as a gate


@lru_cache(maxsize=4096)
def required_literals(pattern: str) -> tuple[frozenset[str], ...] | None:
    """Sets of case-folded strings such that every match of `pattern` (matched ignoring
    case) contains one string of each set; None when no useful set can be derived."""
    if sre_parse is None or "[[" in pattern or "&&" in pattern or "--" in pattern or "~~" in pattern:
        return None
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except (re.error, ValueError, TypeError, OverflowError, RecursionError):
        return None
    useful = tuple(frozenset(s) for s in _sequence(list(parsed)) if min(map(len, s)) >= MIN_LENGTH)
    return tuple(dict.fromkeys(useful)) or None


def passes(gate: tuple[frozenset[str], ...], folded: str) -> bool:
    """Whether a case-folded text has one literal of every set of a gate."""
    return all(any(word in folded for word in options) for options in gate)


def _sequence(items: list) -> list[set[str]]:
    """Everything a sequence needs: each run of plain characters, and what each part needs."""
    needs: list[set[str]] = []
    run: list[str] = []
    for op, arg in items:
        if op is sre_constants.LITERAL:
            run.append(chr(arg).casefold())
            continue
        if run:
            needs.append({"".join(run)})
            run = []
        needs += _item(op, arg)
    if run:
        needs.append({"".join(run)})
    return needs


def _best(needs: list[set[str]]) -> set[str] | None:
    """The most selective single need: the set whose shortest literal is longest."""
    return max(needs, key=lambda s: (min(map(len, s)), -len(s)), default=None)


def _item(op, arg) -> list[set[str]]:
    c = sre_constants
    if op is c.SUBPATTERN:
        return _sequence(list(arg[-1]))
    if op is c.BRANCH:
        options: set[str] = set()
        for branch in arg[1]:
            best = _best(_sequence(list(branch)))
            if not best:
                return []  # one branch needs nothing, so the alternation needs nothing
            options |= best
        return [options]
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, _high, sub = arg
        return _sequence(list(sub)) if low >= 1 else []
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _sequence(list(arg))
    return []
