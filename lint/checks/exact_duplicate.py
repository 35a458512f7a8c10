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

import numpy as np

from lint import minhash
from lint.checks.base import CorpusCheck, CorpusView
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


Row = tuple[str, int, int, int]  # (digest, start line, end line, ordinal)


class Paragraphs:
    """One document's paragraph digests and places as two arrays.

    Iterating gives Row tuples; held as tuples of a string and three integers, a
    corpus of millions of paragraphs would cost ten times as much memory.
    """

    def __init__(self, digests: np.ndarray, places: np.ndarray):
        self.digests = digests  # S20: hex BLAKE2b of the normalised words
        self.places = places  # int32[n, 3]: start line, end line, ordinal

    @classmethod
    def pack(cls, rows: Iterable[Row]) -> "Paragraphs":
        rows = list(rows)
        return cls(np.array([r[0] for r in rows], dtype="S20"),
                   np.array([r[1:] for r in rows], dtype=np.int32).reshape(-1, 3))

    def __len__(self) -> int:
        return len(self.digests)

    def __iter__(self) -> Iterator[Row]:
        for digest, (start, end, ordinal) in zip(self.digests.tolist(), self.places.tolist()):
            yield digest.decode(), start, end, ordinal

    def __reduce__(self):
        """Pickled as one buffer: every file's Paragraphs crosses from a worker, and its
        two arrays pickled one by one took 3.6 times as long to write and twice as long
        to read (13.6 against 3.8 ms and 9.6 against 4.6 ms for a 10 MB corpus)."""
        digests = np.ascontiguousarray(self.digests)
        places = np.ascontiguousarray(self.places, dtype=np.int32)
        return (_unpacked_paragraphs, (len(digests), digests.dtype.str, digests.tobytes() + places.tobytes()))


def _unpacked_paragraphs(n: int, dtype: str, blob: bytes) -> Paragraphs:
    """Paragraphs.__reduce__ undone: both arrays are (read-only) views of the buffer."""
    digests = np.frombuffer(blob, dtype=dtype, count=n)
    places = np.frombuffer(blob, dtype=np.int32, count=3 * n, offset=digests.nbytes).reshape(n, 3)
    return Paragraphs(digests, places)


