"""The PEP 517 build backend: setuptools, with PySide6-Essentials added to the wheel's build
environment only (its ``lrelease`` compiles the translation catalogs the wheel ships, see setup.py).

An editable install (``pip install -e .``) and an sdist need no Qt to build, so they do not pay for
installing it into a throw-away build environment.
"""

from __future__ import annotations

from setuptools import build_meta
from setuptools.build_meta import *  # noqa: F403  (the whole PEP 517 interface, unchanged)

QT_FOR_CATALOGS = ["PySide6-Essentials>=6.8"]


def get_requires_for_build_wheel(config_settings=None):
    return [*build_meta.get_requires_for_build_wheel(config_settings), *QT_FOR_CATALOGS]
