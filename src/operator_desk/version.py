"""The desk's release number (the distribution operator-desk; pyproject.toml says the same).

``operator_desk`` is a namespace package shared by three distributions (core, server, desk), so it has
no ``__init__`` to carry the number; tests/test_packaging.py keeps this and the pyproject files in step.
"""

__version__ = "0.1.0"
