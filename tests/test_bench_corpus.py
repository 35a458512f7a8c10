"""The benchmark's corpus generator: its base documents must not overlap by chance.

The source prose is small next to a 1 GB corpus, so the same passage is cut into many
documents; without relabelling, their shared 5-word runs would grow with the corpus
and the benchmark would measure a quadratic pile of chance pairs, not a real corpus.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "bench"))

from corpus import KEEP_TOP, Generator  # noqa: E402


def _shingles(ids: np.ndarray, k: int = 5) -> set[tuple[int, ...]]:
    return {tuple(ids[i : i + k]) for i in range(len(ids) - k + 1)}


@pytest.fixture(scope="module")
def gen() -> Generator:
    return Generator(3)


def test_two_documents_from_one_passage_share_almost_no_runs(gen):
    passage = gen.stream[1000:3000]
    a, b = gen.relabel(passage), gen.relabel(passage)
    plain = len(_shingles(passage))
    shared = len(_shingles(a) & _shingles(b))
    assert plain > 1500
    assert shared < 0.02 * plain  # without relabelling every run is shared


def test_relabelling_keeps_function_words_and_frequencies(gen):
    passage = gen.stream[5000:9000]
    out = gen.relabel(passage)
    kept = gen.rank[passage] < KEEP_TOP
    assert kept.mean() > 0.3  # prose is mostly function words by count
    assert np.array_equal(out[kept], passage[kept])
    # A content word becomes another word of the same frequency band, and consistently so.
    changed = ~kept
    assert np.mean(out[changed] != passage[changed]) > 0.9
    assert np.array_equal(gen.band_start[gen.rank[out]], gen.band_start[gen.rank[passage]])
    mapping = {}
    for src, dst in zip(passage[changed].tolist(), out[changed].tolist()):
        assert mapping.setdefault(src, dst) == dst
