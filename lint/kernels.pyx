# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled loops: the per-byte and per-shingle work of the MinHash rules, the scan for
the literals that gate the pattern rules, the radix sorts of the corpus pass, and the
document model's passes over every line.

Tokenising a document and taking 128 minima over its shingles are simple loops that
numpy can only express as a dozen passes over arrays many times the size of the
text; compiled, they run once over the data, in cache.  The package's build compiles
this file (hatch_build.py); `lint.minhash` keeps the numpy forms as the reference
(the tests compare the two value for value) and as the fallback where the module
was not built.  An extension module imports in a millisecond, where a JIT compiler's
start-up cost every worker process most of a second.
"""

import numpy as np

from libc.stdint cimport int8_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy
from cpython.unicode cimport Py_UNICODE_ISALPHA, Py_UNICODE_ISNUMERIC, Py_UNICODE_ISSPACE


cdef extern from *:
    """
    #define DOCLINT_STRING_(x) #x
    #define DOCLINT_STRING(x) DOCLINT_STRING_(x)
    #ifdef DOCLINT_KERNELS_SOURCE
    static const char *doclint_kernels_source = DOCLINT_STRING(DOCLINT_KERNELS_SOURCE);
    #else
    static const char *doclint_kernels_source = "";
    #endif
    """
    const char *doclint_kernels_source

# The digest of the sources this module was built from (lint.compiled.kernels_digest),
# which the build passes to the C compiler; empty when it was built some other way.
SOURCE_DIGEST = (<bytes>doclint_kernels_source).decode("ascii")


cdef extern from "kernels_simd.h":
    void doclint_minhash_rows(const uint32_t *shingles, const int64_t *offsets, int64_t sets,
                              const uint32_t *a, const uint32_t *b, int64_t perms, uint32_t *out) nogil

cdef extern from "blake2b.h":
    void doclint_blake2b_many(const uint8_t *base, const int64_t *starts, const int64_t *lens, int64_t count,
                              size_t outlen, uint8_t *out) nogil


cdef inline int64_t _code_point_at(const uint8_t[::1] b, Py_ssize_t i, Py_ssize_t* width) noexcept nogil:
    """The code point of the UTF-8 character starting at b[i], its width in bytes set in
    `width`; -1 for one beyond U+FFFF, which the tables do not cover."""
    cdef uint8_t c = b[i]
    if c < 0x80:
        width[0] = 1
        return c
    if c >= 0xF0:
        width[0] = 4
        return -1
    if c >= 0xE0:
        width[0] = 3
        return ((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F)
    width[0] = 2
    return ((c & 0x1F) << 6) | (b[i + 1] & 0x3F)


cdef inline uint32_t _shingle(const uint64_t[::1] hashes, Py_ssize_t i, Py_ssize_t width, uint64_t mix) noexcept nogil:
    """The 32-bit hash of the `width` tokens from i, by the rule of lint.minhash._shingles."""
    cdef uint64_t h = hashes[i]
    cdef Py_ssize_t j
    for j in range(1, width):
        h = h * mix + hashes[i + j]
    return <uint32_t>(((h >> 32) ^ h) & 0xFFFFFFFFULL)


cdef uint64_t _HIGH_BITS = 0x8080808080808080ULL
cdef uint64_t _ONES = 0x0101010101010101ULL


cdef inline uint64_t _ascii_lower(uint64_t word) noexcept nogil:
    """Eight ASCII bytes with A-Z lowered: a byte's high bit is set by adding 0x3F when
    it is at least "A", and by adding 0x25 when it is above "Z" (no byte carries into
    the next: none is above 0x7F); where exactly one of the two is set, 0x20 is added."""
    cdef uint64_t at_least_a = word + (0x80 - 65) * _ONES
    cdef uint64_t above_z = word + (0x7F - 90) * _ONES
    return word | (((at_least_a ^ above_z) & _HIGH_BITS) >> 2)


def casefold(const uint8_t[::1] b, const int32_t[::1] fold_start, const int32_t[::1] fold_cps, Py_ssize_t growth,
             bint ascii_apostrophe=True):
    """(bytes, count): UTF-8 text `b` case-folded, in bytes[:count], code point c becoming
    fold_cps[fold_start[c]:fold_start[c + 1]] (str.casefold, one character at a time as
    it folds, and the typographic apostrophe as ASCII's, or as itself when not
    `ascii_apostrophe`).  No character's folding is more than `growth` times its own
    length in bytes.  count is -1 when a character lies beyond U+FFFF, outside the
    table, for the caller to take another path."""
    cdef Py_ssize_t n = b.shape[0]
    result = np.empty(growth * n + 16, dtype=np.uint8)  # pages never written are never mapped
    cdef uint8_t[::1] out = result
    cdef Py_ssize_t i = 0, j = 0, k, f, width
    cdef int64_t cp
    cdef int32_t lo, hi, g
    cdef bint beyond = False
    cdef uint64_t word
    with nogil:
        while i < n:
            if b[i] < 0x80:
                # Eight ASCII bytes at a time while they last (most text), lowered in a word.
                while i + 8 <= n:
                    memcpy(&word, &b[i], 8)
                    if word & _HIGH_BITS:
                        break
                    word = _ascii_lower(word)
                    memcpy(&out[j], &word, 8)
                    i += 8
                    j += 8
                if i < n and b[i] < 0x80:
                    out[j] = b[i] + 32 if 65 <= b[i] <= 90 else b[i]
                    j += 1
                    i += 1
                continue
            cp = _code_point_at(b, i, &width)
            if cp < 0:
                beyond = True
                break
            lo = fold_start[cp]
            hi = fold_start[cp + 1]
            if hi - lo == 1 and (fold_cps[lo] == cp or (cp == 0x2019 and not ascii_apostrophe)):  # its own bytes
                for k in range(width):
                    out[j + k] = b[i + k]
                j += width
            else:
                for f in range(lo, hi):
                    g = fold_cps[f]
                    if g < 0:
                        beyond = True
                        break
                    if g < 0x80:
                        out[j] = <uint8_t>g
                        j += 1
                    elif g < 0x800:
                        out[j] = <uint8_t>(0xC0 | (g >> 6))
                        out[j + 1] = <uint8_t>(0x80 | (g & 0x3F))
                        j += 2
                    else:
                        out[j] = <uint8_t>(0xE0 | (g >> 12))
                        out[j + 1] = <uint8_t>(0x80 | ((g >> 6) & 0x3F))
                        out[j + 2] = <uint8_t>(0x80 | (g & 0x3F))
                        j += 3
                if beyond:
                    break
            i += width
    return result, (-1 if beyond else j)


def char_classes():
    """Per code point below U+10000: 2 where str.isalpha is true, else 1 where
    str.isnumeric is, else 0; the tokeniser's classes before lint.minhash._classes sets
    ASCII's.  The same macros as those methods, without a call per character."""
    table = np.zeros(0x10000, dtype=np.int8)
    cdef int8_t[::1] out = table
    cdef Py_UCS4 cp
    for cp in range(0x10000):
        if Py_UNICODE_ISALPHA(cp):
            out[cp] = 2
        elif Py_UNICODE_ISNUMERIC(cp):
            out[cp] = 1
    return table


