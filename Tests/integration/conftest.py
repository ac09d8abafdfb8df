"""Fixtures that run the real switchboard-server on free ports, as a user would."""
import json
import os
import pathlib
import random
import signal
import socket
import subprocess
import time

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
SERVER_BIN = pathlib.Path(os.environ.get("SWITCHBOARD_SERVER_BIN", ROOT / ".build/debug/switchboard-server"))
CONSOLE_BIN = pathlib.Path(os.environ.get("SWITCHBOARD_CONSOLE_BIN", ROOT / ".build/debug/switchboard"))


class ServerProcess:
    """A running switchboard-server and what its server.json says."""

    def __init__(self, data_dir, args=(), env=None):
        self.data_dir = pathlib.Path(data_dir)
        self.args = list(args)
        self.log_path = self.data_dir.parent / f"{self.data_dir.name}-stderr.log"
        self.proc = None
        self.info = None
        self._env = env

    def start(self, timeout=20):
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")
        cmd = [str(SERVER_BIN), "--data-dir", str(self.data_dir), *self.args]
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, env=self._env)
        run_file = self.data_dir / "run" / "server.json"
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log()}")
            if run_file.exists():
                try:
                    self.info = json.loads(run_file.read_text())
                    if self.info.get("pid") == self.proc.pid:
                        return self
                except json.JSONDecodeError:
                    pass
            time.sleep(0.05)
        raise RuntimeError(f"server did not write server.json in {timeout}s:\n{self.log()}")

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    @property
    def rest_url(self):
        return f"http://{self.info['rest']}"

    @property
    def rtmp_port(self):
        return int(self.info["rtmp"].rsplit(":", 1)[1])

    def rtmp_url(self, name, app="live"):
        return f"rtmp://127.0.0.1:{self.rtmp_port}/{app}/{name}"

    def post(self, path, json=None, **kw):
        kw.setdefault("timeout", 30)
        return requests.post(f"{self.rest_url}/rest-api{path}", json=json, **kw)

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"server did not exit within {timeout}s of {sig!r}:\n{self.log()}")
        finally:
            self._log.close()


DEFAULT_PORT_ARGS = ["--rest-port", "0", "--ws-port", "0", "--rtmp-port", "0", "--sip-port", "0"]


def start_server(tmp_path, *args, name="data", env=None):
    """Starts a server on free ports with a fresh data directory (extra flags come last, so they win)."""
    return ServerProcess(tmp_path / name, [*DEFAULT_PORT_ARGS, *args], env=env).start()


@pytest.fixture
def server(tmp_path):
    s = start_server(tmp_path)
    yield s
    code = s.stop()
    assert code == 0, f"server exited with {code} on SIGTERM:\n{s.log()}"


def wait_for(predicate, timeout=20.0, interval=0.2):
    """Calls `predicate` until it returns something truthy or `timeout` seconds pass.
    Returns that value, or the last (falsy) one: callers assert on it."""
    deadline = time.time() + timeout
    last = predicate()
    while not last and time.time() < deadline:
        time.sleep(interval)
        last = predicate()
    return last


def published_stream(server, name, timeout=10.0):
    """The published Stream object `name` once /stream/find lists it; fails the test after `timeout`."""
    def find():
        r = server.post("/stream/find", json={"name": name})
        if r.status_code != 200:
            return None
        return next((s for s in r.json() if s.get("published")), None)
    stream = wait_for(find, timeout)
    assert stream, f"stream {name} was never published"
    return stream


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def udp_free(port):
    """Whether a UDP port on 127.0.0.1 can be bound now."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def free_udp_block(size):
    """The first port of `size` consecutive UDP ports that are free now, even and below the
    ephemeral range (32768+), where other programs' sockets come and go."""
    for _ in range(100):
        base = random.randrange(10000, 30000 - size, 2)
        if all(udp_free(p) for p in range(base, base + size)):
            return base
    raise RuntimeError(f"no {size} free UDP ports in 10000-30000")
