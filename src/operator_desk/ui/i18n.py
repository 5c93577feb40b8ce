"""Translations: pick a language, build its .qm from the .ts source when needed, install it.

The .ts files in ``translations/`` are the source of truth (reviewable text in git); .qm files are
built from them with ``pyside6-lrelease`` into a cache folder on first run, and rebuilt when the .ts is
newer. If the tool is missing the app simply runs in English.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from operator_desk.ui.resources import translations_dir

logger = logging.getLogger(__name__)

SUPPORTED = ("en", "de")
SOURCE_LANGUAGE = "en"


def choose_language(requested: str | None, saved: str = "") -> str:
    """``--lang`` first, then the saved setting, then the system locale; English if unsupported."""
    for candidate in (requested, saved, QLocale.system().name()):
        if candidate:
            code = candidate.replace("-", "_").split("_")[0].lower()
            if code in SUPPORTED:
                return code
    return SOURCE_LANGUAGE


def _lrelease() -> str | None:
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    if beside.is_file():
        return str(beside)
    return shutil.which("pyside6-lrelease")


def compiled_catalog(language: str, cache_dir: Path) -> Path | None:
    """The .qm for ``language``, built from its .ts if missing or stale; None if it cannot be had."""
    source = translations_dir() / f"operator_desk_{language}.ts"
    if not source.is_file():
        return None
    target = cache_dir / f"operator_desk_{language}.qm"
    if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    tool = _lrelease()
    if tool is None:
        logger.info("pyside6-lrelease not found; running untranslated")
        return None
    cache_dir.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([tool, "-silent", str(source), "-qm", str(target)], check=True,
                       capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        logger.info("building the %s translation failed (%s)", language, type(exc).__name__)
        return None
    return target if target.is_file() else None


def install_translations(app: QCoreApplication, language: str, cache_dir: Path) -> list[QTranslator]:
    """Install our catalog and Qt's own (standard buttons) for ``language``. Returns the translators,
    which must stay referenced for as long as they are installed."""
    installed: list[QTranslator] = []
    QLocale.setDefault(QLocale(language))
    # English has a catalog too, with only the plural forms of "%n" messages ("1 visitor", "2 visitors").
    qt_translator = QTranslator(app)
    qt_catalogs = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if language != SOURCE_LANGUAGE and qt_translator.load(f"qtbase_{language}", qt_catalogs):
        app.installTranslator(qt_translator)
        installed.append(qt_translator)
    catalog = compiled_catalog(language, cache_dir)
    if catalog is not None:
        translator = QTranslator(app)
        if translator.load(str(catalog)):
            app.installTranslator(translator)
            installed.append(translator)
    return installed
