"""Compiled loops for the per-byte and per-shingle work of the MinHash rules.

Tokenising a document and taking 128 minima over its shingles are simple loops that
numpy can only express as a dozen passes over arrays many times the size of the
text; compiled with numba they run once over the data, in cache.  `lint.minhash`
keeps the numpy forms as the reference (the tests compare the two value for value)
and as the fallback where numba cannot be loaded, and imports this module only once
a process has enough text in front of it to be worth the compiler's start-up.
Compiled code is cached beside this file (`cache=True`), so only the first run
after an install pays for compiling.
"""

from __future__ import annotations

import numba
import numpy as np

_jit = numba.njit(cache=True, nogil=True)


@_jit
def _class_at(b, i, classes):
    """(class, width in bytes) of the UTF-8 character starting at b[i]; class -1 for one
    beyond U+FFFF, which the table does not cover."""
    c = b[i]
    if c < 0x80:
        return np.int64(classes[c]), 1
    if c >= 0xF0:
        return np.int64(-1), 4
    if c >= 0xE0:
        return np.int64(classes[((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F)]), 3
    return np.int64(classes[((c & 0x1F) << 6) | (b[i + 1] & 0x3F)]), 2


@_jit
def casefold(b, fold_start, fold_cps, growth):
    """(bytes, count): UTF-8 text `b` case-folded, in bytes[:count], code point c becoming
    fold_cps[fold_start[c]:fold_start[c + 1]] (str.casefold, one character at a time as
    it folds, and the typographic apostrophe as ASCII's).  No character's folding is more
    than `growth` times its own length in bytes.  count is -1 when a character lies
    beyond U+FFFF, outside the table, for the caller to take its numpy path."""
    n = len(b)
    out = np.empty(growth * n + 16, dtype=np.uint8)  # pages never written are never mapped
    j = 0
    i = 0
    while i < n:
        c = b[i]
        if c < 0x80:
            out[j] = c + 32 if 65 <= c <= 90 else c
            j += 1
            i += 1
            continue
        if c >= 0xF0:
            return out, -1
        if c >= 0xE0:
            width = 3
            cp = ((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F)
        else:
            width = 2
            cp = ((c & 0x1F) << 6) | (b[i + 1] & 0x3F)
        lo = fold_start[cp]
        hi = fold_start[cp + 1]
        if hi - lo == 1 and fold_cps[lo] == cp:  # unchanged: its own bytes
            for k in range(width):
                out[j + k] = b[i + k]
            j += width
        else:
            for f in range(lo, hi):
                g = fold_cps[f]
                if g < 0:
                    return out, -1
                if g < 0x80:
                    out[j] = g
                    j += 1
                elif g < 0x800:
                    out[j] = 0xC0 | (g >> 6)
                    out[j + 1] = 0x80 | (g & 0x3F)
                    j += 2
                else:
                    out[j] = 0xE0 | (g >> 12)
                    out[j + 1] = 0x80 | ((g >> 6) & 0x3F)
                    out[j + 2] = 0x80 | (g & 0x3F)
                    j += 3
        i += width
    return out, j


@_jit
def tokenise(b, classes, base):
    """(hashes, lines, lengths, count) of the tokens in case-folded UTF-8 bytes `b`, by
    the rule and hash of lint.minhash.tokens; count is -1 when a character lies outside
    the table of classes (beyond U+FFFF), for the caller to take its numpy path."""
    n = len(b)
    cap = n // 2 + 1
    hashes = np.empty(cap, dtype=np.uint64)
    lines = np.empty(cap, dtype=np.int64)
    lengths = np.empty(cap, dtype=np.int64)
    count = 0
    line = 1
    i = 0
    in_word = False
    prev_word = False  # the previous character's own class, before the apostrophe rule
    start = 0
    chars = 0
    h = np.uint64(0)
    power = np.uint64(1)
    while i < n:
        c = b[i]
        cls, width = _class_at(b, i, classes)
        if cls < 0:
            return hashes, lines, lengths, -1
        word = cls > 0
        if not word and c == 39 and prev_word and 0 < i < n - 1:
            # An apostrophe between a word character and a letter belongs to the word.
            nxt, _ = _class_at(b, i + 1, classes)
            if nxt < 0:
                return hashes, lines, lengths, -1
            word = nxt == 2
            prev_word = False
        else:
            prev_word = word
        if word:
            if not in_word:
                in_word = True
                start = i
                chars = 0
                h = np.uint64(0)
                power = np.uint64(1)
            for j in range(width):
                h += np.uint64(b[i + j]) * power
                power *= base
            chars += 1
        elif in_word:
            in_word = False
            hashes[count] = h ^ np.uint64(i - start)
            lines[count] = line
            lengths[count] = chars
            count += 1
        if c == 10:
            line += 1
        i += width
    if in_word:
        hashes[count] = h ^ np.uint64(n - start)
        lines[count] = line
        lengths[count] = chars
        count += 1
    for t in range(count):  # MurmurHash3's 64-bit finaliser, as lint.minhash._fmix64
        x = hashes[t]
        x ^= x >> np.uint64(33)
        x *= np.uint64(0xFF51AFD7ED558CCD)
        x ^= x >> np.uint64(33)
        x *= np.uint64(0xC4CEB9FE1A85EC53)
        hashes[t] = x ^ (x >> np.uint64(33))
    return hashes, lines, lengths, count


@_jit
def minhash(mixed, offsets, a, b, out):
    """out[s, p] = min over set s of (a[p] * x + b[p]) mod 2**32: one pass over each set,
    the permutations in the inner loop where they vectorise."""
    perms = len(a)
    a64 = a.astype(np.uint64)
    b64 = b.astype(np.uint64)
    low = np.uint64(0xFFFFFFFF)
    row = np.empty(perms, dtype=np.uint64)
    for s in range(len(offsets) - 1):
        row[:] = low
        for k in range(offsets[s], offsets[s + 1]):
            x = np.uint64(mixed[k])
            for p in range(perms):
                v = (a64[p] * x + b64[p]) & low
                if v < row[p]:
                    row[p] = v
        for p in range(perms):
            out[s, p] = np.uint32(row[p])


@_jit
def shingle_keys(hashes, lo, hi, k, mix):
    """span << 32 | hash for every k-shingle of each token span [lo[s], hi[s]), span by
    span, by the rule of lint.minhash.span_shingles (a span shorter than k is one
    shingle of all its tokens).  numpy sorts them: its sort is several times faster."""
    spans = len(lo)
    total = 0
    for s in range(spans):
        n = hi[s] - lo[s]
        total += n - k + 1 if n >= k else (1 if n > 0 else 0)
    out = np.empty(total, dtype=np.uint64)
    low = np.uint64(0xFFFFFFFF)
    pos = 0
    for s in range(spans):
        n = hi[s] - lo[s]
        width = k if n >= k else n
        owner = np.uint64(s) << np.uint64(32)
        for i in range(lo[s], hi[s] - width + 1 if n > 0 else lo[s]):
            h = hashes[i]
            for j in range(1, width):
                h = h * mix + hashes[i + j]
            out[pos] = owner | (((h >> np.uint64(32)) ^ h) & low)
            pos += 1
    return out


@_jit
def distinct(keys, spans):
    """(sets, offsets) from sorted span << 32 | hash keys: each span's distinct hashes."""
    out = np.empty(len(keys), dtype=np.uint32)
    offsets = np.zeros(spans + 1, dtype=np.int64)
    low = np.uint64(0xFFFFFFFF)
    kept = 0
    for t in range(len(keys)):
        if t == 0 or keys[t] != keys[t - 1]:
            out[kept] = np.uint32(keys[t] & low)
            kept += 1
            offsets[np.int64(keys[t] >> np.uint64(32)) + 1] = kept
    for s in range(spans):  # a span with no shingle ends where the one before it did
        if offsets[s + 1] < offsets[s]:
            offsets[s + 1] = offsets[s]
    return out[:kept], offsets
