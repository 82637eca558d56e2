"""Which process listens on a loopback port, from /proc (Linux).

A port found free and closed again can be taken by anyone before the service binds it; another
stack's service on "our" port would then answer our clients. So a port counts as a service's only
once the service's own PID holds the listening socket: the socket's inode in /proc/net/tcp{,6}
is among the process's descriptors in /proc/<pid>/fd.
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

LISTEN = "0A"


def listening_inodes(port: int) -> set[int]:
    """Inodes of the sockets listening on `port`, on any local address."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == LISTEN and int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(int(fields[9]))
    return inodes


def socket_inodes(pid: int) -> set[int]:
    inodes = set()
    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):  # closed since the listing
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(int(target[8:-1]))
    return inodes


def listens_on(pid: int, port: int) -> bool:
    """Whether the process `pid` itself holds a socket listening on `port`."""
    listening = listening_inodes(port)
    return bool(listening) and not listening.isdisjoint(socket_inodes(pid))


def free_ports(preferred: list[int]) -> list[int]:
    """Distinct ports free right now: each preferred one if it is, else (and for 0) one the kernel picks.

    Free now is only a guess about later: the caller checks that its service won the port.
    """
    probes: list[socket.socket] = []
    try:
        for candidate in preferred:
            probe = socket.socket()
            probes.append(probe)
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]
    finally:
        for probe in probes:
            probe.close()