class ExactDuplicate(CorpusCheck):
    Params = ExactDuplicateParams

    def signature(self, doc: Document, p: ExactDuplicateParams) -> Paragraphs:
        """(hash, start_line, end_line, ordinal) for every paragraph long enough to count.

        The hash is each finding's fingerprint key, so it stays hashlib's 10-byte BLAKE2b of
        the paragraph's tokens' hashes.  The kernels choose the paragraphs and hash them
        four at a time (kernels.paragraph_digests): hashlib's one-message BLAKE2b was a
        third of the signature, and the loop over the paragraphs in Python most of the
        rest (39 -> 21 ms per 10 MB).  Without them, the same loop here."""
        paragraphs = minhash.paragraph_tokens(doc)  # shared with copied-passage, as the tokens are
        toks = minhash.tokens(doc)
        toc = doc.toc_lines
        kernels = minhash._compiled()
        if kernels is not None:
            heading = paragraphs.heading if p.skip_headings else np.zeros(len(paragraphs.first), dtype=bool)
            return Paragraphs(*kernels.paragraph_digests(
                np.ascontiguousarray(toks.hashes), toks.lengths, paragraphs.first, paragraphs.last, paragraphs.lo,
                paragraphs.hi, heading.view(np.uint8), toc.start, toc.stop, p.min_words, p.min_chars))
        below, above = toc.start, toc.stop
        skipped = paragraphs.heading.tolist() if p.skip_headings else [False] * len(paragraphs.first)
        hashes = memoryview(np.ascontiguousarray(toks.hashes))
        lengths = toks.lengths
        min_words, min_chars = p.min_words, p.min_chars
        digests: list[str] = []
        rows: list[tuple[int, int, int]] = []
        for ordinal, (first, last, lo, hi, heading) in enumerate(zip(
                paragraphs.first.tolist(), paragraphs.last.tolist(), paragraphs.lo.tolist(), paragraphs.hi.tolist(),
                skipped)):
            if heading or below <= first < above:
                continue
            words = hi - lo
            if words < min_words:
                continue
            # The normalised paragraph is its words joined by single spaces; every word
            # has a character, so only a short paragraph has its characters counted.
            if 2 * words - 1 < min_chars and int(lengths[lo:hi].sum()) + words - 1 < min_chars:
                continue
            digests.append(hashlib.blake2b(hashes[lo:hi], digest_size=10).hexdigest())
            rows.append((first, last, ordinal))
        return Paragraphs(np.array(digests, dtype="S20"), np.array(rows, dtype=np.int32).reshape(-1, 3))

    def check_corpus(self, signatures: Iterable[tuple[str, Any]], p: ExactDuplicateParams,
                     sizes: dict[str, int] | None = None) -> Iterator[Hit]:
        """`sizes` gives each paragraph's number of copies when only part of the corpus is given."""
        groups: dict[str, list[tuple[str, int, int, int]]] = defaultdict(list)
        for path, digest, start, end, ordinal in _repeated(signatures):
            groups[digest].append((path, start, end, ordinal))
        copies = []  # (copy, original, digest)
        for digest, members in groups.items():
            total = sizes[digest] if sizes is not None else len(members)
            if len(members) < 2 or (p.max_copies and total > p.max_copies):
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

    def index(self, signatures: list[Any], p: ExactDuplicateParams) -> dict[str, np.ndarray]:
        """Every paragraph's digest and place in corpus order, and the same sorted by digest."""
        sigs = [_packed(sig) for sig in signatures]
        counts = np.array([len(sig) for sig in sigs], dtype=np.int64)
        digest = np.concatenate([sig.digests for sig in sigs] or [np.empty(0, dtype="S20")]).astype("S20")
        places = np.concatenate([sig.places for sig in sigs] or [np.empty((0, 3), dtype=np.int32)])
        order = np.argsort(digest, kind="stable")  # equal digests stay in corpus order: the first copy leads
        return {
            "file": np.repeat(np.arange(len(sigs), dtype=np.int32), counts),
            "start": places[:, 0].copy(),
            "end": places[:, 1].copy(),
            "ordinal": places[:, 2].copy(),
            "digest": digest,
            "order": order.astype(np.int64),
            "sorted": digest[order],
        }

    def check_changed(self, view: CorpusView, p: ExactDuplicateParams) -> Iterator[Hit]:
        """The full run's hits on or pointing at focus files, from part of the corpus.

        That part is: the focus files whole; the first copy of each of their
        paragraphs; each file holding a copy whose first copy is in a focus file, whole
        (its runs of copies are merged), with the first copy of each of its paragraphs.
        Nothing needs loading: the index holds every paragraph's place.
        """
        a = view.arrays
        file_of, order, sorted_digests = a["file"], a["order"], a["sorted"]
        changed: dict[str, list[tuple[str, int, int, int]]] = defaultdict(list)  # digest -> changed places
        for path, sig in view.changed.items():
            for digest, start, end, ordinal in sig:
                changed[digest].append((path, start, end, ordinal))

        def place(r: int) -> tuple[str, int, int, int]:
            return view.paths[file_of[r]], int(a["start"][r]), int(a["end"][r]), int(a["ordinal"][r])

        signatures: dict[str, set[tuple[str, int, int, int]]] = defaultdict(set)
        sizes: dict[str, int] = {}
        whole: set[int] = set()  # indexed files taken whole
        whole_changed: set[str] = set()  # changed files taken whole

        def add_first(digest: str, collect: bool) -> None:
            """Put the first copy of a paragraph in the part; note the files copying a focus one."""
            if digest in sizes:
                return
            key = np.array([digest], dtype="S20")
            lo, hi = (int(np.searchsorted(sorted_digests, key, side)[0]) for side in ("left", "right"))
            rows = order[lo:hi]
            rows = rows[~view.stale[file_of[rows]]]
            sizes[digest] = len(rows) + len(changed.get(digest, ()))
            first = min([place(int(r)) for r in rows[:1]] + changed.get(digest, []))
            signatures[first[0]].add((digest, *first[1:]))
            if collect and first[0] in view.focus:
                whole.update(int(file_of[r]) for r in rows)
                whole_changed.update(path for path, *_ in changed.get(digest, ()))

        for path in view.focus:
            sig = view.changed.get(path, ())
            signatures[path].update(sig)
            for digest, *_ in sig:
                add_first(digest, collect=True)
        for f in sorted(whole):
            lo, hi = (int(x) for x in np.searchsorted(file_of, [f, f + 1]))
            for r in range(lo, hi):
                digest = a["digest"][r].decode()
                signatures[view.paths[f]].add((digest, *place(r)[1:]))
                add_first(digest, collect=False)
        for path in sorted(whole_changed):
            for row in view.changed[path]:
                signatures[path].add(row)
                add_first(row[0], collect=False)
        parts = [(path, tuple(sorted(rows, key=lambda t: t[3]))) for path, rows in signatures.items()]
        yield from self.check_corpus(parts, p, sizes=sizes)


