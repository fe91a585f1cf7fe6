"""Where webhooks may be sent: http(s) URLs whose every address is public (SSRF protection).

A host is read the way a resolver or a browser reads it before anything is checked: NFKC (full-width
digits are digits), the ideographic dots (U+3002, U+FF0E, U+FF61) are dots, and a name in another
script is IDNA-encoded; what comes out must be an ASCII host name or address (an allowlist), so
`http://１２７.0.0.1` and `http://127。0。0。1` are 127.0.0.1 and refused as such.

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
import unicodedata
from urllib.parse import SplitResult, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# A host made of dot-separated numbers is an address (inet_aton reads one to four numbers), in decimal, octal
# (leading 0) or hexadecimal (0x).
_NUMERIC_HOST = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+))*\.?", re.IGNORECASE)


# The dots a resolver splits a name on besides "." (IDNA): ideographic, full-width, half-width.
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
_MAX_NAME = 253


class RefusedAddress(ValueError):
    """The URL or an address it resolves to is not one webhooks may be sent to."""


def check_url(url: str, *, allow_loopback: bool) -> SplitResult:
    """The URL split, when webhooks may be sent to it.

    The host in the answer is the one the URL reaches: in ASCII (see ascii_host), the form
    to resolve, connect to and send in the Host header.

    Raises RefusedAddress when it is not http(s), has no host, carries credentials, has a host
    that is neither an address nor a host name, or names an address (in any numeric form) that
    is not public.
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
    host = ascii_host(parts.hostname)
    name = host.rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        check_address(ipaddress.ip_address("127.0.0.1"), allow_loopback=allow_loopback)
    address = literal_address(host)
    if address is not None:
        check_address(address, allow_loopback=allow_loopback)
    netloc = f"[{host}]" if ":" in host else host
    return parts._replace(netloc=netloc if port is None else f"{netloc}:{port}")


def ascii_host(host: str) -> str:
    """`host` (a URL's host, without brackets) as a resolver reads it: an IPv6 address, or a
    lower-case ASCII name or dotted number after NFKC, the dot variants and IDNA.

    Raises RefusedAddress when it is not a valid host name or IPv6 address.
    """
    if ":" in host:
        try:
            return str(ipaddress.IPv6Address(host))
        except ValueError:
            raise RefusedAddress(f"The host '{host}' is not a valid address") from None
    name = unicodedata.normalize("NFKC", host).translate(_DOTS).lower()
    labels = name.split(".")
    if name.endswith("."):
        labels.pop()  # a fully qualified name's root
    try:
        labels = [label if label.isascii() else label.encode("idna").decode("ascii") for label in labels]
    except UnicodeError:
        raise RefusedAddress(f"The host '{host}' is not a valid host name") from None
    ascii_name = ".".join(labels) + ("." if name.endswith(".") else "")
    if len(ascii_name) > _MAX_NAME or not all(_LABEL.fullmatch(label) for label in labels):
        raise RefusedAddress(f"The host '{host}' is not a valid host name")
    return ascii_name


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
