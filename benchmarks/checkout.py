"""Imported first by a benchmark that uses the test kit: puts the checkout's root on ``sys.path`` so
that ``tests.kit`` imports (a benchmark runs as ``python benchmarks/NAME.py``, with only this folder on
the path). The product and its wheel never import the kit."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
