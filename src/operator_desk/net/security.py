"""Which server URLs the client will talk to, and how: the transport's security policy.

Plain ``ws://`` sends the token and every chat in clear text, so it is allowed only to the loopback
range (127.0.0.0/8, ::1, ``localhost``) unless the user asked for it explicitly. ``wss://`` always
verifies the certificate with the system's trust store, plus a company CA file when one is given.
"""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from operator_desk.net.errors import CertificateFailed, InsecureUrl


@dataclass(frozen=True, slots=True)
class ServerAddress:
    url: str
    host: str
    secure: bool
    loopback: bool


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, *, allow_insecure: bool = False) -> ServerAddress:
    """The server address in ``url``, or :class:`InsecureUrl` if policy forbids it."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        raise InsecureUrl("not a valid server address") from None
    if parts.scheme not in ("ws", "wss") or not host:
        raise InsecureUrl("the server address must be ws:// or wss:// with a host")
    loopback = is_loopback_host(host)
    secure = parts.scheme == "wss"
    if not secure and not loopback and not allow_insecure:
        raise InsecureUrl("plain ws:// is only allowed to this machine (loopback) without allow_insecure")
    return ServerAddress(url=url, host=host, secure=secure, loopback=loopback)


def tls_context(address: ServerAddress, ca_file: str | None = None) -> ssl.SSLContext | None:
    """A verifying TLS context for ``wss://``: hostname checked, against the system's CAs and, when given,
    the certificate authorities in ``ca_file`` (PEM; a company CA that signed the server's certificate).
    An unreadable or malformed CA file is :class:`CertificateFailed`: nothing is trusted instead."""
    if not address.secure:
        return None
    context = ssl.create_default_context()
    if ca_file:
        try:
            context.load_verify_locations(cafile=ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise CertificateFailed(f"the CA file could not be read ({type(exc).__name__})") from exc
    return context