def tokenise(const uint8_t[::1] b, const int8_t[::1] classes, uint64_t base):
    """(hashes, lines, lengths, count) of the tokens in case-folded UTF-8 bytes `b`, by
    the rule and hash of lint.minhash.tokens; count is -1 when a character lies outside
    the table of classes (beyond U+FFFF), for the caller to take its numpy path."""
    cdef Py_ssize_t n = b.shape[0]
    cdef Py_ssize_t cap = n // 2 + 1
    hashes_arr = np.empty(cap, dtype=np.uint64)
    lines_arr = np.empty(cap, dtype=np.int64)
    lengths_arr = np.empty(cap, dtype=np.int64)
    cdef uint64_t[::1] hashes = hashes_arr
    cdef int64_t[::1] lines = lines_arr
    cdef int64_t[::1] lengths = lengths_arr
    cdef Py_ssize_t count = 0, i = 0, start = 0, width, next_width, j, t
    cdef int64_t line = 1, chars = 0, cp, cls, nxt
    cdef bint in_word = False, prev_word = False, word, beyond = False
    cdef uint8_t c
    cdef uint64_t h = 0, power = 1, x
    with nogil:
        while i < n:
            c = b[i]
            cp = _code_point_at(b, i, &width)
            if cp < 0:
                beyond = True
                break
            cls = classes[cp]
            word = cls > 0
            if not word and c == 39 and prev_word and 0 < i < n - 1:
                # An apostrophe between a word character and a letter belongs to the word.
                nxt = _code_point_at(b, i + 1, &next_width)
                if nxt < 0:
                    beyond = True
                    break
                word = classes[nxt] == 2
                prev_word = False
            else:
                prev_word = word
            if word:
                if not in_word:
                    in_word = True
                    start = i
                    chars = 0
                    h = 0
                    power = 1
                for j in range(width):
                    h += b[i + j] * power
                    power *= base
                chars += 1
                i += width
                if cls > 0:  # a word character itself: the ASCII word characters after it at once
                    while i < n and b[i] < 0x80 and classes[b[i]] > 0:
                        h += b[i] * power
                        power *= base
                        chars += 1
                        i += 1
                continue
            if in_word:
                in_word = False
                hashes[count] = h ^ <uint64_t>(i - start)
                lines[count] = line
                lengths[count] = chars
                count += 1
            if c == 10:
                line += 1
            i += width
            # The ASCII characters outside words that follow at once: none of them can
            # join a word (the apostrophe rule needs a word character just before it).
            while i < n and b[i] < 0x80 and classes[b[i]] == 0:
                if b[i] == 10:
                    line += 1
                i += 1
        if not beyond:
            if in_word:
                hashes[count] = h ^ <uint64_t>(n - start)
                lines[count] = line
                lengths[count] = chars
                count += 1
            for t in range(count):  # MurmurHash3's 64-bit finaliser, as lint.minhash._fmix64
                x = hashes[t]
                x ^= x >> 33
                x *= 0xFF51AFD7ED558CCDULL
                x ^= x >> 33
                x *= 0xC4CEB9FE1A85EC53ULL
                hashes[t] = x ^ (x >> 33)
    return hashes_arr, lines_arr, lengths_arr, (-1 if beyond else count)


