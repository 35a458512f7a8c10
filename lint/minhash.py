"""Bulk MinHash signatures with datasketch's semantics, computed with numpy.

A document is tokenised once (normalised words with their line numbers); every
unit (a file, a section, a paragraph) is then a slice of that token array.  Word
k-shingles are hashed with a fixed 64-bit mix of per-token BLAKE2b hashes, folded
to 32 bits, and the permutations of datasketch's ``affine32`` scheme (the MurmurHash3
finaliser, then ``a * h + b`` modulo 2**32, with ``a`` and ``b`` drawn from the same
seeded generator datasketch uses) are applied to all shingles at once.  The result is
bit-for-bit the ``hashvalues`` that ``datasketch.MinHash(seed=seed).update_batch`` gives
for the same 32-bit shingle hashes, so the values go straight into ``LeanMinHash`` and
``MinHashLSH``.  Everything is deterministic: no Python ``hash()``, fixed seeds.
"""

from __future__ import annotations

import hashlib
import weakref
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import regex

SCHEME = "affine32"
_MAX32 = np.uint32(0xFFFFFFFF)
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
MIX64 = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio odd constant: spreads token order into the hash
_CHUNK = 4096  # shingles per block when applying permutations (bounds memory on whole books)

# Words and numbers; apostrophes inside words are kept ("Ma's" -> "ma's").  Markdown
# emphasis, punctuation and curly-vs-straight quotes never reach a token.
_TOKEN = regex.compile(r"[\p{L}\p{N}]+(?:['\u2019][\p{L}]+)*")

_token_cache: dict[str, int] = {}


def _hash_word(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


@dataclass(frozen=True)
class Tokens:
    """A document's normalised tokens: 64-bit hashes and the 1-based line of each."""

    hashes: np.ndarray  # uint64
    lines: np.ndarray  # int64, non-decreasing
    lengths: np.ndarray  # int64: characters in each (case-folded) token

    def span(self, start_line: int, end_line: int) -> tuple[int, int]:
        """Token index range [lo, hi) of the tokens on lines start_line..end_line."""
        lo = int(np.searchsorted(self.lines, start_line, "left"))
        hi = int(np.searchsorted(self.lines, end_line, "right"))
        return lo, hi


_tokens_of: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def tokens(doc) -> Tokens:
    """Tokenise a Document once; every rule and unit kind shares the result.

    The case-folded text is split into lines (case folding never adds or removes a
    newline) and each line tokenised with one regex call; words are hashed once per
    distinct word and mapped in C, so no Python code runs per token.
    """
    cached = _tokens_of.get(doc)
    if cached is not None:
        return cached
    text = doc.text
    folded = text.lower() if text.isascii() else text.casefold().replace("\u2019", "'")
    findall = _TOKEN.findall
    words: list[str] = []
    counts: list[int] = []
    for line in folded.split("\n"):
        found = findall(line)
        words += found
        counts.append(len(found))
    missing = set(words).difference(_token_cache)
    if missing:
        if len(_token_cache) + len(missing) > 2_000_000:  # bound memory on huge vocabularies
            _token_cache.clear()
            missing = set(words)
        for word in missing:
            _token_cache[word] = _hash_word(word)
    hashes = np.fromiter(map(_token_cache.__getitem__, words), dtype=np.uint64, count=len(words))
    lines = np.repeat(np.arange(1, len(counts) + 1, dtype=np.int64), counts)
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    result = Tokens(hashes, lines, lengths)
    _tokens_of[doc] = result
    return result


def shingle_hashes(token_hashes: np.ndarray, k: int) -> np.ndarray:
    """Unique 32-bit hashes of the word k-shingles (one shingle when fewer than k tokens)."""
    n = len(token_hashes)
    if n == 0:
        return np.empty(0, dtype=np.uint32)
    k = min(k, n)
    m = n - k + 1
    with np.errstate(over="ignore"):
        h = token_hashes[:m].copy()
        for i in range(1, k):
            h = h * MIX64 + token_hashes[i : i + m]
        folded = ((h >> np.uint64(32)) ^ h) & np.uint64(0xFFFFFFFF)
    return np.unique(folded.astype(np.uint32))


@lru_cache(maxsize=16)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutation parameters for (num_perm, seed).

    Drawn as datasketch's MinHash._init_permutations draws them (an odd multiplier and
    an offset from numpy's seeded RandomState), so that importing datasketch, which
    takes half a second with scipy, is left to the runs that build an LSH index.
    tests/checks/test_near_duplicate.py compares them with datasketch's own.
    """
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(hv: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    return hv ^ (hv >> s3)


def signature(shingles: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """MinHash hashvalues (uint32[num_perm]) of a set of 32-bit shingle hashes."""
    a, b = permutations(num_perm, seed)
    out = np.full(num_perm, _MAX32, dtype=np.uint32)
    if len(shingles) == 0:
        return out
    with np.errstate(over="ignore"):
        mixed = _fmix32(shingles.astype(np.uint32))
        for lo in range(0, len(mixed), _CHUNK):
            block = mixed[lo : lo + _CHUNK, None]
            np.minimum(out, (block * a + b).min(axis=0), out=out)
    return out


_BATCH = 1 << 15  # shingles per bulk step: 32k x 128 permutations x 4 bytes = 16 MB


def signatures(sets: list[np.ndarray], num_perm: int, seed: int) -> np.ndarray:
    """MinHash hashvalues of many shingle sets at once: uint32[len(sets), num_perm].

    Small sets (a document's paragraphs) are concatenated and permuted in one step,
    then reduced per set with np.minimum.reduceat; this is what makes paragraph-level
    sketches cheap.  Equal, value for value, to calling `signature` on each set.
    """
    a, b = permutations(num_perm, seed)
    out = np.full((len(sets), num_perm), _MAX32, dtype=np.uint32)
    i = 0
    while i < len(sets):
        if len(sets[i]) > _BATCH:
            out[i] = signature(sets[i], num_perm, seed)
            i += 1
            continue
        j, total = i, 0
        while j < len(sets) and len(sets[j]) <= _BATCH and total + len(sets[j]) <= _BATCH:
            total += len(sets[j])
            j += 1
        lens = np.array([len(x) for x in sets[i:j]], dtype=np.int64)
        if total:
            with np.errstate(over="ignore"):
                mixed = _fmix32(np.concatenate(sets[i:j]).astype(np.uint32))
                values = mixed[:, None] * a + b
            nonempty = lens > 0
            starts = (np.cumsum(lens) - lens)[nonempty]
            rows = np.flatnonzero(nonempty) + i
            out[rows] = np.minimum.reduceat(values, starts, axis=0)
        i = j
    return out


def lean(hashvalues: np.ndarray, seed: int):
    """A datasketch LeanMinHash over precomputed hashvalues, for MinHashLSH."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=hashvalues, scheme=SCHEME)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures (datasketch's MinHash.jaccard)."""
    return float(np.count_nonzero(a == b)) / len(a)


def containment(jac: float, size_a: int, size_b: int) -> float:
    """Estimated share of A's shingles found in B, from Jaccard and the two set sizes.

    |A n B| = J |A u B| and |A u B| = (|A| + |B|) / (1 + J), so |A n B| / |A| follows.
    """
    if size_a <= 0:
        return 0.0
    return min(1.0, jac * (size_a + size_b) / ((1.0 + jac) * size_a))
