"""Build hook: compile lint/kernels.pyx (the tokenising, shingling and MinHash loops,
the literal scan and the radix sorts) into an extension module beside it, and the
modules of a run's hot paths, as they are, into lint/_compiled (see lint/compiled.py),
for wheels and editable installs alike.

A machine without a C compiler still gets a working install: the hook warns, and
the numpy and pyahocorasick forms of the same work, and the modules as Python, run
instead.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import sys
import sysconfig
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        try:
            built = self._compile()
        except Exception as exc:  # no compiler, no Python headers: numpy it is
            self.app.display_warning(f"lint.kernels not compiled ({type(exc).__name__}: {exc}); "
                                     "doclint will use its slower numpy forms")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version != "editable":  # an editable install imports it from the source tree
            build_data["force_include"][built] = f"lint/{os.path.basename(built)}"
        if os.environ.get("DOCLINT_PURE_PYTHON", "") not in ("", "0"):  # they would not be imported
            return
        # The modules are compiled into a folder of their own: a wheel takes them from
        # there (the source tree's, which a running test suite reads, is left alone); an
        # editable install swaps the folder for the source tree's lint/_compiled.
        staging = tempfile.mkdtemp(prefix="_compiled.", dir=os.path.join(self.root, "lint")
                                   if version == "editable" else None)
        try:
            compiled = self._compile_modules(staging)
        except Exception as exc:
            shutil.rmtree(staging, ignore_errors=True)
            self.app.display_warning(f"doclint's modules not compiled ({type(exc).__name__}: {exc}); "
                                     "they will run as Python")
            return
        if version == "editable":
            _swap_in(staging, os.path.join(self.root, "lint", "_compiled"))
            return
        self._staging = staging
        for path in compiled:
            build_data["force_include"][path] = f"lint/_compiled/{os.path.basename(path)}"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        staging = getattr(self, "_staging", None)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)

    def _compile(self) -> str:
        from Cython.Build import cythonize
        from setuptools import Distribution, Extension
        from setuptools.command.build_ext import build_ext

        flags = [] if os.name == "nt" else ["-O3"]
        cwd = os.getcwd()
        os.chdir(self.root)  # build_ext places an in-place module relative to the working folder
        try:
            with tempfile.TemporaryDirectory() as temp:
                extensions = cythonize([Extension("lint.kernels", [os.path.join("lint", "kernels.pyx")],
                                                  include_dirs=["lint"], depends=[os.path.join("lint", "kernels_simd.h")],
                                                  extra_compile_args=flags)],
                                       build_dir=temp, quiet=True, compiler_directives={"language_level": 3})
                command = build_ext(Distribution({"ext_modules": extensions, "script_name": "setup.py"}))
                command.inplace = True
                command.build_temp = temp
                command.ensure_finalized()
                command.run()
                return os.path.join(self.root, command.get_ext_fullpath("lint.kernels"))
        finally:
            os.chdir(cwd)

    def _compile_modules(self, folder: str) -> list[str]:
        """Compile the hot modules with Cython, unchanged, into `folder`, with a manifest
        of the sources they were made from (lint/compiled.py reads it); the files written.

        Annotations are not read as C types (annotation_typing off): the compiled module
        then behaves exactly as the source does (a `dict` parameter still takes a
        defaultdict; read as C types, they failed dozens of tests so), and the gain is
        the interpreter's dispatch alone, about 7% of the per-document pass's instructions.
        -O1: at -O3 the C compiler takes nearly twice as long for the same instructions.
        """
        from Cython.Build import cythonize
        from setuptools import Distribution, Extension
        from setuptools.command.build_ext import build_ext

        sources = sorted(p for pattern in HOT_MODULES for p in glob.glob(os.path.join(self.root, *pattern.split("/")))
                         if os.path.basename(p) != "__init__.py")
        names = [os.path.relpath(p, self.root)[: -len(".py")].replace(os.sep, ".") for p in sources]
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        cwd = os.getcwd()
        os.chdir(self.root)
        try:
            with tempfile.TemporaryDirectory() as temp:
                extensions = cythonize(
                    [Extension(name, [os.path.relpath(path, self.root)], extra_compile_args=[] if os.name == "nt" else ["-O1"])
                     for name, path in zip(names, sources)],
                    build_dir=temp, quiet=True, nthreads=os.cpu_count() or 1,
                    compiler_directives={"language_level": 3, "binding": True, "annotation_typing": False})
                command = build_ext(Distribution({"ext_modules": extensions, "script_name": "setup.py"}))
                command.build_lib = os.path.join(temp, "lib")
                command.build_temp = temp
                command.parallel = os.cpu_count() or 1
                command.ensure_finalized()
                command.run()
                rows, written = [], []
                for name, path in zip(names, sources):
                    target = os.path.join(folder, name + suffix)
                    shutil.copyfile(command.get_ext_fullpath(name), target)
                    with open(path, "rb") as fh:
                        rows.append(f"{name} {hashlib.sha256(fh.read()).hexdigest()} {os.path.basename(target)}")
                    written.append(target)
        finally:
            os.chdir(cwd)
        manifest = os.path.join(folder, "manifest.txt")  # last: without it nothing here is loaded
        with open(manifest + ".tmp", "w", encoding="utf-8") as fh:  # the format lint/compiled.py reads
            fh.write("\n".join([f"{sys.implementation.cache_tag} {suffix}", *rows]) + "\n")
        os.replace(manifest + ".tmp", manifest)
        return [*written, manifest]


def _swap_in(staging: str, live: str) -> None:
    """Put the new build in place of the old one; a process starting meanwhile finds one
    or the other, or, for an instant, none (and imports the modules as Python)."""
    old = None
    if os.path.exists(live):
        old = tempfile.mkdtemp(prefix="_compiled.old.", dir=os.path.dirname(live))
        os.rename(live, os.path.join(old, "gone"))
    os.rename(staging, live)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# The modules a run spends its time in: the document model, the checks, the engine and
# what it calls per file and per finding, the corpus passes and the reports.  Startup
# modules (the CLI, configuration, the catalogue) gain nothing, and lint/__init__.py is
# what loads the others.
HOT_MODULES = (
    "lint/checks/*.py",
    "lint/document.py", "lint/engine.py", "lint/minhash.py", "lint/findings.py", "lint/fix.py",
    "lint/suppress.py", "lint/load.py", "lint/spill.py", "lint/discover.py", "lint/cache.py",
    "lint/snapshot.py", "lint/focused.py", "lint/baseline.py",
    "lint/reporters/json_report.py", "lint/reporters/text.py", "lint/reporters/sarif.py",
    "lint/reporters/github.py",
)
