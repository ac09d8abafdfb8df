"""SIP calls (/call/*) through the real server, with sipp as the far end (PEERS.md §3).

The scenarios live in peers/sip/switchboard_uas_*.xml.
"""
import math
import pathlib
import shutil
import subprocess
import time

import pytest

from conftest import free_port, free_udp_block, start_server

SCENARIOS = pathlib.Path(__file__).resolve().parent / "peers" / "sip"

assert shutil.which("sipp"), "sipp is not installed: make test-deps installs sip-tester"


def ulaw(sample):
    """G.711 mu-law of one 16-bit sample."""
    sign = 0x80 if sample < 0 else 0
    value = min(abs(sample), 32635) + 0x84
    exponent = 7
    mask = 0x4000
    while exponent > 0 and not value & mask:
        exponent -= 1
        mask >>= 1
    mantissa = (value >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


class Sipp:
    """sipp as a UAS for one call, run from a directory holding the 440 Hz tone."""

    def __init__(self, tmp_path, scenario, extra=()):
        self.dir = tmp_path / f"sipp-{scenario}"
        self.dir.mkdir()
        tone = bytes(ulaw(int(12000 * math.sin(2 * math.pi * 440 * n / 8000))) for n in range(40000))
        (self.dir / "tone440_8k.ulaw").write_bytes(tone)
        self.port = free_port()
        self.messages = self.dir / "messages.log"
        media = free_udp_block(4)  # sipp's audio and video echo pairs
        self.proc = subprocess.Popen(
            ["sipp", "-sf", str(SCENARIOS / scenario), "-i", "127.0.0.1", "-p", str(self.port),
             "-mi", "127.0.0.1", "-mp", str(media), "-m", "1", "-nostdin", "-timeout", "30s", "-timeout_error",
             "-trace_msg", "-message_file", str(self.messages), *extra],
            cwd=self.dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Calls start only once sipp listens, so a loaded machine does not turn into a lost INVITE.
        deadline = time.time() + 15
        while not all(f"0100007F:{p:04X} " in pathlib.Path("/proc/net/udp").read_text() for p in (self.port, media)):
            assert self.proc.poll() is None, "sipp exited before it listened"
            assert time.time() < deadline, "sipp did not bind its port"
            time.sleep(0.05)

    @property
    def uri(self):
        return f"sip:1000@127.0.0.1:{self.port}"

    def wait(self, timeout=40):
        return self.proc.wait(timeout=timeout)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def sip_server(tmp_path):
    base = free_udp_block(20)
    s = start_server(tmp_path, "--media-ports", f"{base}-{base + 19}")
    yield s
    s.stop()


def find_call(server, call_id):
    r = server.post("/call/find", json={"callId": call_id})
    return r.json()[0] if r.status_code == 200 and r.json() else None


def wait_status(server, call_id, status, timeout=40):
    deadline = time.time() + timeout
    call = None
    while time.time() < deadline:
        call = find_call(server, call_id)
        if call and call["status"] == status:
            return call
        time.sleep(0.1)
    return call


def startup(server, body):
    return server.post("/call/startup", json=body)


def test_call_to_sipp_is_established_and_terminated_with_bye(sip_server, tmp_path):
    sipp = Sipp(tmp_path, "switchboard_uas_tone.xml")
    try:
        r = startup(sip_server, {"callId": "py-tone", "callee": sipp.uri, "toStream": "py-tone",
                                 "sipPassword": "never-shown"})
        assert r.status_code == 200, r.text
        call = wait_status(sip_server, "py-tone", "ESTABLISHED")
        assert call and call["status"] == "ESTABLISHED"
        assert "never-shown" not in str(call)
        streams = sip_server.post("/stream/find", json={"name": "py-tone"})
        assert streams.status_code == 200
        assert sip_server.post("/call/startup", json={"callId": "py-tone", "callee": sipp.uri}).status_code == 409
        assert sip_server.post("/call/send_dtmf", json={"callId": "py-tone", "dtmf": "7", "type": "INFO"}).status_code == 200
        assert sip_server.post("/call/terminate", json={"callId": "py-tone"}).status_code == 200
        assert sipp.wait() == 0
        assert "Signal=7" in sipp.messages.read_text()
        assert "never-shown" not in sip_server.log()
    finally:
        sipp.stop()


def test_busy_far_end_makes_the_call_busy(sip_server, tmp_path):
    sipp = Sipp(tmp_path, "switchboard_uas_busy.xml")
    try:
        r = startup(sip_server, {"callId": "py-busy", "callee": sipp.uri})
        assert r.status_code == 200, r.text
        call = wait_status(sip_server, "py-busy", "BUSY")
        assert call and call["status"] == "BUSY" and call["sipStatus"] == 486
        assert sipp.wait() == 0
    finally:
        sipp.stop()


def test_terminate_of_an_unknown_call_is_404(server):
    r = server.post("/call/terminate", json={"callId": "nope"})
    assert r.status_code == 404 and r.json()["message"] == "Call not found"


def test_far_end_hold_and_resume_by_reinvite_make_the_call_hold_then_established(sip_server, tmp_path):
    sipp = Sipp(tmp_path, "switchboard_uas_hold.xml")
    try:
        r = startup(sip_server, {"callId": "py-hold", "callee": sipp.uri})
        assert r.status_code == 200, r.text
        call = wait_status(sip_server, "py-hold", "ESTABLISHED")
        assert call and call["status"] == "ESTABLISHED", call
        call = wait_status(sip_server, "py-hold", "HOLD", timeout=20)
        assert call and call["status"] == "HOLD", call
        call = wait_status(sip_server, "py-hold", "ESTABLISHED", timeout=20)
        assert call and call["status"] == "ESTABLISHED" and call["info"] == "resumed", call
        assert sip_server.post("/call/terminate", json={"callId": "py-hold"}).status_code == 200
        assert sipp.wait() == 0, "sipp saw a=recvonly for the hold, a=sendrecv for the resume, and the BYE"
    finally:
        sipp.stop()
