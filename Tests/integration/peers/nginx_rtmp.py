"""Start and stop nginx-rtmp on free loopback ports for one test (never the system service)."""
import os
import pathlib
import signal
import socket
import subprocess
import time

HERE = pathlib.Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NginxRTMP:
    """nginx with the RTMP module; `url(name)` is rtmp://127.0.0.1:<port>/live/<name>."""

    def __init__(self, workdir: pathlib.Path):
        self.dir = workdir / "nginx-rtmp"
        self.rtmp_port = free_port()
        self.http_port = free_port()
        self.proc = None

    def url(self, name: str = "", app: str = "live") -> str:
        base = f"rtmp://127.0.0.1:{self.rtmp_port}/{app}"
        return f"{base}/{name}" if name else base

    def start(self):
        for sub in ("logs", "temp"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        # Started as root, the worker runs as "nobody" and must traverse the directory.
        for p in (self.dir.parent, self.dir):
            os.chmod(p, os.stat(p).st_mode | 0o011)
        conf = (HERE / "nginx-rtmp.conf").read_text().format(
            dir=self.dir, rtmp_port=self.rtmp_port, http_port=self.http_port)
        (self.dir / "nginx.conf").write_text(conf)
        cmd = ["nginx", "-e", str(self.dir / "logs/error.log"), "-p", str(self.dir),
               "-c", str(self.dir / "nginx.conf"), "-g", "daemon off;"]
        self.proc = subprocess.Popen(["timeout", "-k", "5", "300"] + cmd, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.rtmp_port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx-rtmp did not start: " + (self.dir / "logs/error.log").read_text()[-500:])

    def stop(self):
        if self.proc is None:
            return
        pid_file = self.dir / "nginx.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
            except (ProcessLookupError, ValueError):
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
