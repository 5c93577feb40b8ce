"""``operator-desk-server``: ``serve`` and ``add-operator``."""

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

from operator_desk.domain.model import Role
from operator_desk.server.config import ConfigError
from operator_desk.server.db_errors import DatabaseError
from operator_desk.server.embedded import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    ServerOptions,
    add_operator_sync,
    start_server,
)
from operator_desk.server.repository import AlreadyExists

logger = logging.getLogger(__name__)

YOUNG_COLLECTION_INTERVAL = 0.1
FULL_COLLECTION_INTERVAL = 600.0


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
    serve.add_argument("--simulate", default=0, type=int, metavar="N", help="keep about N simulated visitors")
    serve.add_argument("--certfile", type=Path, help="TLS certificate (PEM): serve wss:// and https://")
    serve.add_argument("--keyfile", type=Path, help="TLS private key (PEM)")
    serve.add_argument("--demo", action="store_true", help="demo accounts; trust loopback as a proxy")
    serve.add_argument(
        "--stats", type=float, metavar="SECONDS", help="log load figures (loop lag, rates) every SECONDS"
    )

    add = commands.add_parser(
        "add-operator", help="create an operator account; the password is read from stdin"
    )
    add.add_argument("--data", required=True, type=Path)
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[role.value for role in Role])
    add.add_argument("--name")
    add.add_argument("--config", type=Path, help="TOML configuration file (for [database] key_file)")
    add.add_argument("--key-file", type=Path, help="the database key file, as for serve")
    return parser


async def _serve(args: argparse.Namespace) -> int:
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
        environ=os.environ,
    )
    server = await start_server(options)
    # The server's own process owns its collector (embedded mode leaves the host's alone). What is
    # imported and built at start lives forever: frozen out of every collection. Automatic collections
    # are off: with thousands of connections the young generation's counter (allocations minus
    # deallocations, old objects included) reached its threshold at irregular times, with 40,000 young
    # objects or more (60 ms) and a full collection every 15 to 30 s of visitor churn (100 to 400 ms
    # over 250,000 objects), the loop stopped each time. Instead the young generations are collected
    # every 100 ms (a few ms each) and everything every 10 minutes; little cyclic garbage lives long.
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


def _read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("password: ")
    return sys.stdin.readline().rstrip("\r\n")


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
        password = _read_password()
        if not password:
            print("no password given on standard input", file=sys.stderr)
            return 2
        info = add_operator_sync(
            args.data,
            args.username,
            password,
            Role(args.role),
            args.name,
            key_file=args.key_file,
            config_path=args.config,
            environ=os.environ,
        )
        print(f"added {args.username} ({info.role.value}) as {info.id}")
        return 0
    except AlreadyExists:
        print(f"an operator named {args.username} exists already", file=sys.stderr)
        return 1
    except (ConfigError, DatabaseError, OSError) as exc:
        print(f"operator-desk-server: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
