"""Discovery: files, folders, globs, .gitignore in a real git work tree, links, filters."""

from __future__ import annotations

import os
import subprocess

import pytest

from lint.config import Config, parse_config
from lint.discover import discover
from lint.errors import DoclintError


def _tree(root, files):
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text)


def _paths(paths, cfg=None):
    return [f.path for f in discover(paths, cfg or Config())]


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_folders_keep_default_extensions_and_report_relative_posix_paths(in_tmp):
    _tree(in_tmp, {"a.txt": "a", "sub/b.md": "b", "sub/c.html": "c", "sub/deeper/d.TXT": "d"})
    assert _paths(["."]) == ["a.txt", "sub/b.md", "sub/deeper/d.TXT"]
    assert _paths(["sub"]) == ["sub/b.md", "sub/deeper/d.TXT"]


def test_explicit_files_are_checked_whatever_their_extension(in_tmp):
    _tree(in_tmp, {"notes.html": "x", "a.txt": "y"})
    assert _paths(["notes.html"]) == ["notes.html"]


def test_globs_expand_recursively(in_tmp):
    _tree(in_tmp, {"a/x.txt": "", "a/b/y.txt": "", "a/b/z.md": ""})
    assert _paths(["a/**/*.txt"]) == ["a/b/y.txt", "a/x.txt"]


def test_missing_path_and_empty_glob_are_errors(in_tmp):
    with pytest.raises(DoclintError, match="no such file or directory"):
        discover(["nope.txt"], Config())
    with pytest.raises(DoclintError, match="no files match"):
        discover(["*.nothing"], Config())


def test_configured_extensions_include_and_exclude(in_tmp):
    _tree(in_tmp, {"keep/a.txt": "", "keep/b.rst": "", "skip/c.txt": "", "keep/draft-d.txt": ""})
    cfg = parse_config({"extensions": ["txt", ".rst"], "exclude": ["skip/", "**/draft-*"]}, in_tmp / "doclint.toml")
    assert _paths(["."], cfg) == ["keep/a.txt", "keep/b.rst"]
    cfg = parse_config({"include": ["keep/*.rst"]}, in_tmp / "doclint.toml")
    assert _paths(["."], parse_config({"include": ["keep/*.rst"], "extensions": [".rst", ".txt"]},
                                      in_tmp / "doclint.toml")) == ["keep/b.rst"]


def test_gitignore_is_honoured_inside_a_git_work_tree(in_tmp):
    subprocess.run(["git", "init", "-q"], check=True)
    _tree(in_tmp, {".gitignore": "build/\n*.log.txt\n", "doc.txt": "", "build/out.txt": "",
                   "run.log.txt": "", "nested/.gitignore": "private.md\n", "nested/private.md": "",
                   "nested/public.md": ""})
    assert _paths(["."]) == ["doc.txt", "nested/public.md"]
    # Outside git, or with respect-gitignore = false, everything is listed.
    cfg = parse_config({"respect-gitignore": False}, in_tmp / "doclint.toml")
    assert "build/out.txt" in _paths(["."], cfg)


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_no_git_process_starts_outside_a_work_tree(in_tmp, monkeypatch):
    """Where no `.git` lies in the folder or above it (and neither GIT_DIR nor
    GIT_WORK_TREE is set), git could only say there is no work tree: it is not asked."""
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)
    assert not any(os.path.lexists(p / ".git") for p in [in_tmp, *in_tmp.parents])  # the test's own premise
    _tree(in_tmp, {".gitignore": "a.txt\n", "a.txt": "", "sub/b.txt": ""})

    def no_git(*args, **kwargs):
        raise AssertionError(f"git was started: {args}")

    monkeypatch.setattr("lint.discover.subprocess.run", no_git)
    assert _paths(["."]) == ["a.txt", "sub/b.txt"]  # not a work tree: its .gitignore means nothing


