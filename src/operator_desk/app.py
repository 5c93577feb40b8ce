"""Composition root of the desktop app: arguments, logging, and (later) the objects it wires."""

from __future__ import annotations

import argparse
import sys

from operator_desk import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="operator-desk",
        description="Operator Desk: answer your website's live chats, with privacy built in.",
    )
    parser.add_argument("--version", action="version", version=f"operator-desk {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    return 0
