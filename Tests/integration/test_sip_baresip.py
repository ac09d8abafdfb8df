"""A SIP call to baresip (a real softphone, auto-answering with PCMU, G.722 or Opus): its
440 Hz tone reaches the call's stream as AAC at the codec's rate, and a 1 kHz sound injected
into the call is what baresip decodes."""
import shutil
import subprocess
import time

import pytest

from conftest import free_udp_block
from peers.baresip_peer import Baresip
from test_sip import sip_server, wait_status  # noqa: F401 (sip_server is a fixture)
from test_sip_media import dominant_frequency, write_tone_wav

assert shutil.which("baresip"), "baresip is not installed: make test-deps installs baresip-core"


def decoded(path_or_url, seconds=None):
    """Mono 8 kHz samples of a file or an RTMP URL (the first `seconds` of it)."""
    cmd = ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(path_or_url)]
    if seconds:
        cmd += ["-t", str(seconds)]
    raw = subprocess.run(cmd + ["-map", "0:a", "-ac", "1", "-ar", "8000", "-f", "s16le", "-"],
                         capture_output=True, timeout=60).stdout
    return [int.from_bytes(raw[i:i + 2], "little", signed=True) for i in range(0, len(raw) - 1, 2)]


@pytest.fixture
def baresip(tmp_path, request):
    b = Baresip(tmp_path, free_udp_block(10), codec=getattr(request, "param", "PCMU")).start()
    yield b
    b.stop()


def stream_audio(url):
    """(codec_name, sample_rate) of the audio of an RTMP stream, by ffprobe."""
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a", "-show_entries",
                          "stream=codec_name,sample_rate", "-of", "csv=p=0", url],
                         capture_output=True, text=True, timeout=30).stdout.strip()
    name, rate = out.split(",")[:2]
    return name, int(rate)


@pytest.mark.parametrize("baresip,rate", [("PCMU", 8000), ("G722", 16000), ("opus", 48000)],
                         indirect=["baresip"], ids=["pcmu", "g722", "opus"])
def test_call_to_baresip_carries_its_tone_and_it_hears_the_injected_sound(sip_server, baresip, rate, tmp_path):
    media = sip_server.data_dir / "media"
    media.mkdir(parents=True, exist_ok=True)
    write_tone_wav(media / "beep1k.wav", freq=1000, rate=8000)
    r = sip_server.post("/call/startup", json={"callId": "bare", "callee": baresip.uri, "toStream": "bare"})
    assert r.status_code == 200, r.text
    call = wait_status(sip_server, "bare", "ESTABLISHED")
    assert call and call["status"] == "ESTABLISHED", (call, baresip.log_text()[-800:])

    # The call runs at the codec's rate (8, 16 or 48 kHz), and so does its AAC.
    assert stream_audio(sip_server.rtmp_url("bare")) == ("aac", rate)
    heard = decoded(sip_server.rtmp_url("bare"), seconds=2)
    assert len(heard) >= 8000, "two seconds of the call's stream"
    freq, share = dominant_frequency(heard[-4000:])
    assert abs(freq - 440) <= 10 and share > 0.3, (freq, share)

    r = sip_server.post("/call/inject_sound", json={"callId": "bare", "fileName": "beep1k.wav", "loop": True})
    assert r.status_code == 200, r.text
    time.sleep(2)
    assert sip_server.post("/call/terminate", json={"callId": "bare"}).status_code == 200
    deadline = time.time() + 15
    while "terminated (duration" not in baresip.log_text():  # baresip took the BYE
        assert time.time() < deadline, baresip.log_text()[-800:]
        time.sleep(0.2)
    baresip.stop()  # flushes the recordings
    recordings = baresip.recordings("dec")
    assert recordings, f"baresip recorded nothing: {baresip.log_text()[-800:]}"
    samples = decoded(recordings[-1])
    freq, share = dominant_frequency(samples[-8000:-2000])
    assert abs(freq - 1000) <= 10 and share > 0.3, (freq, share)
