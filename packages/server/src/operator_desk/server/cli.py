"""``operator-desk-server``: ``serve``, and the ``accounts`` commands that administer people
(``server/accounts.py``); ``add-operator`` is ``accounts add`` under its first name."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import getpass
import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from operator_desk.domain.model import Role
from operator_desk.protocol.messages import WebhookDelivery
from operator_desk.server import accounts
from operator_desk.server.bus import BusUnavailable
from operator_desk.server.config import ConfigError, load_config
from operator_desk.server.db_errors import StorageError
from operator_desk.server.embedded import DEMO_ACCOUNTS, DEMO_PASSWORD, ServerOptions, start_server
from operator_desk.server.sockets import raise_file_limit
from operator_desk.server.webhooks import commands as webhook_commands
from operator_desk.server.webhooks import outbox as webhook_outbox

logger = logging.getLogger(__name__)

YOUNG_COLLECTION_INTERVAL = 0.1
FULL_COLLECTION_INTERVAL = 3600.0
DATABASE_HELP = (
    "postgresql://USER@HOST:PORT/DBNAME to run on PostgreSQL (the password from ~/.pgpass or "
    "PGPASSFILE), or a SQLCipher file (default: OPERATOR_DESK_DATABASE, [database] url, DATA/server.db)"
)


BUS_HELP = (
    "redis://HOST:PORT (or unix:///path/redis.sock) to join the site's other nodes; they share one "
    "PostgreSQL --database (default: OPERATOR_DESK_BUS, [bus] url; none: this node alone)"
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="operator-desk-server", description="The Operator Desk reference chat server"
    )
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the server")
    serve.add_argument("--data", required=True, type=Path, help="data folder (database and key)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", default=8765, type=int, help="0 picks a free port")
    serve.add_argument("--config", type=Path, help="TOML configuration file")
    serve.add_argument(
        "--key-file",
        type=Path,
        help="the database key file (default: OPERATOR_DESK_KEY_FILE, [database] key_file, "
        "$CREDENTIALS_DIRECTORY/server.key, DATA/server.key)",
    )
    serve.add_argument("--database", help=DATABASE_HELP)
    serve.add_argument("--bus", help=BUS_HELP)
    serve.add_argument("--simulate", default=0, type=int, metavar="N", help="keep about N simulated visitors")
    serve.add_argument("--certfile", type=Path, help="TLS certificate (PEM): serve wss:// and https://")
    serve.add_argument("--keyfile", type=Path, help="TLS private key (PEM)")
    serve.add_argument("--demo", action="store_true", help="demo accounts; trust loopback as a proxy")
    serve.add_argument(
        "--stats", type=float, metavar="SECONDS", help="log load figures (loop lag, rates) every SECONDS"
    )

    database = argparse.ArgumentParser(add_help=False)
    database.add_argument("--data", required=True, type=Path, help="the server's data folder")
    database.add_argument("--config", type=Path, help="TOML configuration file (for [database] key_file)")
    database.add_argument("--key-file", type=Path, help="the database key file, as for serve")
    database.add_argument("--database", help="the database, as for serve")
    roles = [role.value for role in Role]

    add = commands.add_parser("add-operator", parents=[database], help="the same as accounts add")
    _add_account_arguments(add, roles)

    people = commands.add_parser("accounts", help="administer the people who use the desk")
    actions = people.add_subparsers(dest="action", required=True)
    actions.add_parser("list", parents=[database], help="list every account")
    _add_account_arguments(
        actions.add_parser("add", parents=[database], help="add an account; the password is read from stdin"),
        roles,
    )
    role = actions.add_parser("set-role", parents=[database], help="change an account's role")
    role.add_argument("username")
    role.add_argument("role", choices=roles)
    for name, text in (
        ("disable", "stop an account from signing in (its sign-ins are revoked)"),
        ("enable", "let a disabled account sign in again"),
        ("reset-password", "set a new password (read from stdin); the account's sign-ins are revoked"),
        ("revoke-tokens", "revoke every sign-in of an account: each desk must sign in with the password"),
    ):
        actions.add_parser(name, parents=[database], help=text).add_argument("username")
    actions.add_parser("teams", parents=[database], help="list the teams")
    team = actions.add_parser("add-team", parents=[database], help="add a team (a department with its queue)")
    team.add_argument("team_id", help="short and lowercase, e.g. support")
    team.add_argument("--name", required=True, help="the name colleagues see, e.g. Support")
    member = actions.add_parser("set-team", parents=[database], help="put an account in a team")
    member.add_argument("username")
    member.add_argument("team_id", help="the team's id, or - for none")
    limit = actions.add_parser("set-limit", parents=[database],
                               help="an account's own chat limit (routing and its own accepts)")
    limit.add_argument("username")
    limit.add_argument("chat_limit", help="1 to 100, or site for the site's [routing] chat_limit")
    remove = actions.add_parser("remove", parents=[database], help="remove an account for good")
    remove.add_argument("username")
    remove.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")
    _add_webhook_commands(commands, database)
    return parser


async def _serve(args: argparse.Namespace) -> int:
    # The server's own process: as many open files as the system allows it (sockets.py says why).
    files = raise_file_limit()
    options = ServerOptions(
        data_dir=args.data,
        host=args.host,
        port=args.port,
        demo=args.demo,
        simulate=args.simulate,
        config_path=args.config,
        certfile=args.certfile,
        keyfile=args.keyfile,
        stats_interval=args.stats,
        key_file=args.key_file,
        database=args.database,
        bus_url=args.bus,
        environ=os.environ,
    )
    server = await start_server(options)
    logger.info("open-file limit %d", files)
    # The server's own process owns its collector (embedded mode leaves the host's alone). What is
    # imported and built at start lives forever: frozen out of every collection. Automatic collections
    # are off: with thousands of connections the young generation's counter (allocations minus
    # deallocations, old objects included) reached its threshold at irregular times, with 40,000 young
    # objects or more (60 ms) and a full collection every 15 to 30 s of visitor churn (100 to 400 ms
    # over 250,000 objects), the loop stopped each time. Instead the young generations are collected
    # every 100 ms (a few ms each) and everything once an hour. A full collection walks every object
    # alive, about 100 a visitor: at 5,000 visitors 515,000 objects, 1.4 s of CPU on the 2-core
    # development machine under load, about twice that at 10,000, the loop stopped all along. Little
    # cyclic garbage gets old enough to wait for it since a closed connection is no cycle any more
    # (sockets.py): at 7,300 visitors a full collection found 10,000 to 34,000 objects every 80 s
    # before; at 5,000 after, 3,979 in 100 s, all of them handshakes cut short while visitors poured
    # in (docs/server.md, "Garbage collection").
    gc.freeze()
    gc.disable()
    collector = asyncio.get_running_loop().create_task(_collect_garbage())
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    print(f"listening on {server.url}", flush=True)
    if args.demo:
        print(f"widget: {server.widget_url}", flush=True)
        accounts = ", ".join(f"{username} ({role.value})" for username, _, role in DEMO_ACCOUNTS)
        print(f"demo accounts: {accounts}; password: {DEMO_PASSWORD}", flush=True)
    try:
        await stop.wait()
    finally:
        collector.cancel()
        await server.close()
    return 0


async def _collect_garbage() -> None:
    loop = asyncio.get_running_loop()
    next_full = loop.time() + FULL_COLLECTION_INTERVAL
    while True:
        await asyncio.sleep(YOUNG_COLLECTION_INTERVAL)
        if loop.time() < next_full:
            gc.collect(1)
            continue
        started = time.perf_counter()
        found = gc.collect()
        elapsed = (time.perf_counter() - started) * 1e3
        logger.info("full garbage collection: %d unreachable objects in %.0f ms", found, elapsed)
        next_full = loop.time() + FULL_COLLECTION_INTERVAL


def _chat_limit(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise accounts.AccountError("a chat limit is a number from 1 to 100, or site") from None


def _add_webhook_commands(commands: Any, database: argparse.ArgumentParser) -> None:
    hooks = commands.add_parser("webhooks", help="the site's webhook receivers (docs/webhooks.md)")
    actions = hooks.add_subparsers(dest="action", required=True)
    trial = actions.add_parser("test", help="send a signed sample event to a receiver")
    trial.add_argument("name")
    trial.add_argument("--config", type=Path, required=True, help="TOML configuration file")
    actions.add_parser("list", parents=[database], help="events not confirmed yet, dead letters first")
    for name, text in (("retry", "try a dead letter again from the start"),
                       ("drop", "give a dead letter up (its body is deleted)")):
        actions.add_parser(name, parents=[database], help=text).add_argument("delivery", type=int)


def _run_webhook_command(args: argparse.Namespace) -> int:
    if args.action == "test":
        receiver = webhook_commands.find(load_config(args.config).webhooks, args.name)
        trial = webhook_commands.send_test(receiver)
        answer = f"HTTP {trial.attempt.status}" if trial.attempt.status else trial.attempt.error
        print(f"{receiver.name}: sent {trial.event_id} to {receiver.url}: {answer}")
        return 0 if trial.attempt.confirmed else 1
    db = accounts.open_database(args.data, key_file=args.key_file, config_path=args.config,
                                environ=os.environ, database=args.database)
    try:
        if args.action == "list":
            found, _ = db.run_sync(webhook_outbox.deliveries, ("dead", "pending"), 1000)
            _print_deliveries(found)
        else:
            db.run_sync(webhook_commands.decide_as_admin, args.delivery, args.action)
            print(f"delivery {args.delivery}: {'queued again' if args.action == 'retry' else 'dropped'}")
    finally:
        db.close_sync()
    return 0


def _print_deliveries(found: list[WebhookDelivery]) -> None:
    found = sorted(found, key=lambda d: (d.state != "dead", d.id))
    rows = [("DELIVERY", "RECEIVER", "EVENT", "STATE", "ATTEMPTS", "LAST ERROR", "CREATED")] + [
        (str(d.id), d.receiver, d.type, d.state, str(d.attempts), d.last_error or "", d.created_at[:19])
        for d in found
    ]
    _print_table(rows)


def _add_account_arguments(parser: argparse.ArgumentParser, roles: list[str]) -> None:
    parser.add_argument("username")
    parser.add_argument("--role", required=True, choices=roles)
    parser.add_argument("--name", help="the name colleagues see (default: the username)")


def _read_password() -> str:
    """From the terminal (asked twice), else the first line of standard input."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("new password: ")
    if getpass.getpass("the same again: ") != password:
        raise accounts.AccountError("the two passwords differ")
    return password


