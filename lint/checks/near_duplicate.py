"""Near-duplicate units (sections, paragraphs or whole files) within and across files.

Each document is tokenised once and each unit becomes a MinHash signature of its
word shingles (lint.minhash, datasketch's semantics).  The corpus pass takes its
candidates from LSH bands with datasketch's MinHashLSH parameters and pairs (Jaccard)
and, when `containment` is set, from single-row MinHash bands (a short unit contained
in a longer one), so the work grows about linearly with the corpus.  Every candidate
is confirmed, exactly when both units keep their shingles, before it is reported.  Copies are grouped: a unit copied k
times gives k - 1 findings, each pointing at the first copy, not k*(k-1)/2 pairs;
runs of adjacent copied paragraphs become one finding per copied block.
"""

from __future__ import annotations

import ctypes
import hashlib
import itertools
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np

from lint import minhash, snapshot
from lint.checks.base import CorpusCheck, CorpusView
from lint.document import Document
from lint.findings import Hit, Related
from lint.spill import Spill, Spilled

Unit = Literal["section", "paragraph", "file"]


@dataclass(frozen=True)
class NearDuplicateParams:
    unit: Unit = "section"  # what is compared: a heading and its body, a paragraph, a whole file
    threshold: float = 0.7  # estimated Jaccard similarity of the shingle sets that counts as a copy
    # LSH proposes pairs from this similarity up; every pair is then confirmed against
    # `threshold`.  Proposing below the threshold keeps pairs just above it from being
    # lost to the S-curve of banded LSH.  0: 0.75 x threshold.
    candidate_threshold: float = 0.0
    containment: float = 0.0  # 0: off; else also report a unit whose shingles are this share inside a longer one
    shingle: int = 5  # words per shingle
    num_perm: int = 128  # MinHash permutations: more is slower and more exact (error ~ 1/sqrt(num_perm))
    min_words: int = 40  # shorter units are not compared (their shingle sets are too small to judge)
    seed: int = 1  # MinHash seed; fixed so that runs agree
    scope: Literal["all", "within", "across"] = "all"  # pairs inside one file, across files, or both
    merge_gap: int = 1  # adjacent copied units (this many units apart at most) become one finding
    min_hits: int = 3  # containment candidates must agree on this many MinHash values
    max_bucket: int = 50  # a MinHash value shared by more units than this is a common phrase
    exact_max: int = 4000  # units with at most this many shingles keep them, and are confirmed exactly

    def validate(self) -> str | None:
        if not 0.0 < self.threshold <= 1.0:
            return "'threshold' must be in (0, 1]"
        if not 0.0 <= self.candidate_threshold <= self.threshold:
            return "'candidate_threshold' must be between 0 and 'threshold'"
        if not 0.0 <= self.containment <= 1.0:
            return "'containment' must be in [0, 1] (0 turns it off)"
        if self.shingle < 1:
            return "'shingle' must be at least 1"
        if self.num_perm < 16 or self.num_perm > 1024:
            return "'num_perm' must be between 16 and 1024"
        if self.min_words < 1:
            return "'min_words' must be at least 1"
        if not 0 <= self.seed < 1 << 32:
            return "'seed' must be between 0 and 2**32 - 1"
        if self.min_hits < 1 or self.max_bucket < 2:
            return "'min_hits' must be at least 1 and 'max_bucket' at least 2"
        if self.merge_gap < 0 or self.exact_max < 0:
            return "'merge_gap' and 'exact_max' must be 0 or more"
        return None


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see VALUE_CLASSES in lint.findings
class UnitSig:
    """One unit of one document: its span, its ordinal among the document's units, its sketch."""

    start_line: int
    end_line: int
    ordinal: int
    size: int  # distinct shingles
    hashvalues: np.ndarray  # uint32[num_perm]
    shingles: np.ndarray | None = None  # sorted unique uint32 shingle hashes of a small unit


