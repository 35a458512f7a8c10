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

import numpy as np
import regex

from lint.checks.base import CorpusCheck, CorpusView
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

    def check_corpus(self, signatures: Iterable[tuple[str, Any]], p: RepeatedLineParams,
                     files: Counter | None = None, signed: int | None = None) -> Iterator[Hit]:
        """`files` and `signed` override the counts when only part of the corpus is given."""
        signed_sigs = sorted(signatures, key=lambda t: t[0])
        if files is None:
            files = Counter(digest for _, sig in signed_sigs for digest, _, _ in sig)
        need = max(p.min_files, math.ceil(p.min_share * (len(signed_sigs) if signed is None else signed)))
        for path, sig in signed_sigs:
            for digest, line, text in sorted(sig, key=lambda t: t[1]):
                count = files[digest]
                if count >= need:
                    yield Hit(line, line, {"line": text, "count": count, "others": count - 1},
                              key=digest, path=path)

    def index(self, signatures: list[Any], p: RepeatedLineParams) -> dict[str, np.ndarray]:
        """Every distinct line digest with the number of files that have it, and each file's digests."""
        rows = [(f, digest) for f, sig in enumerate(signatures) for digest, _, _ in sig]
        row_digest = np.array([d for _, d in rows], dtype="S20")
        digests, counts = np.unique(row_digest, return_counts=True)
        return {"digest": digests, "files": counts.astype(np.int64),
                "row_file": np.array([f for f, _ in rows], dtype=np.int32), "row_digest": row_digest}

    def check_changed(self, view: CorpusView, p: RepeatedLineParams) -> Iterator[Hit]:
        """A focus file's lines, counted over the corpus: the snapshot's counts, less the
        files that changed since, plus their current versions."""
        focus = [(path, sig) for path, sig in view.changed.items() if path in view.focus]
        wanted = sorted({digest for _, sig in focus for digest, _, _ in sig})
        files: Counter = Counter()
        if wanted:
            a = view.arrays
            digests, counts = a["digest"], a["files"]
            keys = np.array(wanted, dtype="S20")
            at = np.minimum(np.searchsorted(digests, keys), max(len(digests) - 1, 0))
            for digest, key, i in zip(wanted, keys, at.tolist()):
                if len(digests) and digests[i] == key:
                    files[digest] = int(counts[i])
            stale_rows = np.flatnonzero(view.stale[a["row_file"]]) if len(a["row_file"]) else []
            wanted_set = set(wanted)
            for digest in a["row_digest"][stale_rows].tolist() if len(stale_rows) else ():
                digest = digest.decode()
                if digest in wanted_set:
                    files[digest] -= 1
            for sig in view.changed.values():
                files.update(digest for digest, _, _ in sig)
        yield from self.check_corpus(focus, p, files=files, signed=view.signed)
