"""The engine's bookkeeping: hits carried pickled, findings stamped file by file."""

from __future__ import annotations

import pickle

from lint.api import prepare
from lint.config import FileIgnores
from lint.document import Document
from lint.engine import PackedHits, _catalogue_of, collect, process_document, stamp
from lint.findings import Hit

from conftest import SEEDS


def test_packed_hits_give_back_the_pairs_and_survive_pickling():
    hits = [("BPL001", Hit(3, 4, {"match": "PayPal"}, key="x")), ("FMT002", Hit(7, 7, start_col=2, end_col=5))]
    packed = PackedHits(hits)
    assert len(packed) == 2 and list(packed) == hits and list(packed) == hits  # iterable more than once
    assert list(pickle.loads(pickle.dumps(packed))) == hits
    assert list(PackedHits([])) == [] and len(PackedHits([])) == 0


def test_packed_hits_parked_in_the_spill_read_back_and_pickle_as_bytes():
    from lint.spill import Spill, Spilled

    hits = [("BPL001", Hit(3, 4, {"match": "PayPal"}, key="x")), ("FMT002", Hit(7, 7, start_col=2, end_col=5))]
    with Spill() as spill:
        packed = PackedHits(hits)
        packed.park(spill)
        assert isinstance(packed.data, Spilled)  # out of memory: on disk until the findings are made
        assert list(packed) == hits and list(packed) == hits
        cached = pickle.loads(pickle.dumps(packed))  # as the cache and the snapshot store it
    assert list(cached) == hits  # readable after the run's spill is gone
    empty = PackedHits([])
    empty.park(Spill())
    assert list(empty) == []


def test_stamping_file_by_file_equals_stamping_everything_at_once():
    prepared = prepare({}, isolated=True)
    docs = [Document.from_text(p.read_text(encoding="utf-8", errors="replace"), p.name)
            for p in sorted(SEEDS.glob("*.txt"))]
    results = [process_document(d, prepared.rules) for d in docs]
    assert all(isinstance(r.hits, PackedHits) for r in results)
    corpus_hits: dict = {}
    report = collect(results, prepared.rules, prepared.config, corpus_hits=corpus_hits)
    by_code = {r.code: r for r in prepared.rules}
    raw = [(r.path, by_code[code], hit) for r in results for code, hit in r.hits]
    raw += [(hit.path, by_code[code], hit) for code, hits in corpus_hits.items() for hit in hits]
    at_once = stamp(raw, FileIgnores(prepared.config, _catalogue_of(prepared.rules)), {})
    assert len(report.findings) > 1000 and any(f.related for f in report.findings)
    assert report.findings == at_once
