#!/usr/bin/env python3
"""ldapfault.py - a faulty LDAP hop between a plugin and the test DC (tests/ad/faults.test).

    ldapfault.py --listen ADDR:PORT --upstream ADDR:PORT [--tls CERT KEY] [FAULT]

Forwards every connection made to ADDR:PORT to the upstream DC, reading both directions as LDAP messages (BER
SEQUENCEs), and injects one FAULT, counted per connection:

    (none)               a clean proxy (the control case)
    --stall-request N    forward the client's first N-1 requests; swallow the N-th and everything after it,
                         never answering and never closing (N=2: the bind is answered, the next search stalls)
    --stall-after-done N forward until the DC's N-th searchResDone, then forward nothing more (a stall in the
                         middle of a paged search)
    --cut-after-done N   after the DC's N-th searchResDone, forward --cut-entries M more messages (default 0),
                         then close both connections instead of forwarding the next one (a DC lost in the
                         middle of a paged search; deterministic: the client is always waiting for that page)
    --refuse-starttls    answer a StartTLS extended request with protocolError; forward the rest

--tls CERT KEY terminates TLS on the listening side with that certificate (LDAPS) and forwards plain LDAP.
The upstream is only contacted once a connection arrives. Only loopback addresses are accepted. Prints
"ready" on stdout once listening, then "connection" for every connection accepted; SIGTERM ends it. Python 3 standard library only.
"""
import argparse
import ipaddress
import select
import signal
import socket
import ssl
import sys
import threading

STARTTLS_OID = b"1.3.6.1.4.1.1466.20037"
SEARCH_DONE = 0x65
EXTENDED_REQ = 0x77


def split_message(buf):
    """(one whole LDAPMessage, rest) from the front of BUF, or (None, BUF) when incomplete."""
    if len(buf) < 2:
        return None, buf
    length = buf[1]
    hdr = 2
    if length & 0x80:
        n = length & 0x7F
        if len(buf) < 2 + n:
            return None, buf
        length = int.from_bytes(buf[2:2 + n], "big")
        hdr += n
    if len(buf) < hdr + length:
        return None, buf
    return buf[:hdr + length], buf[hdr + length:]


def op_tag(msg):
    """The protocolOp tag of an LDAPMessage: after the SEQUENCE header and the messageID."""
    i = 1
    n = msg[i]
    i += 1 + ((n & 0x7F) if n & 0x80 else 0)
    # messageID: INTEGER
    i += 1
    n = msg[i]
    i += 1
    i += n
    return msg[i]


def message_id(msg):
    i = 1
    n = msg[i]
    i += 1 + ((n & 0x7F) if n & 0x80 else 0)
    n = msg[i + 1]
    return msg[i + 2:i + 2 + n]


def starttls_refusal(msgid):
    diag = b"StartTLS is not offered here (fault injection)"
    body = (b"\x0a\x01\x02"                      # resultCode protocolError (2)
            + b"\x04\x00"                          # matchedDN
            + b"\x04" + bytes([len(diag)]) + diag)  # diagnosticMessage
    op = b"\x78" + bytes([len(body)]) + body       # [APPLICATION 24] ExtendedResponse
    content = b"\x02" + bytes([len(msgid)]) + msgid + op
    return b"\x30" + bytes([len(content)]) + content


class Conn:
    """One client connection, served by one thread (an SSL socket must not be read and written at once)."""

    def __init__(self, args, client):
        self.args = args
        self.client = client
        self.dc = None
        self.requests = 0
        self.dones = 0
        self.after = 0
        self.stalled = False

    def close(self):
        for s in (self.client, self.dc):
            if s is None:
                continue
            try:
                s.close()
            except OSError:
                pass

    def from_client(self, msg):
        a = self.args
        self.requests += 1
        if a.stall_request and self.requests >= a.stall_request:
            self.stalled = True
        if self.stalled:
            return True  # swallowed: the client waits
        if a.refuse_starttls and op_tag(msg) == EXTENDED_REQ and STARTTLS_OID in msg:
            self.client.sendall(starttls_refusal(message_id(msg)))
            return True
        self.dc.sendall(msg)
        return True

    def from_dc(self, msg):
        a = self.args
        if self.stalled:
            return True
        if a.cut_after_done is not None and self.dones >= a.cut_after_done:
            if self.after >= a.cut_entries:
                return False  # cut: close both sides
            self.after += 1
        self.client.sendall(msg)
        if op_tag(msg) == SEARCH_DONE:
            self.dones += 1
            if a.stall_after_done is not None and self.dones >= a.stall_after_done:
                self.stalled = True
        return True

    def run(self):
        try:
            self.dc = socket.create_connection(self.args.upstream, timeout=10)
            self.dc.settimeout(None)
        except OSError:
            self.close()
            return
        bufs = {self.client: b"", self.dc: b""}
        handler = {self.client: self.from_client, self.dc: self.from_dc}
        alive = True
        while alive:
            ready = []
            if isinstance(self.client, ssl.SSLSocket) and self.client.pending():
                ready.append(self.client)
            if not ready:
                ready, _, _ = select.select([self.client, self.dc], [], [])
            for s in ready:
                try:
                    data = s.recv(65536)
                except (OSError, ssl.SSLError):
                    data = b""
                if not data:
                    alive = False
                    break
                bufs[s] += data
                while alive:
                    msg, bufs[s] = split_message(bufs[s])
                    if msg is None:
                        break
                    try:
                        alive = handler[s](msg)
                    except OSError:
                        alive = False
        if self.stalled:
            # hold the client: never answer, never close
            while True:
                try:
                    if not self.client.recv(65536):
                        break
                except (OSError, ssl.SSLError):
                    break
        self.close()


def hostport(s):
    host, _, port = s.rpartition(":")
    if not ipaddress.ip_address(host).is_loopback:
        raise argparse.ArgumentTypeError("%s is not a loopback address" % host)
    return host, int(port)


def main():
    p = argparse.ArgumentParser(description="a faulty LDAP proxy for tests")
    p.add_argument("--listen", type=hostport, required=True)
    p.add_argument("--upstream", type=hostport, required=True)
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--stall-request", type=int)
    p.add_argument("--stall-after-done", type=int)
    p.add_argument("--cut-after-done", type=int)
    p.add_argument("--cut-entries", type=int, default=0)
    p.add_argument("--refuse-starttls", action="store_true")
    args = p.parse_args()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    ctx = None
    if args.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        srv.bind(args.listen)
        srv.listen(32)
    except OSError as e:
        sys.stderr.write("ldapfault.py: cannot listen on %s:%d: %s\n" % (*args.listen, e.strerror))
        return 1
    print("ready", flush=True)
    held = []
    while True:
        conn, _ = srv.accept()
        held.append(conn)
        print("connection", flush=True)  # counted by the test

        def serve(c=conn):
            if ctx is not None:
                try:
                    c.settimeout(10)
                    c = ctx.wrap_socket(c, server_side=True)
                    c.settimeout(None)
                except (OSError, ssl.SSLError):
                    # the client refused our certificate: that is the point
                    try:
                        c.close()
                    except OSError:
                        pass
                    return
            Conn(args, c).run()

        threading.Thread(target=serve, daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