cdef object _blake2b_hex(const uint64_t[::1] words, const int64_t[::1] spans, Py_ssize_t count, Py_ssize_t size):
    """The digests of the first `count` spans (flat lo, hi pairs, already checked to lie
    in `words`), as hex bytes in an array of dtype S(2 * size)."""
    result = np.empty(count, dtype=f"S{2 * size}")
    if count == 0:
        return result
    raw_arr = np.empty(count * size, dtype=np.uint8)
    starts_arr = np.empty(count, dtype=np.int64)
    lens_arr = np.empty(count, dtype=np.int64)
    cdef uint8_t[::1] raw = raw_arr
    cdef int64_t[::1] starts = starts_arr
    cdef int64_t[::1] lens = lens_arr
    cdef uint8_t[::1] hexed = result.view(np.uint8)
    cdef const uint8_t *base = <const uint8_t *> &words[0] if words.shape[0] else <const uint8_t *> &raw[0]
    cdef const char *digits = b"0123456789abcdef"
    cdef Py_ssize_t k, i
    with nogil:
        for k in range(count):  # (lo, hi) in words -> offset and length in bytes
            starts[k] = 8 * spans[2 * k]
            lens[k] = 8 * (spans[2 * k + 1] - spans[2 * k])
        doclint_blake2b_many(base, &starts[0], &lens[0], count, size, &raw[0])
        for i in range(count * size):
            hexed[2 * i] = digits[raw[i] >> 4]
            hexed[2 * i + 1] = digits[raw[i] & 15]
    return result


def blake2b_hex(const uint64_t[::1] words, const int64_t[::1] spans, Py_ssize_t size):
    """For each span (lo, hi, given flat as lo, hi, lo, hi ...), the bytes of
    hashlib.blake2b(words[lo:hi], digest_size=size).hexdigest(), in an array of dtype
    S(2 * size): the hash of paragraph_digests alone, where it can be held against
    hashlib for any span and digest size."""
    cdef Py_ssize_t count = spans.shape[0] // 2, k
    if size < 1 or size > 64 or spans.shape[0] % 2:
        raise ValueError("blake2b_hex: digest size 1..64 and an end for every start")
    for k in range(count):
        if not 0 <= spans[2 * k] <= spans[2 * k + 1] <= words.shape[0]:
            raise ValueError("blake2b_hex: a span outside the words")
    return _blake2b_hex(words, spans, count, size)


def paragraph_digests(const uint64_t[::1] hashes, const int64_t[::1] lengths, const int64_t[::1] first,
                      const int64_t[::1] last, const int64_t[::1] lo, const int64_t[::1] hi,
                      const uint8_t[::1] heading, int64_t below, int64_t above, Py_ssize_t min_words,
                      Py_ssize_t min_chars):
    """duplicate-paragraph's signature (lint.checks.exact_duplicate) in one call: of the
    paragraphs that are not headings (heading all 0 to keep them), do not start in
    [below, above) (the contents), and hold min_words tokens and min_chars characters
    joined by single spaces, the hex BLAKE2b (10 bytes) of their tokens' hashes, S20,
    and their places (first line, last line, ordinal among all paragraphs), int32[n, 3]."""
    cdef Py_ssize_t n = first.shape[0], i, kept = 0, words, t
    cdef int64_t chars
    if not (last.shape[0] == lo.shape[0] == hi.shape[0] == heading.shape[0] == n):
        raise ValueError("paragraph_digests: one entry per paragraph in every array")
    for i in range(n):
        if not 0 <= lo[i] <= hi[i] <= min(hashes.shape[0], lengths.shape[0]):
            raise ValueError("paragraph_digests: a paragraph's tokens outside the tokens")
    spans_a = np.empty(2 * n, dtype=np.int64)
    places_a = np.empty((n, 3), dtype=np.int32)
    cdef int64_t[::1] spans = spans_a
    cdef int32_t[:, ::1] places = places_a
    with nogil:
        for i in range(n):
            if heading[i] or below <= first[i] < above:
                continue
            words = hi[i] - lo[i]
            if words < min_words:
                continue
            # Every word has a character: only a short paragraph has its characters counted.
            if 2 * words - 1 < min_chars:
                chars = words - 1
                for t in range(lo[i], hi[i]):
                    chars += lengths[t]
                if chars < min_chars:
                    continue
            spans[2 * kept] = lo[i]
            spans[2 * kept + 1] = hi[i]
            places[kept, 0] = <int32_t>first[i]
            places[kept, 1] = <int32_t>last[i]
            places[kept, 2] = <int32_t>i
            kept += 1
    return _blake2b_hex(hashes, spans, kept, 10), places_a[:kept].copy()


def minhash(const uint32_t[::1] shingles, const int64_t[::1] offsets, const uint32_t[::1] a,
            const uint32_t[::1] b, uint32_t[:, ::1] out):
    """out[s, p] = min over set s of (a[p] * x + b[p]) mod 2**32, x being each shingle
    hash through MurmurHash3's 32-bit finaliser (lint.minhash._fmix32): one pass over
    each set, the permutations in the inner loop, where they vectorise (kernels_simd.h;
    arithmetic on 32 bits wraps exactly as the reference's 64-bit product mod 2**32)."""
    cdef int64_t sets = offsets.shape[0] - 1
    if sets <= 0 or a.shape[0] == 0:
        return
    cdef const uint32_t* first = &shingles[0] if shingles.shape[0] else NULL
    with nogil:
        doclint_minhash_rows(first, &offsets[0], sets, &a[0], &b[0], a.shape[0], &out[0, 0])


def shingles32(const uint64_t[::1] hashes, Py_ssize_t lo, Py_ssize_t hi, Py_ssize_t k, uint64_t mix):
    """The 32-bit hash of every k-shingle of tokens [lo, hi) (one of them all when there
    are fewer than k), in order: shingle_keys for a single span, without the span."""
    cdef Py_ssize_t n = hi - lo, width = k if hi - lo >= k else hi - lo, i
    result = np.empty(n - width + 1 if n > 0 else 0, dtype=np.uint32)
    cdef uint32_t[::1] out = result
    with nogil:
        for i in range(lo, hi - width + 1 if n > 0 else lo):
            out[i - lo] = _shingle(hashes, i, width, mix)
    return result


