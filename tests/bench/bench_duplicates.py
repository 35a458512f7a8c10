#!/usr/bin/env python3
"""Benchmark of the duplicate rules: time and docs/s at growing corpus sizes.

Generates N synthetic documents from real prose (a word-bigram model of the seed corpus
and the Gutenberg books in ../shared/corpora), each a heading and a few paragraphs, and injects near-duplicates: about 2% of documents are edited copies of an
earlier one and about 2% contain a paragraph copied from another document.  Then
runs the duplicate rules' two stages the way the engine does: per-document
signatures (the stage the cache skips on an unchanged corpus) and the corpus pass
(LSH candidates, confirmation, grouping), and reports both.

    .venv/bin/python tests/bench/bench_duplicates.py              # 1k, 10k, 100k
    .venv/bin/python tests/bench/bench_duplicates.py --sizes 1000 10000

Not collected by pytest (norecursedirs = tests/bench).  Fixed seed: the same
corpus and the same findings on every run.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from lint.api import prepare  # noqa: E402
from lint.document import Document  # noqa: E402

SOURCES = [REPO / "fixtures" / "seeds", REPO.parent / "shared" / "corpora" / "gutenberg"]


def prose_paragraphs() -> list[str]:
    paras: list[str] = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            for block in text.split("\n\n"):
                words = block.split()
                if 40 <= len(words) <= 200:
                    paras.append(" ".join(words))
    return paras


def edit(text: str, rng: random.Random, rate: float = 0.05) -> str:
    words = text.split()
    for i in range(len(words)):
        if rng.random() < rate:
            words[i] = rng.choice(("very", "quite", "indeed", "also", "then"))
    return " ".join(words)


def markov(pool: list[str]) -> dict[str, list[str]]:
    """Word-bigram successors of the real prose: new text with real word statistics."""
    succ: dict[str, list[str]] = {}
    for para in pool:
        words = para.split()
        for a, b in zip(words, words[1:]):
            succ.setdefault(a, []).append(b)
    return succ


def babble(succ: dict[str, list[str]], keys: list[str], rng: random.Random, n_words: int) -> str:
    word = rng.choice(keys)
    out = [word]
    for _ in range(n_words - 1):
        nxt = succ.get(word)
        word = rng.choice(nxt) if nxt else rng.choice(keys)
        out.append(word)
    return " ".join(out)


def generate(n: int, seed: int = 7) -> list[Document]:
    """Distinct documents (bigram text from real prose) with injected copies."""
    rng = random.Random(seed)
    succ = markov(prose_paragraphs())
    keys = sorted(succ)
    texts: list[str] = []
    for i in range(n):
        r = rng.random()
        if texts and r < 0.02:
            texts.append(edit(texts[rng.randrange(len(texts))], rng))
            continue
        paras = [babble(succ, keys, rng, rng.randint(40, 120)) for _ in range(rng.randint(2, 4))]
        if texts and r < 0.04:
            donor = texts[rng.randrange(len(texts))].split("\n\n")
            paras.insert(1, donor[rng.randrange(1, len(donor))] if len(donor) > 1 else donor[0])
        texts.append(f"## Document {i}\n\n" + "\n\n".join(paras) + "\n")
    return [Document.from_text(t, f"doc{i:06d}.md") for i, t in enumerate(texts)]


def bench(n: int, rules) -> dict:
    docs = generate(n)
    t0 = time.perf_counter()
    signatures = {r.code: [] for r in rules}
    hits_doc = 0
    for d in docs:
        for r in rules:
            if r.is_corpus:
                signatures[r.code].append((d.path, r.check().signature(d, r.params)))
            else:
                hits_doc += sum(1 for _ in r.check().check(d, r.params))
    t1 = time.perf_counter()
    hits = hits_doc
    for r in rules:
        if r.is_corpus:
            hits += sum(1 for _ in r.check().check_corpus(signatures[r.code], r.params))
    t2 = time.perf_counter()
    words = sum(len(d.text.split()) for d in docs)
    return {"docs": n, "words": words, "signatures_s": t1 - t0, "corpus_s": t2 - t1, "total_s": t2 - t0,
            "docs_per_s": n / (t2 - t0), "findings": hits}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--select", default="duplicate")
    a = ap.parse_args()
    rules = prepare({"select": [a.select], "preview": True}).rules
    print("rules:", " ".join(r.code for r in rules))
    print(f"{'docs':>8} {'words':>10} {'signatures s':>13} {'corpus s':>9} {'total s':>8} {'docs/s':>8} {'findings':>8}")
    for n in a.sizes:
        row = bench(n, rules)
        print(f"{row['docs']:>8} {row['words']:>10} {row['signatures_s']:>13.2f} {row['corpus_s']:>9.2f} "
              f"{row['total_s']:>8.2f} {row['docs_per_s']:>8.0f} {row['findings']:>8}", flush=True)


if __name__ == "__main__":
    main()
