#!/usr/bin/env python3
"""stall.py - a TCP listener that accepts connections and never answers (for timeout tests).

    stall.py PORT [ADDRESS]      ADDRESS defaults to 127.0.0.1 and must be a loopback address

Accepts every connection, reads and discards whatever the client sends, and never writes a byte nor closes a
connection; runs until killed (SIGTERM/SIGINT end it quietly, exit 0).  Prints nothing on success.  Exit 2 on a
usage error, 1 when it cannot listen (e.g. the port is taken).  PORT 0 picks a free port and prints it on stdout.
"""
import ipaddress
import selectors
import signal
import socket
import sys


def main(argv):
    if len(argv) not in (2, 3) or not argv[1].isdigit() or int(argv[1]) > 65535:
        sys.stderr.write("usage: stall.py PORT [ADDRESS]\n")
        return 2
    port = int(argv[1])
    addr = argv[2] if len(argv) == 3 else "127.0.0.1"
    try:
        if not ipaddress.ip_address(addr).is_loopback:
            raise ValueError
    except ValueError:
        sys.stderr.write("stall.py: %s is not a loopback address\n" % addr)
        return 2

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))

    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        srv.bind((addr, port))
        srv.listen(64)
    except OSError as e:
        sys.stderr.write("stall.py: cannot listen on %s:%d: %s\n" % (addr, port, e.strerror))
        return 1
    if port == 0:
        print(srv.getsockname()[1], flush=True)

    sel = selectors.DefaultSelector()
    sel.register(srv, selectors.EVENT_READ)
    held = []  # keep accepted sockets referenced: never closed, never answered
    while True:
        for key, _ in sel.select():
            if key.fileobj is srv:
                try:
                    conn, _ = srv.accept()
                except OSError:
                    continue
                conn.setblocking(False)
                held.append(conn)
                sel.register(conn, selectors.EVENT_READ)
            else:
                try:
                    data = key.fileobj.recv(65536)
                except OSError:
                    data = b""
                if not data:  # the client went away: forget it
                    sel.unregister(key.fileobj)
                    held.remove(key.fileobj)
                    key.fileobj.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
