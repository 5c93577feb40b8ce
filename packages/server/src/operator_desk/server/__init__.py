"""The reference chat server of protocol v1. Imports only domain and protocol from the package."""

# The release of the distribution operator-desk-server (packages/server/pyproject.toml), which the
# server reports to clients; tests/test_packaging.py keeps the two in step.
__version__ = "0.1.0"
