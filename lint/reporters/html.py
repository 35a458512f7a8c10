"""The HTML report: one self-contained page a corpus curator can work from.

`build_view` turns a Report into a view model: overview counts with their links,
an SVG chart's geometry, rule documentation split into paragraphs, and a JSON
payload (findings, the lines their excerpts need, duplicate copies aligned word by
word).  `report.html.j2` only lays that out; the inline script renders the
findings list from the payload a page at a time, so 20,000 findings stay usable.

Corpus text reaches the page only as escaped template output or as JSON that the
script turns into text nodes (never innerHTML), so a `<script>` in a scraped
page stays text.
"""

from __future__ import annotations

import difflib
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlencode

import regex

from lint import __version__
from lint.errors import DoclintError
from lint.findings import CATEGORIES, SEVERITIES, SEVERITY_RANK, Finding, Report

CONTEXT_LINES = 3          # lines shown above and below a finding's span
MAX_SPAN_LINES = 12        # a longer span shows its head and tail with a gap between
SPAN_TAIL_LINES = 2        # how much of a long span's end is kept
MAX_LINE_CHARS = 2000      # a minified or single-line file must not bloat the page
MAX_COPY_LINE_CHARS = 10_000  # a copy's line may be a whole paragraph; keep enough to compare
MAX_COPY_LINES = 80        # lines of each duplicate copy shown side by side
MAX_ALIGN_WORDS = 3000     # difflib is quadratic at worst: words past this stay unmarked
TOP_FILES = 10

_WORD = regex.compile(r"\S+|\s+")
_EDGE_PUNCT = "\"'“”‘’«»()[]{}<>.,;:!?—–-…*_`"


# -- view model -------------------------------------------------------------------------


class _Counted:
    """A count shown with thousands separators, as every number on the page is."""

    count: int

    @property
    def shown(self) -> str:
        return f"{self.count:,}"


@dataclass(frozen=True)
class Cell(_Counted):
    """A count in a table, with the link to the findings it counts."""

    count: int
    href: str
    css: str = ""


@dataclass(frozen=True)
class CountRow(_Counted):
    """A labelled count that links to the findings it counts."""

    key: str
    label: str
    count: int
    href: str
    css: str = ""
    extra: str = ""          # a second column: slug, category, ...
    extra_href: str = ""
    detail: str = ""         # a longer description: the rule's summary
    cells: tuple[Cell, ...] = ()   # per-severity counts, in SEVERITIES order


@dataclass(frozen=True)
class Bar(_Counted):
    """One bar of the findings-by-category chart, geometry precomputed."""

    label: str
    count: int
    href: str
    css: str
    y: int
    width: int
    text_y: int
    count_x: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]
    title: str


@dataclass(frozen=True)
class Segment:
    text: str
    css: str = ""


@dataclass(frozen=True)
class DocSection:
    title: str
    paragraphs: list[list[Segment]]


@dataclass(frozen=True)
class RuleDoc(_Counted):
    code: str
    name: str
    anchor: str
    category: str
    severity: str
    status: str
    summary: str
    count: int
    href: str
    sections: list[DocSection]


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class NoticeRow:
    path: str
    message: str
    css: str


@dataclass
class ReportView:
    title: str
    version: str
    files_scanned: int
    total: int
    files_with_findings: int
    duplicates: int
    categories: list[CountRow]
    severities: list[CountRow]
    rules: list[CountRow]
    top_files: list[CountRow]
    chart: Chart
    rule_docs: list[RuleDoc]
    notices: list[NoticeRow]
    notices_css: str
    empty_css: str
    rules_documented: int
    category_options: list[Option]
    severity_options: list[Option]
    rule_options: list[Option]
    file_options: list[Option]
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def display(self) -> dict[str, str]:
        """The headline counts formatted for reading: 20000 -> '20,000'."""
        return {name: f"{getattr(self, name):,}"
                for name in ("files_scanned", "total", "files_with_findings", "duplicates")}


def findings_href(**filters: str) -> str:
    """The page-internal link to the findings list with these filters applied."""
    return "#findings?" + urlencode(filters, quote_via=quote, safe="/")


def file_href(path: str) -> str:
    return "#file?" + urlencode({"path": path}, quote_via=quote, safe="/")


def rule_href(code: str) -> str:
    return "#rules?" + urlencode({"code": code}, quote_via=quote)


