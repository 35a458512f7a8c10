"""The words a regular expression cannot match without: a gate in front of the regex engine.

Most documents contain none of a boilerplate phrase's words ("paypal", "subscribe",
"getty images"), while the regex engine tries a pattern at every position of the
text.  So for each phrase we derive a set of literal strings of which every match
must contain one.  As ripgrep and Hyperscan do, only sequences of plain characters,
alternations and repeats of at least one count; anything else (classes, anchors,
look-arounds) requires nothing.  The parse uses Python's own `re` parser; a pattern it
cannot read, or one using the `regex` module's own set syntax, simply gets no gate.

Every literal of every gate in use goes into one Aho-Corasick automaton, so one
pass over a document's case-folded text finds where each occurs, for all the phrases
of all the rules at once (`find`).  A phrase whose gate is not met is never searched,
and the others need looking at only on the lines where their rarest literal set
occurs.  The automaton is a full transition table scanned by the compiled kernels
(lint.kernels), at several hundred MB/s; pyahocorasick, whose trie walk runs at
about 70 MB/s, scans where the kernels were not built.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any

import ahocorasick
import numpy as np
import regex

from lint import minhash

try:  # Python's pattern parser: private, so its absence only turns the gates off
    from re import _parser as sre_parse
    from re import _constants as sre_constants
except ImportError:  # pragma: no cover - other implementations
    sre_parse = sre_constants = None

MIN_LENGTH = 3  # shorter literals occur in nearly every document: no use as a gate
_SYMBOLS = re.compile(r"[^\w\s]{2,}")  # ... but two or more symbols ("**", "__") are rare in prose,
_PROSE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789 \t\n.,;:!?'\"()-")  # ... as is any character
# outside these ("@", "\u00a9", "\u00e3"): an e-mail address needs its "@", mojibake its "\u00c3"


# The regex module's fuzzy constraints ("{e<=1}", "{i<=1,d<=1}", "{2i+1s<=3}", "{e}"):
# Python's parser reads them as literal text, where a repeat holds only digits and a comma.
_FUZZY_CONSTRAINT = re.compile(r"\{[\d\s<=+,]*[eids][\d\s<=+,eids]*[:}]")


def _read_alike(pattern: str) -> bool:
    """Whether Python's parser reads `pattern` as the regex module does, or rejects it:
    not when it uses the module's nested sets, set operations or fuzzy matching, which
    Python's parser would take for plain characters.  Only then may a gate be derived
    from it."""
    return (sre_parse is not None and not any(op in pattern for op in ("&&", "--", "~~", "||"))
            and _FUZZY_CONSTRAINT.search(pattern) is None and not _nests_sets(pattern))


def _nests_sets(pattern: str) -> bool:
    """Whether a character set holds an unescaped "[": a nested set to the regex module's
    version 1 ("[x[y]z]" is x, y or z), the character "[" to Python ("[x[y]" and then
    "z]"), or a POSIX class; either way, not read alike."""
    i, n = 0, len(pattern)
    in_set = False
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_set:
            if ch == "[":
                return True
            if ch == "]":
                in_set = False
        elif ch == "[":
            in_set = True
            i += 1
            if pattern[i : i + 1] == "^":
                i += 1
            if pattern[i : i + 1] == "]":  # a "]" first in a set is itself
                i += 1
            continue
        i += 1
    return False


@lru_cache(maxsize=4096)
def required_literals(pattern: str) -> tuple[frozenset[str], ...] | None:
    """Sets of case-folded strings such that every match of `pattern` (matched ignoring
    case) contains one string of each set; None when no useful set can be derived."""
    if not _read_alike(pattern):
        return None
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except (re.error, ValueError, TypeError, OverflowError, RecursionError):
        return None
    useful = tuple(frozenset(s) for s in _sequence(list(parsed)) if all(map(_useful, s)))
    return tuple(dict.fromkeys(useful)) or None


def gate(pattern: str) -> tuple[frozenset[str], ...] | None:
    """The gate a phrase is searched behind: its most selective literal sets, at most
    two.  Any subset of the required sets is still a sound gate, and a weak one such as
    {" a "} would only make the scan report every article in the text."""
    needs = required_literals(pattern)
    if needs is None:
        return None
    ranked = sorted(needs, key=lambda s: (-min(map(len, s)), len(s)))
    best = ranked[0]
    keep = [best] + [s for s in ranked[1:2] if min(map(len, s)) >= min(4, min(map(len, best)))]
    return tuple(keep)


def _useful(literal: str) -> bool:
    return (len(literal) >= MIN_LENGTH or _SYMBOLS.fullmatch(literal) is not None
            or not _PROSE.issuperset(literal))


def passes(gate: tuple[frozenset[str], ...], found) -> bool:
    """Whether a text has one literal of every set of a gate; `found` is the case-folded
    text itself (a document's scan answers for itself: Occurrences.passes).  Plain
    loops: this runs for every exception of every unit a rule looks at."""
    for options in gate:
        for word in options:
            if word in found:
                break
        else:
            return False
    return True


Gated = tuple[tuple[tuple[frozenset[str], ...] | None, Any, bool], ...]


def gated(patterns: tuple[str, ...], flags: int = 0) -> Gated:
    """Each pattern compiled, behind its literal gate, and whether the gate's literals
    are all caseless: what `any_search` takes."""
    out = []
    for pattern in patterns:
        needs = gate(pattern)
        plain = needs is not None and all(caseless(word) for options in needs for word in options)
        out.append((needs, regex.compile(pattern, flags), plain))
    return tuple(out)


def caseless(literal: str) -> bool:
    """Whether a literal is found in a text exactly where it is found in the text's
    case fold: ASCII without letters, which folds to itself and which no other
    character folds to (a test checks every code point)."""
    return literal.isascii() and not any(ch.isalpha() for ch in literal)


def any_search(text: str, gated: Gated) -> bool:
    """Whether any of the compiled patterns matches somewhere in text; a pattern whose
    gate (see `gate`) the text does not pass cannot match, and is not searched.

    This is whether their alternation matches; but an alternation is tried at every
    position of the text, where most of the patterns' literals are not even present.
    A gate of caseless literals ("/*", "***") is tested on the text itself, which
    spares folding a long line's case."""
    folded = None
    for needs, rx, plain in gated:
        if needs is not None:
            if plain:
                subject = text
            else:
                if folded is None:
                    folded = text.casefold()
                subject = folded
            if not passes(needs, subject):
                continue
        if rx.search(text) is not None:
            return True
    return False


class _Scanner:
    """The literals of every gate seen so far in this process, in one automaton."""

    def __init__(self) -> None:
        self.literals: set[str] = set()
        self.known: set[frozenset[str]] = set()  # literal sets already added
        self.automaton = None
        self.generation = 0

    def add(self, literals: frozenset[str]) -> None:
        if literals in self.known:
            return
        self.known.add(literals)
        new = literals - self.literals
        if new:  # a rule seen for the first time: the next scan builds the automaton anew
            self.literals |= new
            self.automaton = None
            self.generation += 1

    def scan(self, folded: str) -> dict[str, list[int]]:
        if self.automaton is None:
            self.automaton = Automaton.build(sorted(self.literals), minhash._compiled())
        return self.automaton.scan(folded)


class Automaton:
    """Aho-Corasick over a fixed list of literals: a full transition table for the
    compiled scan, or pyahocorasick's automaton.

    The table has one row per trie node and one column per class of code point (each
    code point that occurs in a literal is a class of its own, every other one is
    class 0), each entry the node the scan moves to: the goto and failure links
    resolved in advance, so the scan does one lookup per character.  Each node lists
    the literals that end there, its own and those of its failure chain.  An entry
    holds the offset of its node's row, negative for a node where literals end, so
    that the compiled scan neither multiplies nor looks further on most characters.
    """

    def __init__(self, literals: list[str], tables: tuple | None = None, kernels=None, fallback=None):
        self.literals = literals
        self.tables = tables  # (delta, width, class_of, out_start, out_ids, overlap) for kernels.scan_literals
        self.kernels = kernels
        self.fallback = fallback  # pyahocorasick's automaton, when there are no tables

    @classmethod
    def build(cls, literals: list[str], kernels=None) -> "Automaton":
        points = sorted({ord(ch) for literal in literals for ch in literal})
        if kernels is None or not points or points[-1] >= 65536 or len(points) >= 255 \
                or (1 + sum(map(len, literals))) * (len(points) + 1) >= 1 << 31:  # row offsets are 32-bit
            automaton = ahocorasick.Automaton()
            for literal in literals:
                automaton.add_word(literal, literal)
            automaton.make_automaton()
            return cls(literals, fallback=automaton)
        class_of = np.zeros(65536, dtype=np.uint8)
        class_of[points] = np.arange(1, len(points) + 1)
        width = len(points) + 1
        goto: list[dict[int, int]] = [{}]
        ending: list[list[int]] = [[]]
        for number, literal in enumerate(literals):
            node = 0
            for ch in literal:
                c = int(class_of[ord(ch)])
                nxt = goto[node].get(c)
                if nxt is None:
                    nxt = goto[node][c] = len(goto)
                    goto.append({})
                    ending.append([])
                node = nxt
            ending[node].append(number)
        delta = np.zeros((len(goto), width), dtype=np.int32)
        fail = [0] * len(goto)
        queue = []
        for c, child in goto[0].items():
            delta[0, c] = child
            queue.append(child)
        for node in queue:  # breadth first: a node's failure target is always done before it
            delta[node] = delta[fail[node]]
            for c, child in goto[node].items():
                delta[node, c] = child
                fail[child] = 0 if node == 0 else int(delta[fail[node], c])
                queue.append(child)
            ending[node] = ending[node] + ending[fail[node]]
        out_start = np.zeros(len(goto) + 1, dtype=np.int32)
        out_start[1:] = np.cumsum([len(e) for e in ending])
        out_ids = np.array([n for e in ending for n in e] or [0], dtype=np.int32)
        ends_here = np.array([bool(e) for e in ending])
        offsets = delta * np.int32(width)  # each entry the row offset of the state it names,
        offsets[ends_here[delta]] *= -1  # negated when a literal ends there (the root never)
        overlap = max(map(len, literals)) - 1  # a long text is walked in two halves, this far apart
        return cls(literals, (offsets.ravel(), width, class_of, out_start, out_ids, overlap), kernels)

    def scan(self, text: str) -> dict[str, list[int]]:
        """Literal -> the end offsets (inclusive) of its occurrences, overlapping ones
        included, in order."""
        found: dict[str, list[int]] = {}
        if self.tables is None:
            for end, literal in self.fallback.iter(text):
                found.setdefault(literal, []).append(end)
            return found
        return self.kernels.scan_literals(text, self.literals, *self.tables)


_SCANNER = _Scanner()


def expect(literals: frozenset[str]) -> None:
    """Add literals that `find` will be asked for, before the first scan."""
    if literals:
        _SCANNER.add(literals)


_MEMO = "literal scan"  # its key in a Document's memo


def find(doc, literals: frozenset[str]) -> "Occurrences":
    """Where `literals` (and those of every gate used before) occur in a Document.

    The document is scanned once for all rules; only literals the scanner has not seen
    yet (the first document of a run) make it scan again.
    """
    _SCANNER.add(literals)
    cached = doc.memo.get(_MEMO)
    if cached is not None and cached.generation == _SCANNER.generation:
        return cached
    result = doc.memo[_MEMO] = Occurrences(_SCANNER.scan(doc.folded), _SCANNER.generation)
    return result


def any_found(doc, literals: frozenset[str]) -> bool:
    """Whether any of `literals` occurs in a Document, from its one literal scan: how a
    check that needs a few characters passes over the many texts without them."""
    return not find(doc, literals).ends.keys().isdisjoint(literals)


class Occurrences:
    """Literal -> end offsets (inclusive) in a document's case-folded text.

    Holds no reference to its document: it lives in the document's memo, and a
    reference back would make each document a cycle, freed only by the collector
    (which a run keeps paused) instead of when its last reference goes.
    """

    def __init__(self, ends: dict[str, list[int]], generation: int):
        self.ends, self.generation = ends, generation
        self._line_starts: list[int] | None = None
        self._line_array: np.ndarray | None = None

    def __contains__(self, literal: str) -> bool:
        return literal in self.ends

    def passes(self, gate: tuple[frozenset[str], ...]) -> bool:
        """Whether the text has one literal of every set of a gate: a set test each, the
        shorter side iterated."""
        found = self.ends.keys()
        for options in gate:
            if found.isdisjoint(options):
                return False
        return True

    def count(self, options: frozenset[str]) -> int:
        return sum(len(self.ends.get(word, ())) for word in options)

    def lines(self, doc, options: frozenset[str]) -> set[int]:
        """The 1-based lines of `doc` that an occurrence of one of `options` lies on.

        Placed by a binary search of the line starts: by the kernels, each search going on
        from the last; else in Python for a few occurrences and all at once in numpy for
        many (a text of curly apostrophes has tens of thousands)."""
        out: set[int] = set()
        kernels = minhash._compiled()
        if kernels is not None:  # a tenth of the time, and no list made into an array
            starts = self._starts(doc)
            for word in options:
                ends = self.ends.get(word)
                if ends:
                    kernels.occurrence_lines(ends, len(word) - 1, starts, out)
            return out
        for word in options:
            ends = self.ends.get(word)
            if not ends:
                continue
            back = len(word) - 1  # from an occurrence's last character to its first
            if len(ends) <= _FEW_OCCURRENCES:
                starts = self._starts(doc)
                for end in ends:
                    last = bisect_right(starts, end)
                    first = bisect_right(starts, end - back) if back else last
                    out.update(range(first, last + 1))
                continue
            starts = self._starts_array(doc)
            last = np.searchsorted(starts, ends, "right")
            if not back:
                out.update(last.tolist())
                continue
            first = np.searchsorted(starts, np.asarray(ends) - back, "right")
            out.update(first.tolist())
            for a, b in zip(first[first != last].tolist(), last[first != last].tolist()):
                out.update(range(a + 1, b + 1))  # an occurrence across a line break
        return out

    def _starts(self, doc) -> list[int]:
        """The line starts of the case-folded text, in which the offsets are."""
        if self._line_starts is None:
            if len(doc.folded) == len(doc.text):  # folding only ever lengthens a character: none was
                self._line_starts = doc.line_starts
            else:  # casefold may change lengths ("\u00df" -> "ss"), never newlines
                self._line_starts = [0] + [m.end() for m in re.finditer("\n", doc.folded)]
        return self._line_starts

    def _starts_array(self, doc) -> np.ndarray:
        if self._line_array is None:
            self._line_array = np.asarray(self._starts(doc), dtype=np.int64)
        return self._line_array


_FEW_OCCURRENCES = 8  # more, and numpy places a literal's occurrences faster than bisect


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


_REPEATS_SPELLED = 8  # a literal repeated more often than this is required only this often


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
        sub = list(sub)
        if low > 1 and sub and all(o is c.LITERAL for o, _ in sub):  # "\*{3}" needs "***", not just "*"
            return [{"".join(chr(a).casefold() for _, a in sub) * min(low, _REPEATS_SPELLED)}]
        return _sequence(sub) if low >= 1 else []
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _sequence(list(arg))
    return []


# -- the characters a line-start phrase may open with ----------------------------------

_ASCII_DIGITS = frozenset("0123456789")
_ASCII_WORD = frozenset("0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_SPACE = frozenset(" \t\n\r\f\v\x1c\x1d\x1e\x1f")  # \s in `re`, and more than the regex module's
_ASCII_BLANKS = frozenset(" \t\n\r\f\v")  # \s in both
_ASCII = frozenset(map(chr, range(128)))


@lru_cache(maxsize=1024)
def opening_characters(pattern: str, ignorecase: bool) -> bytes | None:
    """For a pattern that opens with ^, a table of the 128 ASCII characters: 1 where a
    match may begin with that character.  Any character beyond ASCII may begin one.
    None when no such table can be told (the pattern may match the empty string, may
    begin with any character, or Python's parser cannot read it).

    A line-start phrase is then tried only at the starts of the lines that open with one
    of these, not searched through the whole text: most lines of prose open with a
    letter, which no bullet, number or marker pattern does."""
    if not _read_alike(pattern):
        return None
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE if ignorecase else 0)
    except (re.error, ValueError, TypeError, OverflowError, RecursionError):
        return None
    ignorecase = ignorecase or bool(parsed.state.flags & re.IGNORECASE)  # or an inline (?i)
    found = _opening(list(parsed))
    if found is None or found[1]:  # nothing known, or an empty match is possible
        return None
    chars = found[0]
    if ignorecase:
        if any(ord(ch) >= 128 for ch in chars):  # folds to ASCII ("\u212a" to "k", "\u00df" to "ss")
            return None
        chars = chars | {ch.swapcase() for ch in chars}
    table = bytearray(128)
    for ch in chars:
        if ord(ch) < 128:
            table[ord(ch)] = 1
    return bytes(table)


def _opening(items: list) -> tuple[set[str], bool] | None:
    """The characters a match of a sequence may begin with, and whether it may be empty."""
    out: set[str] = set()
    for op, arg in items:
        found = _opening_item(op, arg)
        if found is None:
            return None
        out |= found[0]
        if not found[1]:
            return out, False
    return out, True


def _opening_item(op, arg) -> tuple[set[str], bool] | None:
    c = sre_constants
    if op is c.LITERAL:
        return {chr(arg)}, False
    if op is c.IN:
        return _opening_set(arg)
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, sub = arg
        return None if add_flags or del_flags else _opening(list(sub))
    if op is c.BRANCH:
        out: set[str] = set()
        empty = False
        for branch in arg[1]:
            found = _opening(list(branch))
            if found is None:
                return None
            out |= found[0]
            empty = empty or found[1]
        return out, empty
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, _high, sub = arg
        found = _opening(list(sub))
        return None if found is None else (found[0], low == 0 or found[1])
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _opening(list(arg))
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):  # zero width: what follows opens the match
        return set(), True
    return None  # any character, a back reference, ...


