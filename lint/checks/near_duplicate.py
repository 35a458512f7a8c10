"""Near-duplicate units (sections, paragraphs or whole files) within and across files.

Each document is tokenised once and each unit becomes a MinHash signature of its
word shingles (lint.minhash, datasketch's semantics).  The corpus pass takes its
candidates from datasketch's MinHashLSH (Jaccard) and, when `containment` is set,
from single-row MinHash bands (a short unit contained in a longer one), so the work
grows about linearly with the corpus.  Every candidate is confirmed against its
estimated similarity before it is reported.  Copies are grouped: a unit copied k
times gives k - 1 findings, each pointing at the first copy, not k*(k-1)/2 pairs;
runs of adjacent copied paragraphs become one finding per copied block.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from datasketch import MinHashLSH

from lint import minhash
from lint.checks.base import CorpusCheck
from lint.document import Document
from lint.findings import Hit, Related

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
        if self.merge_gap < 0 or self.exact_max < 0:
            return "'merge_gap' and 'exact_max' must be 0 or more"
        return None


@dataclass(frozen=True, slots=True)
class UnitSig:
    """One unit of one document: its span, its ordinal among the document's units, its sketch."""

    start_line: int
    end_line: int
    ordinal: int
    size: int  # distinct shingles
    hashvalues: np.ndarray  # uint32[num_perm]
    shingles: np.ndarray | None = None  # sorted unique uint32 shingle hashes of a small unit


def units(doc: Document, unit: str) -> list[tuple[int, int]]:
    """Line spans of the units of one kind in a document."""
    if unit == "file":
        last = doc.last_content_line()
        return [(1, last)] if last else []
    if unit == "paragraph":
        heading_at = doc.heading_at
        return [(b.start_line, b.end_line) for b in doc.paragraphs
                if not (b.start_line == b.end_line and b.start_line in heading_at)]
    toc = doc.toc_lines
    return [(s.start_line, s.end_line) for s in doc.sections if s.start_line not in toc]


class NearDuplicate(CorpusCheck):
    Params = NearDuplicateParams

    def signature(self, doc: Document, p: NearDuplicateParams) -> tuple[UnitSig, ...]:
        toks = minhash.tokens(doc)
        kept = []
        for ordinal, (start, end) in enumerate(units(doc, p.unit)):
            lo, hi = toks.span(start, end)
            if hi - lo < p.min_words:
                continue
            kept.append((start, end, ordinal, minhash.shingle_hashes(toks.hashes[lo:hi], p.shingle)))
        values = minhash.signatures([k[3] for k in kept], p.num_perm, p.seed)
        return tuple(
            UnitSig(start, end, ordinal, len(shingles), values[n],
                    shingles if len(shingles) <= p.exact_max else None)
            for n, (start, end, ordinal, shingles) in enumerate(kept)
        )

    def check_corpus(self, signatures: Iterable[tuple[str, Any]], p: NearDuplicateParams) -> Iterator[Hit]:
        flat: list[tuple[str, UnitSig]] = [(path, u) for path, sigs in sorted(signatures, key=lambda t: t[0])
                                           for u in sigs]
        if len(flat) < 2:
            return
        edges = _confirmed_pairs(flat, p)
        yield from _report(flat, edges, p)


def _confirmed_pairs(flat: list[tuple[str, UnitSig]], p: NearDuplicateParams) -> dict[tuple[int, int], tuple[float, float]]:
    """(i, j) with i < j -> (jaccard, containment of the smaller in the larger), confirmed."""
    lean = [minhash.lean(u.hashvalues, p.seed) for _, u in flat]
    candidates: set[tuple[int, int]] = set()
    lsh = MinHashLSH(threshold=p.candidate_threshold or 0.75 * p.threshold, num_perm=p.num_perm)
    with lsh.insertion_session() as session:
        for i, m in enumerate(lean):
            session.insert(i, m, check_duplication=False)
    for i, m in enumerate(lean):
        for j in lsh.query(m):
            if j != i:
                candidates.add((min(i, j), max(i, j)))
    if p.containment > 0:
        candidates |= _containment_candidates(np.stack([u.hashvalues for _, u in flat]), p)
    confirmed = {}
    for i, j in sorted(candidates):
        (pi, ui), (pj, uj) = flat[i], flat[j]
        same = pi == pj
        if (p.scope == "within" and not same) or (p.scope == "across" and same):
            continue
        if same and ui.start_line <= uj.end_line and uj.start_line <= ui.end_line:
            continue  # overlapping spans of one file are not copies of each other
        jac, cont = _similarity(ui, uj)
        if jac >= p.threshold or (p.containment > 0 and cont >= p.containment):
            confirmed[(i, j)] = (jac, cont)
    return confirmed


