"""A seeded generator of realistic corpora of any size, with the ground truth of what it injected.

Base text is real English prose (Project Gutenberg books and the seed articles),
cut into documents of a few kilobytes.  Every document takes a different slice of
the token stream and has a share of its words swapped for other words drawn with
the corpus's own frequencies, so no two base documents share long runs by chance.
On top of that the generator injects, at known rates:

- near-duplicate documents (a copy of an earlier document with 0 to 6% of words edited),
- near-duplicate sections (a section copied into another document with light edits),
- exact duplicate paragraphs, shared boilerplate lines (footers in many files),
- truncated documents, and formatting artefacts (markdown bold, trailing spaces, lone bullets).

The source prose is about 1.5 million words, so a 1 GB corpus reads every passage of
it a hundred times over.  Left like that, the chance overlap between base documents
would grow with the corpus (a quadratic number of pairs sharing 5-word runs, which no
real corpus of distinct texts has).  So each base document also relabels its content
words: every word outside the most frequent ones is mapped to another word of about
the same frequency (a per-document rotation within frequency bands), which keeps the
word frequencies, sentence shapes and punctuation of the prose while two documents
cut from the same passage share only runs of common function words.

The truth file lists every injected near-duplicate document pair with its true
Jaccard similarity over lowercased word 5-gram shingles, so a run's recall of the
pairs with Jaccard >= 0.7 can be measured.

    python tests/bench/corpus.py OUT_DIR --size 100MB [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "fixtures" / "seeds", ROOT.parent / "shared" / "corpora" / "gutenberg"]
DOC_WORDS = (900, 1800)  # about 6 to 12 KB of text per document
EDIT_RATE = 0.12  # words swapped in every base document, against accidental overlap
KEEP_TOP = 256  # the most frequent words (function words) are never relabelled
VERSION = 2  # bump when the same seed and size would give a different corpus
FOOTERS = [
    "Subscribe to our newsletter to get the latest stories in your inbox.",
    "Share this article with your friends and family.",
    "Copyright 2024 Example Media Group. All rights reserved.",
    "Leave a Reply",
    "If you enjoyed this post, buy me a coffee at https://ko-fi.com/example",
]


def parse_size(text: str) -> int:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?B?)\s*", text, re.I)
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {text!r}")
    unit = {"": 1, "B": 1, "K": 1e3, "KB": 1e3, "M": 1e6, "MB": 1e6, "G": 1e9, "GB": 1e9}[m.group(2).upper()]
    return int(float(m.group(1)) * unit)


def _strip_gutenberg(text: str) -> str:
    start = re.search(r"\*\*\* ?START OF (THE|THIS) PROJECT GUTENBERG.*", text)
    end = re.search(r"\*\*\* ?END OF (THE|THIS) PROJECT GUTENBERG", text)
    return text[start.end() if start else 0 : end.start() if end else len(text)]


def load_tokens() -> tuple[list[str], np.ndarray, np.ndarray]:
    """(vocabulary, token id stream, unigram probabilities) from the real prose sources."""
    words: list[str] = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:  # a few books are Windows-1252
                text = raw.decode("cp1252", errors="replace")
            text = _strip_gutenberg(text)
            words.extend(text.split())
    vocab, ids = np.unique(np.array(words, dtype=object), return_inverse=True)
    counts = np.bincount(ids).astype(np.float64)
    return list(vocab), ids.astype(np.int32), counts / counts.sum()


def shingles(text: str, k: int = 5) -> set[int]:
    toks = re.findall(r"\w+", text.lower())
    return {hash(tuple(toks[i : i + k])) for i in range(max(0, len(toks) - k + 1))}


def jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0


class Generator:
    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)
        self.vocab, self.stream, self.probs = load_tokens()
        # Words by falling frequency, cut into bands that double in size: a word is only
        # ever relabelled as another word of its band.
        self.by_rank = np.argsort(-self.probs, kind="stable")
        self.rank = np.empty_like(self.by_rank)
        self.rank[self.by_rank] = np.arange(len(self.by_rank))
        edges = [KEEP_TOP]
        while edges[-1] < len(self.vocab):
            edges.append(min(len(self.vocab), edges[-1] * 2))
        self.band_start = np.arange(len(self.vocab), dtype=np.int64)  # the kept words: a band each
        self.band_size = np.ones(len(self.vocab), dtype=np.int64)
        for lo, hi in zip(edges, edges[1:]):
            self.band_start[lo:hi], self.band_size[lo:hi] = lo, hi - lo
        self.vocab_arr = np.array(self.vocab, dtype=object)
        # Draw replacement words in big batches: one call per document is the slow part.
        self._pool = np.empty(0, dtype=np.int64)

    def _replacements(self, n: int) -> np.ndarray:
        if len(self._pool) < n:
            self._pool = np.concatenate([self._pool, self.rng.choice(len(self.vocab), size=max(n, 1 << 20), p=self.probs)])
        out, self._pool = self._pool[:n], self._pool[n:]
        return out

    def words(self, n: int, edit_rate: float = EDIT_RATE) -> list[str]:
        start = int(self.rng.integers(0, len(self.stream) - n - 1))
        ids = self.relabel(self.stream[start : start + n])
        mask = self.rng.random(n) < edit_rate
        ids[mask] = self._replacements(int(mask.sum()))
        return list(self.vocab_arr[ids])

    def relabel(self, ids: np.ndarray) -> np.ndarray:
        """The same words, each content word rotated within its frequency band by one
        offset drawn for this document (so the text stays consistent with itself)."""
        rank = self.rank[ids]
        start, size = self.band_start[rank], self.band_size[rank]
        offset = int(self.rng.integers(0, 1 << 40))
        return self.by_rank[start + (rank - start + offset) % size]

    def edit(self, text: str, rate: float) -> str:
        toks = text.split(" ")
        if rate <= 0:
            return text
        mask = self.rng.random(len(toks)) < rate
        repl = self.vocab_arr[self._replacements(int(mask.sum()))]
        j = 0
        for i in np.flatnonzero(mask):
            if "\n" not in toks[i]:
                toks[i] = repl[j]
            j += 1
        return " ".join(toks)

    def document(self, index: int) -> str:
        n = int(self.rng.integers(*DOC_WORDS))
        words = self.words(n)
        lines = [f"Document {index}: " + " ".join(w.strip(".,;:!?\"'").capitalize() for w in words[:5]), ""]
        pos, section = 5, 1
        while pos < n:
            lines += [f"{section}. " + " ".join(w.strip(".,;:!?\"'").capitalize() for w in words[pos : pos + 4]), ""]
            pos += 4
            for _ in range(int(self.rng.integers(2, 5))):
                size = int(self.rng.integers(60, 160))
                para = " ".join(words[pos : pos + size])
                if para:
                    lines += [para.rstrip(",;:") + ".", ""]
                pos += size
                if pos >= n:
                    break
            section += 1
        return "\n".join(lines).rstrip() + "\n"


def generate(out: Path, size: int, seed: int = 7) -> dict:
    gen = Generator(seed)
    rng = gen.rng
    out.mkdir(parents=True, exist_ok=True)
    docs: list[str] = []
    truth = {"seed": seed, "size": size, "near_duplicate_pairs": [], "section_copies": [],
             "paragraph_copies": [], "boilerplate_files": 0, "truncated": [], "artefacts": []}
    total = 0
    i = 0
    while total < size:
        name = f"{i // 1000:04d}/{i:07d}.txt"
        roll = rng.random()
        if docs and roll < 0.03:
            j = int(rng.integers(0, len(docs)))
            rate = float(rng.uniform(0.0, 0.06))
            text = gen.edit(docs[j][1], rate)
            truth["near_duplicate_pairs"].append(
                {"a": docs[j][0], "b": name, "edit_rate": round(rate, 4), "jaccard": round(jaccard(docs[j][1], text), 4)})
        else:
            text = gen.document(i)
            if docs and roll < 0.06:  # a section copied from an earlier document
                j = int(rng.integers(0, len(docs)))
                paras = [p for p in docs[j][1].split("\n\n") if len(p) > 300]
                if paras:
                    copied = gen.edit("\n\n".join(paras[:2]), 0.02)
                    text = text.rstrip() + "\n\n" + copied + "\n"
                    truth["section_copies"].append({"from": docs[j][0], "to": name})
            elif docs and roll < 0.09:  # an exact duplicate paragraph
                j = int(rng.integers(0, len(docs)))
                paras = [p for p in docs[j][1].split("\n\n") if len(p) > 200]
                if paras:
                    text = text.rstrip() + "\n\n" + paras[-1] + "\n"
                    truth["paragraph_copies"].append({"from": docs[j][0], "to": name})
            if rng.random() < 0.10:
                text = text.rstrip() + "\n\n" + FOOTERS[int(rng.integers(0, len(FOOTERS)))] + "\n"
                truth["boilerplate_files"] += 1
            if rng.random() < 0.02:
                cut = int(len(text) * rng.uniform(0.5, 0.95))
                text = text[:cut]
                truth["truncated"].append(name)
            elif rng.random() < 0.05:
                lines = text.split("\n")
                k = int(rng.integers(0, len(lines)))
                lines[k] = f"**{lines[k]}**   " if lines[k] else "-"
                text = "\n".join(lines)
                truth["artefacts"].append(name)
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
        # Only a window of earlier documents is kept as copy sources, so memory stays flat.
        docs.append((name, text))
        if len(docs) > 2000:
            docs.pop(int(rng.integers(0, len(docs))))
        i += 1
    truth["documents"] = i
    truth["bytes"] = total
    (out / "truth.json").write_text(json.dumps(truth, indent=1))
    return truth


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--size", type=parse_size, default=parse_size("10MB"))
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    truth = generate(a.out, a.size, a.seed)
    print(f"{truth['documents']} documents, {truth['bytes'] / 1e6:.1f} MB, "
          f"{len(truth['near_duplicate_pairs'])} near-duplicate pairs -> {a.out}")


if __name__ == "__main__":
    main()
