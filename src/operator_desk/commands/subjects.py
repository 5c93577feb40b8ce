"""The data-subject commands: ``export-subject``, ``erase-subject`` and ``approve-erasure``.

The same services as the Requests window, so the same bundle and the same rules: the server decides
who may do what (supervisors only; four eyes where the site wants them, and never one's own request),
and every step lands in the case and in both audit logs. Results go to standard output, one fact a
line (``name: value``) for scripts; what went wrong to standard error, with an exit code
(``exit_codes.Exit``).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from operator_desk.commands.exit_codes import CommandFailed, Exit, failed, or_exit
from operator_desk.domain.cases import Approval, ApprovalState, IdentityCheck, RequestKind, SubjectCase
from operator_desk.platform.paths import write_private_file
from operator_desk.protocol.messages import ApprovableAction, ErasedCounts, SubjectSummary
from operator_desk.services.bundle.export import BundleRequest, BundleStage
from operator_desk.services.desk import Desk
from operator_desk.services.errors import DeskError, FailureCode
from operator_desk.ui.dialogs.erasure_confirmation import ErasureLetter
from operator_desk.ui.flows.bundle_export import bundle_folder_name
from operator_desk.ui.report_pdf import render_pdf
from operator_desk.ui.report_words import QtReportWords

ERASE: ApprovableAction = "subjects.erase"
Say = Callable[[str], None]


def _output(name: str, value: object) -> None:
    print(f"{name}: {value}", flush=True)


# -- finding the one person -----------------------------------------------------------------------


async def find_one(desk: Desk, query: str) -> SubjectSummary:
    """The one person ``query`` finds; several are listed on standard output (and nothing is done)."""
    found = await or_exit(desk.find_subjects(query))
    if not found:
        raise CommandFailed(Exit.NO_MATCH, "nobody matches that query")
    if len(found) > 1:
        print("visitor_id\tname\temail\tchats\tfirst_seen\tlast_seen\tmatched_on")
        for person in found:
            print("\t".join((person.visitor_id, person.name or "", person.email or "", str(person.chats),
                             person.first_seen or "", person.last_seen or "", ",".join(person.matched_on))))
        raise CommandFailed(Exit.SEVERAL_MATCHES, f"{len(found)} people match: give one visitor id "
                                                  "(--subject ID) and run it again")
    return found[0]


async def case_for(desk: Desk, args: argparse.Namespace, kind: RequestKind,
                   visitor_id: str) -> SubjectCase | None:
    """The request's case: ``--case`` (linked to the person if it was not yet), a new one when
    ``--identity-check`` says how the requester was identified, else None."""
    requests = desk.subject_requests
    if args.case:
        case = (await or_exit(requests.case(args.case))).case
        if case.visitor_id is None:
            case = await or_exit(requests.link_case(case.id, visitor_id))
        elif case.visitor_id != visitor_id:
            raise CommandFailed(Exit.USAGE, f"case {case.id} is about another person")
        return case
    if args.identity_check is None:
        return None
    return await or_exit(requests.open_case(kind, args.received or date.today().isoformat(),
                                         IdentityCheck(args.identity_check), reference=args.reference or "",
                                         visitor_id=visitor_id))


# -- export-subject -------------------------------------------------------------------------------


async def export_subject(desk: Desk, args: argparse.Namespace, words: QtReportWords, say: Say) -> Exit:
    person = await find_one(desk, args.subject)
    case = await case_for(desk, args, RequestKind.ACCESS, person.visitor_id)
    folder = await asyncio.to_thread(_bundle_folder, args.out, person.visitor_id, case)
    request = BundleRequest(visitor_id=person.visitor_id, folder=folder, case=case,
                            approval_id=args.approval, make_zip=args.zip)
    try:
        written = await desk.bundles.write(request, words, render_pdf, _stage_writer(say))
    except DeskError as exc:
        if exc.code is FailureCode.APPROVAL_REQUIRED:
            raise CommandFailed(Exit.WAITING_FOR_APPROVAL, "this site has exports approved by a second "
                                "supervisor: request one in the Requests window, then give --approval ID") \
                from exc
        raise failed(exc) from exc
    _output("bundle", written.folder)
    if written.zip is not None:
        _output("zip", written.zip)
    _output("manifest_sha256", written.manifest_sha256)
    for name in ("chats", "messages", "consents", "details", "page_views", "audit"):
        _output(name, written.counts.get(name, 0))
    if case is not None:
        _output("case", case.id)
        _output("due_on", case.due_on)
        if not written.recorded_in_case:
            say("the bundle is complete, but its step could not be recorded in the case: add a note")
    return Exit.DONE


def _bundle_folder(out: str, visitor_id: str, case: SubjectCase | None) -> Path:
    """``--out``: the bundle's folder, or (when it is one already) the folder to put it in."""
    folder = Path(out).expanduser()
    return folder / bundle_folder_name(visitor_id, case) if folder.is_dir() else folder


