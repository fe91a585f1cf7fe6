"""Where webhooks may be sent: http(s) URLs whose every address is public (SSRF protection).

A URL is checked twice. When it is registered, its form: scheme, host, and the address when the
host is one (in any form: `2130706433`, `0x7f.1`, `017700000001`, `[::ffff:127.0.0.1]` are all
127.0.0.1). When it is sent to, the host is resolved, every address it resolves to is checked,
and the connection goes to a checked address: the name is never resolved again in between, so
DNS rebinding has no window.

Refused: private, loopback (unless allowed: development), link-local, shared (CGNAT,
100.64.0.0/10), multicast, reserved and unspecified addresses; IPv4-mapped and IPv4-compatible
IPv6 addresses; 6to4 and NAT64 addresses that embed a refused IPv4 address.
"""

import ipaddress
import re
import socket
from urllib.parse import SplitResult, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# A host made of dot-separated numbers is an address (inet_aton reads one to four numbers), in decimal, octal
# (leading 0) or hexadecimal (0x).
_NUMERIC_HOST = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+))*\.?", re.IGNORECASE)


class RefusedAddress(ValueError):
    """The URL or an address it resolves to is not one webhooks may be sent to."""


def check_url(url: str, *, allow_loopback: bool) -> SplitResult:
    """The URL split, when webhooks may be sent to it.

    Raises RefusedAddress when it is not http(s), has no host, carries credentials, or names an
    address (in any numeric form) that is not public.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise RefusedAddress(f"The URL is not valid: {error}") from None
    if parts.scheme not in ("http", "https"):
        raise RefusedAddress("The URL must start with http:// or https://")
    if not parts.hostname:
        raise RefusedAddress("The URL must name a host")
    if parts.username is not None or parts.password is not None:
        raise RefusedAddress("The URL must not hold a user name or password")
    if port == 0:
        raise RefusedAddress("The URL's port must be between 1 and 65535")
    host = parts.hostname.rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        check_address(ipaddress.ip_address("127.0.0.1"), allow_loopback=allow_loopback)
    address = literal_address(parts.hostname)
    if address is not None:
        check_address(address, allow_loopback=allow_loopback)
    return parts


def literal_address(host: str) -> IPAddress | None:
    """The address `host` is written as (IPv6, dotted IPv4 or any numeric form), or None for a name."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    if _NUMERIC_HOST.fullmatch(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError:
            raise RefusedAddress(f"The host '{host}' is not a valid address") from None
    return None


def check_address(address: IPAddress, *, allow_loopback: bool) -> None:
    """Raises RefusedAddress unless webhooks may be sent to `address`."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None or (
            address.packed[:12] == bytes(12) and int(address) > 1  # IPv4-compatible (::a.b.c.d)
        ):
            raise RefusedAddress(f"The address {address} is an IPv4 address in IPv6 form")
        embedded = address.sixtofour or (
            ipaddress.IPv4Address(address.packed[12:]) if address in _NAT64 else None
        )
        if embedded is not None:
            check_address(embedded, allow_loopback=allow_loopback)
            return
    if address.is_loopback:
        if allow_loopback:
            return
        raise RefusedAddress(f"The address {address} is a loopback address")
    if not address.is_global or address.is_multicast or address.is_reserved or address.is_unspecified:
        raise RefusedAddress(f"The address {address} is not a public address")


def resolve(host: str, port: int, *, allow_loopback: bool) -> list[IPAddress]:
    """Every address `host` resolves to, each checked.

    Raises RefusedAddress when any of them is refused (a name pointing at one private address
    among public ones is refused whole), OSError when the name does not resolve.
    """
    literal = literal_address(host)
    if literal is not None:
        check_address(literal, allow_loopback=allow_loopback)
        return [literal]
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    addresses = []
    for _family, _type, _proto, _name, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        check_address(address, allow_loopback=allow_loopback)
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise OSError(f"The host '{host}' has no address")
    return addresses
