"""What every frame passes before an endpoint handles it: the bounds a remote party meets on both
endpoints, in one place (a new action or endpoint passes through here and gets them too)."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import AsyncIterator

from websockets.asyncio.server import ServerConnection

from operator_desk.server.config import IpNetwork
from operator_desk.server.outbox import Outbox

logger = logging.getLogger(__name__)

# RFC 6455 close code 1003: "received a type of data it cannot accept (a text-only endpoint received
# binary data)". Protocol v1 is text frames only.
UNSUPPORTED_DATA = 1003


async def text_frames(connection: ServerConnection, outbox: Outbox) -> AsyncIterator[str]:
    """The connection's text frames, in order. A binary frame is not protocol v1: the connection is
    closed with 1003 after what is queued, and nothing after it is read."""
    async for frame in connection:
        if not isinstance(frame, str):
            logger.info("closing a connection that sent a binary frame")
            outbox.close_after(UNSUPPORTED_DATA, "text frames only")
            await outbox.drained()  # the close is sent before the handler returns (which closes 1000)
            return
        yield frame


def forwarded_address(peer: str, forwarded_for: str | None, trusted: tuple[IpNetwork, ...]) -> str:
    """The client's address: the peer, or, when the peer is a trusted proxy, the nearest address in
    ``X-Forwarded-For`` that is not itself a trusted proxy."""
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return peer
    if not forwarded_for:
        return str(address)
    for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
        if not any(address in network for network in trusted if network.version == address.version):
            break
        try:
            address = ipaddress.ip_address(hop)
        except ValueError:
            break
    return str(address)


def client_address(connection: ServerConnection, trusted: tuple[IpNetwork, ...]) -> str:
    """The address of the party at the other end (a visitor's browser, an operator's desk)."""
    peer = connection.remote_address[0] if connection.remote_address else ""
    forwarded = connection.request.headers.get("X-Forwarded-For") if connection.request else None
    return forwarded_address(peer, forwarded, trusted)
