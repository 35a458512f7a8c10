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

Each step is written here with numpy, the reference; where the package was built
with its compiled loops (``lint.kernels``), tokenising, shingling and the minima run
there instead, and give the same values.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import regex

from lint.compiled import fresh_kernels

SCHEME = "affine32"
_MAX32 = np.uint32(0xFFFFFFFF)
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
MIX64 = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio odd constant: spreads token order into the hash
_CHUNK = 4096  # shingles per block when applying permutations (bounds memory on whole books)

# Words and numbers; an apostrophe between a word and a letter is kept ("Ma's" ->
# "ma's", "rock'n'roll").  Markdown emphasis, punctuation and curly-vs-straight quotes
# never reach a token.  The rule as a regular expression (tokens() applies it with
# numpy; tests/checks/test_near_duplicate.py compares the two):
_TOKEN = regex.compile(r"[\p{L}\p{N}]+(?:'\p{L}[\p{L}\p{N}]*)*")

_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)] = True
_LETTER_BYTE = np.zeros(256, dtype=bool)
_LETTER_BYTE[np.frombuffer(b"abcdefghijklmnopqrstuvwxyz", dtype=np.uint8)] = True
_APOSTROPHE, _NEWLINE = 39, 10
_BASE = np.uint64(0x100000001B3)  # FNV's 64-bit prime: odd, so its powers are invertible mod 2**64
_BASE_INV = np.uint64(pow(int(_BASE), -1, 1 << 64))
_PIECE = 1 << 22  # bytes tokenised at a time (a piece ends at a newline): bounds memory on huge files


def _fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: the polynomial hash's low bits are weak on their own."""
    with np.errstate(over="ignore"):
        h = h ^ (h >> np.uint64(33))
        h = h * np.uint64(0xFF51AFD7ED558CCD)
        h = h ^ (h >> np.uint64(33))
        h = h * np.uint64(0xC4CEB9FE1A85EC53)
        return h ^ (h >> np.uint64(33))


