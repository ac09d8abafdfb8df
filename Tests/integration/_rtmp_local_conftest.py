"""Local stand-in for the main `server` fixture, for running test_rtmp.py before the Server
module wires RTMP in. Load it explicitly (from Tests/integration):

    PYTHONPATH=. RTMP_HARNESS=<exe> pytest -p _rtmp_local_conftest test_rtmp.py

RTMP_HARNESS names an executable that prints "READY rest=<port> rtmp=<port>" and serves
/rest-api/{stream,push,pull/rtmp}/* on loopback. The main conftest.py replaces this file.
"""
import os
import pathlib
import subprocess

import pytest
import requests


class LocalServer:
    def __init__(self, proc, rest_port, rtmp_port, data_dir):
        self.proc = proc
        self.rest_url = f"http://127.0.0.1:{rest_port}"
        self.rtmp_port = rtmp_port
        self.data_dir = data_dir
        self.info = {"restPort": rest_port, "rtmpPort": rtmp_port}

    def rtmp_url(self, name, app="live"):
        return f"rtmp://127.0.0.1:{self.rtmp_port}/{app}/{name}"

    def post(self, path, json=None):
        return requests.post(self.rest_url + "/rest-api" + path, json=json if json is not None else {}, timeout=30)


@pytest.fixture
def server(tmp_path):
    exe = os.environ["RTMP_HARNESS"]
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen([exe], stdout=subprocess.PIPE, stderr=log, text=True)
    line = proc.stdout.readline()
    assert line.startswith("READY"), line
    parts = dict(p.split("=") for p in line.split()[1:])
    yield LocalServer(proc, int(parts["rest"]), int(parts["rtmp"]), pathlib.Path(tmp_path))
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
