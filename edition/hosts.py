"""The preview's addresses: which `Host` headers it answers, and where it really listens.

A page on any web site can make the reader's browser send requests to 127.0.0.1 under the page's
own host name once that name resolves to 127.0.0.1 (DNS rebinding): the preview answers only
requests addressed to it by one of its own addresses, `localhost`, `127.0.0.1` or `[::1]`, with
its port. A server bound to a wildcard address (0.0.0.0, ::) listens on every address of the
machine; `listening_addresses` lists them for the warning `--serve` prints then.
"""
from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
SIOCGIFADDR = 0x8915  # Linux: the IPv4 address of an interface
IF_INET6 = Path("/proc/net/if_inet6")  # Linux: every IPv6 address of every interface


def in_url(address: str) -> str:
    """An address as it stands in a URL or a Host header (IPv6 in brackets)."""
    return f"[{address}]" if ":" in address else address


def accepted_hosts(port: int, *addresses: str) -> frozenset[str]:
    """The Host values a request to one of `addresses` (or a loopback name) on `port` may carry."""
    names = set(LOOPBACK_NAMES)
    for address in addresses:
        names.add(in_url(address.lower()))
        mapped = ipv4_mapped(address)
        if mapped:
            names.add(mapped)
    hosts = {f"{name}:{port}" for name in names}
    if port == 80:  # browsers leave the default port out
        hosts |= names
    return frozenset(hosts)


def ipv4_mapped(address: str) -> str | None:
    """The IPv4 address behind '::ffff:a.b.c.d' (an IPv4 client of a dual-stack socket)."""
    try:
        mapped = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return None
    inner = getattr(mapped, "ipv4_mapped", None)
    return str(inner) if inner else None


def is_local_only(address: str) -> bool:
    """Whether a server bound to `address` can be reached from this machine only."""
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


def listening_addresses(bound: str) -> list[str]:
    """The addresses a server bound to `bound` answers on: that address, or for a wildcard every
    address of this machine (loopback first)."""
    ip = ipaddress.ip_address(bound.split("%")[0])
    if not ip.is_unspecified:
        return [bound]
    found = set(ipv4_addresses())
    if ip.version == 6:
        found |= set(ipv6_addresses())  # a dual-stack socket also answers on the IPv4 addresses
    return sorted(found, key=lambda a: (not ipaddress.ip_address(a).is_loopback, ipaddress.ip_address(a).version,
                                        ipaddress.ip_address(a).packed))


def ipv4_addresses() -> list[str]:
    found = {"127.0.0.1", *interface_ipv4_addresses()}
    try:
        found |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    except OSError:
        pass
    return sorted(found)


def interface_ipv4_addresses() -> list[str]:
    """The IPv4 address of each network interface (Linux; elsewhere none, the host name's are used)."""
    try:
        import fcntl
        import struct
        names = [name for _, name in socket.if_nameindex()]
    except (ImportError, OSError):
        return []
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for name in names:
            try:
                packed = fcntl.ioctl(probe.fileno(), SIOCGIFADDR, struct.pack("256s", name.encode()[:15]))
            except OSError:  # an interface without an IPv4 address
                continue
            found.append(socket.inet_ntoa(packed[20:24]))
    return found


def ipv6_addresses() -> list[str]:
    """Every IPv6 address of this machine but link-local ones (which need an interface in a URL)."""
    found = {"::1"}
    try:
        lines = IF_INET6.read_text(encoding="ascii").splitlines()
    except OSError:
        lines = []
    for line in lines:
        digits = line.split()[0] if line.split() else ""
        if len(digits) == 32:
            address = ipaddress.IPv6Address(bytes.fromhex(digits))
            if not address.is_link_local:
                found.add(str(address))
    return sorted(found)
