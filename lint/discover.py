"""Paths on the command line to the list of files to lint.

Inside a git work tree, git itself says which files are ignored (nested
.gitignore files, info/exclude and the global excludes all apply, exactly as the
user's own `git status` sees them).  Elsewhere the tree is walked with symlinked
folders followed once each, so a link loop cannot hang the run.
"""

from __future__ import annotations

import glob as globmod
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from lint.config import Config, glob_spec
from lint.errors import DoclintError

# Never corpus text, and expensive to walk.
SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__",
    ".doclint_cache", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".tox",
})
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True, slots=True)
class SourceFile:
    fs_path: str  # what to open
    path: str  # what reports show: relative to the current folder, forward slashes


def report_path(fs_path: str | os.PathLike) -> str:
    """Relative to the current folder when the file lies under it, always with '/'."""
    fs_path = os.fspath(fs_path)
    if not os.path.isabs(fs_path) and fs_path == os.path.normpath(fs_path) and not fs_path.startswith(".."):
        return fs_path.replace(os.sep, "/")  # already relative to here: the common, walked case
    inside = _under_cwd(fs_path)
    if inside is not None:
        return inside.replace(os.sep, "/")
    absolute = os.path.abspath(fs_path)
    cwd = os.getcwd()
    try:
        rel = os.path.relpath(absolute, cwd)
    except ValueError:  # another drive on Windows
        return Path(absolute).as_posix()
    if rel.startswith(".." + os.sep) or rel == "..":
        return Path(absolute).as_posix()
    return Path(rel).as_posix()


def discover(paths: list[str], cfg: Config) -> list[SourceFile]:
    """Every file to lint, sorted by report path; a missing path is an error."""
    root = cfg.root
    exclude = glob_spec(cfg.exclude) if cfg.exclude else None
    include = glob_spec(cfg.include) if cfg.include else None
    extensions = tuple(e.lower() for e in cfg.extensions)

    found: dict[str, SourceFile] = {}
    here = os.path.join(os.getcwd(), "")  # with its separator: a relative path is appended

    def excluded(fs_path: str) -> bool:
        if exclude is None:
            return False
        rel = _relative_to(fs_path, root)
        return rel is not None and exclude.match_file(rel)

    def add(fs_path: str, explicit: bool, link: bool = False, absolute: bool | None = None) -> None:
        # A file reached twice (a link to it, overlapping paths) is linted once.  Resolving
        # every walked path would cost a syscall per path component, so only links are;
        # a walked path is normalised already, and relative to here unless it climbs:
        # then it is its own report path, and here joined to it is where it lies.  A walk
        # says once whether its paths are absolute (as its folder is).
        walked_here = False
        if explicit or link:
            real = os.path.realpath(fs_path)
        elif os.path.isabs(fs_path) if absolute is None else absolute:
            real = fs_path
        elif not fs_path.startswith(".."):
            real = here + fs_path
            walked_here = True
        else:
            real = os.path.abspath(fs_path)
        if real in found or excluded(fs_path):
            return
        if not explicit:
            if not fs_path.lower().endswith(extensions):
                return
            if include is not None:
                rel = _relative_to(fs_path, root)
                if rel is None or not include.match_file(rel):
                    return
        found[real] = SourceFile(fs_path, fs_path.replace(os.sep, "/") if walked_here else report_path(fs_path))

    for given in paths or ["."]:
        targets = [given]
        if not os.path.lexists(given) and _GLOB_CHARS & set(given):
            targets = sorted(globmod.glob(given, recursive=True))
            if not targets:
                raise DoclintError(f"{given}: no files match this pattern")
        for target in targets:
            if os.path.isdir(target):
                folder = _near(target)
                absolute = os.path.isabs(folder)
                for fs_path, link in _walk(folder, cfg.respect_gitignore):
                    add(fs_path, False, link, absolute)
            elif os.path.isfile(target):
                add(target, explicit=True)
            elif os.path.lexists(target):
                raise DoclintError(f"{target}: not a regular file or folder (broken link?)")
            else:
                raise DoclintError(f"{target}: no such file or directory")
    return sorted(found.values(), key=lambda f: f.path)


