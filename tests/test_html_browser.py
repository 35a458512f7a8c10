"""The HTML report in a real browser: Debian's headless Chromium, driven by Playwright.

This runs in CI (`.ci/run` installs the `chromium` package when it is missing); a
missing browser is a failure, not a skip.  Screenshots go to the test's tmp folder
and, when DOCLINT_SCREENSHOTS names a folder, there too.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from lint.reporters import render

from test_html_report import demo_report, large_report

CHROMIUM = os.environ.get("DOCLINT_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_SCHEMES = ("file://", "data:", "about:", "blob:")


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does this)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page plus everything it said and fetched."""

    def __init__(self, page):
        self.page = page
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(f"uncaught: {e}"))
        page.on("request", lambda r: self.requests.append(r.url))

    def open(self, path: Path, fragment: str = "") -> None:
        self.page.goto(path.as_uri() + fragment)
        self.page.wait_for_selector("body[data-ready=true]")

    def assert_quiet_and_local(self) -> None:
        assert self.console_errors == []
        assert self.requests and all(u.startswith(LOCAL_SCHEMES) for u in self.requests), self.requests


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    yield Watched(page)
    context.close()


def save_screenshot(target, tmp_path: Path, name: str) -> Path:
    shot = tmp_path / name
    target.screenshot(path=str(shot))
    assert shot.stat().st_size > 5_000  # a real picture, not an empty page
    extra = os.environ.get("DOCLINT_SCREENSHOTS")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(extra) / name)
    return shot


def count_of(page, selector: str) -> int:
    return int(page.get_attribute(selector, "data-count"))


def wait_count(page, expected: int, selector: str = "#findings-count") -> None:
    # A function, not an expression string: the page's CSP rightly forbids eval.
    page.wait_for_function("([sel, n]) => document.querySelector(sel).dataset.count === n",
                           arg=[selector, str(expected)])


def test_seeds_report_in_chromium(watched, tmp_path):
    report = demo_report()
    html = tmp_path / "report.html"
    html.write_text(render(report, "html"), encoding="utf-8")
    page = watched.page
    watched.open(html)

    # The overview: every category in the report, with its count.
    by_category = report.summary()["by_category"]
    assert page.is_visible("#view-overview")
    for category, count in by_category.items():
        assert page.inner_text(f"#by-category tr[data-key={category}] td.total") == f"{count:,}"
    assert page.inner_text("#stat-findings") == f"{len(report.findings):,}"
    save_screenshot(page, tmp_path, "overview.png")

    # A category filter from the overview link, then combined with a severity filter.
    category = max(by_category, key=lambda c: (by_category[c], c))
    page.click(f"#by-category tr[data-key={category}] td.total a")
    page.wait_for_selector("#view-findings:not([hidden])")
    assert count_of(page, "#findings-count") == by_category[category]
    cards = page.locator("#findings-list article.finding")
    assert cards.count() == min(50, by_category[category])
    assert set(cards.evaluate_all("cs => cs.map(c => c.dataset.cat)")) == {category}
    assert page.input_value("select[name=category]") == category
    severity = next(f.severity for f in report.findings if f.category == category)
    page.select_option("select[name=severity]", severity)
    expected = sum(1 for f in report.findings if f.category == category and f.severity == severity)
    wait_count(page, expected)
    assert "matched" in page.inner_html("#findings-count")

    # Text search combines with the filters; the reset button clears everything.
    page.click("#reset")
    wait_count(page, len(report.findings))
    term = "ebook"
    expected = sum(1 for f in report.findings if term in (f.message + " " + f.path).lower())
    assert 0 < expected < len(report.findings)
    page.fill("input[name=q]", term.upper())
    wait_count(page, expected)

    # Markup from the corpus is shown as text, and none of it ran.
    page.fill("input[name=q]", "escape.md")
    wait_count(page, sum(1 for f in report.findings if f.path.endswith("escape.md")))
    excerpt = page.inner_text("#findings-list")
    assert "</textarea><script>window.__pwned = 3</script>" in excerpt
    assert page.evaluate("window.__pwned") is None
    assert page.title() != "pwned"

    # A duplicate pair: both spans side by side, the shared words highlighted.
    dup = next(f for f in report.findings if f.related and len(f.related) == 1 and f.category == "duplicate")
    page.click("#reset")
    page.select_option("select[name=rule]", dup.rule)
    page.select_option("select[name=file]", dup.path)
    card = page.locator(f"#finding-{report.findings.index(dup)}")
    card.locator("button.compare-toggle").click()
    copies = card.locator(".compare .copy")
    assert copies.count() == 2
    spans = [(dup.path, dup.start_line), (dup.related[0].path, dup.related[0].start_line)]
    for k, (path, start) in enumerate(spans):
        copy = copies.nth(k)
        assert copy.is_visible()
        assert copy.get_attribute("data-path") == path
        assert copy.locator(".ln .no").first.inner_text() == str(start)
        assert copy.locator("mark.shared").count() > 0
        assert copy.locator(".copy-body").inner_text().strip()
    assert "similar" in card.inner_text()
    card.scroll_into_view_if_needed()
    save_screenshot(card, tmp_path, "duplicate-pair.png")

    # The duplicates view shows each group with all its copies, most similar first.
    page.click("nav.tabs a[data-view=duplicates]")
    page.wait_for_selector("#view-duplicates:not([hidden])")
    groups = [f for f in report.findings if f.related and f.category == "duplicate"]
    assert count_of(page, "#dups-count") == len(groups)
    shown = page.locator("#dups-list article.finding").evaluate_all(
        "as => as.map(a => [+a.id.split('-')[1], +a.querySelector('.compare').dataset.copies])")
    assert len(shown) == min(10, len(groups))
    assert all(copies == 1 + len(report.findings[i].related) for i, copies in shown)
    best = [max(r.similarity or 0 for r in report.findings[i].related) for i, _ in shown]
    assert best == sorted(best, reverse=True)

    # Rule documentation is in the page; a finding's rule links to it.
    page.click("nav.tabs a[data-view=findings]")
    page.locator("#findings-list a.rule").first.click()
    first = report.findings[0]
    page.wait_for_selector(f"#rule-{first.rule}.flash", state="visible")  # the view switches on the hash change
    doc = page.locator(f"#rule-{first.rule}")
    assert doc.is_visible() and "flash" in doc.get_attribute("class")
    assert first.name in doc.inner_text()

    # The per-file view lists one file's findings in line order.
    page.goto(html.as_uri() + "#findings")
    page.wait_for_selector("#view-findings:not([hidden])")
    busiest = max({f.path for f in report.findings}, key=lambda p: sum(f.path == p for f in report.findings))
    page.locator(f"#findings-list a.loc:has-text('{busiest}:')").first.click()
    page.wait_for_selector("#view-file:not([hidden])")
    assert page.inner_text("#file-title") == busiest
    lines = [f.start_line for f in report.findings if f.path == busiest]
    assert count_of(page, "#file-count") == len(lines)
    shown = page.locator("#file-list a.loc").evaluate_all("as => as.map(a => +a.textContent.split(':').pop().split('\u2013')[0])")
    assert shown == sorted(lines)[:50]  # the first page of the file's findings

    watched.assert_quiet_and_local()


