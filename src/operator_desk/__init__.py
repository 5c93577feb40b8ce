"""Operator Desk: a privacy-first live-chat operator client and its reference chat server."""

__version__ = "0.1.0"