def _stage_writer(say: Say) -> Callable[[BundleStage, float], None]:
    """Each stage once, on standard error when that is a terminal (a script's log stays quiet)."""
    shown = sys.stderr is not None and sys.stderr.isatty()

    def stage(name: BundleStage, fraction: float) -> None:
        if shown:
            say(f"{int(fraction * 100):3d}% {name.value}")
    return stage


# -- erase-subject --------------------------------------------------------------------------------


async def erase_subject(desk: Desk, args: argparse.Namespace, words: QtReportWords, say: Say) -> Exit:
    _require_yes(args, "erase-subject erases a person everywhere")
    person = await find_one(desk, args.subject)
    policy = await or_exit(desk.subject_requests.approvals())
    if ERASE not in policy.required:
        case = await case_for(desk, args, RequestKind.ERASURE, person.visitor_id)
        counts = await or_exit(desk.erase_subject(person.visitor_id, args.reason))
        _output_counts("erased", counts)
        if case is not None:
            _output("case", case.id)
        return Exit.DONE
    case = await case_for(desk, args, RequestKind.ERASURE, person.visitor_id)
    if case is None:
        raise CommandFailed(Exit.USAGE, "an erasure here needs a second supervisor, and its request a case: "
                                        "give --case ID, or --identity-check HOW to open one")
    try:
        approval = await desk.subject_requests.request_approval(ERASE, case.id, person.visitor_id,
                                                                args.reason)
    except DeskError as exc:
        if exc.code is FailureCode.CONFLICT:
            raise CommandFailed(Exit.WAITING_FOR_APPROVAL,
                                "an erasure of this person is waiting for approval already") from exc
        raise failed(exc) from exc
    _output("approval", approval.id)
    _output("case", case.id)
    _output("expires_at", approval.expires_at)
    say(f"erasure requested: another supervisor approves it with "
        f"`operator-desk approve-erasure --approval {approval.id} --yes`")
    return Exit.WAITING_FOR_APPROVAL


# -- approve-erasure ------------------------------------------------------------------------------


async def approve_erasure(desk: Desk, args: argparse.Namespace, words: QtReportWords, say: Say) -> Exit:
    _require_yes(args, "approve-erasure erases a person everywhere")
    approval = await _waiting_erasure(desk, args)
    requests = desk.subject_requests
    # Read before: after the erasure the case keeps only its tombstone (its reference is gone).
    case = (await or_exit(requests.case(approval.case_id))).case
    decision = await or_exit(requests.decide(approval, True))
    assert decision.erased is not None   # an approved erasure answers what it erased
    _output_counts("erased", decision.erased)
    if decision.erased_here is not None:
        _output("erased_here", ", ".join(f"{table} {n}" for table, n in sorted(decision.erased_here.items())
                                         if n) or "nothing")
    _output("case", case.id)
    if args.letter:
        letter = ErasureLetter().text(words, decision.approval.decided_at or "", case.received_on,
                                      case.reference or case.id, decision.erased, decision.erased_here)
        _output("letter", await asyncio.to_thread(_write_letter, args.letter, letter))
    return Exit.DONE


