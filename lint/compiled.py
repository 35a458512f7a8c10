"""doclint's own hot modules as the build compiled them, loaded only while they match
their sources.

The build (hatch_build.py) runs the modules of a run's hot paths through Cython as they
are and leaves them in lint/_compiled with a manifest of the sources' digests.  Here a
finder at the front of the import system hands out a compiled module in place of its
source while the two agree: an edited module is imported as Python until the next
build, never shadowed by a stale one.  DOCLINT_PURE_PYTHON=1 imports every module as
Python (to profile it line by line, or to compare the two); a build under it compiles
none of them.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import os
import sys

PACKAGE = os.path.dirname(os.path.abspath(__file__))
FOLDER = "_compiled"  # in the package: the compiled modules and their manifest
PURE_PYTHON = "DOCLINT_PURE_PYTHON"
# What the build writes last into lint/_compiled (write_manifest): "<cache tag>
# <extension suffix>", then a line per module, "<module> <sha256 of its source> <file>".
MANIFEST = "manifest.txt"


def pure_python() -> bool:
    """Whether DOCLINT_PURE_PYTHON asks for every module as Python (and a build for none compiled)."""
    return os.environ.get(PURE_PYTHON, "") not in ("", "0")


def write_manifest(folder: str, modules: dict[str, tuple[str, str]]) -> str:
    """The manifest of compiled modules (name -> (source path, compiled file name)) for
    this interpreter, written whole or not at all; its path.  The build calls this."""
    rows = [f"{sys.implementation.cache_tag} {importlib.machinery.EXTENSION_SUFFIXES[0]}"]
    for name, (source, file) in modules.items():
        with open(source, "rb") as fh:
            rows.append(f"{name} {_digest(fh.read())} {file}")
    path = os.path.join(folder, MANIFEST)
    with open(path + ".tmp", "w", encoding="utf-8") as fh:
        fh.write("\n".join(rows) + "\n")
    os.replace(path + ".tmp", path)
    return path


def _digest(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()


def fresh_modules(package: str = PACKAGE) -> dict[str, str]:
    """Module name -> compiled file, for each compiled module built for this interpreter
    from the source that is there now."""
    folder = os.path.join(package, FOLDER)
    try:
        with open(os.path.join(folder, MANIFEST), encoding="utf-8") as fh:
            head, *rows = fh.read().splitlines()
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    if head.split() != [sys.implementation.cache_tag, importlib.machinery.EXTENSION_SUFFIXES[0]]:
        return {}  # built for another interpreter
    root = os.path.dirname(package)
    out = {}
    for row in rows:
        try:
            name, digest, file = row.split()
            with open(os.path.join(root, *name.split(".")) + ".py", "rb") as fh:
                source = fh.read()
        except (OSError, ValueError):
            continue
        compiled = os.path.join(folder, file)
        if _digest(source) == digest and os.path.isfile(compiled):
            out[name] = compiled
    return out


class CompiledFinder:
    """Finds the compiled form of the modules it was given, and nothing else."""

    def __init__(self, modules: dict[str, str]):
        self.modules = modules

    def find_spec(self, fullname: str, path=None, target=None):
        compiled = self.modules.get(fullname)
        if compiled is None:
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, compiled)
        spec = importlib.machinery.ModuleSpec(fullname, loader, origin=compiled)
        spec.has_location = True  # its __file__ is the compiled file
        return spec


def install() -> None:
    """Put the finder in front of the import system, once."""
    if pure_python() or any(isinstance(finder, CompiledFinder) for finder in sys.meta_path):
        return
    modules = fresh_modules()
    if modules:
        sys.meta_path.insert(0, CompiledFinder(modules))


# The sources lint.kernels is built from; the build stamps their digest into the module.
KERNEL_SOURCES = ("kernels.pyx", "kernels_simd.h", "blake2b.h")


def kernels_digest(package: str = PACKAGE) -> str | None:
    """The digest that a build of lint.kernels from the sources there now carries
    (SOURCE_DIGEST); None when they are not there (an installed wheel need not ship them)."""
    h = hashlib.sha256()
    for name in KERNEL_SOURCES:
        try:
            with open(os.path.join(package, name), "rb") as fh:
                h.update(fh.read())
        except OSError:
            return None
    return "d" + h.hexdigest()


def fresh_kernels():
    """lint.kernels when it was built from the sources there now, else None.

    Built in place beside its source, the module outlives an edit of that source, or a
    pull of a newer one, until the next install: a stale build may lack a loop the code
    now asks for, or do an old thing under the same name.  Then the numpy and Python
    forms of the same work run instead, as where it was never built."""
    try:
        from lint import kernels
    except ImportError:
        return None
    wanted = kernels_digest()
    if wanted is not None and getattr(kernels, "SOURCE_DIGEST", None) != wanted:
        return None
    return kernels


def in_use() -> list[str]:
    """The modules imported so far in their compiled form."""
    folder = os.path.join(PACKAGE, FOLDER)
    return sorted(name for name, module in list(sys.modules.items())
                  if os.path.dirname(getattr(module, "__file__", None) or "") == folder)
