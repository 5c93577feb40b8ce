"""``operator-desk verify-bundle PATH``: check an export bundle (a folder or its zip) as its recipient
can, without signing in: every file as the manifest says, nothing added; and with ``--sha256`` that the
manifest is the one recorded in the request's case (the ``bundle_written`` step).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from operator_desk.commands.exit_codes import CommandFailed, Exit
from operator_desk.services.bundle.verify import check_bundle


def verify_bundle(args: argparse.Namespace) -> Exit:
    try:
        check = check_bundle(Path(args.bundle).expanduser())
    except OSError as exc:
        raise CommandFailed(Exit.USAGE, f"{args.bundle} cannot be read ({exc.strerror or exc})") from exc
    except ValueError as exc:
        raise CommandFailed(Exit.FAILED, str(exc)) from exc
    print(f"manifest_sha256: {check.manifest_sha256}")
    print(f"files: {check.files}")
    problems = list(check.problems)
    if args.sha256 and args.sha256.strip().lower() != check.manifest_sha256:
        problems.append(f"manifest.json: not the one recorded (SHA-256 {args.sha256.strip().lower()})")
    for problem in problems:
        print(f"problem: {problem}")
    if problems:
        raise CommandFailed(Exit.FAILED, "the bundle does not verify")
    print("verified: every file is as the manifest says")
    return Exit.DONE


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    verify = subparsers.add_parser(
        "verify-bundle", help="check an export bundle (folder or zip) against its manifest; no sign-in")
    verify.add_argument("bundle", metavar="PATH", help="the bundle's folder, or its zip")
    verify.add_argument("--sha256", metavar="HEX",
                        help="the manifest's SHA-256 as the request's case recorded it")
