"""Characters that should not be in text: U+FFFD replacement characters, controls,
zero-width and bidirectional marks.

A replacement character in a file that decoded cleanly is the scar of an earlier
lossy conversion: the original character is gone.  Those the loader itself put in
place of undecodable bytes are `invalid-encoding`'s, so they are not reported twice.
Invisible characters are reported by code point, since quoting them shows nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import regex

from lint.checks.base import DocumentCheck
from lint.checks.literals import any_found, sre_constants, sre_parse
from lint.document import Document
from lint.findings import Hit
from lint.fix import edit, make_fix


@dataclass(frozen=True)
class ReplacementCharacterParams:
    pass


class ReplacementCharacter(DocumentCheck):
    Params = ReplacementCharacterParams

    def check(self, doc: Document, p: ReplacementCharacterParams) -> Iterator[Hit]:
        if "\ufffd" not in doc.text:
            return
        if doc.source.encoding == "cp1252" and doc.source.decode_errors:
            return  # a legacy 8-bit file: reported once by invalid-encoding
        loader_made = {(e.line, e.col) for e in doc.source.decode_errors}
        for i, line in enumerate(doc.lines):
            col = line.find("\ufffd")
            while col != -1:
                end = col + 1
                while end < len(line) and line[end] == "\ufffd":
                    end += 1
                if (i + 1, col + 1) not in loader_made:
                    context = line[max(0, col - 20): end + 20].strip()
                    yield Hit(i + 1, i + 1, {"count": end - col}, start_col=col + 1, end_col=end + 1,
                              key=context)
                col = line.find("\ufffd", end)


@dataclass(frozen=True)
class InvisibleCharacterParams:
    # A character class of the code points to report; each run is one finding.
    characters: str = r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]"
    fix_safety: Literal["safe", "unsafe"] = "safe"

    def validate(self) -> str | None:
        try:
            regex.compile(self.characters)
        except regex.error as exc:
            return f"'characters' does not compile: {exc}"
        return None

    @cached_property
    def compiled(self) -> regex.Pattern:
        return regex.compile(f"(?:{self.characters})+")

    @cached_property
    def _item(self) -> tuple | None:
        """The one parsed item of `characters` when it matches a single character at a time
        (a class, a literal); None otherwise, or when Python's parser cannot read it."""
        try:
            parsed = list(sre_parse.parse(self.characters))
        except Exception:  # the regex module's own syntax: no shortcut, the text is searched
            return None
        c = sre_constants
        if len(parsed) == 1 and parsed[0][0] in (c.IN, c.LITERAL, c.NOT_LITERAL, c.ANY, c.CATEGORY):
            return parsed[0]
        return None

    @property
    def single(self) -> bool:
        """Whether `characters` matches one character at a time: then a text can match only
        if one of its distinct characters does."""
        return self._item is not None

    @cached_property
    def members(self) -> str | None:
        """Every character of a class of literals and ranges, when it has few enough to look
        for one by one (a substring search each); None otherwise."""
        if self._item is None:
            return None
        c = sre_constants
        op, arg = self._item
        items = [(op, arg)] if op is c.LITERAL else arg if op is c.IN else None
        out: list[str] = []
        for kind, value in items or [(None, None)]:
            if kind is c.LITERAL:
                out.append(chr(value))
            elif kind is c.RANGE and value[1] - value[0] < 512:
                out.extend(chr(v) for v in range(value[0], value[1] + 1))
            else:
                return None
        return "".join(out) if len(out) <= 512 else None

    @cached_property
    def scanned(self) -> frozenset[str] | None:
        """The members as literals for the document's one literal scan (lint.checks.literals),
        when they are few and case folding leaves each as it is, so that one in the text
        is one in the folded text the scan reads; None otherwise."""
        members = self.members
        if members is None or len(members) > _SCANNED_MEMBERS or any(c.casefold() != c for c in members):
            return None
        return frozenset(members)

    @cached_property
    def _seen(self) -> dict[str, bool]:
        return {}

    def matches(self, char: str) -> bool:
        known = self._seen.get(char)
        if known is None:
            known = self._seen[char] = self.compiled.fullmatch(char) is not None
        return known


_SCANNED_MEMBERS = 96  # the scan's table has room for 254 distinct characters in all


class InvisibleCharacter(DocumentCheck):
    """Runs of characters that do not show (controls, zero-width, bidi), named by code point.

    The whole text is searched once; these characters are rare, so the cost is one scan.
    """

    Params = InvisibleCharacterParams

    def literals(self, p: InvisibleCharacterParams) -> frozenset[str]:
        return p.scanned or frozenset()

    def check(self, doc: Document, p: InvisibleCharacterParams) -> Iterator[Hit]:
        # Most texts have none of these characters: find that out without the regex engine,
        # from the literal scan every document has (a search of the text per character
        # cost as much as the rest of the rule).
        if p.scanned is not None:
            if not any_found(doc, p.scanned):
                return
        elif p.members is not None:
            if not any(c in doc.text for c in p.members):
                return
        elif p.single and not any(map(p.matches, doc.characters)):
            return
        for m in p.compiled.finditer(doc.text):
            line = doc.line_of(m.start())
            col = doc.col_of(m.start())
            codes = " ".join(f"U+{ord(c):04X}" for c in m.group()[:5]) + (" \u2026" if len(m.group()) > 5 else "")
            end_col = col + len(m.group())
            yield Hit(line, line, {"codes": codes, "count": len(m.group())}, start_col=col, end_col=end_col,
                      key=f"{codes}|{doc.lines[line - 1][max(0, col - 20): col + 20]}",
                      fix=make_fix(f"Delete {codes}", [edit(line, col, line, end_col)], p.fix_safety))
