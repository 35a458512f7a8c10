"""The HTML report: its view model, escaping, self-containment, and a 20,000-finding page."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

import lint
from lint.catalogue import Rule
from lint.findings import CATEGORIES, Finding, Related, Report
from lint.reporters import FORMATS, render
from lint.reporters.html import (
    CONTEXT_LINES,
    MAX_COPY_LINES,
    MAX_LINE_CHARS,
    align_copies,
    build_view,
    excerpt_windows,
    findings_href,
    timed_render,
)

from conftest import FIXTURES, REPO, SEEDS, run_cli

REPORTING = FIXTURES / "reporting"
TEMPLATES = REPO / "lint" / "templates"


def report_path(path: Path) -> str:
    """A path the way reports spell it: relative to the current folder, forward slashes."""
    return os.path.relpath(path).replace(os.sep, "/")


def finding(rule="BPL001", path="a.txt", start=1, end=1, *, category="boilerplate", severity="warning",
            name="donation-appeal", message="m", related=(), start_col=None, end_col=None) -> Finding:
    return Finding(rule, name, category, severity, path, start, end, message, f"fp-{rule}-{path}-{start}",
                   start_col=start_col, end_col=end_col, related=tuple(related))


def make_rule(code="DUP900", name="synthetic-duplicate-pair", category="duplicate", severity="warning",
              doc=None, summary="A stand-in duplicate rule for report tests.") -> Rule:
    return Rule(code=code, name=name, category=category, severity=severity, status="preview", since="0.1.0",
                summary=summary, message="{other}", kind="pattern", params=None,
                doc=doc or {"what": "Passages that occur in two files.", "why": "Copies skew a corpus.",
                            "fix": "Keep one copy; see `per-file-ignores`."})


def synthetic_duplicates() -> list[Finding]:
    """A pair and a group of three over the real files in fixtures/reporting."""
    a, b, c = (report_path(REPORTING / n) for n in ("pair-a.txt", "pair-b.txt", "pair-c.txt"))
    rule = dict(rule="DUP900", name="synthetic-duplicate-pair", category="duplicate")
    return [
        finding(path=a, start=3, end=9, message=f"Near-duplicate of {b}:3-9", related=[Related(b, 3, 9, 0.86)], **rule),
        finding(path=c, start=3, end=3, message=f"Near-duplicate of {a}:3-6 and {b}:3-6",
                related=[Related(a, 3, 6, 0.83), Related(b, 3, 6, 0.78)], **rule),
    ]


def demo_report() -> Report:
    """The seeds plus fixtures/reporting, with a synthetic duplicate pair while the
    engine has no duplicate rules of its own (its real pairs are used once it has)."""
    report = lint.check([SEEDS, REPORTING], config={}, jobs=1)
    if not any(f.related for f in report.findings):
        report.findings = sorted(report.findings + synthetic_duplicates(), key=Finding.sort_key)
        report.rules["DUP900"] = make_rule()
    return report


# -- excerpts and alignment ------------------------------------------------------------


def test_excerpt_window_is_the_span_with_context_clipped_to_the_file():
    assert excerpt_windows(10, 11, 100) == [(10 - CONTEXT_LINES, 11 + CONTEXT_LINES)]
    assert excerpt_windows(1, 1, 100) == [(1, 1 + CONTEXT_LINES)]
    assert excerpt_windows(99, 100, 100) == [(99 - CONTEXT_LINES, 100)]
    assert excerpt_windows(5, 5, 0) == []
    assert excerpt_windows(50, 60, 20) == [(20 - CONTEXT_LINES, 20)]  # a stale finding past the end


def test_a_long_span_shows_its_head_and_tail_with_a_gap():
    windows = excerpt_windows(10, 200, 300, context=3, max_span=12, tail=2)
    assert windows == [(7, 19), (199, 203)]
    assert windows[0][1] < windows[1][0] - 1


def test_alignment_marks_shared_words_and_leaves_edits_plain():
    primary, (other,), (ratio,) = align_copies(
        ["The harbour master kept a ledger", "of every ship."],
        [["the harbour master kept a Book", "of every ship!"]],
    )
    shared = lambda lines: [seg for line in lines for k, seg in enumerate(line) if k % 2]  # noqa: E731
    plain = lambda lines: "".join(seg for line in lines for k, seg in enumerate(line) if not k % 2)  # noqa: E731
    assert shared(primary) == ["The harbour master kept a", "of every ship."]
    assert shared(other) == ["the harbour master kept a", "of every ship!"]
    assert plain(primary).strip() == "ledger" and plain(other).strip() == "Book"
    assert 0.8 < ratio < 1.0
    # Every line's segments join back to the line: nothing is dropped or reordered.
    assert ["".join(line) for line in primary] == ["The harbour master kept a ledger", "of every ship."]


def test_alignment_of_a_group_marks_the_primary_against_every_copy():
    primary, others, ratios = align_copies(["alpha beta gamma delta"], [["alpha beta"], ["gamma delta"]])
    assert primary == [["", "alpha beta gamma delta"]]
    assert others == [[["", "alpha beta"]], [["", "gamma delta"]]]
    assert ratios == [round(2 * 2 / 6, 4)] * 2


def test_alignment_with_nothing_in_common_marks_nothing():
    primary, (other,), (ratio,) = align_copies(["one two three"], [["four five"]])
    assert primary == [["one two three"]] and other == [["four five"]] and ratio == 0.0


# -- the view model ------------------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("".join(f"line {n} of a\n" for n in range(1, 31)))
    (tmp_path / "b.txt").write_text("alpha\nThe same passage appears here.\nomega\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.md").write_text("# Title\n\nThe same passage appears here, almost.\n")
    return tmp_path


def corpus_report(tmp_path) -> Report:
    findings = [
        finding(path="a.txt", start=10, end=10, start_col=6, end_col=8, message="col span"),
        finding(path="a.txt", start=20, end=21, severity="error", rule="FMT001", name="invalid-encoding",
                category="formatting"),
        finding(path="b.txt", start=2, end=2, rule="DUP900", name="synthetic-duplicate-pair", category="duplicate",
                related=[Related("sub/c.md", 3, 3, 0.91)]),
        finding(path="gone.txt", start=4, end=4, severity="info"),
    ]
    rules = {"DUP900": make_rule(), "BPL001": make_rule("BPL001", "donation-appeal", "boilerplate")}
    return Report(sorted(findings, key=Finding.sort_key), files_scanned=5, version="0.1.0", rules=rules,
                  paths=["a.txt", "b.txt", "gone.txt", "sub/c.md", "clean.txt"])


def test_overview_counts_every_category_and_severity_with_links(corpus):
    view = build_view(corpus_report(corpus))
    assert [c.key for c in view.categories] == list(CATEGORIES)
    counts = {c.key: c.count for c in view.categories}
    assert counts == {"duplicate": 1, "truncation": 0, "boilerplate": 2, "formatting": 1, "structure": 0}
    assert next(c for c in view.categories if c.key == "boilerplate").href == "#findings?category=boilerplate"
    assert "zero" in next(c for c in view.categories if c.key == "truncation").css
    boiler = next(c for c in view.categories if c.key == "boilerplate")
    assert [(cell.count, cell.href) for cell in boiler.cells] == [
        (0, "#findings?category=boilerplate&severity=error"),
        (1, "#findings?category=boilerplate&severity=warning"),
        (1, "#findings?category=boilerplate&severity=info"),
    ]
    assert {s.key: s.count for s in view.severities} == {"error": 1, "warning": 2, "info": 1}
    assert (view.files_scanned, view.total, view.files_with_findings, view.duplicates) == (5, 4, 3, 1)


def test_rules_are_listed_by_count_with_links_to_findings_and_docs(corpus):
    view = build_view(corpus_report(corpus))
    assert [(r.key, r.count) for r in view.rules] == [("BPL001", 2), ("DUP900", 1), ("FMT001", 1)]
    top = view.rules[0]
    assert (top.href, top.extra_href, top.extra) == ("#findings?rule=BPL001", "#rules?code=BPL001", "donation-appeal")
    # FMT001 fired but the report carries no Rule for it: it still gets a (bare) doc entry.
    assert [d.code for d in view.rule_docs] == ["BPL001", "DUP900", "FMT001"]
    assert view.rule_docs[2].sections == [] and view.rule_docs[2].count == 1


def test_top_files_and_chart_geometry(corpus):
    view = build_view(corpus_report(corpus))
    assert [(f.key, f.count) for f in view.top_files] == [("a.txt", 2), ("b.txt", 1), ("gone.txt", 1)]
    assert view.top_files[0].extra_href == "#file?path=a.txt"
    bars = {b.label: b for b in view.chart.bars}
    assert bars["boilerplate"].width == 2 * bars["duplicate"].width > 0
    assert bars["structure"].width == 0 and bars["boilerplate"].href == findings_href(category="boilerplate")
    ys = [b.y for b in view.chart.bars]
    assert ys == sorted(ys) and len(set(ys)) == len(CATEGORIES)
    assert view.chart.height >= ys[-1] + view.chart.bar_height


def test_payload_carries_only_the_lines_excerpts_need(corpus):
    payload = build_view(corpus_report(corpus)).payload
    files = {f["path"]: f for f in payload["files"]}
    a = files["a.txt"]
    wanted = set(range(10 - CONTEXT_LINES, 10 + CONTEXT_LINES + 1)) | set(range(20 - CONTEXT_LINES, 21 + CONTEXT_LINES + 1))
    assert {int(n) for n in a["lines"]} == wanted
    assert a["lines"]["10"] == "line 10 of a" and a["count"] == 2 and a["readable"]
    first = payload["findings"][0]
    assert (first["rule"], first["start"], first["sc"], first["ec"], first["ex"]) == ("BPL001", 10, 6, 8, [[7, 13]])
    assert "sc" not in payload["findings"][1]


def test_a_file_that_cannot_be_read_gives_a_finding_without_excerpt(corpus):
    payload = build_view(corpus_report(corpus)).payload
    gone = next(f for f in payload["findings"] if payload["files"][f["file"]]["path"] == "gone.txt")
    assert gone["ex"] == [] and payload["files"][gone["file"]] == {"path": "gone.txt", "readable": False, "lines": {}, "count": 1}


def test_duplicates_carry_both_copies_aligned(corpus):
    payload = build_view(corpus_report(corpus)).payload
    dup_finding = next(f for f in payload["findings"] if f["rule"] == "DUP900")
    assert dup_finding["rel"] == [["sub/c.md", 3, 3, 0.91]]
    dup = payload["dups"][dup_finding["dup"]]
    assert dup["finding"] == dup_finding["id"]
    left, right = dup["copies"]
    assert (left["path"], left["start"], left["sim"]) == ("b.txt", 2, None)
    assert (right["path"], right["start"], right["sim"]) == ("sub/c.md", 3, 0.91)
    assert left["rows"] == [[2, ["", "The same passage appears here."]]]
    assert right["rows"] == [[3, ["", "The same passage appears here,", " almost."]]]
    assert 0.8 < right["aligned"] < 1


def test_a_copy_that_cannot_be_read_is_shown_as_missing(corpus):
    report = Report([finding(path="b.txt", start=2, end=2, related=[Related("nowhere.txt", 1, 5, 0.9)])], 1, "0.1.0")
    (left, right), = [d["copies"] for d in build_view(report).payload["dups"]]
    assert right["rows"] is None and right["path"] == "nowhere.txt"
    assert left["rows"] == [[2, ["The same passage appears here."]]]  # nothing to align against


def test_long_copies_are_cut_and_say_how_much_is_hidden(corpus):
    (corpus / "long.txt").write_text("".join(f"word{n}\n" for n in range(200)))
    report = Report([finding(path="long.txt", start=1, end=200, related=[Related("long.txt", 1, 200, 1.0)])], 1, "0.1.0")
    copy = build_view(report).payload["dups"][0]["copies"][0]
    assert len(copy["rows"]) == MAX_COPY_LINES and copy["more"] == 200 - MAX_COPY_LINES


def test_very_long_lines_are_clipped_in_excerpts_but_kept_longer_in_copies(corpus):
    long_line = "word " * 1000  # 5,000 characters: a paragraph stored as one line
    (corpus / "para.txt").write_text(long_line + "\n")
    report = Report([finding(path="para.txt", start=1, end=1, related=[Related("para.txt", 1, 1, 1.0)])], 1, "0.1.0")
    payload = build_view(report).payload
    assert payload["files"][0]["lines"]["1"] == long_line[:MAX_LINE_CHARS] + " …"
    left, right = payload["dups"][0]["copies"]
    assert "".join(left["rows"][0][1]) == long_line and right["aligned"] == 1.0


def test_rule_docs_are_paragraphs_with_code_spans():
    rule = make_rule(doc={"what": "First line\ncontinues.\n\nSecond `per-file-ignores` paragraph.", "why": "w",
                          "fix": "f"})
    report = Report([], 0, "0.1.0", rules={"DUP900": rule})
    doc = build_view(report).rule_docs[0]
    what = doc.sections[0]
    assert what.title == "What it finds"
    assert [[(s.text, s.css) for s in p] for p in what.paragraphs] == [
        [("First line continues.", "")],
        [("Second ", ""), ("per-file-ignores", "code"), (" paragraph.", "")],
    ]
    assert [s.title for s in doc.sections] == ["What it finds", "Why it matters", "How to fix or suppress"]


def test_related_spans_outside_the_duplicate_category_compare_but_do_not_count_as_duplicates(corpus):
    other = finding(path="a.txt", start=3, end=3, rule="FMT008", name="list-indent-inconsistent", category="formatting",
                    related=[Related("a.txt", 1, 1)])
    report = Report([other] + corpus_report(corpus).findings, 5, "0.1.0")
    view = build_view(report)
    assert view.duplicates == 1 and len(view.payload["dups"]) == 2
    assert view.payload["dups"][0]["copies"][1]["sim"] is None


def test_headline_counts_are_formatted_for_reading():
    findings = [finding(path=f"f{k}.txt", start=1, end=1) for k in range(1234)]
    view = build_view(Report(findings, 20000, "0.1.0"))
    assert view.display == {"files_scanned": "20,000", "total": "1,234", "files_with_findings": "1,234",
                            "duplicates": "0"}
    assert next(c for c in view.categories if c.key == "boilerplate").shown == "1,234"
    assert [(o.value, o.label) for o in view.category_options] == [("boilerplate", "boilerplate (1,234)")]
    page = render(Report(findings, 20000, "0.1.0"), "html")
    assert '<span class="big" id="stat-files">20,000</span>' in page


def test_an_empty_report_says_so():
    view = build_view(Report([], 3, "0.1.0"))
    assert view.total == 0 and view.empty_css == "" and view.top_files == []
    assert all(c.count == 0 for c in view.categories)


# -- the page ----------------------------------------------------------------------------------


def test_html_is_a_registered_format():
    assert "html" in FORMATS


def test_page_is_self_contained_and_the_script_is_included_verbatim(corpus):
    page = render(corpus_report(corpus), "html")
    assert page.startswith("<!doctype html>")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # No resource is fetched: no src/href to anything but the page's own fragments.
    assert not re.search(r"""\bsrc\s*=""", page)
    assert not re.search(r"""<link\b""", page)
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith("#") for h in hrefs), [h for h in hrefs if not h.startswith("#")]
    assert (TEMPLATES / "report.js").read_text() in page
    assert (TEMPLATES / "report.css").read_text() in page


def test_payload_in_the_page_round_trips(corpus):
    report = corpus_report(corpus)
    page = render(report, "html")
    raw = re.search(r'<script type="application/json" id="doclint-data">(.*?)</script>', page, re.S).group(1)
    assert json.loads(raw) == json.loads(json.dumps(build_view(report).payload))


HOSTILE = '</script><script>window.__pwned = 4</script></textarea><img src=x onerror="window.__pwned = 5">'


def hostile_report() -> Report:
    report = lint.check([REPORTING], config={"select": ["BPL001"]}, jobs=1)
    escape_md = report_path(REPORTING / "escape.md")
    assert [f.path for f in report.findings] == [escape_md], "the fixture's real finding"
    extra = finding(path=escape_md, start=4, end=5, message="Markup in text: " + HOSTILE, rule="DUP900",
                    name="synthetic-duplicate-pair", category="duplicate",
                    related=[Related(report_path(REPORTING / "pair-a.txt"), 1, 2, 0.5)])
    report.findings = sorted(report.findings + [extra], key=Finding.sort_key)
    report.rules["DUP900"] = make_rule(doc={"what": "Docs with " + HOSTILE, "why": "<b>why</b>", "fix": "f"},
                                       summary="Summary " + HOSTILE)
    return report


def test_corpus_text_messages_and_docs_are_escaped():
    page = render(hostile_report(), "html")
    # Exactly the page's own two script elements, whatever the corpus says.
    assert len(re.findall(r"<script\b", page, re.I)) == 2
    assert len(re.findall(r"</script", page, re.I)) == 2
    assert "</textarea>" not in page and "<img" not in page and "window.__pwned" in page
    # In markup, as entities; in the JSON payload, as \u003c escapes.
    assert "Docs with &lt;/script&gt;&lt;script&gt;window.__pwned = 4" in page
    assert "&lt;b&gt;why&lt;/b&gt;" in page
    assert "\\u003cscript\\u003ewindow.__pwned = 1" in page  # line 4 of escape.md, in the excerpt lines


def test_cli_writes_the_html_report(tmp_path):
    out = tmp_path / "report.html"
    result = run_cli("check", str(REPORTING), "--isolated", "--format", "html", "--output", str(out), cwd=REPO)
    assert result.returncode == 1, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "<!doctype html>" in page and "BPL001" in page and "donation-appeal" in page
    assert result.stdout == ""


def test_the_seeds_report_shows_every_category_with_its_count():
    report = demo_report()
    page = render(report, "html")
    summary = report.summary()["by_category"]
    assert summary.get("duplicate"), "the demo report always has a duplicate pair"
    for category, count in summary.items():
        row = re.search(rf'<tr class="cat-{category}" data-key="{category}">(.*?)</tr>', page, re.S)
        assert row, category
        assert f'<td class="num total"><a href="#findings?category={category}">{count:,}</a></td>' in row.group(1)
    payload = build_view(report).payload
    assert {f["cat"] for f in payload["findings"]} == set(summary)


# -- a large report ----------------------------------------------------------------------------

LARGE = 20_000


def large_report(root: Path, n_files: int = 500, per_file: int = LARGE // 500, dup_every: int = 10) -> Report:
    """20,000 findings over 500 real files: every tenth one a 12-line duplicate pair with another file."""
    para = ("Grain ships from the south came first, low in the water and slow to turn, followed by the "
            "timber barges that had waited out the storms. ")
    for k in range(n_files):
        lines = [f"File {k} line {n}: " + (para if n % 7 == 0 else "ordinary prose of modest length.")
                 for n in range(1, 2 * per_file + 40)]
        (root / f"doc{k:04d}.txt").write_text("\n".join(lines) + "\n")
    cats = list(CATEGORIES)
    sevs = ["error", "warning", "info"]
    findings = []
    for k in range(n_files):
        for j in range(per_file):
            i = len(findings)
            start = 2 * j + 5
            if i % dup_every == 0:
                other = f"doc{(k + 1) % n_files:04d}.txt"
                findings.append(finding(path=f"doc{k:04d}.txt", start=start, end=start + 11, rule="DUP900",
                                        name="synthetic-duplicate-pair", category="duplicate", severity="warning",
                                        message=f"Near-duplicate of {other}", related=[Related(other, start, start + 11, 0.9)]))
            else:
                cat = cats[1 + i % 4]
                findings.append(finding(path=f"doc{k:04d}.txt", start=start, end=start, rule=f"{cat[:3].upper()}00{i % 3}",
                                        name=f"{cat}-rule-{i % 3}", category=cat, severity=sevs[i % 3],
                                        message=f"Finding {i} <in> {cat}"))
    return Report(sorted(findings, key=Finding.sort_key), files_scanned=n_files, version="0.1.0",
                  rules={"DUP900": make_rule()})


def test_a_20000_finding_report_renders_in_bounded_time_and_size(tmp_path, monkeypatch, record_property):
    monkeypatch.chdir(tmp_path)
    report = large_report(tmp_path)
    assert len(report.findings) == LARGE
    page, seconds = timed_render(report)
    size = len(page.encode("utf-8"))
    record_property("html_20000_bytes", size)
    record_property("html_20000_seconds", round(seconds, 2))
    print(f"\n20,000-finding HTML report: {size / 1e6:.1f} MB in {seconds:.1f} s")
    record = os.environ.get("DOCLINT_HTML_RECORD")
    if record:
        Path(record).write_text(json.dumps({"findings": LARGE, "bytes": size, "seconds": round(seconds, 2),
                                            "duplicates": sum(1 for f in report.findings if f.related)}))
    assert seconds < 60
    assert size < 25_000_000
    payload = json.loads(re.search(r'id="doclint-data">(.*?)</script>', page, re.S).group(1))
    assert len(payload["findings"]) == LARGE and len(payload["dups"]) == LARGE // 10
    assert page.count("<article") < 100  # findings are rendered by the page, a page at a time


def test_rendering_is_timed():
    started = time.perf_counter()
    page, seconds = timed_render(Report([], 0, "0.1.0"))
    assert 0 < seconds <= time.perf_counter() - started and "<!doctype html>" in page
