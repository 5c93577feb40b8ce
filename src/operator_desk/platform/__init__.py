"""Edges of the operating system: the key store (keyring) and data paths (platformdirs). No Qt."""