def test_gitignore_is_honoured_below_a_work_tree_and_in_a_linked_one(in_tmp):
    """The `.git` that makes git ask is found above the folder linted, and may be the file
    of a linked work tree."""
    _git("init", "-q", "repo", cwd=in_tmp)
    repo = in_tmp / "repo"
    _tree(repo, {".gitignore": "*.log.txt\n", "docs/a.txt": "", "docs/run.log.txt": ""})
    _git("add", ".", cwd=repo)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "docs", cwd=repo)
    os.chdir(repo / "docs")
    assert _paths(["."]) == ["a.txt"]
    _git("worktree", "add", "-q", str(in_tmp / "linked"), cwd=repo)
    assert (in_tmp / "linked" / ".git").is_file()
    _tree(in_tmp / "linked", {"docs/new.log.txt": "", "docs/new.txt": ""})
    os.chdir(in_tmp / "linked" / "docs")
    assert _paths(["."]) == ["a.txt", "new.txt"]


def test_gitignore_is_honoured_where_git_dir_names_the_repository(in_tmp, monkeypatch):
    """GIT_DIR and GIT_WORK_TREE make a work tree of a folder with no `.git` in or above it."""
    _git("init", "-q", "--bare", "store.git", cwd=in_tmp)
    _tree(in_tmp / "tree", {".gitignore": "*.log.txt\n", "a.txt": "", "run.log.txt": ""})
    monkeypatch.setenv("GIT_DIR", str(in_tmp / "store.git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(in_tmp / "tree"))
    os.chdir(in_tmp / "tree")
    assert _paths(["."]) == ["a.txt"]


def test_symlink_loops_are_safe_and_files_are_listed_once(in_tmp):
    _tree(in_tmp, {"real/a.txt": "a"})
    os.symlink("..", in_tmp / "real" / "loop")
    os.symlink("real/a.txt", in_tmp / "alias.txt")
    assert _paths(["."]) == ["alias.txt"] or _paths(["."]) == ["real/a.txt"]


def test_paths_outside_the_current_folder_are_absolute(tmp_path, monkeypatch):
    _tree(tmp_path, {"corpus/a.txt": "", "elsewhere/.keep": ""})
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert _paths([str(tmp_path / "corpus")]) == [(tmp_path / "corpus" / "a.txt").as_posix()]


def test_every_spelling_of_a_folder_gives_the_paths_os_walk_and_normpath_give(in_tmp):
    """Walked paths are built from each folder's normalised path and the entry's name,
    and report paths from them directly: the same as normalising every joined path and
    asking report_path, for any spelling of the folder given."""
    from lint.discover import _near, report_path

    _tree(in_tmp / "work", {"sub/a.txt": "", "sub/deep/b.md": "", "sub/deep/er/c.txt": "", "sub/skip.html": ""})
    os.chdir(in_tmp / "work")
    cfg = parse_config({"respect-gitignore": False}, in_tmp / "work" / "doclint.toml")
    (in_tmp / "other").mkdir()
    spellings = [".", "./", "sub", "./sub/", "sub//", "sub/../sub", "sub/deep/..", str(in_tmp / "work" / "sub") + "/",
                 "../work/sub", str(in_tmp / "work")]
    outside = [str(in_tmp / "work" / "sub"), "../work/sub/", "../work"]  # absolute, and climbing
    for given, where in [(g, "work") for g in spellings] + [(g, "other") for g in outside]:
        os.chdir(in_tmp / where)
        expected = []
        for dirpath, _, names in os.walk(_near(given), followlinks=True):  # a folder under here: relative
            for name in names:
                fs_path = os.path.normpath(os.path.join(dirpath, name))
                if fs_path.endswith((".txt", ".md")):
                    expected.append((fs_path, report_path(fs_path)))
        found = [(f.fs_path, f.path) for f in discover([given], cfg)]
        assert found == sorted(expected, key=lambda t: t[1]) and len(found) == 3, (given, where)