def _run_account_command(args: argparse.Namespace) -> int:
    action = "add" if args.command == "add-operator" else args.action
    if action == "remove" and not args.yes:
        raise accounts.AccountError(f"removing {args.username!r} cannot be undone: add --yes to confirm")
    password_hash = None
    if action in ("add", "reset-password"):
        password = _read_password()
        if not password:
            raise accounts.AccountError("no password given on standard input")
        name = args.name if action == "add" else None
        password_hash = accounts.hash_new_password(password, args.username, name)
    db = accounts.open_database(args.data, key_file=args.key_file, config_path=args.config,
                                environ=os.environ, database=args.database)
    try:
        if action == "list":
            _print_accounts(db.run_sync(accounts.list_accounts))
        elif action == "add":
            info = db.run_sync(accounts.add_account, args.username, args.name or args.username,
                               Role(args.role), password_hash)
            print(f"added {args.username} ({info.role.value}) as {info.id}")
        elif action == "teams":
            for team_id, name, members in db.run_sync(accounts.list_teams):
                print(f"{team_id}  {name}  ({members} account(s))")
        elif action == "add-team":
            db.run_sync(accounts.add_team, args.team_id, args.name)
            print(f"added team {args.team_id} ({args.name})")
        elif action == "set-team":
            wanted = None if args.team_id == "-" else args.team_id
            before = db.run_sync(accounts.set_team, args.username, wanted)
            print(f"{args.username}: team {before or '-'} -> {wanted or '-'}")
        elif action == "set-limit":
            wanted = None if args.chat_limit == "site" else _chat_limit(args.chat_limit)
            before = db.run_sync(accounts.set_chat_limit, args.username, wanted)
            print(f"{args.username}: chat limit {before or 'site'} -> {wanted or 'site'} "
                  "(from the account's next sign-in; the desk's team window sets it at once)")
        elif action == "set-role":
            before = db.run_sync(accounts.set_role, args.username, Role(args.role))
            print(f"{args.username}: role {before.value} -> {args.role}")
        elif action in ("disable", "enable"):
            changed = db.run_sync(accounts.set_disabled, args.username, action == "disable")
            print(f"{args.username}: {action}d" if changed else f"{args.username} was {action}d already")
        elif action == "remove":
            db.run_sync(accounts.remove_account, args.username)
            print(f"removed {args.username}")
        elif action == "reset-password":
            revoked = db.run_sync(accounts.set_password, args.username, password_hash)
            print(f"{args.username}: new password set; {revoked} sign-in(s) revoked")
        elif action == "revoke-tokens":
            revoked = db.run_sync(accounts.revoke_sign_ins, args.username)
            print(f"{args.username}: {revoked} sign-in(s) revoked")
    finally:
        db.close_sync()
    return 0


def _print_accounts(found: list[accounts.Account]) -> None:
    rows = [("USERNAME", "NAME", "ROLE", "TEAM", "STATE", "SIGN-INS", "CREATED")] + [
        (a.username, a.name, a.role.value, a.team or "-", "disabled" if a.disabled else "enabled",
         str(a.sign_ins), a.created_at[:10])
        for a in found
    ]
    _print_table(rows)


def _print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("websockets").setLevel(logging.INFO)
    if args.command == "serve" and args.certfile is not None and args.keyfile is None:
        print("--certfile needs --keyfile", file=sys.stderr)
        return 2
    try:
        if args.command == "serve":
            with contextlib.suppress(KeyboardInterrupt):
                return asyncio.run(_serve(args))
            return 0
        if args.command == "webhooks":
            return _run_webhook_command(args)
        return _run_account_command(args)
    except (accounts.AccountError, BusUnavailable, ConfigError, StorageError, OSError,
            webhook_commands.WebhookCommandError) as exc:
        print(f"operator-desk-server: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
