"""The engine's bookkeeping: hits carried pickled, findings stamped file by file."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

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



def test_workers_park_their_shingles_and_the_findings_are_those_of_one_process(tmp_path, monkeypatch):
    """Each worker parks its results' shingles in a spill file of its own, and the main
    process reads them from there: the findings are those of a single-process run, and
    no spill file is left behind."""
    from conftest import lint_folder
    from lint.spill import Spilled

    temp = tmp_path / "temp"  # where the workers' spills go
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (SEEDS / sorted(p.name for p in SEEDS.glob("004_*.txt"))[0]).read_text()[:6_000]
    for i in range(6):
        (corpus / f"f{i}.txt").write_text(text if i % 2 else text.upper())
    prepared = prepare({"select": ["DUP002", "DUP003"]}, isolated=True)
    arrived = []  # as each result reaches the main process, before it settles them
    forked = lint_folder(corpus, prepared, jobs=2,
                         progress=lambda res: arrived.append(res.signatures["DUP003"].shingles))
    assert len(arrived) == 6 and all(isinstance(s, Spilled) for s in arrived)  # parked by the workers
    assert list(temp.iterdir()) == []
    alone = lint_folder(corpus, prepared, jobs=1)
    assert [f.to_dict() for f in forked.findings] == [f.to_dict() for f in alone.findings]
    assert any(f.rule == "DUP003" for f in alone.findings)


def test_results_are_kept_out_of_the_cycle_collectors_sight_only_during_the_run(tmp_path, monkeypatch):
    """Results are frozen as they arrive (full collections would walk them all, again
    and again) and once the last has come, the collector is paused while they are
    collected into findings, and both end with the run; a caller's own freeze is left
    alone."""
    import gc

    import lint.engine as engine
    from conftest import lint_folder

    monkeypatch.setattr(engine, "_FREEZE_EVERY", 2)
    for i in range(5):
        (tmp_path / f"f{i}.txt").write_text(f"File {i}.\n\nPlease consider a small donation via PayPal.\n")
    prepared = prepare({"select": ["BPL001", "DUP002"]}, isolated=True)
    frozen_during = []
    collector_on = []
    young = []  # results the collector still walks when the corpus passes begin

    def collect(results, *args, **kwargs):
        collector_on.append(gc.isenabled())
        walked = {id(o) for o in gc.get_objects()}
        young.extend(r for r in results if id(r) in walked)
        return engine_collect(results, *args, **kwargs)

    engine_collect = engine.collect
    monkeypatch.setattr(engine, "collect", collect)
    gc.unfreeze()
    report = lint_folder(tmp_path, prepared, progress=lambda res: frozen_during.append(gc.get_freeze_count()))
    assert len(report.findings) == 5 + 4  # an appeal per file, and four copies of the first's
    assert frozen_during[0] == 0 and frozen_during[-1] > 0
    assert collector_on == [False]  # paused for the corpus passes and stamping
    assert young == []  # the fifth too, though not a multiple of two: each pass ends with a collection
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    # The findings, made while the collector was paused, are handed back to its oldest
    # generation with the results: not left young, for the next collection to walk.
    assert any(o is report.findings[0] for o in gc.get_objects(generation=2))
    mine = [object()]  # tracked by the collector, and frozen by the caller below
    assert any(o is mine for o in gc.get_objects())
    gc.freeze()
    try:
        lint_folder(tmp_path, prepared)
        assert gc.get_freeze_count() > 0 and not any(o is mine for o in gc.get_objects())
    finally:
        gc.unfreeze()
    assert any(o is mine for o in gc.get_objects())


def test_a_corpus_pass_leaves_nothing_alive_for_the_paused_collector(monkeypatch):
    """The collector is paused from the corpus passes to the report, so what a pass
    leaves in reference cycles would live through stamping: compiled, nested functions
    that call one another share a closure object that makes such a cycle, and the
    copied-passage pass's holds its sketches and matrix.  None is alive at stamping."""
    import gc

    import lint.engine as engine
    from conftest import lint_folder
    from lint.checks.near_duplicate import Sketches

    prepared = prepare({"select": ["DUP005"]}, isolated=True)
    alive_at_stamping = []
    stamp_ = engine.stamp

    def counting_stamp(*args, **kwargs):
        if not alive_at_stamping:
            alive_at_stamping.append(sum(isinstance(o, Sketches) for o in gc.get_objects()))
        return stamp_(*args, **kwargs)

    monkeypatch.setattr(engine, "stamp", counting_stamp)
    report = lint_folder(SEEDS, prepared)
    assert any(f.rule == "DUP005" for f in report.findings)  # the pass ran, and paired units
    assert alive_at_stamping == [0]


