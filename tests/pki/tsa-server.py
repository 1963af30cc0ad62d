#!/usr/bin/env python3
"""tsa-server.py PKI_DIR PORT_FILE -- tiny RFC 3161 HTTP responder for tests.

Binds 127.0.0.1 on a free port, writes the port number to PORT_FILE (atomically:
a reader sees either no file or the whole number) and serves until SIGTERM.
Tokens come from `openssl ts -reply -config PKI_DIR/tsa.cnf` (make-pki.sh).

POST paths (Content-Type application/timestamp-query, body <= 64 KiB):
  /         a normal reply (200 application/timestamp-reply)
  /slow     the same after 30 s (client timeout tests)
  /garbage  200 with 64 bytes that are not DER
  /error    500
  /flaky    503 on the 1st, 3rd, ... request to /flaky, normal on the others
GET /count: the number of POST requests to the paths above so far, whatever
their outcome, as text, so retry tests can count the client's attempts.
Anything else: 404.  Quiet: no access log; errors go to stderr.
"""

import fcntl
import http.server
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

MAX_BODY = 64 * 1024
SLOW_SECONDS = 30
QUERY_TYPE = "application/timestamp-query"
REPLY_TYPE = "application/timestamp-reply"
POST_PATHS = ("/", "/slow", "/garbage", "/error", "/flaky")
# 64 bytes that are not DER: a TimeStampResp starts with a SEQUENCE (0x30),
# and 0xff octets make a tag number that never ends.
GARBAGE = (b"\xff" * 32 + b"not a TimeStampResp, on purpose!").ljust(64, b"!")
assert len(GARBAGE) == 64


def log(msg):
    print(f"tsa-server: {msg}", file=sys.stderr, flush=True)


class State:
    def __init__(self, pki_dir, tmp_dir):
        self.config = os.path.join(pki_dir, "tsa.cnf")
        self.tmp_dir = tmp_dir
        self.lock = threading.Lock()  # counters, and one openssl ts at a time
        self.posts = 0
        self.flaky = 0
        self.seq = 0

    def count_post(self, path):
        """Count a POST; for /flaky also return its 1-based number there."""
        with self.lock:
            self.posts += 1
            if path == "/flaky":
                self.flaky += 1
                return self.flaky
            return 0

    def reply(self, query):
        """Run openssl ts -reply on QUERY (bytes); the reply's bytes or None.

        A malformed query still gets a (rejection) reply from openssl, like a
        real TSA's; None only when openssl itself fails."""
        with self.lock:
            self.seq += 1
            q = os.path.join(self.tmp_dir, f"{self.seq}.tsq")
            r = os.path.join(self.tmp_dir, f"{self.seq}.tsr")
            try:
                with open(q, "wb") as f:
                    f.write(query)
                # openssl ts rewrites the serial file named in tsa.cnf: the
                # thread lock covers this server, flock on tsa.cnf covers other
                # servers sharing the PKI (make -j check).
                with open(self.config, "rb") as cf:
                    fcntl.flock(cf, fcntl.LOCK_EX)
                    p = subprocess.run(
                        ["openssl", "ts", "-reply", "-config", self.config,
                         "-queryfile", q, "-out", r],
                        stdin=subprocess.DEVNULL, capture_output=True)
                if p.returncode != 0 or not os.path.exists(r):
                    log(f"openssl ts -reply failed ({p.returncode}): "
                        + p.stderr.decode(errors="replace").strip())
                    return None
                with open(r, "rb") as f:
                    return f.read()
            finally:
                for name in (q, r):
                    try:
                        os.unlink(name)
                    except FileNotFoundError:
                        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True  # a /slow request must not delay the exit

    def handle_error(self, request, client_address):
        # A client that gave up (timeout tests) is expected, not an error.
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "eseal-test-tsa/1"

    def log_message(self, format, *args):  # quiet: no access log
        pass

    def send(self, code, body=b"", ctype="text/plain"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/count":
            with self.server.state.lock:
                n = self.server.state.posts
            self.send(200, f"{n}\n".encode())
        else:
            self.send(404, b"not found\n")

    def do_POST(self):
        state = self.server.state
        path = self.path
        if path not in POST_PATHS:
            self.close_connection = True  # the body is left unread
            self.send(404, b"not found\n")
            return
        n = state.count_post(path)
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.close_connection = True
            self.send(411, b"Content-Length required\n")
            return
        if int(length) > MAX_BODY:
            self.close_connection = True
            self.send(413, b"request too large\n")
            return
        body = self.rfile.read(int(length))
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip()
        if ctype.lower() != QUERY_TYPE:
            self.send(415, f"Content-Type must be {QUERY_TYPE}\n".encode())
            return
        if path == "/error":
            self.send(500, b"internal error (on purpose)\n")
            return
        if path == "/garbage":
            self.send(200, GARBAGE, REPLY_TYPE)
            return
        if path == "/flaky" and n % 2 == 1:
            self.send(503, b"try again (on purpose)\n")
            return
        if path == "/slow":
            time.sleep(SLOW_SECONDS)
        reply = state.reply(body)
        if reply is None:
            self.send(500, b"openssl ts -reply failed\n")
        else:
            self.send(200, reply, REPLY_TYPE)


def main():
    if len(sys.argv) != 3:
        print("usage: tsa-server.py PKI_DIR PORT_FILE", file=sys.stderr)
        return 2
    pki_dir, port_file = sys.argv[1], sys.argv[2]
    if not os.path.isfile(os.path.join(pki_dir, "tsa.cnf")):
        log(f"no tsa.cnf in {pki_dir} (run make-pki.sh)")
        return 1

    # SIGTERM ends serve_forever() through an exception in the main thread, so
    # the temporary directory is removed and the exit status is 0.
    def on_term(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)

    # Queries and replies go next to PORT_FILE, in the test's scratch
    # directory, so even a SIGKILLed server leaves nothing elsewhere.
    port_file = os.path.abspath(port_file)
    tmp_dir = tempfile.mkdtemp(prefix="tsa-tmp.", dir=os.path.dirname(port_file))
    try:
        server = Server(("127.0.0.1", 0), Handler)
        server.state = State(os.path.abspath(pki_dir), tmp_dir)
        tmp_port = f"{port_file}.tmp.{os.getpid()}"
        with open(tmp_port, "w") as f:
            f.write(f"{server.server_address[1]}\n")
        os.replace(tmp_port, port_file)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
