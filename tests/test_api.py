"""The Python API a data pipeline calls."""

from __future__ import annotations

import pytest

import lint
from lint.errors import DoclintError

from conftest import FIXTURES


def test_check_returns_a_report_with_findings_and_summary():
    report = lint.check(FIXTURES / "boilerplate" / "donation-appeal", config={"select": ["BPL001"]})
    assert report.files_scanned == 4
    assert {f.path.rsplit("/", 1)[-1] for f in report.findings} == {
        "blog-footer.md", "ebook-closing.txt", "ebook-front-matter.txt"}
    assert report.summary()["by_category"] == {"boilerplate": 3}


def test_check_raises_a_one_line_error_for_bad_input(tmp_path):
    with pytest.raises(DoclintError, match="no such file"):
        lint.check([tmp_path / "missing"])
    with pytest.raises(DoclintError, match="unknown rule"):
        lint.check([tmp_path], config={"select": ["NOPE123"]})