def test_hits_and_related_places_pickle_back_equal():
    """Hits cross from workers and wait in the cache and the snapshot pickled as their
    fields in order: every field comes back, defaults included."""
    from lint.findings import Related

    hits = [
        Hit(3, 5, {"match": "x"}, 2, 9, (Related("a.txt", 1, 2, 0.9), Related("b.txt", 4, 4)), "key",
            {"message": "Delete", "edits": []}, "p.txt"),
        Hit(1, 1),
    ]
    back = pickle.loads(pickle.dumps(hits, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == hits and [type(h) for h in back] == [Hit, Hit]
    assert back[0].related[1].similarity is None and back[1].args == {} and back[1].path is None


def test_value_classes_hash_and_compare_by_their_fields():
    """Findings, places and the document model are values, as frozen dataclasses were:
    equal fields are equal and hash alike (a set of findings or headings keeps one of
    each), and they carry no per-object __dict__."""
    from lint.document import Block, Heading, Section
    from lint.findings import Finding, Related

    def twice(make):
        a, b = make(), make()
        assert a is not b and a == b and hash(a) == hash(b) and len({a, b}) == 1
        assert not hasattr(a, "__dict__")

    twice(lambda: Finding("FMT001", "x", "formatting", "warning", "a.txt", 1, 2, "m", "f", 3, 4,
                          (Related("b.txt", 5, 6, 0.5),)))
    twice(lambda: Related("b.txt", 5, 6))
    assert Hit(1, 2, {"match": "x"}, key="k") == Hit(1, 2, {"match": "x"}, key="k")  # its dicts: equal, not hashed
    heading = Heading(4, 2, "1.2 Title", "Title", "1.2", "numbered")
    twice(lambda: Heading(4, 2, "1.2 Title", "Title", "1.2", "numbered"))
    twice(lambda: Section(heading, 4, 9, 5, None))
    twice(lambda: Block(1, 3, "text"))
    assert Finding("A", "n", "c", "s", "p", 1, 1, "m", "f") != Finding("A", "n", "c", "s", "p", 1, 1, "m", "g")


def test_a_file_result_pickles_back_field_for_field():
    import dataclasses

    from lint.engine import FileResult

    result = FileResult("a/b.txt", PackedHits([("BPL001", Hit(2, 3, {"match": "x"}))]), {}, None, None, 120, True,
                        "key", False, {"load": 0.25}, (120, 7))
    back = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    for f in dataclasses.fields(FileResult):
        if f.name != "hits":
            assert getattr(back, f.name) == getattr(result, f.name), f.name
    assert list(back.hits) == list(result.hits) and len(back.hits) == 1


def test_worker_time_is_summed_per_chunk_and_adds_up_to_the_same_totals(tmp_path):
    """Workers send a chunk's time summed on its first result; the run's totals per
    stage are still the sums of every rule's time, and every file is counted."""
    from lint.engine import Timings, run

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (SEEDS / sorted(p.name for p in SEEDS.glob("001_*.txt"))[0]).read_text()[:1_500]
    for i in range(160):  # enough for chunks of several files
        (corpus / f"f{i:02}.txt").write_text(f"Copy {i}.\n\n{text}")
    prepared = prepare({}, isolated=True)
    timings = Timings()
    sent = []
    run([str(corpus)], prepared.config, prepared.rules, jobs=2, timings=timings,
        progress=lambda res: sent.append(bool(res.seconds)))
    assert timings.files == 160 and len(sent) == 160
    assert 1 <= sum(sent) <= 80  # one dict per chunk, not per file
    worker = timings.worker
    per_rule = sum(v for k, v in worker.items() if k.startswith("rule "))
    assert worker["rules"] > 0 and worker["signatures"] > 0 and worker["load"] > 0
    assert abs(per_rule - (worker["rules"] + worker["signatures"])) < 1e-6 * max(1.0, per_rule)


def test_workers_inherit_what_a_first_document_builds(tmp_path, monkeypatch):
    """Before the workers fork, the main process lints the head of the first file, so
    no worker builds the rule plan or the kernels' tables for its own first document;
    a first file that cannot be decoded is left to its worker to report."""
    import multiprocessing

    import lint.engine as engine
    from lint import minhash
    from lint.engine import Timings, run

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(b"\x00\x01binary\x00" * 50)
    text = (SEEDS / sorted(p.name for p in SEEDS.glob("004_*.txt"))[0]).read_text()[:3_000]
    for i in range(40):
        (corpus / f"f{i:02}.txt").write_text(f"Copy {i}.\n\n{text}")
    process = engine._process

    def probe(file):  # in a worker: was this process's plan built before its first file?
        cold = engine._PLAN is None or engine._PLAN.rules is not engine._WORKER_JOB.rules
        result = process(file)
        result.seconds["cold start"] = float(cold or minhash._fold_tables is None)
        return result

    monkeypatch.setattr(engine, "_process", probe)
    prepared = prepare({}, isolated=True)

    def cold_starts(warm: bool) -> float:
        monkeypatch.setattr(engine, "_PLAN", None)
        monkeypatch.setattr(minhash, "_fold_tables", None)
        if not warm:
            monkeypatch.setattr(engine, "_warm_up", lambda *a: None)
        timings = Timings()
        report = run([str(corpus)], prepared.config, prepared.rules, jobs=2, timings=timings)
        assert [Path(n.path).name for n in report.notices] == ["a.txt"] and timings.files == 41
        return timings.worker.get("cold start", 0.0)

    if multiprocessing.get_start_method() == "fork":
        assert cold_starts(warm=True) == 0
        assert cold_starts(warm=False) == 2  # each worker built its own
    else:  # workers start from a fresh interpreter: nothing to inherit, nothing warmed
        warmed = []
        monkeypatch.setattr(engine, "_warm_up", lambda *a: warmed.append(a))
        run([str(corpus)], prepared.config, prepared.rules, jobs=2)
        assert warmed == []


def test_the_warm_up_lints_only_the_head_of_the_first_readable_file(tmp_path, monkeypatch):
    """A huge first file is not linted twice: the warm-up takes its first 64 KB, cut at
    a line end, after passing over a file it cannot decode."""
    import lint.engine as engine
    from lint.discover import discover

    (tmp_path / "a.bin.txt").write_bytes(b"\x00\x01binary\x00" * 50)
    line = "A line of the first readable file, long enough to matter.\n"
    (tmp_path / "b.txt").write_text(line * 5_000)  # ~290 KB
    (tmp_path / "c.txt").write_text("Never reached.\n")
    prepared = prepare({}, isolated=True)
    linted = []
    monkeypatch.setattr(engine, "process_document", lambda doc, rules: linted.append(doc))
    engine._warm_up(discover([str(tmp_path)], prepared.config), prepared.rules)
    assert [Path(d.path).name for d in linted] == ["b.txt"]
    head = linted[0].text
    assert 60_000 < len(head.encode()) <= 1 << 16 and head.endswith("\n") and head == line * (len(head) // len(line))


def test_no_rule_fails_on_lines_of_unusual_white_space():
    """Lines holding only white space that the model does not call blank (U+3000 in CJK
    text, em spaces, NEL, line separators) in the places each structure looks: no rule
    stops with an internal error."""
    rules = prepare({}, isolated=True).rules
    texts = ["Hello world.\n{c}\nMore text here.\n", "{c}\n", "Title\n{c}{c}\n1. {c}\n",
             "# {c}\n\nText.\n", "Contents\n{c}\nOne\nTwo\nThree\n", "- {c}\n- a\n",
             "The company expanded into cloud computing, logistics and entertainment and\n{c}\n"]
    for c in ("\u3000", "\u2003", "\x85", "\u2028", "\x1c", "\u1680"):
        for text in texts:
            for path in ("a.txt", "a.md"):
                result = process_document(Document.from_text(text.format(c=c), path), rules)
                assert result.notice is None, (repr(c), text, result.notice)


def test_a_documents_time_is_kept_per_rule_and_per_stage():
    """Each rule's time under its label; the signatures stage is the corpus rules' time
    and the rules stage the others', so the benchmark's split adds up."""
    from lint.api import prepare
    from lint.engine import process_document

    rules = prepare({}, isolated=True).rules
    doc = Document.from_text((SEEDS / sorted(p.name for p in SEEDS.glob("001_*.txt"))[0]).read_text()[:4_000])
    seconds = process_document(doc, rules).seconds
    corpus = {f"rule {r.code}" for r in rules if r.is_corpus}
    assert corpus and set(seconds) == {f"rule {r.code}" for r in rules} | {"rules", "signatures"}
    assert all(v >= 0 for v in seconds.values())
    assert seconds["signatures"] == pytest.approx(sum(v for k, v in seconds.items() if k in corpus))
    assert seconds["rules"] == pytest.approx(sum(v for k, v in seconds.items() if k.startswith("rule ") and k not in corpus))
    assert seconds["signatures"] > 0 and seconds["rules"] > 0


def test_a_check_that_fails_midway_keeps_its_earlier_findings_and_hides_no_others(monkeypatch):
    """A bug in one check is a notice on the file: what it found before failing, and
    every other rule's findings, are still reported."""
    from lint.checks.whitespace import FinalNewline

    def failing(self, doc, p):
        yield Hit(1, 1, {}, key="before the failure")
        raise ZeroDivisionError("division by zero")

    rules = prepare({}, isolated=True).rules
    text = "Some **bold** text.\nNo final newline"
    expected = {code for code, _ in process_document(Document.from_text(text), rules).hits}
    assert expected == {"FMT002", "FMT023"}
    monkeypatch.setattr(FinalNewline, "check", failing)
    result = process_document(Document.from_text(text), rules)
    pairs = list(result.hits)
    assert {code for code, _ in pairs} == expected
    assert [hit.key for code, hit in pairs if code == "FMT023"] == ["before the failure"]
    assert result.notice is not None and result.notice.is_error
    assert "internal error in FMT023" in result.notice.message and "ZeroDivisionError" in result.notice.message
