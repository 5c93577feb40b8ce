"""The desk's command line for batch work: ``operator-desk <command> ...`` (docs/client.md "Command line").

``app.main`` hands over here when the first argument names a command (``commands.NAMES``). A command
signs in like the desk (``connecting``), does one thing through the desk's services and ends with an
exit code (``exit_codes.Exit``). It needs no display: Qt runs offscreen, for the PDF and the translated
report.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtGui import QGuiApplication

from operator_desk.commands import NAMES, subjects, verify
from operator_desk.commands.connecting import Account, profile_settings, say, signed_in
from operator_desk.commands.exit_codes import CommandFailed, Exit
from operator_desk.ui.i18n import catalog_cache_dir, choose_language, install_translations
from operator_desk.ui.report_words import QtReportWords

logger = logging.getLogger(__name__)


def build_parser(version: str) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    signing = common.add_argument_group("signing in")
    signing.add_argument("--server", metavar="URL", help="chat server address (default: the profile's)")
    signing.add_argument("--user", metavar="NAME", help="a supervisor's user name (default: the profile's)")
    signing.add_argument("--profile", metavar="NAME", default="default",
                         help="the desk profile whose stored sign-in and cache to use (default: %(default)s)")
    signing.add_argument("--ca-file", metavar="PEM",
                         help="trust the certificate authorities in this file too")
    signing.add_argument("--allow-insecure", action="store_true",
                         help="allow unencrypted ws:// to a server that is not on this computer")
    common.add_argument("--no-cache", action="store_true",
                        help="do not read (or purge) this computer's cache of the profile")
    common.add_argument("--lang", choices=("de", "en"), help="language of the report and letter "
                                                             "(default: the desk's)")
    common.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR"),
                        help=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog="operator-desk",
        description="Operator Desk's data-subject commands. Exit codes: 0 done, 1 failed (for "
                    "verify-bundle: it does not verify), 2 usage, "
                    "3 no match, 4 several matches (listed, nothing done), 5 forbidden, "
                    "6 server unreachable, 7 waiting for approval.")
    parser.add_argument("--version", action="version", version=f"operator-desk {version}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    subjects.add_parsers(commands, common)
    verify.add_parser(commands)
    return parser


def main(argv: list[str], version: str) -> int:
    args = build_parser(version).parse_args(argv)   # wrong arguments: argparse exits with 2
    if args.command == "verify-bundle":   # no server, no Qt
        try:
            return verify.verify_bundle(args)
        except CommandFailed as exc:
            say(exc.message)
            return exc.code
    logging.basicConfig(level=getattr(logging, args.log_level), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in ("websockets", "qasync", "asyncio"):   # they log payloads at DEBUG (as in app.py)
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLogger().level))
    existing = QGuiApplication.instance()
    # Offscreen whatever the environment says: a command shows nothing, and a server has no display.
    qt_app = existing if isinstance(existing, QGuiApplication) else \
        QGuiApplication(["operator-desk", "-platform", "offscreen"])
    qt_app.setApplicationName("Operator Desk")
    qt_app.setOrganizationName("operator-desk")
    try:
        return asyncio.run(run(args, version))
    except KeyboardInterrupt:   # the bundle being written is removed by the cancellation
        return 130


async def run(args: argparse.Namespace, version: str) -> int:
    """One command, from parsed arguments to its exit code (tests await this in their own loop)."""
    language = choose_language(args.lang, profile_settings(args.profile).language)
    translators = _install_translations(language)
    words = QtReportWords(language)
    account = Account(server=args.server, user=args.user, profile=args.profile, use_cache=not args.no_cache,
                      allow_insecure=args.allow_insecure, ca_file=args.ca_file, client_version=version)
    try:
        async with signed_in(account, say) as desk:
            return await subjects.COMMANDS[args.command](desk, args, words, say)
    except CommandFailed as exc:
        say(exc.message)
        return exc.code
    finally:
        _remove_translations(translators)


def _install_translations(language: str) -> list[QTranslator]:
    app = QCoreApplication.instance()
    assert app is not None
    return install_translations(app, language, catalog_cache_dir())


def _remove_translations(translators: list[QTranslator]) -> None:
    app = QCoreApplication.instance()
    for translator in translators:
        if app is not None:
            app.removeTranslator(translator)


assert {*subjects.COMMANDS, "verify-bundle"} == NAMES, "commands.NAMES must name every command"

__all__ = ["Exit", "build_parser", "main", "run"]