def _containment_candidates(values: np.ndarray, p: NearDuplicateParams) -> set[tuple[int, int]]:
    """Pairs that agree on at least `min_hits` MinHash values: LSH with one row per band.

    A short unit inside a long one has a low Jaccard similarity (its size over the
    long one's), so Jaccard-tuned bands miss it; but each permutation still agrees
    with that probability, so over 128 single-row bands such a pair collides many
    times while unrelated paragraphs almost never share a 5-word shingle's minimum.
    (datasketch's MinHashLSHEnsemble was tried: with default weights it found one of
    six contained paragraphs of the seed e-book's blurb, and 3.4 s when tuned.)
    Buckets larger than `max_bucket` are phrases common to many units, not copies.
    """
    n, k = values.shape
    keys = (np.arange(k, dtype=np.uint64)[None, :] << np.uint64(32)) | values.astype(np.uint64)
    keys = keys.ravel()
    owner = np.repeat(np.arange(n, dtype=np.int64), k)
    order = np.argsort(keys, kind="stable")
    keys, owner = keys[order], owner[order]
    edges = np.flatnonzero(np.diff(keys)) + 1
    starts = np.concatenate(([0], edges))
    sizes = np.diff(np.concatenate((starts, [len(keys)])))
    pair_codes = []
    two = starts[sizes == 2]
    if len(two):
        a, b = owner[two], owner[two + 1]
        pair_codes.append(np.minimum(a, b) * n + np.maximum(a, b))
    # Buckets of equal size are expanded together: a unit has one value per
    # permutation, so a bucket never holds the same unit twice.
    for size in np.unique(sizes[(sizes > 2) & (sizes <= p.max_bucket)]):
        block = starts[sizes == size]
        members = owner[block[:, None] + np.arange(size)]
        ii, jj = np.triu_indices(int(size), 1)
        a, b = members[:, ii].ravel(), members[:, jj].ravel()
        pair_codes.append(np.minimum(a, b) * n + np.maximum(a, b))
    if not pair_codes:
        return set()
    codes, counts = np.unique(np.concatenate(pair_codes), return_counts=True)
    codes = codes[counts >= p.min_hits]
    return {(int(c // n), int(c % n)) for c in codes if c // n != c % n}


def _similarity(a: UnitSig, b: UnitSig) -> tuple[float, float]:
    """Jaccard and containment of the smaller unit in the larger: exact when both keep
    their shingles, else estimated from the MinHash signatures."""
    small, large = (a, b) if a.size <= b.size else (b, a)
    if a.shingles is not None and b.shingles is not None:
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
            small, large = (i, j) if flat[i][1].size <= flat[j][1].size else (j, i)
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
    for k in indices:
        if runs:
            last = runs[-1][-1]
            if flat[last][0] == flat[k][0] and flat[k][1].ordinal - flat[last][1].ordinal <= gap + 1:
                runs[-1].append(k)
                continue
        runs.append([k])
    return runs


def _stitched_hit(flat, large: int, run: list[int], edges, p) -> Hit:
    path, unit = flat[large]
    other_path = flat[run[0]][0]
    conts = [edges[(min(s, large), max(s, large))][1] for s in run]
    sim = float(np.mean(conts))
    rel = Related(other_path, flat[run[0]][1].start_line, flat[run[-1]][1].end_line, round(sim, 4))
    return Hit(unit.start_line, unit.end_line,
               args={"similarity": f"{sim:.2f}", "jaccard": "-", "containment": f"{sim:.2f}",
                     "other": _where(path, rel), "count": len(run)},
               related=(rel,), key=_key(unit, "stitched"), path=path)


def _merged_hits(flat, copies: list[_Copy], p) -> Iterator[Hit]:
    """Adjacent copies of adjacent originals (a copied passage) become one finding."""
    copies.sort(key=lambda c: c.copy)
    blocks: list[list[_Copy]] = []
    for c in copies:
        if blocks:
            prev = blocks[-1][-1]
            same_files = flat[prev.copy][0] == flat[c.copy][0] and flat[prev.original][0] == flat[c.original][0]
            step_copy = flat[c.copy][1].ordinal - flat[prev.copy][1].ordinal
            step_orig = flat[c.original][1].ordinal - flat[prev.original][1].ordinal
            if same_files and 0 < step_copy <= p.merge_gap + 1 and 0 < step_orig <= p.merge_gap + 1:
                blocks[-1].append(c)
                continue
        blocks.append([c])
    for block in blocks:
        path, first = flat[block[0].copy]
        last = flat[block[-1].copy][1]
        opath = flat[block[0].original][0]
        ostart = min(flat[c.original][1].start_line for c in block)
        oend = max(flat[c.original][1].end_line for c in block)
        jac = float(np.mean([c.jaccard for c in block]))
        cont = float(np.mean([c.containment for c in block]))
        sim = max(jac, cont) if p.containment > 0 else jac
        rel = Related(opath, ostart, oend, round(jac, 4))
        yield Hit(first.start_line, last.end_line,
                  args={"similarity": f"{sim:.2f}", "jaccard": f"{jac:.2f}", "containment": f"{cont:.2f}",
                        "other": _where(opath, rel), "count": len(block)},
                  related=(rel,), key=_key(first, f"{opath}"), path=path)


def _where(path: str, rel: Related) -> str:
    return f"{path}:{rel.start_line}-{rel.end_line}"


def _key(unit: UnitSig, extra: str) -> str:
    """Fingerprint key from the unit's content (its sketch), never its line numbers."""
    return hashlib.sha1(unit.hashvalues.tobytes() + extra.encode()).hexdigest()[:16]