def _packed(sig: Any) -> Paragraphs:
    return sig if isinstance(sig, Paragraphs) else Paragraphs.pack(sig)


def _repeated(signatures: Iterable[tuple[str, Any]]) -> Iterator[tuple[str, str, int, int, int]]:
    """(path, digest, start, end, ordinal) of every paragraph whose digest occurs more
    than once, in (path, position) order: the rest cannot be a copy, so never become
    Python objects.  The repeated ones are found in the whole corpus's arrays at once,
    not file by file (128,000 calls into numpy at 1 GB)."""
    files = sorted(((path, _packed(sig)) for path, sig in signatures), key=lambda t: t[0])
    if not files:
        return
    digests = np.concatenate([sig.digests for _, sig in files]).astype("S20")
    # A 64-bit key per digest, not a sort of 20-byte strings; a key shared by chance only
    # makes a paragraph an object for nothing, since the groups below are by digest.
    keys = minhash.row_keys(digests.view(np.uint8).reshape(len(digests), 20))
    at = np.flatnonzero(_shared(keys))
    if not len(at):
        return
    counts = np.fromiter((len(sig) for _, sig in files), dtype=np.int64, count=len(files))
    firsts = np.cumsum(counts) - counts
    # Each paragraph's file: the last whose first paragraph is at or before it (a file
    # with none starts where the next one does, and is passed over).
    owners = np.searchsorted(firsts, at, "right") - 1
    places = np.concatenate([sig.places for _, sig in files]).astype(np.int32, copy=False)[at]
    for (start, end, ordinal), owner, digest in zip(places.tolist(), owners.tolist(), digests[at].tolist()):
        yield files[owner][0], digest.decode(), start, end, ordinal


def _shared(keys: np.ndarray) -> np.ndarray:
    """Whether each key occurs more than once: one radix sort of the keys and a binary
    search among the few that repeat (still sorted, and found by their first copy), where
    np.unique's inverse took an argsort."""
    ordered = minhash.sort_keys(keys.copy(), _RADIX_FROM)
    repeats = ordered[1:][ordered[1:] == ordered[:-1]]
    if not len(repeats):
        return np.zeros(len(keys), dtype=bool)
    found = np.searchsorted(repeats, keys)
    return repeats[np.minimum(found, len(repeats) - 1)] == keys


_RADIX_FROM = 1 << 16  # keys from which _shared sorts by radix