def excerpt_windows(start: int, end: int, n_lines: int, context: int = CONTEXT_LINES,
                    max_span: int = MAX_SPAN_LINES, tail: int = SPAN_TAIL_LINES) -> list[tuple[int, int]]:
    """Line ranges (inclusive) an excerpt shows: the span with `context` lines around it.

    A span longer than `max_span` lines keeps its first lines and its last `tail`
    lines, as two windows; the page draws a gap between them.  Ranges are clipped
    to the file, and an empty list means there is nothing to show.
    """
    if n_lines <= 0:
        return []
    start = min(max(start, 1), n_lines)
    end = min(max(end, start), n_lines)
    lo, hi = max(1, start - context), min(n_lines, end + context)
    if end - start + 1 <= max_span:
        return [(lo, hi)]
    head_end = start + max_span - tail - 1
    tail_start = end - tail + 1
    return [(lo, head_end), (tail_start, hi)]


def _norm_word(word: str) -> str:
    stripped = word.casefold().strip(_EDGE_PUNCT)
    return stripped or word.casefold()


def _tokens(lines: list[str]) -> list[list[str]]:
    return [_WORD.findall(line) for line in lines]


def align_copies(primary: list[str], others: list[list[str]]) -> tuple[list[list[list[str]]], list[list[list[list[str]]]], list[float]]:
    """Word-level alignment of a primary copy against each other copy (difflib).

    Returns the primary's lines and each other copy's lines as segment lists that
    alternate plain and shared text, starting with plain (so odd positions are
    shared), plus the share of words aligned for each pair.  The primary marks a
    word shared when it aligns with any other copy.
    """
    p_tokens = _tokens(primary)
    p_words = [(i, j) for i, line in enumerate(p_tokens) for j, t in enumerate(line) if not t.isspace()]
    p_words = p_words[:MAX_ALIGN_WORDS]
    p_norm = [_norm_word(p_tokens[i][j]) for i, j in p_words]
    p_shared: set[tuple[int, int]] = set()
    other_lines = []
    ratios = []
    for other in others:
        o_tokens = _tokens(other)
        o_words = [(i, j) for i, line in enumerate(o_tokens) for j, t in enumerate(line) if not t.isspace()]
        o_words = o_words[:MAX_ALIGN_WORDS]
        o_norm = [_norm_word(o_tokens[i][j]) for i, j in o_words]
        if p_norm == o_norm:  # exact copies (after folding case and edge punctuation) need no search
            blocks = [difflib.Match(0, 0, len(p_norm))]
        else:
            # autojunk off: common words such as "the" must align too, or shared runs fall apart.
            blocks = difflib.SequenceMatcher(None, p_norm, o_norm, autojunk=False).get_matching_blocks()
        o_shared: set[tuple[int, int]] = set()
        aligned = 0
        for block in blocks:
            aligned += block.size
            for k in range(block.size):
                p_shared.add(p_words[block.a + k])
                o_shared.add(o_words[block.b + k])
        total = len(p_norm) + len(o_norm)
        ratios.append(round(2 * aligned / total, 4) if total else 1.0)
        other_lines.append(_segments(o_tokens, o_shared))
    return _segments(p_tokens, p_shared), other_lines, ratios


def _segments(tokens: list[list[str]], shared: set[tuple[int, int]]) -> list[list[str]]:
    out = []
    for i, line in enumerate(tokens):
        flags = []
        for j, tok in enumerate(line):
            if not tok.isspace():
                flags.append((i, j) in shared)
            else:
                # Space between two shared words is shared, so a shared run reads as one mark.
                before = j > 0 and (i, j - 1) in shared
                after = j + 1 < len(line) and (i, j + 1) in shared
                flags.append(before and after)
        segs = [""]
        for tok, flag in zip(line, flags):
            if (len(segs) % 2 == 0) == flag:   # odd number of segments: currently plain
                segs[-1] += tok
            else:
                segs.append(tok)
        out.append(segs)
    return out


def _doc_paragraphs(text: str) -> list[list[Segment]]:
    """Split rule documentation into paragraphs, with `code` spans as their own segments."""
    paragraphs = []
    for block in regex.split(r"\n\s*\n", text.strip()):
        joined = " ".join(line.strip() for line in block.splitlines())
        parts = joined.split("`")
        if len(parts) % 2 == 0:  # an unmatched backtick: keep it as written
            parts = [joined]
        segs = [Segment(part, "code" if k % 2 else "") for k, part in enumerate(parts) if part]
        paragraphs.append(segs)
    return paragraphs


_DOC_SECTIONS = (("what", "What it finds"), ("why", "Why it matters"), ("fix", "How to fix or suppress"),
                 ("known_problems", "Known problems"))


class _Sources:
    """File lines read once per path; None for a file that cannot be read or decoded."""

    def __init__(self, base_dir: str | None):
        self.base_dir = base_dir or os.getcwd()
        self._lines: dict[str, list[str] | None] = {}

    def lines(self, path: str) -> list[str] | None:
        if path not in self._lines:
            self._lines[path] = self._read(path)
        return self._lines[path]

    def _read(self, path: str) -> list[str] | None:
        from lint.document import Document
        from lint.load import load

        full = path if os.path.isabs(path) else os.path.join(self.base_dir, path)
        try:
            return Document(path, load(full)).lines
        except (DoclintError, OSError, ValueError):
            return None