def _hash_spans(buf: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each byte span buf[s:e], all at once.

    sum(b_k * BASE**(k - s)) comes from one prefix sum of b_k * BASE**k, multiplied by
    BASE**-s: arithmetic mod 2**64 wraps, and BASE is odd, so its powers invert.
    """
    n = len(buf)
    powers, inverse = _powers(n + 1)
    with np.errstate(over="ignore"):
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(buf.astype(np.uint64) * powers[:n], out=prefix[1:])
        h = (prefix[ends] - prefix[starts]) * inverse[starts]
        return _fmix64(h ^ (ends - starts).astype(np.uint64))


_POWERS = (np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64))


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**k and BASE**-k for k < n, computed once per process and grown as needed."""
    global _POWERS
    if len(_POWERS[0]) < n:
        size = max(n, 2 * len(_POWERS[0]), 1 << 16)
        with np.errstate(over="ignore"):
            powers = np.full(size, _BASE, dtype=np.uint64)
            powers[0] = 1
            inverse = np.full(size, _BASE_INV, dtype=np.uint64)
            inverse[0] = 1
            _POWERS = (np.cumprod(powers, out=powers), np.cumprod(inverse, out=inverse))
    return _POWERS


def _spans(data: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Token spans of case-folded UTF-8 text by _TOKEN's rule, over its bytes with numpy.

    Returns (starts, ends, characters before each byte offset or None when every
    character is one byte, newline offsets).  A
    character of several bytes is decoded to its code point and classed by its Unicode
    category, and every one of its bytes takes that class.
    """
    b = np.frombuffer(data, dtype=np.uint8)
    word = _WORD_BYTE[b]
    letter = _LETTER_BYTE[b]
    starts_char = (b < 0x80) | (b >= 0xC0)  # the bytes that begin a character
    multi = b >= 0x80
    several = bool(multi.any())  # some character takes more than one byte
    if several:
        lead = np.flatnonzero(b >= 0xC0)
        padded = np.concatenate((b, np.zeros(3, dtype=np.uint8))).astype(np.int64)
        b0, b1, b2, b3 = padded[lead], padded[lead + 1] & 0x3F, padded[lead + 2] & 0x3F, padded[lead + 3] & 0x3F
        cp = np.where(b0 >= 0xF0, (b0 & 0x07) << 18 | b1 << 12 | b2 << 6 | b3,
                      np.where(b0 >= 0xE0, (b0 & 0x0F) << 12 | b1 << 6 | b2, (b0 & 0x1F) << 6 | b1))
        distinct, which = np.unique(cp, return_inverse=True)
        classes = np.array([_char_class(int(c)) for c in distinct], dtype=np.int8)[which.ravel()]
        char_of = np.cumsum(starts_char) - 1  # every byte -> the character it belongs to
        lead_index = np.zeros(int(char_of[-1]) + 1, dtype=np.int64)
        lead_index[char_of[lead]] = np.arange(len(lead))
        cls = classes[lead_index[char_of[multi]]]
        word[multi] = cls > 0
        letter[multi] = cls == 2
    if len(b) > 2:
        word[1:-1] |= (b[1:-1] == _APOSTROPHE) & word[:-2] & letter[2:]
    edges = np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    if several:
        chars = np.zeros(len(b) + 1, dtype=np.int64)
        np.cumsum(starts_char, out=chars[1:])
    else:  # one byte per character
        chars = None
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), chars, np.flatnonzero(b == _NEWLINE)


@lru_cache(maxsize=65536)
def _char_class(code_point: int) -> int:
    """0: not part of a word; 1: a number (\\p{N}); 2: a letter (\\p{L})."""
    category = unicodedata.category(chr(code_point))
    return 2 if category[0] == "L" else 1 if category[0] == "N" else 0


@dataclass(frozen=True)
class Tokens:
    """A document's normalised tokens: 64-bit hashes and the 1-based line of each."""

    hashes: np.ndarray  # uint64
    lines: np.ndarray  # int64, non-decreasing
    lengths: np.ndarray  # int64: characters in each (case-folded) token

    def spans(self, start_lines: list[int], end_lines: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Token index ranges [lo, hi) of the tokens on lines start..end of each range: (lo, hi) arrays."""
        return (np.searchsorted(self.lines, start_lines, "left"),
                np.searchsorted(self.lines, end_lines, "right"))


_TOKENS = "tokens"  # their key in a Document's memo


def tokens(doc) -> Tokens:
    """Tokenise a Document once; every rule and unit kind shares the result.

    The case-folded text is tokenised and hashed over its UTF-8 bytes, by the compiled
    kernels, or with numpy where they were not built (or for text beyond the Basic
    Multilingual Plane); the two give the same tokens.
    """
    cached = doc.memo.get(_TOKENS)
    if cached is not None:
        return cached
    text = doc.text
    compiled = _compiled()
    found = None
    if compiled:  # folded by a table, not by str.casefold: several times faster
        folded, size = compiled.casefold(np.frombuffer(doc.utf8, dtype=np.uint8), *_folds())
        found = compiled.tokenise(folded[:size], _classes(), _BASE) if size >= 0 else None
    if found is not None and found[3] >= 0:
        hashes, lines, lengths, n = found
        result = Tokens(hashes[:n].copy(), lines[:n].copy(), lengths[:n].copy())
    else:
        folded = text.lower() if text.isascii() else doc.folded.replace("\u2019", "'")  # shared with the gates
        result = _numpy_tokens(folded.encode("utf-8", "surrogatepass"))
    doc.memo[_TOKENS] = result
    return result


@dataclass(frozen=True)
class ParagraphTokens:
    """Every paragraph of a document as arrays: its lines, its tokens' index range, and
    whether it is a one-line heading.  The duplicate-paragraph digests and the copied-
    passage sketches both start from these; made once, a few numpy calls on a handful
    of paragraphs were most of each signature's cost on a small file."""

    first: np.ndarray  # int64: first line
    last: np.ndarray  # int64: last line
    lo: np.ndarray  # int64: first token
    hi: np.ndarray  # int64: one past the last token
    heading: np.ndarray  # bool: one line, and a heading


_PARAGRAPHS = "paragraph tokens"  # their key in a Document's memo


def paragraph_tokens(doc) -> ParagraphTokens:
    cached = doc.memo.get(_PARAGRAPHS)
    if cached is not None:
        return cached
    compiled = _compiled()
    if compiled:
        result = ParagraphTokens(*compiled.paragraph_tokens(doc.paragraph_spans, doc.heading_at, tokens(doc).lines))
    else:
        result = _numpy_paragraph_tokens(doc)
    doc.memo[_PARAGRAPHS] = result
    return result


def _numpy_paragraph_tokens(doc) -> ParagraphTokens:
    """paragraph_tokens in numpy: where the kernels were not built, and the tests' reference."""
    spans = np.array(doc.paragraph_spans, dtype=np.int64).reshape(-1, 2)
    first, last = spans[:, 0], spans[:, 1]
    heading_at = doc.heading_at
    if heading_at:
        is_heading = np.zeros(len(doc.lines) + 1, dtype=bool)
        is_heading[list(heading_at)] = True
        heading = (first == last) & is_heading[first]
    else:
        heading = np.zeros(len(first), dtype=bool)
    lo, hi = tokens(doc).spans(first, last)
    return ParagraphTokens(first, last, lo, hi, heading)


def paragraph_units(paragraphs: ParagraphTokens, min_words: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The paragraphs that are not headings and hold at least min_words tokens: their
    token ranges (lo, hi: int64) and places (int32[n, 3]: first line, last line, and
    ordinal among the paragraphs that are not headings).  What a copied-passage sketch
    is made of; in one compiled call, the dozen numpy calls of the reference cost
    about 9 us a document."""
    compiled = _compiled()
    if compiled:
        return compiled.paragraph_units(paragraphs.first, paragraphs.last, paragraphs.lo, paragraphs.hi,
                                        paragraphs.heading.view(np.uint8), min_words)
    return _numpy_paragraph_units(paragraphs, min_words)


def _numpy_paragraph_units(paragraphs: ParagraphTokens, min_words: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    own = np.flatnonzero(~paragraphs.heading)
    return spans_with_words(*(a[own] for a in (paragraphs.first, paragraphs.last, paragraphs.lo, paragraphs.hi)),
                            min_words)


def spans_with_words(first: np.ndarray, last: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                     min_words: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of line spans first..last with token ranges [lo, hi), those holding at least
    min_words tokens: their token ranges and places (int32[n, 3]: first line, last
    line, ordinal among the spans given)."""
    kept = np.flatnonzero(hi - lo >= min_words)
    places = np.empty((len(kept), 3), dtype=np.int32)
    places[:, 0], places[:, 1], places[:, 2] = first[kept], last[kept], kept
    return lo[kept], hi[kept], places


def _numpy_tokens(data: bytes) -> Tokens:
    """tokens() with numpy, a piece of a few MB at a time (pieces end at a newline,
    which no token crosses), so no Python code runs per token or per word."""
    hashes, lines, lengths = [], [], []
    offset, line_base = 0, 1
    while True:
        end = len(data)
        if end - offset > _PIECE:
            cut = data.rfind(b"\n", offset, offset + _PIECE)
            if cut < 0:  # one line longer than a piece: take it whole
                cut = data.find(b"\n", offset + _PIECE)
            end = len(data) if cut < 0 else cut + 1
        piece = data[offset:end]
        starts, ends, chars, newlines = _spans(piece)
        hashes.append(_hash_spans(np.frombuffer(piece, dtype=np.uint8), starts, ends))
        lines.append(np.searchsorted(newlines, starts, "right") + line_base)
        lengths.append(ends - starts if chars is None else chars[ends] - chars[starts])
        line_base += len(newlines)
        offset = end
        if offset >= len(data):
            break
    return Tokens(np.concatenate(hashes), np.concatenate(lines).astype(np.int64),
                  np.concatenate(lengths).astype(np.int64))


# The compiled loops, built with the package (hatch_build.py); numpy where they were not,
# or were built from other sources than those there now.
_kernels = fresh_kernels()


def _compiled():
    """lint.kernels when it was built from the sources there now, else None (the tests
    switch it off to compare)."""
    return _kernels or None


_class_table: np.ndarray | None = None


def _classes() -> np.ndarray:
    """The kernel's class per code point below U+10000, as _char_class and the ASCII
    tables give them (only lower-case ASCII letters count: the text is case-folded).

    Letters are the characters `str.isalpha` takes (the categories L*), numbers those
    `str.isnumeric` then takes (N*).  Every process builds it once: the kernels ask
    the same macros as those methods (under 1 ms); without them, no category string
    is made per character (~8 ms): `re`'s `\\w` takes exactly the characters that are
    either, and the few that are both are letters."""
    global _class_table
    if _class_table is None:
        compiled = _compiled()
        table = compiled.char_classes() if compiled else _class_table_by_str()
        table[:0x80] = np.where(_LETTER_BYTE[:0x80], 2, np.where(_WORD_BYTE[:0x80], 1, 0))
        _class_table = table
    return _class_table


def _class_table_by_str() -> np.ndarray:
    """The kernels' char_classes, where they were not built: from `re` and str."""
    chars = _bmp()
    word = np.zeros(0x10000, dtype=bool)
    for run in _WORD_RUN.finditer(chars):
        word[run.start() : run.end()] = True
    numeric = np.fromiter(map(str.isnumeric, chars), dtype=bool, count=0x10000)
    table = np.where(word, 2, 0).astype(np.int8)
    for cp in np.flatnonzero(numeric).tolist():
        table[cp] = 2 if chars[cp].isalpha() else 1
    return table


_WORD_RUN = re.compile(r"[^\W_]+")


def _bmp(between: str = "", spaced: np.ndarray | None = None) -> str:
    """Every code point below U+10000 in order, surrogates included (each stands for
    itself), with `between` before each but the first; through one decode, where
    `chr` and a join take 8 ms.  The code points in `spaced` are given as spaces."""
    points = np.arange(0x10000, dtype=np.uint32)
    if spaced is not None:
        points[spaced] = ord(" ")
    if between:
        points = np.stack([np.full(0x10000, ord(between), dtype=np.uint32), points], axis=1).ravel()[1:]
    return points.tobytes().decode("utf-32-le", "surrogatepass")


_SURROGATES = np.arange(0xD800, 0xE000)


_fold_tables: tuple[np.ndarray, np.ndarray, int] | None = None


def _folds() -> tuple[np.ndarray, np.ndarray, int]:
    """(starts, code points, growth): code point c below U+10000 case-folds to
    points[starts[c]:starts[c + 1]], as str.casefold folds it (one character at a time,
    with no context), the typographic apostrophe becoming ASCII's; -1 marks a folded
    character beyond U+FFFF (none in Unicode 15, but the kernel then defers to numpy).
    No character's folding is more than `growth` times its length in UTF-8 (3: U+0390).

    The characters are folded in one call, each after a NUL (which folds to itself and
    is not in any other character's folding), and the NULs then mark where each
    character's folding starts: no Python call per character (15-25 -> ~5 ms a process).
    A surrogate folds to itself; it goes through as a space, put back after, because
    the codecs' error handler that passes surrogates is called once for each."""
    global _fold_tables
    if _fold_tables is None:
        # U+0001, NUL, U+0002, ... folded, behind a NUL of its own: one before each character.
        folded = ("\0" + _bmp("\0", _SURROGATES)[2:].casefold()).encode("utf-32-le")
        units = np.frombuffer(folded, dtype=np.uint32)
        marks = np.flatnonzero(units == 0)  # before each of U+0001..U+FFFF
        starts = np.empty(0x10001, dtype=np.int64)
        starts[0] = 0
        starts[1:0x10000] = marks - np.arange(0xFFFF) + 1  # U+0000 is first, then no marks
        starts[0x10000] = len(units) - 0xFFFF + 1
        points = np.concatenate(([0], units[units != 0])).astype(np.int64)
        points[starts[_SURROGATES]] = _SURROGATES
        points[starts[0x2019]] = ord("'")
        width = np.where(points < 0x80, 1, np.where(points < 0x800, 2, np.where(points < 0x10000, 3, 4)))
        own = np.full(0x10000, 3)
        own[:0x800] = 2
        own[:0x80] = 1
        growth = int(np.ceil(np.add.reduceat(width, starts[:-1]) / own).max())
        points[points >= 0x10000] = -1
        _fold_tables = (starts.astype(np.int32), points.astype(np.int32), growth)
    return _fold_tables


def casefolded(utf8: bytes) -> str | None:
    """The casefold() of a text, given as UTF-8, by the kernel's table (2-3 times faster
    on text beyond ASCII, where str.casefold looks up every character); None without the
    kernels or for text beyond the Basic Multilingual Plane, for the caller to fold it
    with str.casefold."""
    compiled = _compiled()
    if not compiled:
        return None
    data = np.frombuffer(utf8, dtype=np.uint8)
    folded, size = compiled.casefold(data, *_folds(), ascii_apostrophe=False)
    return None if size < 0 else folded[:size].tobytes().decode("utf-8", "surrogatepass")


def shingle_hashes(token_hashes: np.ndarray, k: int) -> np.ndarray:
    """Unique 32-bit hashes of the word k-shingles (one shingle when fewer than k tokens)."""
    n = len(token_hashes)
    if n == 0:
        return np.empty(0, dtype=np.uint32)
    return sorted_unique(_shingles(token_hashes, min(k, n)))


def _shingles(token_hashes: np.ndarray, k: int) -> np.ndarray:
    """The 32-bit hash of every run of k tokens, in order (not made unique)."""
    m = len(token_hashes) - k + 1
    with np.errstate(over="ignore"):
        h = token_hashes[:m].copy()
        for i in range(1, k):
            h = h * MIX64 + token_hashes[i : i + m]
        return (((h >> np.uint64(32)) ^ h) & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def span_shingles(token_hashes: np.ndarray, spans: "list[tuple[int, int]] | np.ndarray",
                  k: int) -> tuple[np.ndarray, np.ndarray]:
    """shingle_hashes of each token span [lo, hi) of one document, computed together:
    (the sets one after another, offsets), span i's set being sets[offsets[i]:offsets[i + 1]].
    `spans` is a list of pairs or an array of them (n x 2).

    The document's shingles are hashed once; each span takes those wholly inside it,
    and one sort of (span, hash) keys makes every span's set unique at once, instead of
    one numpy round trip per paragraph.
    """
    bounds = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    return shingle_sets(token_hashes, bounds[:, 0].copy(), bounds[:, 1].copy(), k)


def shingle_sets(token_hashes: np.ndarray, lo: np.ndarray, hi: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """span_shingles of the spans [lo[i], hi[i]) given as two int64 arrays."""
    if not len(lo):
        return np.empty(0, dtype=np.uint32), np.zeros(1, dtype=np.int64)
    compiled = _compiled()
    if compiled and len(lo) == 1:  # one set: its 32-bit hashes, sorted and made unique in place
        sets = compiled.shingles32(token_hashes, int(lo[0]), int(hi[0]), k, MIX64)
        sets.sort()
        sets = sets[: compiled.unique_sorted(sets)]
        return sets, np.array([0, len(sets)], dtype=np.int64)
    if compiled:
        keys = compiled.shingle_keys(token_hashes, lo, hi, k, MIX64)
        # A whole book's keys sort three times faster by radix than by comparison; a
        # short text's few hundred, no faster.  Only the span and hash bits are sorted.
        return compiled.distinct(sort_keys(keys, _RADIX_FROM, 32 + len(lo).bit_length()), len(lo))
    spans = list(zip(lo.tolist(), hi.tolist()))
    if min(hi - lo for lo, hi in spans) < k:  # a span shorter than a shingle: one at a time
        sets = [shingle_hashes(token_hashes[lo:hi], k) for lo, hi in spans]
        return np.concatenate(sets), np.concatenate(([0], np.cumsum([len(x) for x in sets])))
    folded = _shingles(token_hashes, k)
    lo = np.array([s[0] for s in spans], dtype=np.int64)
    counts = np.array([s[1] for s in spans], dtype=np.int64) - lo - k + 1
    owner = np.repeat(np.arange(len(spans), dtype=np.uint64), counts)
    at = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts - lo, counts)
    keys = sorted_unique((owner << np.uint64(32)) | folded[at].astype(np.uint64))
    offsets = np.searchsorted(keys >> np.uint64(32), np.arange(len(spans) + 1, dtype=np.uint64))
    return (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32), offsets.astype(np.int64)


_RADIX_FROM = 4096  # keys from which shingle_sets sorts by radix


def sort_keys(values: np.ndarray, radix_from: int, bits: int = 0) -> np.ndarray:
    """values (unsigned or non-negative integers) sorted in place: by the kernels' radix
    sort of their low `bits` bits (all of them when 0) when the kernels are built and
    there are at least `radix_from` values, else by numpy."""
    kernels = _compiled()
    if kernels is not None and len(values) >= radix_from and values.dtype in (np.uint32, np.uint64, np.int64):
        signed = values.dtype == np.int64  # sorted as unsigned when none is negative (below 2**63)
        words = values.view(np.uint64) if signed else values
        if kernels.radix_sort(words, bits or (63 if signed else 8 * values.itemsize)):
            return values
    values.sort()
    return values


def row_keys(rows: np.ndarray) -> np.ndarray:
    """A 64-bit key per row of a 2-D integer array (equal rows, equal keys): how LSH
    bands, copies of a unit and repeated digests are found with one sort of integers."""
    kernels = _compiled()
    if kernels is not None and rows.dtype == np.uint32 and rows.ndim == 2:
        return kernels.row_keys32(rows, int(MIX64))
    key = np.zeros(len(rows), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for c in range(rows.shape[1]):
            key = key * MIX64 + rows[:, c]
    return key


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique of a small array, sorted: a sort and a mask, several times faster than
    the hash table np.unique builds first."""
    out = np.sort(values)
    if len(out) > 1:
        out = out[np.concatenate(([True], out[1:] != out[:-1]))]
    return out


@lru_cache(maxsize=16)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutation parameters for (num_perm, seed).

    Drawn as datasketch's MinHash._init_permutations draws them (an odd multiplier and
    an offset from numpy's seeded RandomState), so that importing datasketch, which
    takes half a second with scipy, is left to the runs that build an LSH index.
    tests/checks/test_near_duplicate.py compares them with datasketch's own.

    RandomState is the Mersenne Twister seeded by its reference `init_genrand`, and
    these draws are its 32-bit outputs as they come (the multiplier's masked to 31
    bits: a range of 2**31 rejects none).  The standard library's generator is the same
    twister, given that state: importing numpy.random for it cost 7 ms in the main
    process, where every worker waits for it.
    """
    if not 0 <= seed < 1 << 32:
        raise ValueError("Seed must be between 0 and 2**32 - 1")
    gen = random.Random()
    gen.setstate((3, (*_init_genrand(seed), _MT_WORDS), None))  # index 624: twist at the first draw
    draws = np.array([gen.getrandbits(32) for _ in range(2 * num_perm)], dtype=np.uint32)
    a = (draws[:num_perm] & np.uint32(0x7FFFFFFF)) * np.uint32(2) + np.uint32(1)
    return a, draws[num_perm:].copy()


_MT_WORDS = 624


def _init_genrand(seed: int) -> list[int]:
    """The Mersenne Twister's state as its reference `init_genrand(seed)` sets it."""
    state = [seed]
    for i in range(1, _MT_WORDS):
        last = state[-1]
        state.append((1812433253 * (last ^ (last >> 30)) + i) & 0xFFFFFFFF)
    return state


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
    with np.errstate(over="ignore"):
        return _minimum(_fmix32(shingles.astype(np.uint32)), a, b)


_BATCH = 1 << 15  # shingles per bulk step: 32k x 128 permutations x 4 bytes = 16 MB


def signatures(shingles: np.ndarray, offsets: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """MinHash hashvalues of many shingle sets at once: uint32[len(offsets) - 1, num_perm],
    set i being shingles[offsets[i]:offsets[i + 1]] (as span_shingles gives them).

    Small sets (a document's paragraphs) are permuted together in one step, then
    reduced per set with np.minimum.reduceat; this is what makes paragraph-level
    sketches cheap.  Equal, value for value, to calling `signature` on each set.
    """
    a, b = permutations(num_perm, seed)
    compiled = _compiled()
    if compiled:  # mixes each shingle as it goes
        out = np.empty((len(offsets) - 1, num_perm), dtype=np.uint32)
        compiled.minhash(shingles.astype(np.uint32, copy=False), offsets.astype(np.int64, copy=False), a, b, out)
        return out
    with np.errstate(over="ignore"):
        mixed = _fmix32(shingles.astype(np.uint32, copy=False))
    lens = np.diff(offsets)
    n = len(lens)
    out = np.full((n, num_perm), _MAX32, dtype=np.uint32)
    i = 0
    while i < n:
        if lens[i] > _BATCH:
            out[i] = _minimum(mixed[offsets[i] : offsets[i + 1]], a, b)
            i += 1
            continue
        # The longest run of sets from i that fits one batch (at least set i).
        j = min(n, max(i + 1, int(np.searchsorted(offsets, offsets[i] + _BATCH, "right")) - 1))
        block = lens[i:j]
        nonempty = np.flatnonzero(block > 0)
        if len(nonempty):
            lo = int(offsets[i])
            with np.errstate(over="ignore"):
                values = mixed[lo : int(offsets[j]), None] * a + b
            out[i + nonempty] = np.minimum.reduceat(values, offsets[i + nonempty] - lo, axis=0)
        i = j
    return out


def _minimum(mixed: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The MinHash values of one large set of mixed shingle hashes, a block at a time."""
    out = np.full(len(a), _MAX32, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for lo in range(0, len(mixed), _CHUNK):
            np.minimum(out, (mixed[lo : lo + _CHUNK, None] * a + b).min(axis=0), out=out)
    return out


def lean(hashvalues: np.ndarray, seed: int):
    """A datasketch LeanMinHash over precomputed hashvalues: how the values reach datasketch's
    own tools (its MinHashLSH in the tests that compare the pairs, its jaccard)."""
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