def test_20000_findings_open_and_filter_without_freezing(watched, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = large_report(tmp_path)
    html = tmp_path / "large.html"
    html.write_text(render(report, "html"), encoding="utf-8")
    page = watched.page

    started = time.perf_counter()
    watched.open(html, "#findings")
    opened = time.perf_counter() - started
    assert count_of(page, "#findings-count") == 20_000
    assert page.locator("#findings-list article.finding").count() == 50

    # Each filter change must finish well inside a second of script time.
    expected = sum(1 for f in report.findings if f.category == "formatting")
    took = page.evaluate("""() => {
        const t = performance.now();
        const s = document.querySelector('select[name=category]');
        s.value = 'formatting';
        s.dispatchEvent(new Event('change', {bubbles: true}));
        return performance.now() - t;
    }""")
    assert count_of(page, "#findings-count") == expected
    took_search = page.evaluate("""() => {
        const t = performance.now();
        const q = document.querySelector('input[name=q]');
        q.value = 'doc0042.txt';
        document.getElementById('filters').dispatchEvent(new Event('submit', {cancelable: true}));
        return performance.now() - t;
    }""")
    expected = sum(1 for f in report.findings if f.category == "formatting" and f.path == "doc0042.txt")
    assert count_of(page, "#findings-count") == expected
    print(f"\n20,000 findings: page ready in {opened:.2f} s, filter {took:.0f} ms, search {took_search:.0f} ms")
    assert opened < 15 and took < 1000 and took_search < 1000

    page.click("nav.tabs a[data-view=duplicates]")
    page.wait_for_selector("#view-duplicates:not([hidden])")
    assert count_of(page, "#dups-count") == 2_000
    assert page.locator("#dups-list .compare").count() == 10
    page.click("#dups-pager button[data-page=next]")
    assert "page 2 of 200" in page.inner_text("#dups-pager")
    watched.assert_quiet_and_local()
