"""Translations: pick a language, find its compiled catalog (.qm), install it.

The .ts files in ``ui/translations/`` are the source of truth (reviewable text in git). A built wheel or
frozen build ships the .qm compiled from them when it was built (``setup.py``). A source checkout has
only the .ts: there the .qm is built with ``pyside6-lrelease`` into a cache folder on first run, and
rebuilt when the .ts is newer. A catalog that cannot be had is logged as an error: the desk then runs in
English, but the installation is broken.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from operator_desk.ui.resources import has_resource, resource_path

logger = logging.getLogger(__name__)

SUPPORTED = ("en", "de")
SOURCE_LANGUAGE = "en"
CATALOG_FOLDER = "translations"


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


def catalog_name(language: str) -> str:
    return f"operator_desk_{language}"


def compiled_catalog(language: str, cache_dir: Path) -> Path | None:
    """The .qm for ``language``: the one the package ships, else one built from the package's .ts
    (a source checkout) into ``cache_dir`` if missing or stale; None (logged) if neither can be had."""
    shipped = f"{CATALOG_FOLDER}/{catalog_name(language)}.qm"
    source = f"{CATALOG_FOLDER}/{catalog_name(language)}.ts"
    if has_resource(shipped):
        return resource_path(shipped)
    if not has_resource(source):
        logger.error("the installation has no %s catalog (neither %s.qm nor its .ts source)",
                     language, catalog_name(language))
        return None
    source_path = resource_path(source)
    if source_path is None:
        return None
    target = cache_dir / f"{catalog_name(language)}.qm"
    if target.is_file() and target.stat().st_mtime >= source_path.stat().st_mtime:
        return target
    tool = _lrelease()
    if tool is None:
        logger.error("pyside6-lrelease not found: cannot build the %s catalog from its source", language)
        return None
    cache_dir.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([tool, "-silent", str(source_path), "-qm", str(target)], check=True,
                       capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        logger.error("building the %s catalog failed (%s)", language, type(exc).__name__)
        return None
    return target if target.is_file() else None


def catalog_cache_dir() -> Path:
    """Where a source checkout's compiled catalogs are kept (built on first run)."""
    import platformdirs

    return platformdirs.user_cache_path("operator-desk", appauthor=False) / CATALOG_FOLDER


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
            logger.info("interface language %s: catalog %s loaded", language, catalog.name)
        else:
            logger.error("Qt could not load the %s catalog %s", language, catalog.name)
    return installed