class Sketches:
    """One document's units as arrays: what a worker sends back and the corpus pass reads.

    As a tuple of UnitSig objects a paragraph cost about 1.2 KB of object and array
    headers besides its 512 bytes of MinHash values; a corpus of millions of paragraphs
    is held as a few arrays per file instead.  Indexing still gives a UnitSig (whose
    arrays are views), so code that pairs a few units reads them one by one.
    """

    def __init__(self, spans: np.ndarray, sizes: np.ndarray, values: np.ndarray,
                 shingles: np.ndarray, offsets: np.ndarray):
        self.spans = spans  # int32[n, 3]: start line, end line, ordinal
        self.sizes = sizes  # int64[n]: distinct shingles (at least one per unit)
        self.values = values  # uint32[n, num_perm], or flattened and Spilled until the corpus pass
        self.shingles = shingles  # uint32 (or Spilled): the kept shingle sets, one after another
        # int64[n + 1]: unit i's set is shingles[offsets[i]:offsets[i + 1]], empty when
        # the unit is too large to keep it (it is then confirmed from its values)
        self.offsets = offsets

    @classmethod
    def pack(cls, units: "Iterable[UnitSig]", num_perm: int) -> "Sketches":
        units = list(units)
        sets = [u.shingles if u.shingles is not None else np.empty(0, dtype=np.uint32) for u in units]
        lengths = np.array([len(x) for x in sets], dtype=np.int64)
        return cls(
            np.array([(u.start_line, u.end_line, u.ordinal) for u in units], dtype=np.int32).reshape(-1, 3),
            np.array([u.size for u in units], dtype=np.int64),
            np.stack([u.hashvalues for u in units]) if units else np.empty((0, num_perm), dtype=np.uint32),
            np.concatenate(sets) if units else np.empty(0, dtype=np.uint32),
            np.concatenate(([0], np.cumsum(lengths))),
        )

    def __len__(self) -> int:
        return len(self.sizes)

    @property
    def values(self) -> np.ndarray:
        values = self._values
        if isinstance(values, Spilled):  # read back whole: only the corpus pass reads them all, into its matrix
            values = self._values = values.load().reshape(len(self.sizes), -1)
        return values

    @values.setter
    def values(self, values: "np.ndarray | Spilled") -> None:
        self._values = values

    def __reduce__(self):
        """Pickled as one buffer: every file's Sketches crosses from a worker, and the
        four arrays pickled one by one cost 25 us a file (3 s of CPU per GB of text).
        Values parked in a spill travel as where they lie (lint.spill)."""
        n = len(self.sizes)
        head = (np.ascontiguousarray(self.sizes, dtype=np.int64).data,
                np.ascontiguousarray(self.offsets, dtype=np.int64).data,
                np.ascontiguousarray(self.spans, dtype=np.int32).data)
        if isinstance(self._values, Spilled):
            return (_unpacked_sketches, (n, len(self._values) // n, b"".join(head), self.shingles, self._values))
        perms = self._values.shape[1]
        blob = b"".join((*head, np.ascontiguousarray(self._values, dtype=np.uint32).data))
        return (_unpacked_sketches, (n, perms, blob, self.shingles))

    def __getitem__(self, i: int) -> UnitSig:
        return self.unit(i)

    def unit(self, i: int, shingles: bool = True) -> UnitSig:
        """Unit i; without its shingles when `shingles` is False (no read from the spill)."""
        start, end, ordinal = self.spans[i].tolist()
        lo, hi = int(self.offsets[i]), int(self.offsets[i + 1])
        if not shingles or hi <= lo:
            return UnitSig(start, end, ordinal, int(self.sizes[i]), self.values[i], None)
        kept = self.shingles.slice(lo, hi) if isinstance(self.shingles, Spilled) else self.shingles[lo:hi]
        return UnitSig(start, end, ordinal, int(self.sizes[i]), self.values[i], kept)

    def __iter__(self) -> "Iterator[UnitSig]":
        return (self[i] for i in range(len(self)))


def _unpacked_sketches(n: int, perms: int, blob: bytes, shingles: Any, values: Any = None) -> Sketches:
    """Sketches.__reduce__ undone, the 8-byte fields first in the buffer.  The MinHash
    values, when they travelled in it, stay a (read-only) view of it, and are the only
    one: parking them (lint.spill) lets the buffer go."""
    sizes = np.frombuffer(blob, dtype=np.int64, count=n).copy()
    offsets = np.frombuffer(blob, dtype=np.int64, count=n + 1, offset=8 * n).copy()
    spans = np.frombuffer(blob, dtype=np.int32, count=3 * n, offset=8 * (2 * n + 1)).reshape(n, 3).copy()
    if values is None:
        values = np.frombuffer(blob, dtype=np.uint32, count=n * perms, offset=8 * (2 * n + 1) + 12 * n)
    if isinstance(values, np.ndarray):  # a parked array pickled again (the cache, a snapshot) comes back flat
        values = values.reshape(n, perms)
    return Sketches(spans, sizes, values, shingles, offsets)


def units(doc: Document, unit: str) -> list[tuple[int, int]]:
    """Line spans of the units of one kind in a document."""
    if unit == "file":
        last = doc.last_content_line()
        return [(1, last)] if last else []
    if unit == "paragraph":
        heading_at = doc.heading_at
        return [(first, last) for first, last in doc.paragraph_spans if not (first == last and first in heading_at)]
    toc = doc.toc_lines
    return [(s.start_line, s.end_line) for s in doc.sections if s.start_line not in toc]


class NearDuplicate(CorpusCheck):
    Params = NearDuplicateParams

    def signature(self, doc: Document, p: NearDuplicateParams) -> Sketches:
        toks = minhash.tokens(doc)
        if p.unit == "file":
            # One span, the file's tokens up to its last content line (none lies before
            # line 1): numpy's per-call cost was most of a small file's signature.
            last = doc.last_content_line()
            words = int(np.searchsorted(toks.lines, last, "right")) if last else 0
            if last and words >= p.min_words:
                places = np.array([(1, last, 0)], dtype=np.int32)
                lo, hi = np.array([0], np.int64), np.array([words], np.int64)
            else:
                places, lo, hi = np.empty((0, 3), dtype=np.int32), np.empty(0, np.int64), np.empty(0, np.int64)
        elif p.unit == "paragraph":  # as units() gives them, from the table duplicate-paragraph shares
            lo, hi, places = minhash.paragraph_units(minhash.paragraph_tokens(doc), p.min_words)
        else:
            spans = np.array(units(doc, p.unit), dtype=np.int64).reshape(-1, 2)
            first, last = spans[:, 0], spans[:, 1]
            lo, hi, places = minhash.spans_with_words(first, last, *toks.spans(first, last), p.min_words)
        shingles, offsets = minhash.shingle_sets(toks.hashes, lo, hi, p.shingle)
        values = minhash.signatures(shingles, offsets, p.num_perm, p.seed)
        sizes = np.diff(offsets)
        exact = sizes <= p.exact_max
        if not exact.all():  # a large unit is confirmed from its MinHash values: its set is dropped
            shingles = shingles[np.repeat(exact, sizes)]
            offsets = np.concatenate(([0], np.cumsum(np.where(exact, sizes, 0))))
        return Sketches(places, sizes, values, shingles, offsets)

    def check_corpus(self, signatures: Iterable[tuple[str, Any]], p: NearDuplicateParams,
                     common: np.ndarray | None = None, shape: tuple[int, int] | None = None) -> Iterator[Hit]:
        """When only part of the corpus is given: `common` holds the containment keys too
        common in the whole of it, and `shape` the LSH bands to pair the part by."""
        flat = _Corpus(signatures, p.num_perm)
        if len(flat) < 2:
            return
        edges = _confirmed_pairs(flat, p, common, shape)
        yield from _report(flat, edges, p)

    def park(self, signature: Sketches, spill: Spill) -> None:
        """The shingle sets and the MinHash values both wait in the spill: the sets until
        a candidate pair is confirmed, the values until the corpus pass reads them into
        its matrix.  Sent from a worker, the values were most of a file's result (about
        as many bytes as its text), to be received, unpickled and copied again by the
        main process while the workers compete with it for the cores."""
        if isinstance(signature.shingles, np.ndarray):
            signature.shingles = spill.put(signature.shingles)
        if isinstance(signature._values, np.ndarray) and len(signature):
            parked = spill.put(signature._values.reshape(-1))
            if isinstance(parked, Spilled):  # else the disk refused it: the matrix stays as it is
                signature.values = parked

    def index(self, signatures: list[Any], p: NearDuplicateParams) -> dict[str, Any]:
        """Each unit's file, and per LSH band (and per permutation, for containment) the
        units sorted by their band key (value), so the units a new one collides with are
        found by binary search.  The sorted bands and columns are written a row at a
        time, from a few columns gathered at once: built whole they would be three
        copies of the corpus's MinHash values."""
        file, starts = _owners([len(sig) for sig in signatures])
        n = len(file)
        held = [sig.values for sig in signatures if len(sig)]
        shape = _lsh_shape(_candidate_threshold(p), p.num_perm)
        out: dict[str, Any] = {"file": file.astype(np.int32),
                               "pos": (np.arange(n) - starts[file]).astype(np.int32),
                               "lsh_shape": np.array(shape, dtype=np.int64)}

        whole = _one_matrix(held)

        def columns(lo: int, hi: int) -> np.ndarray:
            """values[:, lo:hi] of every unit, in corpus order."""
            if whole is not None:
                return whole[:, lo:hi]
            return np.concatenate([v[:, lo:hi] for v in held]) if held else np.empty((0, hi - lo), dtype=np.uint32)

        def band(t: int) -> tuple[np.ndarray, np.ndarray]:
            r = shape[1]
            keys = minhash.row_keys(columns(t * r, (t + 1) * r))
            order = np.argsort(keys, kind="stable")
            return keys[order], order.astype(np.int32)

        def bands() -> Iterator[tuple[np.ndarray, np.ndarray]]:
            # As the columns below: a few bands at a time, sorted without the interpreter
            # lock (3.2 s of argsort at 1 GB, on one core before), never more held at once.
            with ThreadPoolExecutor(_THREADS) as pool:
                for lo in range(0, shape[0], _THREADS):
                    yield from pool.map(band, range(lo, min(lo + _THREADS, shape[0])))

        def perms() -> Iterator[tuple[np.ndarray, np.ndarray]]:
            with ThreadPoolExecutor(_THREADS) as pool:  # numpy sorts without the interpreter lock
                for lo in range(0, p.num_perm, _COLUMNS_AT_ONCE):
                    yield from pool.map(_sorted_column, columns(lo, lo + _COLUMNS_AT_ONCE).T)

        out["bands"] = snapshot.Streamed(("band_keys", "band_units"), (np.uint64, np.int32), (shape[0], n), bands)
        if p.containment > 0:
            out["perms"] = snapshot.Streamed(("perm_values", "perm_units"), (np.uint32, np.int32),
                                             (p.num_perm, n), perms)
        return out

    def check_changed(self, view: CorpusView, p: NearDuplicateParams) -> Iterator[Hit]:
        yield from _Focused(view, p).hits()


def _one_matrix(parts: list[np.ndarray]) -> np.ndarray | None:
    """One read-only view of all the parts, when they are consecutive rows of one block
    of memory: after the corpus pass every file's values are a view into one matrix
    (_Corpus), and viewing it whole is free where gathering 100,000 files' slices is
    not.  None when they are not."""
    if not parts:
        return None
    first = parts[0]
    owner = first.base if first.base is not None else first
    row = first.strides[0] if first.ndim == 2 else 0
    at = first.__array_interface__["data"][0]
    total = 0
    for part in parts:
        same_owner = part.base is owner or (part.base is None and part is owner)
        if (not same_owner or part.ndim != 2 or part.dtype != first.dtype or part.shape[1] != first.shape[1]
                or not part.flags.c_contiguous or part.__array_interface__["data"][0] != at + total * row):
            return None
        total += len(part)
    return np.lib.stride_tricks.as_strided(first, shape=(total, first.shape[1]), strides=first.strides,
                                           writeable=False)


@lru_cache(maxsize=32)
def _lsh_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    """datasketch's (bands, rows) for this threshold, so the index collides exactly where MinHashLSH does.

    MinHashLSH picks the (b, r) with b * r <= num_perm that minimises the false positive
    plus false negative probability mass, integrated with scipy; importing both takes
    half a second, which a small run would spend on nothing else.  The same integrals
    are taken here for all (b, r) at once, and the first minimum in datasketch's order
    (b, then r) is kept; tests/checks/test_near_duplicate.py compares the choice with
    MinHashLSH's own.

    The chance of sharing a band, 1 - (1 - s**r)**b, is a polynomial in s of degree
    b * r <= num_perm, which Gauss-Legendre quadrature with num_perm // 2 + 1 nodes
    integrates exactly: 65 points for 128 permutations, where a composite rule of 1,024
    (32 panels of 32) took 15-20 ms of every run's corpus stage, and was still not exact.
    """
    b = np.concatenate([np.full(num_perm // k, k) for k in range(1, num_perm + 1)])
    r = np.concatenate([np.arange(1, num_perm // k + 1) for k in range(1, num_perm + 1)])
    nodes, weights = _gauss_legendre(num_perm // 2 + 1)

    def collides(lo: float, hi: float) -> np.ndarray:
        """Integral over [lo, hi] of the chance that two sets of Jaccard s share a band, per (b, r).
        s ** r is taken once per r (num_perm rows, not one per (b, r) pair): the same numbers."""
        half = (hi - lo) / 2
        s = (lo + hi) / 2 + half * nodes
        powers = s[None, :] ** np.arange(1, num_perm + 1)[:, None]
        return (1 - (1 - powers[r - 1]) ** b[:, None]) @ (half * weights)

    false_positive = collides(0.0, threshold)
    false_negative = (1.0 - threshold) - collides(threshold, 1.0)
    best = int(np.argmin(0.5 * false_positive + 0.5 * false_negative))
    return int(b[best]), int(r[best])


@lru_cache(maxsize=8)
def _gauss_legendre(points: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights on [-1, 1], exact for polynomials of degree up to 2 * points - 1:
    the roots of the Legendre polynomial P_points, by Newton's method from Tricomi's
    estimates for all of them at once, and their weights 2 / ((1 - x**2) P'(x)**2).

    Not the eigenvalues of the Jacobi matrix (np.linalg.eigh), which agree to 1.4e-15
    (2 to 259 points) and choose the same LSH shapes: LAPACK's call left an OpenBLAS
    thread spinning for its next task, 0.1 s of a core taken from the corpus pass's own
    two threads.  numpy.polynomial's leggauss calls the same eigh, and importing that
    package took 8 ms."""
    x = np.cos(np.pi * (np.arange(points, 0, -1) - 0.25) / (points + 0.5))  # ascending
    for _ in range(_NEWTON_STEPS):
        value, slope = _legendre(points, x)
        step = value / slope
        x = x - step
        if np.abs(step).max() < 1e-15:
            break
    _, slope = _legendre(points, x)
    return x, 2 / ((1 - x * x) * slope * slope)


_NEWTON_STEPS = 100  # from Tricomi's estimates about five are taken


def _legendre(n: int, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P_n(x) and P_n'(x) (n >= 1, |x| < 1), by Bonnet's recurrence."""
    before, value = np.ones_like(x), x.copy()
    for k in range(2, n + 1):
        before, value = value, ((2 * k - 1) * x * value - (k - 1) * before) / k
    return value, n * (x * value - before) / (x * x - 1)


def _sorted_column(column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A column of values sorted, and the unit (row) of each sorted entry, ties in row
    order: the column and the row numbers packed in one 64-bit word and sorted in
    place, faster than a stable argsort."""
    packed = _packed_sort(column, np.arange(len(column), dtype=np.uint64))
    return (packed >> np.uint64(32)).astype(np.uint32), (packed & _LOW32).astype(np.int32)


def _candidate_threshold(p: NearDuplicateParams) -> float:
    return p.candidate_threshold or 0.75 * p.threshold


def _band_keys(values: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """uint64[units, bands]: one key per band of r hash values (equal bands, equal keys)."""
    b, r = shape
    keys = np.empty((len(values), b), dtype=np.uint64)
    for t in range(b):  # a band at a time: widening every value to 64 bits at once costs 2x the signatures
        keys[:, t] = _band_key(values, t, r)
    return keys


def _band_key(values: np.ndarray, t: int, r: int, rows: np.ndarray | None = None) -> np.ndarray:
    """The keys of band t (of r values) of every unit, or of the given rows only."""
    return minhash.row_keys(values[:, t * r : (t + 1) * r] if rows is None else values[rows, t * r : (t + 1) * r])


def _expand(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges [lo_i, hi_i): (i, position) for every position in every range."""
    sizes = hi - lo
    which = np.repeat(np.arange(len(lo)), sizes)
    starts = np.repeat(lo - (np.cumsum(sizes) - sizes), sizes)
    return which, starts + np.arange(int(sizes.sum()))


class _Focused:
    """One focused corpus pass (see CorpusCheck.check_changed).

    A hit touches a changed file when its copy is there or the earliest unit it pairs
    with is.  So the part of the corpus given to check_corpus is: the changed files
    whole; for each changed unit, the earliest earlier unit it is a Jaccard copy of
    and every unit it pairs with by containment; and for each later unit that may
    point at a changed unit (no earlier copy of its own), its file whole with every
    unit that can pair with that file's units.  A copy shared by hundreds of files
    then costs one lookup per copy, not a pass over the clique, and the hits that
    touch a changed file are the full run's (tests/test_focused.py checks this on
    generated corpora with edits, additions and deletions).
    """

    ELIMINATE = 4  # earlier candidates tried before a unit's file is taken whole

    def __init__(self, view: CorpusView, p: NearDuplicateParams):
        self.view, self.p = view, p
        self.a = view.arrays
        self.file_of, self.pos_of = self.a["file"], self.a["pos"]
        self.n = len(self.file_of)
        self.stale_units = int(np.count_nonzero(view.stale[self.file_of])) if self.n else 0
        self.shape = tuple(int(x) for x in self.a["lsh_shape"])
        # Files changed since the snapshot but not in focus: searchable like the index
        # (as units n, n + 1, ...), but nobody asks for their own hits.
        self.delta = [(path, pos, u) for path, sig in sorted(view.changed.items()) if path not in view.focus
                      for pos, u in enumerate(sig)]
        self.delta_values = _values([u for _, _, u in self.delta], p)
        self.delta_bands = _band_keys(self.delta_values, self.shape)
        self._order: dict[int, tuple[str, int]] = {}

    def unit(self, u: int) -> tuple[str, UnitSig]:
        """An indexed unit (from its file's cached signature) or a changed one."""
        if u >= self.n:
            path, _, sig = self.delta[u - self.n]
            return path, sig
        f = int(self.file_of[u])
        return self.view.paths[f], self.view.signature(f)[int(self.pos_of[u])]

    def order_key(self, u: int) -> tuple[str, int]:
        """Where a unit stands in the corpus: the full run's (path, position) order."""
        key = self._order.get(u)
        if key is not None:
            return key
        if u >= self.n:
            path, pos, _ = self.delta[u - self.n]
            key = path, pos
        else:
            key = self.view.paths[int(self.file_of[u])], int(self.pos_of[u])
        self._order[u] = key
        return key

    def units_of(self, path: str) -> list[int]:
        """Every unit of one file, indexed or changed."""
        if path in self.view.changed:
            return [self.n + k for k, (p, _, _) in enumerate(self.delta) if p == path]
        f = self.view.paths.index(path)
        return [int(u) for u in np.flatnonzero(self.file_of == f)]

    def candidates(self, values: np.ndarray) -> list[set[int]]:
        """For each row of values: the live units it may pair with (a superset of the full run's).

        A row's candidates depend on its values alone, so equal rows (the copies of a
        footer in thousands of files) are looked up once and share one set: looked up
        one by one, 2,540 copies made 135 M pair codes to sort.  The sets are not to
        be changed by the caller."""
        if len(values) > 1:
            distinct, inverse = np.unique(values, axis=0, return_inverse=True)
            if len(distinct) < len(values):
                sets = self.candidates(distinct)
                return [sets[i] for i in inverse.ravel().tolist()]
        a, p, n_q = self.a, self.p, len(values)
        found: list[set[int]] = [set() for _ in range(n_q)]
        if n_q == 0:
            return found
        pairs = [np.empty(0, dtype=np.int64)]
        keys = _band_keys(values, self.shape)
        if self.n:
            for t in range(keys.shape[1]):
                row = a["band_keys"][t]
                lo, hi = np.searchsorted(row, keys[:, t], "left"), np.searchsorted(row, keys[:, t], "right")
                q, at = _expand(lo, hi)
                pairs.append(q.astype(np.int64) * self.n + a["band_units"][t][at])
        if p.containment > 0 and self.n:
            hits = [np.empty(0, dtype=np.int64)]
            for k in range(p.num_perm):
                row = a["perm_values"][k]
                lo, hi = np.searchsorted(row, values[:, k], "left"), np.searchsorted(row, values[:, k], "right")
                # A bucket is dropped as common from max_bucket members; the stale rows may shrink it.
                small = (hi - lo) <= p.max_bucket + self.stale_units
                q, at = _expand(lo[small], hi[small])
                hits.append(np.flatnonzero(small)[q].astype(np.int64) * self.n + a["perm_units"][k][at])
            codes, counts = _unique(np.concatenate(hits), counts=True)
            pairs.append(codes[counts >= p.min_hits])
        codes = _unique(np.concatenate(pairs))
        if self.n:
            q, u = codes // self.n, codes % self.n
            live = ~self.view.stale[self.file_of[u]]
            for qi, ui in zip(q[live].tolist(), u[live].tolist()):
                found[qi].add(ui)
        if self.delta:
            for lo in range(0, n_q, 256):  # the few changed files: compared directly
                block = slice(lo, lo + 256)
                near = (keys[block, None, :] == self.delta_bands[None, :, :]).any(axis=2)
                if p.containment > 0:
                    near |= (values[block, None, :] == self.delta_values[None, :, :]).sum(axis=2) >= p.min_hits
                for qi, k in zip(*np.nonzero(near)):
                    found[lo + int(qi)].add(self.n + int(k))
        return found

    def confirmed(self, a: tuple[str, UnitSig], b: tuple[str, UnitSig]) -> tuple[float, float] | None:
        """The full run's confirmation of one pair (a before b in the corpus), or None."""
        (pa, ua), (pb, ub) = a, b
        if not _allowed(pa == pb, ua, ub, self.p):
            return None
        jac, cont = _similarity(ua, ub)
        return (jac, cont) if _counts(jac, cont, self.p) else None

    def hits(self) -> Iterator[Hit]:
        view, p = self.view, self.p
        fresh = [((path, pos), (path, u)) for path, sig in sorted(view.changed.items()) if path in view.focus
                 for pos, u in enumerate(sig)]
        part: dict[str, dict[int, UnitSig]] = defaultdict(dict)  # path -> ordinal -> unit
        for _, (path, u) in fresh:
            part[path][u.ordinal] = u

        def take(u: int) -> tuple[str, UnitSig]:
            path, sig = self.unit(u)
            part[path][sig.ordinal] = sig
            return path, sig

        # 1. Pair the focus units with the rest.  Before a focus unit, only what can be
        #    the original its copy points at is needed: the earliest Jaccard copy, and
        #    every containment pair (those may join a stitched passage).  After it: each
        #    unit's earliest focus neighbour, to learn whether that unit points at it.
        earliest: dict[int, tuple[str, int]] = {}
        contained: set[int] = set()  # units after a focus one they pair with by containment
        for (fkey, fu), cands in zip(fresh, self.candidates(_values([u for _, (_, u) in fresh], p))):
            first_copy = None
            for u in sorted(cands):
                ukey, other = self.order_key(u), self.unit(u)
                if ukey[0] == fkey[0]:
                    continue  # the focus file's own units are all in the part already
                conf = self.confirmed(*((fu, other) if fkey < ukey else (other, fu)))
                if conf is None:
                    continue
                jaccard = conf[0] >= p.threshold
                if ukey < fkey:
                    if not jaccard:
                        take(u)
                    elif first_copy is None or ukey < self.order_key(first_copy):
                        first_copy = u
                else:
                    earliest[u] = min(earliest.get(u, fkey), fkey)
                    if not jaccard:
                        contained.add(u)
            if first_copy is not None:
                take(first_copy)
        # 2. A unit after a focus one, with an earlier copy of its own (a Jaccard pair
        #    before its earliest focus neighbour), points there and not at a focus
        #    file: it is left out, or kept with that copy when it pairs by containment.
        #    Otherwise its file is taken whole, with everything its units can pair with.
        whole: set[str] = set()
        maybe = sorted(earliest)
        # The copies of a common paragraph (a footer in thousands of files) share one
        # candidate set: it is put in corpus order once, not once per copy, which made
        # a pre-commit run on such a file quadratic in the copies (25 s for 2,540).
        in_order: dict[frozenset[int], list[int]] = {}
        for u, cands in zip(maybe, self.candidates(_values([self.unit(u)[1] for u in maybe], p))):
            mine = self.unit(u)
            key = frozenset(cands)
            ordered = in_order.get(key)
            if ordered is None:
                ordered = in_order[key] = sorted(cands, key=self.order_key)
            # The earliest candidates before u's earliest focus neighbour: a prefix of that order.
            before = list(itertools.takewhile(lambda v: self.order_key(v) < earliest[u], ordered[: self.ELIMINATE]))
            for v in before:
                conf = self.confirmed(self.unit(v), mine)
                if conf is not None and conf[0] >= p.threshold:
                    if u in contained:
                        take(u)
                        take(v)
                    break
            else:
                take(u)
                whole.add(mine[0])
        for path in sorted(whole):
            units = self.units_of(path)
            for u in units:
                take(u)
            for cands in self.candidates(_values([self.unit(u)[1] for u in units], p)):
                for v in cands:
                    take(v)
        signatures = [(path, tuple(units[o] for o in sorted(units))) for path, units in part.items()]
        yield from NearDuplicate().check_corpus(signatures, p, common=self.common(signatures), shape=self.shape)

    def common(self, signatures: list[tuple[str, tuple[UnitSig, ...]]]) -> np.ndarray | None:
        """Containment keys (permutation, value) of the part that more than max_bucket
        units of the whole current corpus share: the full run drops those buckets."""
        p = self.p
        if p.containment <= 0:
            return None
        values = _values([u for _, sig in signatures for u in sig], p)
        fresh_keys, fresh_counts = _unique(
            _containment_keys(_values([u for sig in self.view.changed.values() for u in sig], p)), counts=True)
        common = []
        for k in range(p.num_perm):
            row = self.a["perm_values"][k]
            vals = minhash.sorted_unique(values[:, k])
            lo, hi = np.searchsorted(row, vals, "left"), np.searchsorted(row, vals, "right")
            keys = (np.uint64(k) << np.uint64(32)) | vals.astype(np.uint64)
            extra = _lookup(keys, fresh_keys, fresh_counts)
            for i in np.flatnonzero((hi - lo) + extra > p.max_bucket):
                members = self.a["perm_units"][k][lo[i]:hi[i]]
                live = int(np.count_nonzero(~self.view.stale[self.file_of[members]]))
                if live + int(extra[i]) > p.max_bucket:
                    common.append(keys[i])
        return np.array(common, dtype=np.uint64)


def _values(units: list[UnitSig], p: NearDuplicateParams) -> np.ndarray:
    if not units:
        return np.empty((0, p.num_perm), dtype=np.uint32)
    return np.stack([u.hashvalues for u in units])


def _lookup(keys: np.ndarray, table: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """counts[table == key] for each key (0 where absent); table sorted and unique."""
    if not len(table):
        return np.zeros(len(keys), dtype=np.int64)
    at = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    return np.where(table[at] == keys, counts[at], 0)


def _containment_keys(values: np.ndarray, first: int = 0) -> np.ndarray:
    """(permutation << 32 | value) for every value of every unit, row by row; the
    columns are permutations first, first + 1, ..."""
    n, k = values.shape
    perms = np.arange(first, first + k, dtype=np.uint64)[None, :] << np.uint64(32)
    return (perms | values.astype(np.uint64)).ravel()


def _owners(counts: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """For files of `counts` units laid end to end: each unit's file, and each file's first unit."""
    counts = np.array(counts, dtype=np.int64)
    return np.repeat(np.arange(len(counts), dtype=np.int64), counts), np.cumsum(counts) - counts


_FILES_AT_ONCE = 4096  # files whose MinHash values _Corpus gathers with one copy


class _Corpus:
    """Every unit of the files given, in (path, position) order, as one set of arrays.

    The files' MinHash values are copied into one matrix and each file's Sketches is
    pointed at its rows of it, so the corpus pass never holds them twice.  Indexing
    gives (path, UnitSig), for the few units that pairing and reporting look at.
    """

    def __init__(self, signatures: Iterable[tuple[str, Any]], num_perm: int):
        files = [(path, sig if isinstance(sig, Sketches) else Sketches.pack(sig, num_perm))
                 for path, sig in sorted(signatures, key=lambda t: t[0])]
        counts = np.fromiter((sk.sizes.shape[0] for _, sk in files), dtype=np.int64, count=len(files))
        kept = np.flatnonzero(counts).tolist()  # a file with no unit has no place here
        self.paths = [files[k][0] for k in kept]
        self.sketches = [files[k][1] for k in kept]
        del files
        self.file, self.starts = _owners(counts[kept])
        n = len(self.file)
        if n:
            # Each file's values are read from the spill straight into its rows of the
            # matrix, or, held in memory, copied a few thousand files at once (one call
            # into numpy, not one per file); each file's Sketches then points at its rows.
            # The groups are gathered in threads: most of a read is the kernel first
            # touching the matrix's fresh pages, without the interpreter lock (on a
            # virtual machine that returns freed memory to its host, 3 s of 3.7 for the
            # 827 MB matrix of a 1 GB corpus).
            self.values = np.empty((n, num_perm), dtype=np.uint32)
            starts = self.starts.tolist()
            ends = (self.starts + counts[kept]).tolist()

            def gather(g: int) -> None:
                group = self.sketches[g : g + _FILES_AT_ONCE]
                bounds = list(zip(group, starts[g : g + len(group)], ends[g : g + len(group)]))
                held = [sk._values for sk in group if not isinstance(sk._values, Spilled)]
                if len(held) == len(group):
                    np.concatenate(held, out=self.values[starts[g] : ends[g + len(group) - 1]])
                else:
                    for sk, a, b in bounds:
                        if isinstance(sk._values, Spilled):
                            sk._values.read_into(self.values[a:b].reshape(-1))
                        else:
                            self.values[a:b] = sk._values
                for sk, a, b in bounds:
                    sk.values = self.values[a:b]

            _in_threads(gather, range(0, len(self.sketches), _FILES_AT_ONCE))
            self.sizes = np.concatenate([sk.sizes for sk in self.sketches])
        else:
            self.values = np.empty((0, num_perm), dtype=np.uint32)
            self.sizes = np.empty(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.file)

    def __getitem__(self, i: int) -> tuple[str, UnitSig]:
        f = int(self.file[i])
        return self.paths[f], self.sketches[f][i - int(self.starts[f])]

    def place(self, i: int) -> tuple[str, int, int, int]:
        """(path, start line, end line, ordinal) of unit i: all the report reads of most
        units, without the UnitSig and array views that brief() makes."""
        f = int(self.file[i])
        start, end, ordinal = self.sketches[f].spans[i - int(self.starts[f])].tolist()
        return self.paths[f], start, end, ordinal

    def brief(self, i: int) -> tuple[str, UnitSig]:
        """flat[i] without the unit's shingles: all the report reads, and no read from the spill."""
        f = int(self.file[i])
        return self.paths[f], self.sketches[f].unit(i - int(self.starts[f]), shingles=False)


def _confirmed_pairs(flat: _Corpus, p: NearDuplicateParams, common: np.ndarray | None = None,
                     shape: tuple[int, int] | None = None) -> dict[tuple[int, int], tuple[float, float]]:
    """(i, j) with i < j -> (jaccard, containment of the smaller in the larger), confirmed.

    Units with the same shingles (a footer paragraph in ten thousand files) are paired
    once, through the first of them: a clique of k copies would otherwise be k*k/2
    pairs.  The edges that come back are those the report reads: every containment
    edge (a stitched passage needs them all), and for each unit its first allowed
    Jaccard neighbour from each group of copies, which is where its copy points.
    """
    values = flat.values
    groups = _CopyGroups(flat)
    reps = groups.reps
    codes = [_band_pair_codes(values, shape or _lsh_shape(_candidate_threshold(p), p.num_perm), reps)]
    if p.containment > 0:
        codes.append(_containment_pair_codes(values, p, common, groups.weight, reps))
    codes = _unique(_joined(codes))
    a, b = _plausible_pairs(codes, reps, flat.sizes, values, p)
    del codes
    files = flat.file
    units: dict[int, UnitSig] = {}

    def unit(i: int) -> UnitSig:
        u = units.get(i)
        if u is None:
            u = units[i] = flat[i][1]
        return u

    def allowed(i: int, j: int) -> bool:
        same_file = bool(files[i] == files[j])
        if not same_file:  # the spans matter only within a file: no unit is loaded
            return _in_scope(False, p)
        return _allowed(True, unit(i), unit(j), p)

    confirmed: dict[tuple[int, int], tuple[float, float]] = {}

    def first_before(y: int, group: list[int], value: tuple[float, float]) -> None:
        for x in group:
            if x >= y:
                return
            if allowed(x, y):
                confirmed[(x, y)] = value
                return

    for group in groups.copies.values():  # copies of one another: each points at the first copy it may
        for k, y in enumerate(group[1:], 1):
            first_before(y, group[:k], (1.0, 1.0))
    for i, j in zip(a.tolist(), b.tolist()):
        jac, cont = _similarity(unit(i), unit(j))
        if not _counts(jac, cont, p):
            continue
        gi, gj = groups.members(i), groups.members(j)
        if jac < p.threshold:  # containment only: every pair, for stitched passages
            for x in gi:
                for y in gj:
                    if x != y and allowed(min(x, y), max(x, y)):
                        confirmed[(min(x, y), max(x, y))] = (jac, cont)
            continue
        for y in gj:
            first_before(y, gi, (jac, cont))
        for y in gi:
            first_before(y, gj, (jac, cont))
    return dict(sorted(confirmed.items()))


def _plausible_pairs(codes: np.ndarray, reps: np.ndarray, sizes: np.ndarray, values: np.ndarray,
                     p: NearDuplicateParams) -> tuple[np.ndarray, np.ndarray]:
    """The units (a, b) of the candidate pair codes that _plausible keeps, a block of
    codes at a time: at 1 GB there are millions of candidates, and their per-pair
    arrays were the corpus pass's peak."""
    r = len(reps)
    kept_a, kept_b = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)]
    for lo in range(0, len(codes), _PAIRS_AT_ONCE):
        block = codes[lo : lo + _PAIRS_AT_ONCE]
        a, b = reps[block // r], reps[block % r]
        keep = _plausible(sizes, values, a, b, p)
        kept_a.append(a[keep])
        kept_b.append(b[keep])
    return np.concatenate(kept_a), np.concatenate(kept_b)


_PAIRS_AT_ONCE = 1 << 18


def _allowed(same_file: bool, a: UnitSig, b: UnitSig, p: NearDuplicateParams) -> bool:
    """Whether two units may pair at all: the scope, and no overlapping spans of one file."""
    return _in_scope(same_file, p) and not (same_file and a.start_line <= b.end_line and b.start_line <= a.end_line)


def _in_scope(same_file: bool, p: NearDuplicateParams) -> bool:
    """The scope's part of _allowed, which needs no unit: units of two files pair unless
    the scope is "within", units of one file unless it is "across"."""
    return p.scope != ("within" if not same_file else "across")


def _counts(jac: float, cont: float, p: NearDuplicateParams) -> bool:
    """Whether a pair's similarity makes it a copy."""
    return jac >= p.threshold or (p.containment > 0 and cont >= p.containment)


class _CopyGroups:
    """Units with equal MinHash values, size and (when kept) shingles: copies of one another.

    `reps` holds the first unit of every group in corpus order and `weight` how many
    units each stands for; only the groups of two or more are kept as lists.
    """

    def __init__(self, flat: _Corpus):
        values = flat.values
        n = len(flat)
        # A 64-bit key per row finds the candidates without sorting a copy of the rows:
        # the rows whose key's high half recurs (one sort of n words), grouped by the
        # whole key; equal keys are then checked value for value.
        keys = minhash.row_keys(values)
        _, rows = _collisions(keys >> np.uint64(32), np.arange(n, dtype=np.uint64))
        leader = np.arange(n, dtype=np.int64)
        by_key: dict[int, list[int]] = {}
        for i in np.sort(rows).tolist():
            by_key.setdefault(int(keys[i]), []).append(i)
        for same_key in by_key.values():
            if len(same_key) < 2:  # only the high halves were equal
                continue
            seen: dict[tuple, int] = {}
            for i in same_key:
                u = flat[i][1]
                ident = (u.hashvalues.tobytes(), u.size, u.shingles.tobytes() if u.shingles is not None else None)
                leader[i] = seen.setdefault(ident, i)
        self.copies: dict[int, list[int]] = {}  # leader -> every member, leader first
        for i in np.flatnonzero(leader != np.arange(n)).tolist():
            self.copies.setdefault(int(leader[i]), [int(leader[i])]).append(i)
        self.leader = leader
        self.reps = np.flatnonzero(leader == np.arange(n))
        self.weight = np.ones(len(self.reps), dtype=np.int64)
        if self.copies:
            at = np.searchsorted(self.reps, np.fromiter(self.copies, dtype=np.int64))
            self.weight[at] = [len(m) for m in self.copies.values()]

    def members(self, i: int) -> list[int]:
        """Every unit of the group of unit i (i itself when it has no copies), in corpus order."""
        return self.copies.get(int(self.leader[i]), [int(self.leader[i])])


_SIGMAS = 5.0  # how far below the least similarity that could count an estimate may fall and still be checked


def _plausible(unit_sizes: np.ndarray, values: np.ndarray, first: np.ndarray, second: np.ndarray,
               p: NearDuplicateParams) -> np.ndarray:
    """The candidate pairs worth an exact check, decided for all pairs at once.

    A pair whose MinHash values agree too rarely goes: for the least Jaccard similarity
    that could meet `threshold` or, given the two sizes, `containment`, the number of
    agreeing values is binomial, and a pair more than five standard deviations below
    its mean (a chance under 3e-7 for a true copy) is not checked one by one.
    """
    sizes = unit_sizes.astype(np.float64)
    small = np.minimum(sizes[first], sizes[second])
    large = np.maximum(sizes[first], sizes[second])
    least = np.full(len(first), p.threshold)
    if p.containment > 0:
        c = p.containment * small
        least = np.minimum(least, c / np.maximum(small + large - c, 1.0))
    k = values.shape[1]
    need = k * least - _SIGMAS * np.sqrt(k * least * (1.0 - least))
    agree = np.empty(len(first), dtype=np.int64)
    step = 1 << 13  # pairs compared at once: 8k x 128 values x 2 sides = 8 MB

    def count(lo: int) -> None:
        a, b = first[lo : lo + step], second[lo : lo + step]
        agree[lo : lo + len(a)] = np.count_nonzero(values[a] == values[b], axis=1)

    _in_threads(count, range(0, len(first), step))
    return agree >= need


def _band_pair_codes(values: np.ndarray, shape: tuple[int, int], rows: np.ndarray | None = None) -> np.ndarray:
    """Pair codes (i * n + j) of the units equal in at least one LSH band: MinHashLSH's candidates.

    With `rows`, the units are those rows of values, numbered 0..n-1 in that order.
    datasketch's MinHashLSH keeps every band of every unit as a Python bytes key, which
    at paragraph scale cost more than the rest of the corpus pass together (21 of 56 s
    on 100 MB).  Here each band is a 64-bit key sorted with numpy, and pairs whose keys
    collided without their band values being equal are dropped, so the pairs are
    exactly MinHashLSH's (tests/checks/test_near_duplicate.py compares the two).
    """
    rows = np.arange(len(values)) if rows is None else rows
    n = len(rows)
    b, r = shape
    number = np.arange(n, dtype=np.uint64)
    step = 1 << 18

    def band(t: int) -> np.ndarray:
        # Pairs of units whose band keys agree in the high 32 bits; the band values
        # themselves are then compared, so a chance agreement costs one check.
        key, who = _collisions(_band_key(values, t, r, rows) >> np.uint64(32), number)
        pairs = _bucket_pairs(key, who, n, None)
        i, j = pairs // n, pairs % n
        cols = slice(t * r, (t + 1) * r)
        equal = np.ones(len(pairs), dtype=bool)
        for lo in range(0, len(pairs), step):
            a, c = rows[i[lo : lo + step]], rows[j[lo : lo + step]]
            equal[lo : lo + step] = (values[a, cols] == values[c, cols]).all(axis=1)
        return pairs[equal]

    codes = [np.empty(0, dtype=np.int64), *_in_threads(band, range(b), units=n)]  # bands are independent
    return _unique(_joined(codes))


@lru_cache(maxsize=512)
def _pair_indices(size: int) -> tuple[np.ndarray, np.ndarray]:
    """np.triu_indices(size, 1): the same few bucket sizes recur in every column."""
    ii, jj = np.triu_indices(size, 1)
    ii.flags.writeable = jj.flags.writeable = False
    return ii, jj


def _shared_key_pairs(keys: np.ndarray, owner: np.ndarray, n: int, max_bucket: int | None,
                      weight: np.ndarray | None = None) -> np.ndarray:
    """Pair codes (i * n + j, i < j), one per key two owners share; buckets of more than
    max_bucket units (an owner counting as weight[owner] units) are skipped.  An owner
    holds each key once."""
    order = np.argsort(keys)  # the order inside a bucket does not matter: pairs are (min, max)
    return _bucket_pairs(keys[order], owner[order], n, max_bucket, weight)


def _bucket_pairs(keys: np.ndarray, owner: np.ndarray, n: int, max_bucket: int | None,
                  weight: np.ndarray | None = None) -> np.ndarray:
    """_shared_key_pairs of keys already sorted."""
    edges = np.flatnonzero(np.diff(keys)) + 1
    starts = np.concatenate(([0], edges))
    sizes = np.diff(np.concatenate((starts, [len(keys)])))
    units = sizes if weight is None or not len(keys) else np.add.reduceat(weight[owner], starts)
    fits = np.ones(len(sizes), dtype=bool) if max_bucket is None else units <= max_bucket
    pair_codes = [np.empty(0, dtype=np.int64)]
    two = starts[(sizes == 2) & fits]
    if len(two):
        a, b = owner[two], owner[two + 1]
        pair_codes.append(np.minimum(a, b) * n + np.maximum(a, b))
    # Buckets of equal size are expanded together.  (Not np.unique: see _unique.)
    for size in minhash.sorted_unique(sizes[(sizes > 2) & fits]):
        block = starts[(sizes == size) & fits]
        members = owner[block[:, None] + np.arange(size)]
        ii, jj = _pair_indices(int(size))
        a, b = members[:, ii].ravel(), members[:, jj].ravel()
        pair_codes.append(np.minimum(a, b) * n + np.maximum(a, b))
    return np.concatenate(pair_codes)


def _containment_pair_codes(values: np.ndarray, p: NearDuplicateParams, common: np.ndarray | None = None,
                            weight: np.ndarray | None = None, rows: np.ndarray | None = None) -> np.ndarray:
    """Pairs that agree on at least `min_hits` MinHash values: LSH with one row per band.

    A short unit inside a long one has a low Jaccard similarity (its size over the
    long one's), so Jaccard-tuned bands miss it; but each permutation still agrees
    with that probability, so over 128 single-row bands such a pair collides many
    times while unrelated paragraphs almost never share a 5-word shingle's minimum.
    (datasketch's MinHashLSHEnsemble was tried: with default weights it found one of
    six contained paragraphs of the seed e-book's blurb, and 3.4 s when tuned.)
    Buckets larger than `max_bucket` are phrases common to many units, not copies;
    `weight` counts how many identical units each row stands for; with `rows`, the
    units are those rows of values, numbered 0..n-1 in that order.

    One permutation at a time, each unit's value and number are packed in one 64-bit
    word and sorted in place (no argsort, no gathers), and only the runs of equal
    values, a small share of the units, go on to be paired: the cost is one sort of n
    words per permutation and the memory a few words per unit.
    """
    rows = np.arange(len(values)) if rows is None else rows
    k = values.shape[1]
    # The permutations are shared among threads, a block of columns at a time: numpy
    # sorts and compares without holding the interpreter lock, and the workers that
    # made the signatures are gone by now, so a second core would otherwise sit idle.
    blocks = list(range(0, k, _COLUMNS_AT_ONCE))
    threads = _threads(len(blocks), len(rows))
    shares = _in_threads(lambda firsts: _column_collisions(values, rows, firsts, p, common, weight),
                         [blocks[t::threads] for t in range(threads)])
    parts: dict[int, list[np.ndarray]] = defaultdict(list)
    for share in shares:
        for part, pieces in share.items():
            parts[part] += pieces
    del shares
    _trim()
    span = np.int64(1 << 32)
    found = [np.empty(0, dtype=np.int64)]
    for part in sorted(parts):
        offsets, hits = _unique(_joined(parts.pop(part)), counts=True)
        found.append(offsets[hits >= p.min_hits].astype(np.int64) + part * span)
    return np.concatenate(found)


def _trim() -> None:
    """Give the threads' freed memory back to the system.  glibc keeps what a thread's
    heap (its arena) freed for the next allocation there, hundreds of MB after this
    pass, which would sit beside the rest of the run's memory until it ends."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _column_collisions(values: np.ndarray, rows: np.ndarray, firsts: list[int], p: NearDuplicateParams,
                       common: np.ndarray | None, weight: np.ndarray | None) -> dict[int, list[np.ndarray]]:
    """The pair codes of units that share a value in the permutations of the column
    blocks starting at `firsts`, by range of 2**32 codes as 32-bit offsets into it.

    A corpus of millions of units has tens of millions of pairs that collide once by
    chance, and counting them all in one table would sort it again and again: each
    range is counted once, at the end.
    """
    n = len(rows)
    number = np.arange(n, dtype=np.uint64)
    span = np.int64(1 << 32)
    bounds = np.arange(1, n * n // (1 << 32) + 1, dtype=np.int64) * span
    parts: dict[int, list[np.ndarray]] = defaultdict(list)
    pending: list[np.ndarray] = []

    def flush() -> None:
        codes = _sorted(_joined(pending))
        for part, piece in enumerate(np.split(codes, np.searchsorted(codes, bounds))):
            if len(piece):
                parts[part].append((piece - part * span).astype(np.uint32))

    for first in firsts:
        # A block of columns at once: one pass over the rows, not one per column.
        block = np.ascontiguousarray(values[rows, first : first + _COLUMNS_AT_ONCE].T)
        for perm, column in enumerate(block, first):
            who = number
            if common is not None and len(common):
                theirs = (common[(common >> np.uint64(32)) == np.uint64(perm)] & _LOW32).astype(np.uint32)
                if len(theirs):
                    kept = ~np.isin(column, theirs)
                    column, who = column[kept], who[kept]
            column, who = _collisions(column, who)
            if len(column):  # a unit has one value per permutation, so a bucket never holds it twice
                pending.append(_bucket_pairs(column, who, n, p.max_bucket, weight))
            if len(pending) == _PERMS_AT_ONCE:
                flush()
    if pending:
        flush()
    return parts


_LOW32 = np.uint64(0xFFFFFFFF)
_PERMS_AT_ONCE = 16  # permutations whose pairs are sorted into ranges together
_COLUMNS_AT_ONCE = 4  # value columns gathered together
_THREADS = 2  # each holds a block of columns and its pairs: more would cost memory for little


def _threads(tasks: int, units: int | None = None) -> int:
    """Threads for `tasks` independent pieces of numpy and kernel work (sorts, gathers,
    compares), which run without the interpreter lock: at most _THREADS, the cores and
    the pieces, and one when each piece covers fewer than _THREADS_FROM units, where
    the threads would spend longer handing the lock to each other than in numpy."""
    if units is not None and units < _THREADS_FROM:
        return 1
    return max(1, min(_THREADS, os.cpu_count() or 1, tasks))


# Units below which a column or band is paired in one thread: two threads took 1.5-2.5
# times as long on 1,300 units (the files of a 10 MB corpus) and broke even near 8,000.
_THREADS_FROM = 8192


def _in_threads(work: Callable[[Any], Any], pieces: Iterable[Any], units: int | None = None) -> list[Any]:
    """[work(piece) for piece in pieces], the pieces shared among _threads of them; at
    once when one thread is all there would be."""
    pieces = list(pieces)
    threads = _threads(len(pieces), units)
    if threads == 1:
        return [work(piece) for piece in pieces]
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(work, pieces))


def _collisions(key: np.ndarray, number: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (key, number) entries whose key occurs more than once, sorted by key; keys are
    below 2**32 and numbers below len(number).  Usually a small share of the entries.

    Each key and its number are packed in one 64-bit word and sorted in place: no
    argsort and no gathers, about half the time of sorting the keys with an index.
    """
    if len(number) < 1 << 32:
        packed = _packed_sort(key, number)
        high = packed >> np.uint64(32)
        involved = _repeated_runs(high)
        del high
        packed = packed[involved]
        return packed >> np.uint64(32), (packed & _LOW32).astype(np.int64)
    order = np.argsort(key)  # too many entries to pack their numbers beside a key
    key, number = key[order], number[order]
    involved = _repeated_runs(key)
    return key[involved], number[involved].astype(np.int64)


def _packed_sort(key: np.ndarray, number: np.ndarray) -> np.ndarray:
    """key << 32 | number for every entry, sorted (keys and numbers below 2**32): ordered
    by key, ties by number, with one sort, no argsort and no gathers.  The words are
    built in place.  The numbers are row numbers in order, so the compiled kernels sort
    by the key alone, with a radix sort that keeps ties in order, into a new array (the
    words serve as its spare): about four times numpy's sort of the words."""
    packed = key.astype(np.uint64)
    packed <<= np.uint64(32)
    packed |= number
    kernels = minhash._compiled()
    ordered = kernels.sorted_by_high32(packed) if kernels is not None else None
    if ordered is None:
        packed.sort()
        return packed
    return ordered


_RADIX_FROM = 1 << 16  # smaller arrays: numpy's sort is as fast


def _sorted(values: np.ndarray) -> np.ndarray:
    """values (unsigned or non-negative integers) sorted in place (minhash.sort_keys).
    Pair codes and their offsets are tens of millions of words at 1 GB, where the radix
    sort takes about 60% of numpy's time."""
    return minhash.sort_keys(values, _RADIX_FROM)


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    """The parts in one array, the list emptied: the radix sort takes a spare array as
    large as its input, and the parts need not be held beside both."""
    joined = np.concatenate(parts)
    parts.clear()
    return joined


def _unique(values: np.ndarray, counts: bool = False):
    """np.unique(values) (and return_counts) of non-negative integers, through _sorted.

    np.unique itself is kept out of every run's path: asked for the values alone, it
    imports numpy.ma to rule out a masked array (numpy 2): 10-20 ms on its first call,
    most of the corpus stage of a 10 MB near-duplicate run."""
    ordered = _sorted(values)
    if not len(ordered):
        return (ordered, np.empty(0, dtype=np.int64)) if counts else ordered
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    if not counts:
        return ordered[starts]
    return ordered[starts], np.diff(np.append(starts, len(ordered)))


def _repeated_runs(ordered: np.ndarray) -> np.ndarray:
    """Indices of the entries of a sorted array whose value occurs more than once."""
    same = ordered[1:] == ordered[:-1]
    involved = np.zeros(len(ordered), dtype=bool)
    involved[1:] = same
    involved[:-1] |= same
    return np.flatnonzero(involved)


def _similarity(a: UnitSig, b: UnitSig) -> tuple[float, float]:
    """Jaccard and containment of the smaller unit in the larger: exact when both keep
    their shingles, else estimated from the MinHash signatures."""
    small, large = (a, b) if a.size <= b.size else (b, a)
    if a.shingles is not None and b.shingles is not None:
        kernels = minhash._compiled()
        if kernels is not None and a.shingles.dtype == b.shingles.dtype == np.uint32:
            common = kernels.common_count(a.shingles, b.shingles)  # both sorted and distinct
        else:
            common = len(np.intersect1d(a.shingles, b.shingles, assume_unique=True))
        union = a.size + b.size - common
        return (common / union if union else 0.0), (common / small.size if small.size else 0.0)
    jac = minhash.jaccard(a.hashvalues, b.hashvalues)
    return jac, minhash.containment(jac, small.size, large.size)


@dataclass
class _Copy:
    """One copied unit (index `copy` into flat) and the earlier unit it copies."""

    copy: int
    original: int
    jaccard: float
    containment: float


def _report(flat, edges, p: NearDuplicateParams) -> Iterator[Hit]:
    copies: list[_Copy] = []
    stitched_edges: set[tuple[int, int]] = set()
    # A unit that contains a run of several shorter units found elsewhere in one
    # place (an opening blurb stitched from a section's paragraphs) is the copy.
    if p.containment > 0:
        inside: dict[int, list[int]] = defaultdict(list)
        for (i, j), (jac, cont) in edges.items():
            if jac >= p.threshold:
                continue
            small, large = (i, j) if flat.sizes[i] <= flat.sizes[j] else (j, i)
            inside[large].append(small)
        for large, smalls in sorted(inside.items()):
            for run in _runs(flat, sorted(smalls), p.merge_gap):
                if len(run) < 2:
                    continue
                for s in run:
                    stitched_edges.add((min(s, large), max(s, large)))
                yield _stitched_hit(flat, large, run, edges, p)
    # Everything else: group by connected copies, each later copy points at the
    # earliest unit it was confirmed against (for a clique: the first copy).
    neighbours: dict[int, list[int]] = defaultdict(list)
    for (i, j) in edges:
        if (i, j) in stitched_edges:
            continue
        neighbours[j].append(i)  # i < j: flat is in (path, line) order
    for j in sorted(neighbours):
        i = min(neighbours[j])
        jac, cont = edges[(i, j)]
        copies.append(_Copy(j, i, jac, cont))
    yield from _merged_hits(flat, copies, p)


def _runs(flat, indices: list[int], gap: int) -> list[list[int]]:
    """Split unit indices into runs of the same file whose ordinals are at most gap + 1 apart."""
    runs: list[list[int]] = []
    last_path, last_ordinal = None, 0
    for k in indices:
        path, _, _, ordinal = flat.place(k)
        if runs and path == last_path and ordinal - last_ordinal <= gap + 1:
            runs[-1].append(k)
        else:
            runs.append([k])
        last_path, last_ordinal = path, ordinal
    return runs


def _stitched_hit(flat, large: int, run: list[int], edges, p) -> Hit:
    path, unit = flat.brief(large)
    other_path, start, _, _ = flat.place(run[0])
    conts = [edges[(min(s, large), max(s, large))][1] for s in run]
    sim = float(np.mean(conts))
    rel = Related(other_path, start, flat.place(run[-1])[2], round(sim, 4))
    return Hit(unit.start_line, unit.end_line,
               args={"similarity": f"{sim:.2f}", "jaccard": "-", "containment": f"{sim:.2f}",
                     "other": _where(path, rel), "count": len(run)},
               related=(rel,), key=_key(unit, f"stitched {other_path}"), path=path)


def _merged_hits(flat, copies: list[_Copy], p) -> Iterator[Hit]:
    """Adjacent copies of adjacent originals (a copied passage) become one finding."""
    copies.sort(key=lambda c: c.copy)
    blocks: list[list[_Copy]] = []
    prev_copy = prev_original = None  # the places of the last copy taken and of its original
    for c in copies:
        copy, original = flat.place(c.copy), flat.place(c.original)
        if blocks:
            same_files = prev_copy[0] == copy[0] and prev_original[0] == original[0]
            step_copy = copy[3] - prev_copy[3]
            step_orig = original[3] - prev_original[3]
            if same_files and 0 < step_copy <= p.merge_gap + 1 and 0 < step_orig <= p.merge_gap + 1:
                blocks[-1].append(c)
                prev_copy, prev_original = copy, original
                continue
        blocks.append([c])
        prev_copy, prev_original = copy, original
    for block in blocks:
        path, first = flat.brief(block[0].copy)
        last_end = flat.place(block[-1].copy)[2]
        originals = [flat.place(c.original) for c in block]
        opath = originals[0][0]
        ostart = min(o[1] for o in originals)
        oend = max(o[2] for o in originals)
        jac, cont = _mean([c.jaccard for c in block]), _mean([c.containment for c in block])
        sim = max(jac, cont) if p.containment > 0 else jac
        rel = Related(opath, ostart, oend, round(jac, 4))
        yield Hit(first.start_line, last_end,
                  args={"similarity": f"{sim:.2f}", "jaccard": f"{jac:.2f}", "containment": f"{cont:.2f}",
                        "other": _where(opath, rel), "count": len(block)},
                  related=(rel,), key=_key(first, f"{opath}"), path=path)


def _mean(values: list[float]) -> float:
    """np.mean of the values, bit for bit: most blocks are one copy, whose mean is itself,
    and numpy's call on a short list costs more than the rest of the block's finding."""
    return float(values[0]) if len(values) == 1 else float(np.mean(values))


def _where(path: str, rel: Related) -> str:
    return f"{path}:{rel.start_line}-{rel.end_line}"


def _key(unit: UnitSig, extra: str) -> str:
    """Fingerprint key from the unit's content (its sketch), never its line numbers."""
    return hashlib.sha1(unit.hashvalues.tobytes() + extra.encode()).hexdigest()[:16]