def unique_sorted(uint32_t[::1] values):
    """Drop repeats from sorted values in place; how many remain."""
    cdef Py_ssize_t n = values.shape[0], kept = 0, t
    with nogil:
        for t in range(n):
            if t == 0 or values[t] != values[kept - 1]:
                values[kept] = values[t]
                kept += 1
    return kept


def shingle_keys(const uint64_t[::1] hashes, const int64_t[::1] lo, const int64_t[::1] hi, Py_ssize_t k,
                 uint64_t mix):
    """span << 32 | hash for every k-shingle of each token span [lo[s], hi[s]), span by
    span, by the rule of lint.minhash.span_shingles (a span shorter than k is one
    shingle of all its tokens).  The caller sorts them (radix_sort for many, numpy's
    sort for a few)."""
    cdef Py_ssize_t spans = lo.shape[0], total = 0, s, n, width, i, pos = 0
    for s in range(spans):
        n = hi[s] - lo[s]
        total += n - k + 1 if n >= k else (1 if n > 0 else 0)
    result = np.empty(total, dtype=np.uint64)
    cdef uint64_t[::1] out = result
    cdef uint64_t owner
    with nogil:
        for s in range(spans):
            n = hi[s] - lo[s]
            if n <= 0:
                continue
            width = k if n >= k else n
            owner = (<uint64_t>s) << 32
            for i in range(lo[s], hi[s] - width + 1):
                out[pos] = owner | _shingle(hashes, i, width, mix)
                pos += 1
    return result


def common_count(const uint32_t[::1] a, const uint32_t[::1] b):
    """How many values two sorted arrays of distinct values share, by one merge of the
    two: np.intersect1d joins and sorts them first.  The copied-passage pass confirms
    each candidate pair of units so, from their shingle sets."""
    cdef Py_ssize_t i = 0, j = 0, n = a.shape[0], m = b.shape[0], count = 0
    with nogil:
        while i < n and j < m:
            if a[i] < b[j]:
                i += 1
            elif a[i] > b[j]:
                j += 1
            else:
                count += 1
                i += 1
                j += 1
    return count


def distinct(const uint64_t[::1] keys, Py_ssize_t spans):
    """(sets, offsets) from sorted span << 32 | hash keys: each span's distinct hashes."""
    cdef Py_ssize_t n = keys.shape[0], kept = 0, t, s
    sets = np.empty(n, dtype=np.uint32)
    bounds = np.zeros(spans + 1, dtype=np.int64)
    cdef uint32_t[::1] out = sets
    cdef int64_t[::1] offsets = bounds
    with nogil:
        for t in range(n):
            if t == 0 or keys[t] != keys[t - 1]:
                out[kept] = <uint32_t>(keys[t] & 0xFFFFFFFFULL)
                kept += 1
                offsets[<Py_ssize_t>(keys[t] >> 32) + 1] = kept
        for s in range(spans):  # a span with no shingle ends where the one before it did
            if offsets[s + 1] < offsets[s]:
                offsets[s + 1] = offsets[s]
    return sets[:kept], bounds


