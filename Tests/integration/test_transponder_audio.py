"""Transponder audio with real peers: a loud 1 kHz publisher, a transponder to an
`ffmpeg -listen 1` receiver, and what the receiver's file carries after mute or sound_on.
Timings are only upper bounds on waits, never asserted."""
import math
import re
import subprocess
import time

from conftest import free_port, wait_for
from test_rtmp import published, stop, transponders


def publish_tone(url: str, seconds: int = 40, rate: int = 48000, channels: int = 2) -> subprocess.Popen:
    """H.264 + a loud 1 kHz AAC tone (48 kHz stereo unless told)."""
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", f"sine=frequency=1000:sample_rate={rate}",
         "-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25",
         "-c:a", "aac", "-ar", str(rate), "-ac", str(channels), "-af", "volume=0dB", "-f", "flv", url],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def receiver(port: int, out) -> subprocess.Popen:
    return subprocess.Popen(["timeout", "60", "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
                             "-listen", "1", "-timeout", "20", "-f", "flv",
                             "-i", f"rtmp://127.0.0.1:{port}/app/stream", "-c", "copy", "-y", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def max_volume(path) -> float:
    err = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-i", str(path), "-map", "0:a", "-af", "volumedetect",
                          "-f", "null", "-"], capture_output=True, text=True, timeout=60).stderr
    m = re.search(r"max_volume: (-?[\d.]+|-inf) dB", err)
    assert m, err
    return float("-inf") if m.group(1) == "-inf" else float(m.group(1))


def goertzel(samples, rate, freq) -> float:
    k = 2 * math.cos(2 * math.pi * freq / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + k * s1 - s2, s1
    return s1 * s1 + s2 * s2 - k * s1 * s2


def tone_powers(path, rate=8000):
    raw = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(path), "-map", "0:a",
                          "-ac", "1", "-ar", str(rate), "-f", "s16le", "-"], capture_output=True, timeout=60).stdout
    samples = [int.from_bytes(raw[i:i + 2], "little", signed=True) for i in range(0, len(raw) - 1, 2)]
    assert len(samples) > rate, "less than a second of audio"
    tail = samples[-rate * 2:]  # the last two seconds: well after sound_on took effect
    return goertzel(tail, rate, 440), goertzel(tail, rate, 1000)


def run_push(server, tmp_path, name, options=None, during=None, rate=48000, channels=2):
    """Publishes (audio at `rate` Hz, `channels`), starts a transponder (with startup `options`),
    calls `during(id)`, pushes a few seconds and returns the received file."""
    port = free_port()
    out = tmp_path / f"{name}.flv"
    recv = receiver(port, out)
    pub = publish_tone(server.rtmp_url(name), rate=rate, channels=channels)
    try:
        assert published(server, name, width=320)
        body = {"streamName": name, "rtmpUrl": f"rtmp://127.0.0.1:{port}/app/stream", "rtmpTransponderFullUrl": True}
        if options:
            body["options"] = options
        r = server.post("/push/startup", json=body)
        assert r.status_code == 200, r.text
        sid = r.json()["mediaSessionId"]
        assert wait_for(lambda: [x for x in transponders(server) if x["status"] == "PROCESSED_LOCAL"])
        if during:
            during(sid)
        time.sleep(5)
        assert server.post("/push/terminate", json={"mediaSessionId": sid}).status_code == 200
        _, err = recv.communicate(timeout=30)
        assert out.exists(), err
        return out
    finally:
        stop(recv)
        stop(pub)


def test_mute_at_startup_sends_silence_on_the_audio_track(server, tmp_path):
    out = run_push(server, tmp_path, "mutestart", options={"action": "mute"})
    assert max_volume(out) < -80


def test_sound_on_carries_the_wav(server, tmp_path):
    media = server.data_dir / "media"
    media.mkdir(parents=True, exist_ok=True)
    subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi",
                    "-i", "sine=frequency=440:sample_rate=48000", "-t", "3", "-y", str(media / "tone.wav")],
                   check=True, timeout=30)
    seen = {}

    def sound_on(sid):
        r = server.post("/push/sound_on", json={"mediaSessionId": sid, "soundFile": "tone.wav", "loop": True})
        assert r.status_code == 200, r.text
        seen.update(next(x for x in transponders(server) if x["mediaSessionId"] == sid))

    out = run_push(server, tmp_path, "soundon", during=sound_on)
    assert seen["soundEnabled"] is True and seen["muted"] is False
    p440, p1000 = tone_powers(out)
    assert p440 > 100 * p1000, (p440, p1000)


def test_sound_on_keeps_the_streams_sample_rate_and_channels(server, tmp_path):
    # A 44.1 kHz mono stream and a 48 kHz stereo WAV: the receiver's first audio configuration
    # is the sound's (sound_on at startup), and it must be the stream's format, not the file's.
    media = server.data_dir / "media"
    media.mkdir(parents=True, exist_ok=True)
    subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi",
                    "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", "3", "-y", str(media / "tone.wav")],
                   check=True, timeout=30)
    out = run_push(server, tmp_path, "soundrate", rate=44100, channels=1,
                   options={"action": "sound_on", "soundFile": "tone.wav", "loop": True})
    audio = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a", "-show_entries",
                            "stream=sample_rate,channels", "-of", "csv=p=0", str(out)],
                           capture_output=True, text=True, timeout=30, check=True).stdout.split()
    assert audio == ["44100,1"], audio
    p440, p1000 = tone_powers(out)
    assert p440 > 100 * p1000, (p440, p1000)


def test_sound_on_at_startup_with_a_missing_file_is_404_and_creates_nothing(server):
    r = server.post("/push/startup", json={"streamName": "nofile", "rtmpUrl": "rtmp://127.0.0.1:1/app",
                                           "options": {"action": "sound_on", "soundFile": "nope.wav", "loop": True}})
    assert r.status_code == 404 and "No such file" in r.text, r.text
    assert not [x for x in transponders(server) if x["localStreamName"] == "nofile"]


def test_sound_on_with_a_missing_file_or_transponder_is_404(server):
    r = server.post("/push/startup", json={"streamName": "missing", "rtmpUrl": "rtmp://127.0.0.1:1/app"})
    assert r.status_code == 200, r.text
    sid = r.json()["mediaSessionId"]
    try:
        r = server.post("/push/sound_on", json={"mediaSessionId": sid, "soundFile": "nope.wav"})
        assert r.status_code == 404 and "No such file" in r.text, r.text
        r = server.post("/push/sound_on", json={"mediaSessionId": "no-such-id", "soundFile": "nope.wav"})
        assert r.status_code == 404, r.text
        assert server.post("/push/mute", json={"mediaSessionId": "no-such-id"}).status_code == 404
    finally:
        server.post("/push/terminate", json={"mediaSessionId": sid})


def test_mute_then_unmute_returns_to_the_streams_audio(server, tmp_path):
    seen = {}

    def mute_unmute(sid):
        assert server.post("/push/mute", json={"mediaSessionId": sid}).status_code == 200
        seen["muted"] = next(x for x in transponders(server) if x["mediaSessionId"] == sid)["muted"]
        time.sleep(2)
        assert server.post("/push/unmute", json={"mediaSessionId": sid}).status_code == 200
        seen["unmuted"] = next(x for x in transponders(server) if x["mediaSessionId"] == sid)["muted"]

    out = run_push(server, tmp_path, "unmute", during=mute_unmute)
    assert seen == {"muted": True, "unmuted": False}
    p440, p1000 = tone_powers(out)
    assert p1000 > 100 * p440, (p440, p1000)