def _opening_set(items: list) -> tuple[set[str], bool] | None:
    c = sre_constants
    out: set[str] = set()
    for op, arg in items:
        if op is c.LITERAL:
            out.add(chr(arg))
        elif op is c.RANGE:
            low, high = arg
            out.update(chr(x) for x in range(low, min(high, 127) + 1))
            if high >= 128:
                out.add(chr(high))  # beyond ASCII: marks the set as reaching there
        elif op is c.CATEGORY and arg is c.CATEGORY_DIGIT:
            out |= _ASCII_DIGITS
        elif op is c.CATEGORY and arg is c.CATEGORY_WORD:
            out |= _ASCII_WORD
        elif op is c.CATEGORY and arg is c.CATEGORY_SPACE:
            out |= _ASCII_SPACE
        elif op is c.CATEGORY and arg is c.CATEGORY_NOT_WORD:  # \W: punctuation, spaces, controls
            out |= _ASCII - _ASCII_WORD
        elif op is c.CATEGORY and arg is c.CATEGORY_NOT_DIGIT:
            out |= _ASCII - _ASCII_DIGITS
        elif op is c.CATEGORY and arg is c.CATEGORY_NOT_SPACE:  # all but the spaces both modules agree on
            out |= _ASCII - _ASCII_BLANKS
        else:  # a negated set: nearly any character
            return None
    return out, False
