"""Build step the metadata in pyproject.toml cannot express: compile the translation catalogs.

The wheel ships ``operator_desk/ui/translations/*.qm`` compiled from the ``.ts`` sources with the
``lrelease`` that PySide6-Essentials carries (``packaging/build_backend.py`` puts PySide6 into the wheel's
build environment). An editable install skips this: a source checkout compiles its catalogs at run time
(``operator_desk.ui.i18n``).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CATALOGS = Path("src/operator_desk/ui/translations")


def _lrelease() -> str:
    spec = importlib.util.find_spec("PySide6")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        found = shutil.which("lrelease", path=folder)
        if found:
            return found
    raise RuntimeError("building the wheel needs PySide6's lrelease (PySide6-Essentials) to compile "
                       "the translation catalogs")


class BuildPyWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        sources = sorted(CATALOGS.glob("operator_desk_*.ts"))
        if not sources:
            raise RuntimeError(f"no translation sources in {CATALOGS}")
        target_dir = Path(self.build_lib) / "operator_desk/ui/translations"
        target_dir.mkdir(parents=True, exist_ok=True)
        tool = _lrelease()
        for source in sources:
            target = target_dir / source.with_suffix(".qm").name
            subprocess.run([tool, "-silent", str(source), "-qm", str(target)], check=True)
            if not target.is_file() or target.stat().st_size == 0:
                raise RuntimeError(f"lrelease wrote no catalog for {source.name}")


setup(cmdclass={"build_py": BuildPyWithCatalogs})
