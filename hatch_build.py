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
import importlib.util
import os
import shutil
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
        helper = _compiled_module(self.root)
        if helper.pure_python():  # they would not be imported
            return
        # The modules are compiled into a folder of their own: a wheel takes them from
        # there (the source tree's, which a running test suite reads, is left alone); an
        # editable install swaps the folder for the source tree's lint/_compiled.
        staging = tempfile.mkdtemp(prefix="_compiled.", dir=os.path.join(self.root, "lint")
                                   if version == "editable" else None)
        try:
            compiled = self._compile_modules(staging, helper)
        except Exception as exc:
            shutil.rmtree(staging, ignore_errors=True)
            self.app.display_warning(f"doclint's modules not compiled ({type(exc).__name__}: {exc}); "
                                     "they will run as Python")
            return
        if version == "editable":
            _swap_in(staging, os.path.join(self.root, "lint", helper.FOLDER))
            return
        self._staging = staging
        for path in compiled:
            build_data["force_include"][path] = f"lint/{helper.FOLDER}/{os.path.basename(path)}"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        staging = getattr(self, "_staging", None)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)

    def _compile(self) -> str:
        """lint.kernels, built in place, carrying the digest of its sources: a build that
        no longer matches them is then passed over (lint.compiled.fresh_kernels)."""
        digest = _compiled_module(self.root).kernels_digest(os.path.join(self.root, "lint"))
        with tempfile.TemporaryDirectory() as temp:
            command = self._build([("lint.kernels", "lint/kernels.pyx")], temp, {"language_level": 3},
                                  "-O3", include_dirs=["lint"], depends=["lint/kernels_simd.h", "lint/blake2b.h"],
                                  define_macros=[("DOCLINT_KERNELS_SOURCE", digest)])
            return os.path.join(self.root, command.get_ext_fullpath("lint.kernels"))  # in place: relative

    def _compile_modules(self, folder: str, helper) -> list[str]:
        """Compile the hot modules with Cython, unchanged, into `folder`, with the manifest
        of the sources they were made from (lint/compiled.py); the files written.

        Annotations are not read as C types (annotation_typing off): the compiled module
        then behaves exactly as the source does (a `dict` parameter still takes a
        defaultdict; read as C types, they failed dozens of tests so), and the gain is
        the interpreter's dispatch alone, about 7% of the per-document pass's instructions.
        -O1: at -O3 the C compiler takes nearly twice as long for the same instructions.
        """
        sources = sorted(os.path.relpath(p, self.root).replace(os.sep, "/") for pattern in HOT_MODULES
                         for p in glob.glob(os.path.join(self.root, *pattern.split("/")))
                         if os.path.basename(p) != "__init__.py")
        modules = [(path[: -len(".py")].replace("/", "."), path) for path in sources]
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        with tempfile.TemporaryDirectory() as temp:
            command = self._build(modules, temp, {"language_level": 3, "binding": True, "annotation_typing": False},
                                  "-O1", build_lib=os.path.join(temp, "lib"))
            written = [shutil.copyfile(command.get_ext_fullpath(name), os.path.join(folder, name + suffix))
                       for name, _ in modules]
        # Last: without the manifest nothing in the folder is loaded.
        manifest = helper.write_manifest(
            folder, {name: (os.path.join(self.root, path), name + suffix) for name, path in modules})
        return [*written, manifest]

    def _build(self, modules: list[tuple[str, str]], temp: str, directives: dict, optimise: str,
               build_lib: str | None = None, **extension):
        """Cython, then the C compiler, on (module name, source path) pairs, on every core:
        in place beside their sources, or into `build_lib`.  The finished build command."""
        from Cython.Build import cythonize
        from setuptools import Distribution, Extension
        from setuptools.command.build_ext import build_ext

        flags = [] if os.name == "nt" else [optimise]
        cwd = os.getcwd()
        os.chdir(self.root)  # build_ext places an in-place module relative to the working folder
        try:
            extensions = cythonize([Extension(name, [path], extra_compile_args=flags, **extension)
                                    for name, path in modules],
                                   build_dir=temp, quiet=True, nthreads=os.cpu_count() or 1,
                                   compiler_directives=directives)
            command = build_ext(Distribution({"ext_modules": extensions, "script_name": "setup.py"}))
            command.inplace = build_lib is None
            if build_lib is not None:
                command.build_lib = build_lib
            command.build_temp = temp
            command.parallel = os.cpu_count() or 1
            command.ensure_finalized()
            command.run()
            return command
        finally:
            os.chdir(cwd)


def _compiled_module(root: str):
    """lint/compiled.py of the tree being built, loaded on its own (not the package, whose
    __init__ would install its finder): the manifest's format and the switch live there."""
    spec = importlib.util.spec_from_file_location("_doclint_compiled", os.path.join(root, "lint", "compiled.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