def _clip(line: str, limit: int = MAX_LINE_CHARS) -> str:
    return line if len(line) <= limit else line[:limit] + " …"


def build_view(report: Report, *, base_dir: str | None = None, title: str | None = None,
               context: int = CONTEXT_LINES) -> ReportView:
    """The view model of the page; `base_dir` is what report paths are relative to (default: cwd)."""
    sources = _Sources(base_dir)
    findings = report.findings
    summary = report.summary()
    by_file = Counter(f.path for f in findings)
    by_rule = summary["by_rule"]

    by_cat_sev = Counter((f.category, f.severity) for f in findings)
    categories = [CountRow(c, c, summary["by_category"].get(c, 0), findings_href(category=c),
                           css=f"cat-{c}" + ("" if summary["by_category"].get(c) else " zero"),
                           cells=tuple(_cell(by_cat_sev[c, s], findings_href(category=c, severity=s))
                                       for s in SEVERITIES))
                  for c in CATEGORIES]
    severities = [CountRow(s, s, summary["by_severity"].get(s, 0), findings_href(severity=s),
                           css=f"sev-{s}" + ("" if summary["by_severity"].get(s) else " zero"))
                  for s in SEVERITIES]
    names = {f.rule: (f.name, f.category, f.severity) for f in findings}
    for code, rule in report.rules.items():
        names.setdefault(code, (rule.name, rule.category, rule.severity))
    by_rule_sev = Counter((f.rule, f.severity) for f in findings)
    rules = [CountRow(code, code, n, findings_href(rule=code), css=f"cat-{names[code][1]}",
                      extra=names[code][0], extra_href=rule_href(code),
                      detail=getattr(report.rules.get(code), "summary", ""),
                      cells=tuple(_cell(by_rule_sev[code, s], findings_href(rule=code, severity=s))
                                  for s in SEVERITIES))
             for code, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))]
    top = sorted(by_file.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_FILES]
    top_files = [CountRow(p, p, n, findings_href(file=p), extra_href=file_href(p)) for p, n in top]

    payload, dup_count = _payload(report, sources, context)
    rule_docs = _rule_docs(report, by_rule, names)
    files_in_payload = [f["path"] for f in payload["files"]]

    return ReportView(
        title=title or "doclint report",
        version=report.version or __version__,
        files_scanned=report.files_scanned,
        total=len(findings),
        files_with_findings=len(by_file),
        duplicates=dup_count,
        categories=categories,
        severities=severities,
        rules=rules,
        top_files=top_files,
        chart=_chart(categories),
        rule_docs=rule_docs,
        rules_documented=len(rule_docs),
        notices=[NoticeRow(n.path, n.message, "error" if n.is_error else "notice") for n in report.notices],
        notices_css="" if report.notices else "hidden",
        empty_css="" if not findings else "hidden",
        category_options=[Option(c.key, f"{c.key} ({c.count:,})") for c in categories if c.count],
        severity_options=[Option(s.key, f"{s.key} ({s.count:,})") for s in severities if s.count],
        rule_options=[Option(r.key, f"{r.key} {r.extra} ({r.count:,})") for r in rules],
        file_options=[Option(p, f"{p} ({by_file[p]:,})") for p in files_in_payload],
        payload=payload,
    )


def _cell(count: int, href: str) -> Cell:
    return Cell(count, href, "" if count else "zero")


