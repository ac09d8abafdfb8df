"""Local stand-in for the main `server` fixture, for running test_media.py before the Server
module wires the media services. From Tests/integration:

    MEDIA_HARNESS=../../.build/debug/switchboardPackageTests.xctest \
        python3 -m pytest -p _media_local_conftest test_media.py

MEDIA_HARNESS is the test binary; its MediaHarness test serves RTMP and the media REST methods.
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
        self.info = {"rest": f"127.0.0.1:{rest_port}", "rtmp": f"127.0.0.1:{rtmp_port}"}

    def rtmp_url(self, name, app="live"):
        return f"rtmp://127.0.0.1:{self.rtmp_port}/{app}/{name}"

    def post(self, path, json=None):
        return requests.post(self.rest_url + "/rest-api" + path, json=json, timeout=30)


@pytest.fixture
def server(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    env = dict(os.environ, SWITCHBOARD_MEDIA_HARNESS_DIR=str(data))
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen([os.environ["MEDIA_HARNESS"], "--testing-library", "swift-testing",
                             "--filter", "MediaHarness"], stdout=subprocess.PIPE, stderr=log, text=True, env=env)
    for line in proc.stdout:
        if line.startswith("READY"):
            break
    parts = dict(p.split("=") for p in line.split()[1:])
    yield LocalServer(proc, int(parts["rest"]), int(parts["rtmp"]), pathlib.Path(data))
    proc.kill()
    proc.wait(timeout=10)
