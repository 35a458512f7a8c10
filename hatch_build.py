"""Build hook: compile lint/kernels.pyx (the tokenising, shingling and MinHash loops,
the literal scan and the radix sorts) into an extension module beside it, for wheels
and editable installs alike.

A machine without a C compiler still gets a working install: the hook warns, and
the numpy and pyahocorasick forms of the same work run instead.
"""

from __future__ import annotations

import os
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class KernelsBuildHook(BuildHookInterface):
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
