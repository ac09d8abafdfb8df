"""A small Server-Sent Events reader for tests, over TCP or the control socket."""
import json
import socket
import threading
import queue


class EventReader:
    """Reads `GET /rest-api/events` on a background thread; events arrive in `self.events` as (name, data)."""

    def __init__(self, host=None, port=None, unix_path=None, query="", auth_header=None):
        if unix_path:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.connect(unix_path)
        else:
            self.sock = socket.create_connection((host, port), timeout=10)
        self.sock.settimeout(None)
        extra = f"Authorization: {auth_header}\r\n" if auth_header else ""
        self.sock.sendall(f"GET /rest-api/events{query} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n{extra}\r\n"
                          .encode())
        self.events = queue.Queue()
        self.status = None
        self.headers = {}
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        f = self.sock.makefile("rb")
        status_line = f.readline().decode()
        self.status = int(status_line.split()[1])
        chunked = False
        while True:
            line = f.readline().decode().strip()
            if not line:
                break
            k, v = line.split(":", 1)
            self.headers[k.strip().lower()] = v.strip()
            if k.strip().lower() == "transfer-encoding" and "chunked" in v:
                chunked = True
        buf = b""
        try:
            while True:
                if chunked:
                    size_line = f.readline()
                    if not size_line:
                        break
                    size = int(size_line.strip() or b"0", 16)
                    if size == 0:
                        break
                    buf += f.read(size)
                    f.readline()
                else:
                    data = f.read1(65536)
                    if not data:
                        break
                    buf += data
                while b"\n\n" in buf:
                    block, buf = buf.split(b"\n\n", 1)
                    name, data = None, None
                    for l in block.decode().split("\n"):
                        if l.startswith("event: "):
                            name = l[7:]
                        elif l.startswith("data: "):
                            data = l[6:]
                    if name:
                        self.events.put((name, json.loads(data)))
        except OSError:
            pass
        self.events.put(("<closed>", None))

    def next(self, timeout=10, where=lambda name, data: True):
        """The next event that satisfies `where` (others are skipped)."""
        import time
        deadline = time.time() + timeout
        while True:
            remaining = deadline - time.time()
            if remaining <= 0:
                raise TimeoutError("no matching event")
            try:
                name, data = self.events.get(timeout=remaining)
            except queue.Empty:
                raise TimeoutError("no matching event") from None
            if name == "<closed>" or where(name, data):
                return name, data

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