def _chart(categories: list[CountRow]) -> Chart:
    label_width, bar_area, bar_height, gap = 96, 260, 22, 8
    peak = max((c.count for c in categories), default=0) or 1
    bars = []
    for k, c in enumerate(categories):
        y = k * (bar_height + gap)
        width = round(bar_area * c.count / peak) if c.count else 0
        bars.append(Bar(c.label, c.count, c.href, c.css, y, max(width, 2 if c.count else 0),
                        y + bar_height // 2 + 5, label_width + max(width, 2) + 8))
    height = len(categories) * (bar_height + gap) - gap
    return Chart(label_width + bar_area + 60, height, label_width, bar_height, bars, "Findings by category")


def _rule_docs(report: Report, by_rule: dict[str, int], names: dict[str, tuple]) -> list[RuleDoc]:
    docs = []
    for code in sorted(set(report.rules) | set(by_rule)):
        rule = report.rules.get(code)
        if rule is None:  # a finding from a rule the report does not describe
            name, category, severity = names[code]
            docs.append(RuleDoc(code, name, f"rule-{code}", category, severity, "", "", by_rule.get(code, 0),
                                findings_href(rule=code), []))
            continue
        sections = [DocSection(title, _doc_paragraphs(rule.doc[key]))
                    for key, title in _DOC_SECTIONS if rule.doc.get(key)]
        docs.append(RuleDoc(code, rule.name, f"rule-{code}", rule.category, rule.severity, rule.status,
                            rule.summary, by_rule.get(code, 0), findings_href(rule=code), sections))
    return docs


def _payload(report: Report, sources: _Sources, context: int) -> tuple[dict[str, Any], int]:
    """What the page's script needs: findings, the lines their excerpts show, aligned copies."""
    file_index: dict[str, int] = {}
    files: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    dups: list[dict[str, Any]] = []
    for idx, f in enumerate(report.findings):
        if f.path not in file_index:
            file_index[f.path] = len(files)
            lines = sources.lines(f.path)
            files.append({"path": f.path, "readable": lines is not None, "lines": {}, "count": 0})
        entry = files[file_index[f.path]]
        entry["count"] += 1
        lines = sources.lines(f.path)
        windows = excerpt_windows(f.start_line, f.end_line, len(lines), context) if lines else []
        for a, b in windows:
            for n in range(a, b + 1):
                entry["lines"].setdefault(str(n), _clip(lines[n - 1]))
        item: dict[str, Any] = {
            "id": idx, "rule": f.rule, "name": f.name, "cat": f.category, "sev": f.severity,
            "file": file_index[f.path], "start": f.start_line, "end": f.end_line,
            "msg": f.message, "ex": [list(w) for w in windows],
        }
        if f.start_col is not None:
            item["sc"] = f.start_col
        if f.end_col is not None:
            item["ec"] = f.end_col
        if f.related:
            item["rel"] = [[r.path, r.start_line, r.end_line, r.similarity] for r in f.related]
            item["dup"] = len(dups)
            dups.append(_copies(idx, f, sources))
        items.append(item)
    rules = {code: {"name": r.name, "category": r.category, "severity": r.severity, "summary": r.summary}
             for code, r in report.rules.items()}
    return {
        "findings": items,
        "files": files,
        "dups": dups,
        "rules": rules,
        "severities": list(SEVERITIES),
        "severity_rank": SEVERITY_RANK,
        "total": len(items),
    }, sum(1 for f in report.findings if f.related and f.category == "duplicate")


def _copy_lines(sources: _Sources, path: str, start: int, end: int) -> tuple[list[str] | None, int]:
    """The span's lines (at most MAX_COPY_LINES) and how many more the span has."""
    lines = sources.lines(path)
    if lines is None:
        return None, 0
    start = max(1, start)
    end = min(max(end, start), len(lines))
    shown_end = min(end, start + MAX_COPY_LINES - 1)
    return [_clip(line, MAX_COPY_LINE_CHARS) for line in lines[start - 1:shown_end]], end - shown_end


def _copies(idx: int, f: Finding, sources: _Sources) -> dict[str, Any]:
    spans = [(f.path, f.start_line, f.end_line, None)] + [(r.path, r.start_line, r.end_line, r.similarity)
                                                           for r in f.related]
    texts = [_copy_lines(sources, p, s, e) for p, s, e, _ in spans]
    readable = [k for k, (lines, _) in enumerate(texts) if lines is not None]
    segments: dict[int, list[list[str]]] = {}
    ratios: dict[int, float] = {}
    if texts[0][0] is not None and len(readable) > 1:
        others = [k for k in readable if k != 0]
        primary, rest, pair_ratios = align_copies(texts[0][0], [texts[k][0] for k in others])
        segments[0] = primary
        for k, segs, ratio in zip(others, rest, pair_ratios):
            segments[k], ratios[k] = segs, ratio
    copies = []
    for k, ((path, start, end, sim), (lines, more)) in enumerate(zip(spans, texts)):
        if lines is None:
            rows = None
        else:
            segs = segments.get(k) or [[line] for line in lines]
            rows = [[start + i, seg] for i, seg in enumerate(segs)]
        copies.append({"path": path, "start": start, "end": end, "sim": sim, "aligned": ratios.get(k),
                       "rows": rows, "more": more})
    return {"finding": idx, "copies": copies}


# -- rendering ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("lint", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    # Compact JSON keeps a 20,000-finding payload small; key order is the builder's.
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "separators": (",", ":"), "ensure_ascii": False}
    return env


def render(report: Report, *, base_dir: str | None = None, title: str | None = None, **_: Any) -> str:
    """The whole page as one string: inline CSS and script, no external resources."""
    view = build_view(report, base_dir=base_dir, title=title)
    return _environment().get_template("report.html.j2").render(view=view)


def timed_render(report: Report, **options: Any) -> tuple[str, float]:
    """Render and return the seconds it took (the benchmark and the size test use it)."""
    started = time.perf_counter()
    page = render(report, **options)
    return page, time.perf_counter() - started
