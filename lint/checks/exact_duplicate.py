"""Paragraphs that are the same text after normalisation, within and across files.

Normalisation folds case, white space, punctuation, markdown emphasis and curly
versus straight quotes (only words and numbers are kept), so a re-wrapped or
re-punctuated copy is still the same paragraph.  Each document contributes one
hash per paragraph; the corpus pass groups equal hashes, reports every later copy
pointing at the first, and merges runs of copied paragraphs into one finding.
Headings are left out (chapters are meant to repeat "Summary"), and so are
paragraphs shorter than `min_chars` normalised characters, so that very common
short lines do not flood the report.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from lint import minhash
from lint.checks.base import CorpusCheck
from lint.document import Document
from lint.findings import Hit, Related


@dataclass(frozen=True)
class ExactDuplicateParams:
    min_chars: int = 16  # shorter normalised paragraphs ("Conclusion", "* * *") are never reported
    min_words: int = 1  # and paragraphs with fewer words
    max_copies: int = 0  # 0: no limit; else a paragraph found more often than this is boilerplate, not a copy
    scope: Literal["all", "within", "across"] = "all"  # pairs inside one file, across files, or both
    skip_headings: bool = True  # headings repeat by design
    merge_gap: int = 0  # copied paragraphs at most this many paragraphs apart become one finding

    def validate(self) -> str | None:
        if self.min_chars < 1 or self.min_words < 1:
            return "'min_chars' and 'min_words' must be at least 1"
        if self.max_copies < 0 or self.merge_gap < 0:
            return "'max_copies' and 'merge_gap' must be 0 or more"
        return None


class ExactDuplicate(CorpusCheck):
    Params = ExactDuplicateParams

    def signature(self, doc: Document, p: ExactDuplicateParams) -> tuple[tuple[str, int, int, int], ...]:
        """(hash, start_line, end_line, ordinal) for every paragraph long enough to count."""
        heading_at = doc.heading_at
        toc = doc.toc_lines
        toks = minhash.tokens(doc)  # shared with the MinHash rules: one tokenisation per document
        out = []
        for ordinal, block in enumerate(doc.paragraphs):
            if block.start_line in toc:
                continue
            if p.skip_headings and block.start_line == block.end_line and block.start_line in heading_at:
                continue
            lo, hi = toks.span(block.start_line, block.end_line)
            words = hi - lo
            # The normalised paragraph is its words joined by single spaces.
            if words < p.min_words or int(toks.lengths[lo:hi].sum()) + words - 1 < p.min_chars:
                continue
            digest = hashlib.blake2b(toks.hashes[lo:hi].tobytes(), digest_size=10).hexdigest()
            out.append((digest, block.start_line, block.end_line, ordinal))
        return tuple(out)

    def check_corpus(self, signatures: Iterable[tuple[str, Any]], p: ExactDuplicateParams) -> Iterator[Hit]:
        groups: dict[str, list[tuple[str, int, int, int]]] = defaultdict(list)
        for path, sig in sorted(signatures, key=lambda t: t[0]):
            for digest, start, end, ordinal in sig:
                groups[digest].append((path, start, end, ordinal))
        copies = []  # (copy, original, digest)
        for digest, members in groups.items():
            if len(members) < 2 or (p.max_copies and len(members) > p.max_copies):
                continue
            members.sort()
            first = members[0]
            for m in members[1:]:
                same = m[0] == first[0]
                if (p.scope == "within" and not same) or (p.scope == "across" and same):
                    continue
                copies.append((m, first, digest))
        copies.sort()
        blocks: list[list[tuple]] = []
        for c in copies:
            if blocks:
                prev = blocks[-1][-1]
                if (prev[0][0] == c[0][0] and prev[1][0] == c[1][0]
                        and 0 < c[0][3] - prev[0][3] <= p.merge_gap + 1
                        and 0 < c[1][3] - prev[1][3] <= p.merge_gap + 1):
                    blocks[-1].append(c)
                    continue
            blocks.append([c])
        for block in blocks:
            (path, start, _, _), (opath, ostart, _, _), digest = block[0]
            end = block[-1][0][2]
            oend = max(c[1][2] for c in block)
            rel = Related(opath, ostart, oend, 1.0)
            yield Hit(start, end, args={"other": f"{opath}:{ostart}-{oend}", "count": len(block),
                                        "similarity": "1.00"},
                      related=(rel,), key=digest + opath, path=path)