async def _waiting_erasure(desk: Desk, args: argparse.Namespace) -> Approval:
    listing = await or_exit(desk.subject_requests.approvals())
    waiting = [a for a in listing.approvals if a.action == ERASE and a.state is ApprovalState.PENDING]
    if args.approval:
        chosen = [a for a in waiting if a.id == args.approval]
        if not chosen:
            raise CommandFailed(Exit.NO_MATCH, f"no erasure {args.approval} is waiting for approval")
        return chosen[0]
    person = await find_one(desk, args.subject)
    chosen = [a for a in waiting if a.visitor_id == person.visitor_id]
    if not chosen:
        raise CommandFailed(Exit.NO_MATCH, "no erasure of that person is waiting for approval")
    return chosen[0]


def _write_letter(name: str, letter: str) -> Path:
    path = Path(name).expanduser()
    write_private_file(path, letter + "\n")
    return path


def _require_yes(args: argparse.Namespace, what: str) -> None:
    if not args.yes:
        raise CommandFailed(Exit.USAGE, f"{what}: add --yes to confirm")


def _output_counts(prefix: str, counts: ErasedCounts) -> None:
    for name in ("chats", "messages", "consents", "details"):
        _output(f"{prefix}_{name}", getattr(counts, name))


COMMANDS = {
    "export-subject": export_subject,
    "erase-subject": erase_subject,
    "approve-erasure": approve_erasure,
}


def add_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
                common: argparse.ArgumentParser) -> None:
    export = subparsers.add_parser(
        "export-subject", parents=[common],
        help="write the export bundle of one person (records.json, report.html/.pdf, manifest.json)")
    _subject(export, required=True)
    export.add_argument("--out", metavar="DIR", required=True,
                        help="the bundle's folder (it must not exist), or an existing folder to put it in")
    export.add_argument("--zip", action="store_true", help="also write one zip of the folder, for sending")
    export.add_argument("--approval", metavar="ID",
                        help="the approved export to use, where the site has exports approved")
    _case(export)

    erase = subparsers.add_parser(
        "erase-subject", parents=[common],
        help="erase one person everywhere, or file the request where a second supervisor approves")
    _subject(erase, required=True)
    erase.add_argument("--reason", metavar="TEXT", required=True, help="why (kept with the request)")
    erase.add_argument("--yes", action="store_true", help="confirm: nothing is erased without it")
    _case(erase)

    approve = subparsers.add_parser(
        "approve-erasure", parents=[common],
        help="approve another supervisor's erasure request: the person is erased at once")
    which = approve.add_mutually_exclusive_group(required=True)
    which.add_argument("--approval", metavar="ID", help="the request (as erase-subject printed it)")
    which.add_argument("--subject", metavar="QUERY", help="the person whose erasure waits")
    approve.add_argument("--yes", action="store_true", help="confirm: nothing is erased without it")
    approve.add_argument("--letter", metavar="FILE",
                         help="write the confirmation the person can be sent (0600), in the desk's language")


def _subject(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--subject", metavar="QUERY", required=required,
                        help="e-mail, name, phone number or visitor id; it must find exactly one person")


def _case(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("the request's case")
    group.add_argument("--case", metavar="ID", help="the case this answers (linked to the person if not yet)")
    group.add_argument("--identity-check", choices=[c.value for c in IdentityCheck],
                       help="open a new case: how the requester was identified")
    group.add_argument("--received", metavar="YYYY-MM-DD", type=_day,
                       help="the new case's day of receipt (default: today)")
    group.add_argument("--reference", metavar="TEXT", help="the requester's own reference, for the new case")


def _day(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {text!r}") from None


__all__ = ["COMMANDS", "add_parsers"]