cdef inline Py_ssize_t _first_at_least(const int64_t[::1] values, int64_t x) noexcept nogil:
    """The first index whose value is at least x in non-decreasing values (searchsorted left)."""
    cdef Py_ssize_t lo = 0, hi = values.shape[0], mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if values[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def paragraph_tokens(list spans, dict heading_at, const int64_t[::1] token_lines):
    """lint.minhash.paragraph_tokens's arrays from a document's paragraph spans: each
    paragraph's first and last line, its tokens' index range [lo, hi) (the tokens on its
    lines), and whether it is one line that is a heading.  A document has a few dozen
    paragraphs, for which the numpy form's ten calls cost more than their work."""
    cdef Py_ssize_t n = len(spans), i
    cdef int64_t f, l
    first_a = np.empty(n, dtype=np.int64)
    last_a = np.empty(n, dtype=np.int64)
    lo_a = np.empty(n, dtype=np.int64)
    hi_a = np.empty(n, dtype=np.int64)
    heading_a = np.zeros(n, dtype=bool)
    cdef int64_t[::1] first = first_a, last = last_a, lo = lo_a, hi = hi_a
    cdef uint8_t[::1] heading = heading_a.view(np.uint8)
    for i in range(n):
        f, l = spans[i]
        first[i] = f
        last[i] = l
        if f == l and f in heading_at:
            heading[i] = 1
        lo[i] = _first_at_least(token_lines, f)
        hi[i] = _first_at_least(token_lines, l + 1)
    return first_a, last_a, lo_a, hi_a, heading_a


def paragraph_units(const int64_t[::1] first, const int64_t[::1] last, const int64_t[::1] lo,
                    const int64_t[::1] hi, const uint8_t[::1] heading, Py_ssize_t min_words):
    """The paragraphs a copied-passage sketch is made of (lint.minhash.paragraph_units):
    those that are not headings and hold at least min_words tokens, as their token
    ranges and their places (first line, last line, ordinal among the non-headings)."""
    cdef Py_ssize_t n = first.shape[0], i, kept = 0, ordinal = 0
    for i in range(n):
        if not heading[i] and hi[i] - lo[i] >= min_words:
            kept += 1
    lo_a = np.empty(kept, dtype=np.int64)
    hi_a = np.empty(kept, dtype=np.int64)
    places_a = np.empty((kept, 3), dtype=np.int32)
    cdef int64_t[::1] lo_out = lo_a, hi_out = hi_a
    cdef int32_t[:, ::1] places = places_a
    kept = 0
    for i in range(n):
        if heading[i]:
            continue
        if hi[i] - lo[i] >= min_words:
            lo_out[kept] = lo[i]
            hi_out[kept] = hi[i]
            places[kept, 0] = <int32_t>first[i]
            places[kept, 1] = <int32_t>last[i]
            places[kept, 2] = <int32_t>ordinal
            kept += 1
        ordinal += 1
    return lo_a, hi_a, places_a


cdef extern from "Python.h":
    int PyUnicode_KIND(object text)
    void* PyUnicode_DATA(object text)


ctypedef fused _char_t:
    uint8_t
    uint16_t
    uint32_t


cdef struct _Found:
    int64_t* ends  # end offset (inclusive) of each occurrence
    int32_t* ids  # its literal's number
    Py_ssize_t count
    Py_ssize_t cap


cdef inline int _emit(_Found* f, Py_ssize_t i, int32_t state, const int32_t* out_start,
                      const int32_t* out_ids) noexcept nogil:
    """Record every literal ending in `state` at offset i; -1 when memory ran out."""
    cdef int32_t lo = out_start[state], hi = out_start[state + 1], k
    cdef void* grown
    if f.count + (hi - lo) > f.cap:
        f.cap = 2 * f.cap + (hi - lo)
        grown = realloc(f.ends, f.cap * sizeof(int64_t))
        if grown == NULL:
            return -1
        f.ends = <int64_t*>grown
        grown = realloc(f.ids, f.cap * sizeof(int32_t))
        if grown == NULL:
            return -1
        f.ids = <int32_t*>grown
    for k in range(lo, hi):
        f.ends[f.count] = i
        f.ids[f.count] = out_ids[k]
        f.count += 1
    return 0


cdef int _scan(const _char_t* text, Py_ssize_t start, Py_ssize_t stop, Py_ssize_t record_from, int32_t row,
               const int32_t* delta, const uint8_t* class_of, const int32_t* out_start,
               const int32_t* out_ids, Py_ssize_t width, _Found* f) noexcept nogil:
    """Aho-Corasick over text[start:stop] from the state whose row is `row` (0: the root),
    recording the occurrences that end at record_from or later; -1 when memory ran out.
    An entry of `delta` is the offset of the next state's row, negated when literals end
    in that state: one load and one add a character on the path from one state to the
    next."""
    cdef Py_ssize_t i
    cdef int32_t nxt
    cdef uint32_t c
    for i in range(start, stop):
        c = text[i]
        nxt = delta[row + (class_of[c] if c < 65536 else 0)]
        if nxt >= 0:
            row = nxt
            continue
        row = -nxt
        if i >= record_from and _emit(f, i, row // width, out_start, out_ids) < 0:
            return -1
    return 0


cdef int _scan_halves(const _char_t* text, Py_ssize_t n, Py_ssize_t overlap, const int32_t* delta,
                      const uint8_t* class_of, const int32_t* out_start, const int32_t* out_ids,
                      Py_ssize_t width, _Found* first, _Found* second) noexcept nogil:
    """_scan of the two halves of the text at once, one step of each in turn.

    One walk is a chain of dependent loads (a character's class, then the next state's
    row), so the processor waits on each; two independent walks fill those waits.  The
    second starts `overlap` characters before the middle, at the root: the automaton's
    state depends only on the last (longest literal) characters read, so from the
    middle on it is the state a single walk would be in, and it records from there."""
    cdef Py_ssize_t mid = n // 2, i = 0, j = mid - overlap
    cdef int32_t row_a = 0, row_b = 0, nxt_a, nxt_b
    cdef uint32_t ca, cb
    while i < mid:
        ca = text[i]
        cb = text[j]
        nxt_a = delta[row_a + (class_of[ca] if ca < 65536 else 0)]
        nxt_b = delta[row_b + (class_of[cb] if cb < 65536 else 0)]
        if nxt_a >= 0:
            row_a = nxt_a
        else:
            row_a = -nxt_a
            if _emit(first, i, row_a // width, out_start, out_ids) < 0:
                return -1
        if nxt_b >= 0:
            row_b = nxt_b
        else:
            row_b = -nxt_b
            if j >= mid and _emit(second, j, row_b // width, out_start, out_ids) < 0:
                return -1
        i += 1
        j += 1
    # The second half is longer by the overlap (and an odd character): it goes on alone.
    return _scan(text, j, n, mid, row_b, delta, class_of, out_start, out_ids, width, second)


cdef int _scan_text(const _char_t* text, Py_ssize_t n, bint halves, Py_ssize_t overlap, const int32_t* delta,
                    const uint8_t* class_of, const int32_t* out_start, const int32_t* out_ids,
                    Py_ssize_t width, _Found* parts) noexcept nogil:
    """The whole text, in two halves at once or in one walk."""
    if halves:
        return _scan_halves(text, n, overlap, delta, class_of, out_start, out_ids, width, &parts[0], &parts[1])
    return _scan(text, 0, n, 0, 0, delta, class_of, out_start, out_ids, width, &parts[0])


_HALVES_FROM = 1024  # shorter texts are walked once


def scan_literals(str text, list literals, const int32_t[::1] delta, Py_ssize_t width,
                  const uint8_t[::1] class_of, const int32_t[::1] out_start, const int32_t[::1] out_ids,
                  Py_ssize_t overlap=-1):
    """literal -> the end offsets (inclusive) of every occurrence in `text` of that
    literal of an automaton (lint.checks.literals.Automaton), overlapping ones included,
    in order; only the literals that occur, so a document costs what it holds, not what
    the automaton holds.  `literals` are in the automaton's numbering; `delta` is the
    full transition table, rows of
    `width` classes, each entry the next state's row offset (negated where a literal
    ends); class_of maps each code point below U+10000 to its class.  `overlap`, one
    less than the longest literal's length, lets a long text be walked in two halves at
    once (-1: never)."""
    cdef Py_ssize_t n = len(text), k
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef int status
    cdef bint halves = overlap >= 0 and n >= _HALVES_FROM and overlap < n // 4
    cdef _Found parts[2]
    for k in range(2):
        parts[k].count = 0
        parts[k].cap = 64
        parts[k].ends = <int64_t*>malloc(parts[k].cap * sizeof(int64_t))
        parts[k].ids = <int32_t*>malloc(parts[k].cap * sizeof(int32_t))
    try:
        if parts[0].ends == NULL or parts[0].ids == NULL or parts[1].ends == NULL or parts[1].ids == NULL:
            raise MemoryError()
        with nogil:
            if kind == 1:
                status = _scan_text(<const uint8_t*>data, n, halves, overlap, &delta[0], &class_of[0],
                                    &out_start[0], &out_ids[0], width, parts)
            elif kind == 2:
                status = _scan_text(<const uint16_t*>data, n, halves, overlap, &delta[0], &class_of[0],
                                    &out_start[0], &out_ids[0], width, parts)
            else:
                status = _scan_text(<const uint32_t*>data, n, halves, overlap, &delta[0], &class_of[0],
                                    &out_start[0], &out_ids[0], width, parts)
        if status < 0:
            raise MemoryError()
        found = {}
        by_number = {}
        for part in range(2):  # the first half's occurrences all end before the second's
            for k in range(parts[part].count):
                ends_of = by_number.get(parts[part].ids[k])
                if ends_of is None:
                    ends_of = by_number[parts[part].ids[k]] = found[literals[parts[part].ids[k]]] = []
                (<list>ends_of).append(parts[part].ends[k])
        return found
    finally:
        for k in range(2):
            free(parts[k].ends)
            free(parts[k].ids)


cdef inline Py_ssize_t _lines_up_to(list starts, Py_ssize_t lo, Py_ssize_t offset) except -1:
    """bisect.bisect_right(starts, offset, lo): the 1-based line of an offset, `starts`
    being the line starts in order (the first 0), searched from index lo on."""
    cdef Py_ssize_t hi = len(starts), mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if offset < <Py_ssize_t>starts[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def occurrence_lines(list ends, Py_ssize_t back, list starts, set out):
    """Add to `out` the lines (1-based) that the occurrences of one literal cover: from
    the line of each one's first character, end - back, to that of its last, end, as
    lint.checks.literals.Occurrences.lines places them in Python.  `ends` come in
    order, so each search starts from the line the previous one found, and the lines
    the previous occurrence covered are not added again."""
    cdef Py_ssize_t i, end, first, last, line
    cdef Py_ssize_t lo = 0  # no occurrence from here on starts on a line before this one
    cdef Py_ssize_t done = 0  # the last line added, every line from the previous first to it added
    cdef Py_ssize_t previous = -1
    for i in range(len(ends)):
        end = <Py_ssize_t>ends[i]
        if end < previous:  # out of order: start afresh
            lo = done = 0
        previous = end
        first = _lines_up_to(starts, lo, end - back)
        last = _lines_up_to(starts, first, end) if back else first
        lo = first
        for line in range(max(first, done + 1), last + 1):
            out.add(line)
        if last > done:
            done = last
    return out


def lines_opening_with(str text, list starts, const uint8_t[::1] ascii):
    """The line starts, in order, whose line opens with a character that may begin a
    match (lint.checks.literals.opening_characters): an ASCII one whose entry in
    `ascii` is set, or any beyond ASCII.  A line start at the end of the text opens
    with nothing, and is left out."""
    cdef Py_ssize_t n = len(text), i, at
    cdef Py_UCS4 c
    out = []
    for i in range(len(starts)):
        at = <Py_ssize_t>starts[i]
        if at >= n:
            continue
        c = text[at]
        if c >= 128 or ascii[c]:
            out.append(at)
    return out


def sorted_by_high32(uint64_t[::1] words):
    """The words sorted by their high 32 bits, keeping the order of equal ones (three
    passes of an LSD radix sort over those bits: linear, where numpy's sort is n log n),
    as a new array; the words themselves are the spare array the passes go through.
    When the low 32 bits are strictly increasing, as a key packed over its row number
    is, this is the order a full sort of the words gives; when they are not, None, with
    the words untouched, for the caller to sort them the ordinary way.  The check rides
    on the pass that counts the digits, and the last pass writes the new array: no pass
    over the words only checks them, and none copies them back."""
    cdef Py_ssize_t n = words.shape[0], i
    cdef uint32_t last, low
    cdef uint64_t w
    cdef int d
    cdef bint increasing = True
    result = np.empty(n, dtype=np.uint64)
    cdef uint64_t[::1] out = result
    if n < 2:
        if n:
            out[0] = words[0]
        return result
    counts = np.zeros((3, 2049), dtype=np.int64)
    cdef int64_t[:, ::1] at = counts
    with nogil:
        last = <uint32_t>(words[0] & 0xFFFFFFFFULL)
        for i in range(n):
            w = words[i]
            low = <uint32_t>(w & 0xFFFFFFFFULL)
            if i and low <= last:
                increasing = False
                break
            last = low
            for d in range(3):
                at[d, ((w >> (32 + 11 * d)) & 0x7FF) + 1] += 1
        if increasing:  # three passes: words -> result -> words -> result
            _scatter(words, out, at, 32, 3)
    return result if increasing else None


def row_keys32(const uint32_t[:, :] rows, uint64_t mix):
    """lint.minhash.row_keys of a matrix of 32-bit values, row by row: numpy's form walks
    the matrix once per column, and over a strided column each value costs a cache line.
    Four rows at a time: each key is a chain of multiplies, and four chains side by side
    keep the multiplier busy (a band of 13 columns of 1.6 M rows: 130 -> 71 ms)."""
    cdef Py_ssize_t n = rows.shape[0], m = rows.shape[1], i = 0, c
    cdef uint64_t k0, k1, k2, k3
    result = np.empty(n, dtype=np.uint64)
    cdef uint64_t[::1] out = result
    with nogil:
        while i + 4 <= n:
            k0 = k1 = k2 = k3 = 0
            for c in range(m):
                k0 = k0 * mix + rows[i, c]
                k1 = k1 * mix + rows[i + 1, c]
                k2 = k2 * mix + rows[i + 2, c]
                k3 = k3 * mix + rows[i + 3, c]
            out[i] = k0
            out[i + 1] = k1
            out[i + 2] = k2
            out[i + 3] = k3
            i += 4
        while i < n:
            k0 = 0
            for c in range(m):
                k0 = k0 * mix + rows[i, c]
            out[i] = k0
            i += 1
    return result


ctypedef fused _word_t:
    uint32_t
    uint64_t


cdef void _radix(_word_t[::1] words, int first, int passes) except *:
    """LSD radix sort of words by bits first .. first + 11 * passes, 11 bits a pass, in
    place (through a spare array as large as the words), equal digits kept in order."""
    cdef Py_ssize_t n = words.shape[0], i
    cdef int d
    cdef _word_t w
    spare = np.empty_like(np.asarray(words))
    counts = np.zeros((passes, 2049), dtype=np.int64)
    cdef _word_t[::1] other = spare
    cdef int64_t[:, ::1] at = counts
    with nogil:
        for i in range(n):
            w = words[i]
            for d in range(passes):
                at[d, ((w >> (first + 11 * d)) & 0x7FF) + 1] += 1
        _scatter(words, other, at, first, passes)
    if passes % 2:  # the last pass wrote the spare array
        words[:] = other


cdef void _scatter(_word_t[::1] src, _word_t[::1] dst, int64_t[:, ::1] at, int first, int passes) noexcept nogil:
    """The passes of an LSD radix sort, 11 bits each from bit `first`, given each pass's
    digit counts in at[d, digit + 1]: from src to dst, back, and so on, equal digits kept
    in order.  After an odd number of passes the sorted words are in dst, else in src."""
    cdef Py_ssize_t n = src.shape[0], i
    cdef int d, shift
    cdef _word_t w
    cdef _word_t[::1] swap
    for d in range(passes):
        for i in range(1, 2049):
            at[d, i] += at[d, i - 1]
    for d in range(passes):
        shift = first + 11 * d
        for i in range(n):
            w = src[i]
            dst[at[d, (w >> shift) & 0x7FF]] = w
            at[d, (w >> shift) & 0x7FF] += 1
        swap = src
        src = dst
        dst = swap


def radix_sort(_word_t[::1] words, int bits):
    """Sort unsigned words in place, all of them below 2**bits (LSD radix, 11 bits a
    pass, as many passes as the largest word needs: linear, and several times numpy's
    comparison sort on large arrays).  False, with the words untouched, when one is not
    below 2**bits."""
    cdef Py_ssize_t n = words.shape[0], i
    cdef _word_t seen = 0
    cdef int used = 0
    if n < 2:
        return True
    for i in range(n):
        seen |= words[i]
    if bits < <int>(8 * sizeof(_word_t)) and (bits <= 0 or seen >> bits):
        return False
    while seen:
        used += 1
        seen >>= 1
    if used:
        _radix(words, 0, (used + 10) // 11)
    return True


# -- the document model's line loops (lint.document) ---------------------------------
#
# heading_candidates leaves out the lines a look at a few characters settles (on
# hard-wrapped prose, most of them) for the model's Python loop to classify the rest;
# paragraph_spans is the whole paragraph loop.  lint.document keeps the Python forms:
# the tests compare the model made both ways on real and random text.

cdef inline Py_ssize_t _first_non_space(str line) noexcept:
    """The index of the first character str.strip would keep; len(line) if none."""
    cdef Py_ssize_t i = 0, n = len(line)
    while i < n and Py_UNICODE_ISSPACE(line[i]):
        i += 1
    return i


def page_end_lines(list lines, list blank, Py_ssize_t limit, str ends, furniture):
    """The scan of Document.toc for a contents list without a title, over the first
    `limit` lines: the indices, in order, of the lines whose last character but white
    space (str.rstrip) is one of `ends` (a page number's), and for each, whether a line
    with other content lies between it and the one before (which ends a run of
    entries).  Blank lines and the 1-based line numbers in `furniture` (page furniture)
    neither count nor break a run."""
    cdef Py_ssize_t i, hi, n = min(limit, len(lines))
    cdef str raw
    cdef bint broken = False, paged = bool(furniture)
    found = []
    breaks = []
    for i in range(n):
        if blank[i] or (paged and i + 1 in furniture):
            continue
        raw = <str>lines[i]
        hi = len(raw)
        while hi > 0 and Py_UNICODE_ISSPACE(raw[hi - 1]):
            hi -= 1
        if hi > 0 and raw[hi - 1] in ends:
            found.append(i)
            breaks.append(broken)
            broken = False
        else:
            broken = True
    return found, breaks


def heading_candidates(list lines, list blank, Py_ssize_t heading_max, Py_ssize_t long_line,
                       Py_ssize_t title_max):
    """The indices, in order, of the non-blank lines Document.headings has to look at.

    Passed over, unless the line's first character is '#', or '`' or '~' (a code
    fence): a line longer than `heading_max` once stripped; a line that starts with
    an ASCII character no chapter word or number starts with (_may_open_chapter,
    _may_open_number), when it is indented or that character is a small letter (so
    neither the indented line nor _is_title_like can take it), or when only
    _is_title_like could take it and turns it away at a glance (it opens with a
    bracket, quote or list mark, or is longer than `title_max`, or ends in
    punctuation that no title ends in); a line that opens with a curly double quote
    or a bullet, which open no chapter word, number or title; and a line whose line
    before holds content, is at most `long_line` characters long and ends in a
    printable ASCII character that ends no sentence (a letter, a digit, a comma:
    _SENTENCE_END cannot match)."""
    cdef Py_ssize_t i, n = len(lines), lo, hi, m
    cdef str raw, prev
    cdef Py_UCS4 first, last, end
    out = []
    for i in range(n):
        if blank[i]:
            continue
        raw = <str>lines[i]
        hi = len(raw)
        lo = _first_non_space(raw)
        if lo < hi:
            first = raw[lo]
            if first == u'#' or first == u'`' or first == u'~':
                out.append(i)
                continue
            while Py_UNICODE_ISSPACE(raw[hi - 1]):
                hi -= 1
            if hi - lo > heading_max:
                continue
            if first == 0x201C or first == 0x2022:  # a quotation or a bullet: no heading opens so
                continue
            if first < 0x80 and not _may_open_heading_word(first):
                if u'a' <= first <= u'z' or raw[0] == u' ' or raw[0] == u'\t':
                    continue
                # Not indented, and no chapter, number or Markdown heading: a title or nothing.
                if _never_opens_title(first):
                    continue
                end = raw[hi - 1]
                if hi - lo > title_max or _never_ends_title(end) or (
                        end == u'*' and hi - lo >= 2 and raw[hi - 2] == u'*'):
                    continue
        if i > 0 and not blank[i - 1]:
            prev = <str>lines[i - 1]
            m = len(prev)
            if 0 < m <= long_line:
                last = prev[m - 1]
                if 0x21 <= last <= 0x7e and not (last == u'.' or last == u'!' or last == u'?' or last == u':'
                                                 or last == u';' or last == u')' or last == u']' or last == u'"'
                                                 or last == u"'" or last == u'*'):
                    continue
        out.append(i)
    return out


cdef inline bint _never_opens_title(Py_UCS4 c) noexcept:
    """An ASCII character that _is_title_like turns a line away for starting with."""
    return (c == u'-' or c == u'*' or c == u'+' or c == u'>' or c == u'|' or c == u'(' or c == u'['
            or c == u'"' or c == u"'")


cdef inline bint _never_ends_title(Py_UCS4 c) noexcept:
    """A character that _is_title_like turns a line away for ending with."""
    return (c == u'.' or c == u',' or c == u';' or c == u':' or c == u'!' or c == u'-' or c == u'('
            or c == u'[' or c == u'{' or c == u'"' or c == u"'" or c == 0x2026 or c == 0x2013
            or c == 0x2014 or c == 0x201C or c == 0x2018)


cdef inline bint _may_open_heading_word(Py_UCS4 c) noexcept:
    """An ASCII character that _CHAPTER's word or _NUMBERED's number may start with."""
    return (c == u'a' or c == u'b' or c == u'c' or c == u'p' or c == u's' or c == u'A' or c == u'B'
            or c == u'C' or c == u'P' or c == u'S' or u'0' <= c <= u'9')


cdef inline bint _may_be_list_item(str line) noexcept:
    """lint.document._may_be_list_item."""
    cdef Py_ssize_t lo = _first_non_space(line), n = len(line)
    cdef Py_UCS4 first, second
    if lo == n:
        return False
    first = line[lo]
    if first >= 0x80:
        return True
    if u'a' <= first <= u'z':
        if lo + 1 == n:
            return False
        second = line[lo + 1]
        return second == u'.' or second == u')'
    return first == u'-' or first == u'*' or first == u'+' or u'0' <= first <= u'9'


def paragraph_spans(list lines, list blank, dict heading_at, object list_item, object sentence_end,
                    Py_ssize_t long_line):
    """(first line, last line) of each of Document.paragraphs' blocks, in order: runs of
    non-blank lines, ended before a heading (which is a block of its own) and before a
    list item (`list_item(line)` matches), and after a line longer than `long_line` that
    ends a sentence (`sentence_end(line)` finds one)."""
    cdef Py_ssize_t i, n = len(lines), start = 0  # start: the open block's first line, 0 for none
    cdef str raw
    out = []
    for i in range(n):
        if blank[i]:
            if start:
                out.append((start, i))
                start = 0
            continue
        if (i + 1) in heading_at:
            if start:
                out.append((start, i))
                start = 0
            out.append((i + 1, i + 1))
            continue
        raw = <str>lines[i]
        if start and _may_be_list_item(raw) and list_item(raw) is not None:
            out.append((start, i))
            start = 0
        if not start:
            start = i + 1
        if len(raw) > long_line and sentence_end(raw) is not None:
            out.append((start, i + 1))
            start = 0
    if start:
        out.append((start, n))
    return out
