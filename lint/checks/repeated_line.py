"""Lines shared by many files: headers, footers, licence and navigation text.

This is the corpus-level boilerplate signal that needs no phrase list.  Each
document contributes the hashes of its distinct normalised lines (case, white space
and punctuation folded; short and trivial lines left out); the corpus pass counts in
how many files each line occurs and reports, in every file that has it, each line
shared by at least `min_files` files and at least `min_share` of the corpus: once per
file, at its first occurrence, with the number of files.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import regex

from lint.checks.base import CorpusCheck
from lint.document import Document
from lint.findings import Hit

_WORD = regex.compile(r"[\p{L}\p{N}]+")


@dataclass(frozen=True)
class RepeatedLineParams:
    min_files: int = 5  # a line must occur in at least this many files
    min_share: float = 0.0  # and in at least this share of the files scanned (0.0-1.0)
    min_chars: int = 20  # shorter normalised lines ("Conclusion", "* * *", page numbers) never count
    min_words: int = 4  # nor lines with fewer words

    def validate(self) -> str | None:
        if self.min_files < 2:
            return "'min_files' must be at least 2"
        if not 0.0 <= self.min_share <= 1.0:
            return "'min_share' must be between 0.0 and 1.0"
        if self.min_chars < 1 or self.min_words < 1:
            return "'min_chars' and 'min_words' must be at least 1"
        return None


def normalise(line: str) -> str:
    return " ".join(w.casefold() for w in _WORD.findall(line))


class RepeatedLine(CorpusCheck):
    Params = RepeatedLineParams

    def signature(self, doc: Document, p: RepeatedLineParams) -> tuple[tuple[str, int, str], ...]:
        """(hash, first line, text shown) for every distinct line long enough to count."""
        seen: dict[str, tuple[str, int, str]] = {}
        for i, line in enumerate(doc.lines):
            if doc.blank[i]:
                continue
            norm = normalise(line)
            if len(norm) < p.min_chars or norm.count(" ") + 1 < p.min_words:
                continue
            digest = hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()
            if digest not in seen:
                seen[digest] = (digest, i + 1, line.strip()[:80])
        return tuple(seen.values())

    def check_corpus(self, signatures: Iterable[tuple[str, Any]], p: RepeatedLineParams) -> Iterator[Hit]:
        signed = sorted(signatures, key=lambda t: t[0])
        files = Counter(digest for _, sig in signed for digest, _, _ in sig)
        need = max(p.min_files, math.ceil(p.min_share * len(signed)))
        for path, sig in signed:
            for digest, line, text in sorted(sig, key=lambda t: t[1]):
                count = files[digest]
                if count >= need:
                    yield Hit(line, line, {"line": text, "count": count, "others": count - 1},
                              key=digest, path=path)