def _under_cwd(path: str) -> str | None:
    """`path` relative to the current folder when it lies strictly below it, else None."""
    absolute, cwd = os.path.abspath(path), os.getcwd().rstrip(os.sep)
    return absolute[len(cwd) + 1 :] if absolute.startswith(cwd + os.sep) else None


def _near(folder: str) -> str:
    """A folder under the current one as a relative path: its files' report paths are then
    the walked paths themselves, with no per-file path arithmetic."""
    if os.path.abspath(folder) == os.getcwd():
        return "."
    inside = _under_cwd(folder)
    return folder if inside is None else inside


def _relative_to(fs_path: str, root: Path) -> str | None:
    try:
        rel = os.path.relpath(os.path.abspath(fs_path), root)
    except ValueError:
        return None
    if rel.startswith(".."):
        return None
    return Path(rel).as_posix()


def _walk(folder: str, respect_gitignore: bool) -> list[tuple[str, bool]]:
    """(normalised path, whether it is a symbolic link) of every file below `folder`."""
    if respect_gitignore:
        listed = _git_files(folder)
        if listed is not None:
            return listed
    return _walk_fs(folder)


def _git_files(folder: str) -> list[str] | None:
    """Files git does not ignore below `folder`, or None outside a work tree.

    One git process, and none where no work tree can hold the folder: ls-files itself
    fails outside a work tree (and in a .git folder), so no rev-parse asks first."""
    if not _may_be_in_work_tree(folder):
        return None
    git = shutil.which("git")
    if git is None:
        return None
    try:
        listed = subprocess.run(
            [git, "-C", folder, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."],
            capture_output=True, timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if listed.returncode != 0:
        return None
    out = []
    for raw in listed.stdout.split(b"\0"):
        if not raw:
            continue
        rel = os.fsdecode(raw)
        parts = rel.split("/")
        if any(p in SKIP_DIRS for p in parts[:-1]):
            continue
        fs_path = os.path.join(folder, *parts)
        if os.path.isfile(fs_path):  # deleted-but-tracked files and links to folders drop out
            out.append((os.path.normpath(fs_path), os.path.islink(fs_path)))
    return out


def _may_be_in_work_tree(folder: str) -> bool:
    """Whether git could find a work tree holding `folder`: a `.git` (the folder of a
    repository, or the file of a linked work tree or submodule) in it or above it, as
    git's own search finds it from the physical path, or GIT_DIR or GIT_WORK_TREE set.
    Elsewhere a git process (2-6 ms to start) would only say so."""
    if os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE"):
        return True
    path = os.path.realpath(folder)
    while True:
        if os.path.lexists(os.path.join(path, ".git")):
            return True
        parent = os.path.dirname(path)
        if parent == path:
            return False
        path = parent


def _walk_fs(folder: str) -> list[tuple[str, bool]]:
    """os.walk(folder, followlinks=True) in its order, with each folder's entries read once
    (os.scandir knows which are links without a stat per file)."""
    out: list[tuple[str, bool]] = []
    seen: set[tuple[int, int]] = set()
    stack = [folder]
    while stack:
        dirpath = stack.pop()
        try:
            st = os.stat(dirpath)
            with os.scandir(dirpath) as it:
                entries = list(it)
        except OSError:  # vanished or unreadable: as os.walk, skip it
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:  # a symlink loop, or a folder reached twice through links
            continue
        seen.add(key)
        dirs, files = [], []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if entry.name not in SKIP_DIRS:
                    dirs.append(entry.name)
            else:
                files.append((entry.name, entry.is_symlink()))
        files.sort()
        # normpath(join(dirpath, name)) for each name, with the folder normalised once:
        # a name from the folder's listing has no separator and is never "." or "..".
        folder_path = os.path.normpath(dirpath)
        prefix = "" if folder_path == "." else os.path.join(folder_path, "")
        out.extend((prefix + name, link) for name, link in files)
        stack.extend(os.path.join(dirpath, d) for d in sorted(dirs, reverse=True))
    return out
