"""The repeated_line corpus kind: thresholds, normalisation, one finding per file and line."""

from __future__ import annotations

from lint.checks.repeated_line import RepeatedLine, RepeatedLineParams
from lint.document import Document
from lint.params import build_params

FOOTER = "Keep Up to Date with the Most Important News"


def run(texts: dict[str, str], **params):
    p = build_params(RepeatedLineParams, params, "test")
    kind = RepeatedLine()
    sigs = [(path, kind.signature(Document.from_text(text, path), p)) for path, text in texts.items()]
    return [(h.path, h.start_line, h.args["count"]) for h in kind.check_corpus(reversed(sigs), p)]


def corpus(n: int, shared: int) -> dict[str, str]:
    out = {}
    for i in range(n):
        tail = f"\n{FOOTER}\n" if i < shared else "\n"
        out[f"{i:02d}.txt"] = f"Article number {i} talks about something different entirely.\n{tail}"
    return out


def test_line_in_enough_files_is_reported_once_per_file_with_its_count():
    got = run(corpus(6, 5), min_files=5)
    assert got == [(f"{i:02d}.txt", 3, 5) for i in range(5)]


def test_below_min_files_or_min_share_nothing_is_reported():
    assert run(corpus(6, 4), min_files=5) == []
    assert run(corpus(20, 5), min_files=5, min_share=0.5) == []
    assert len(run(corpus(20, 10), min_files=5, min_share=0.5)) == 10


def test_case_punctuation_and_repeats_inside_a_file_are_folded():
    texts = {f"{i}.txt": ("KEEP UP TO DATE, with the most important news!\n" if i % 2 else f"{FOOTER}\n") * 2
             for i in range(5)}
    assert [c for _, _, c in run(texts, min_files=5)] == [5] * 5  # once per file, not per occurrence


def test_short_lines_are_ignored():
    texts = {f"{i}.txt": "Conclusion\n\nRead more here\n" for i in range(6)}
    assert run(texts, min_files=5) == []


def test_signature_is_deterministic_and_small():
    doc = Document.from_text(f"{FOOTER}\n\n{FOOTER}\n", "a.txt")
    p = RepeatedLineParams()
    assert RepeatedLine().signature(doc, p) == RepeatedLine().signature(doc, p)
    assert len(RepeatedLine().signature(doc, p)) == 1
