"""SIP video (issue #6): baresip answers a hasVideo call with H.264 from a test pattern; the
call's stream, read back over RTMP, has that video next to the AAC audio, a snapshot of it has
its size, and what its rtmpUrl receives has both tracks. A stream injected into the call reaches baresip's decoder. A call without
hasVideo to the same peer offers no video at all. A re-INVITE that moves the far end's video moves
what we inject there."""
import base64
import json
import pathlib
import re
import shutil
import subprocess
import time

import pytest

from conftest import free_port, free_udp_block
from peers.baresip_peer import VIDEO_SIZE, Baresip
from test_sip import Sipp, find_call, sip_server, startup, wait_status  # noqa: F401 (sip_server is a fixture)
from test_media import png_size
from test_sip_media import RTPSink, wait_published
from test_transponder_audio import receiver

assert shutil.which("baresip") and pathlib.Path("/usr/lib/baresip/modules/avcodec.so").exists(), \
    "baresip's H.264 module is missing: make test-deps installs baresip-ffmpeg"


@pytest.fixture
def baresip_video(tmp_path):
    b = Baresip(tmp_path, free_udp_block(10), video=True).start()
    yield b
    b.stop()


def wait_stream_video(server, name, timeout=15):
    """The publisher's Stream object once it shows a video size, else as last seen."""
    deadline = time.time() + timeout
    while True:
        r = server.post("/stream/find", json={"name": name})
        stream = next((s for s in r.json() if s.get("published")), None) if r.status_code == 200 else None
        if (stream and stream.get("width")) or time.time() > deadline:
            return stream
        time.sleep(0.2)


def call(server, peer, call_id, has_video, **fields):
    r = server.post("/call/startup", json={"callId": call_id, "callee": peer.uri, "toStream": call_id,
                                           "hasVideo": has_video, **fields})
    assert r.status_code == 200, r.text
    established = wait_status(server, call_id, "ESTABLISHED")
    assert established and established["status"] == "ESTABLISHED", (established, peer.log_text()[-1500:])
    return established


def probe(source):
    """{codec_type: stream} of a file or URL, read by ffprobe."""
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,codec_type,width,height",
                          "-of", "json", str(source)], capture_output=True, text=True, timeout=30)
    return {s["codec_type"]: s for s in json.loads(out.stdout or "{}").get("streams", [])}


def test_video_call_to_baresip_publishes_its_h264_with_the_audio(sip_server, baresip_video, tmp_path):
    port = free_port()
    pushed = tmp_path / "pushed.flv"
    rx = receiver(port, pushed)
    established = call(sip_server, baresip_video, "vid", True, rtmpUrl=f"rtmp://127.0.0.1:{port}/app",
                       rtmpStream="stream")
    assert established["hasVideo"] is True, (established, baresip_video.log_text()[-3000:])
    trace = baresip_video.log_text()
    assert "m=video" in trace and "H264/90000" in trace and "nack pli" in trace, trace[-2000:]

    stream = wait_stream_video(sip_server, "vid")
    assert stream and (stream["width"], stream["height"]) == VIDEO_SIZE, (stream, baresip_video.log_text()[-1500:])

    url = sip_server.rtmp_url("vid")
    streams = probe(url)
    assert streams.get("video", {}).get("codec_name") == "h264", streams
    assert (streams["video"]["width"], streams["video"]["height"]) == VIDEO_SIZE
    assert streams.get("audio", {}).get("codec_name") == "aac", streams

    # Frames keep coming: baresip sends 15 fps; four seconds must decode to well over half of that.
    decode = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-i", url, "-t", "4", "-map", "0:v",
                             "-f", "null", "-"], capture_output=True, text=True, timeout=30)
    frames = [int(n) for n in re.findall(r"frame=\s*(\d+)", decode.stderr)]
    assert frames and frames[-1] >= 30, decode.stderr[-1500:]

    snapshot = sip_server.post("/stream/snapshot", json={"streamName": "vid"})
    assert snapshot.status_code == 200, snapshot.text
    assert png_size(base64.b64decode(snapshot.json()["data"])) == VIDEO_SIZE

    assert sip_server.post("/call/terminate", json={"callId": "vid"}).status_code == 200
    rx.wait(timeout=30)
    streams = probe(pushed)
    assert streams.get("video", {}).get("codec_name") == "h264", (streams, rx.stderr.read())
    assert (streams["video"]["width"], streams["video"]["height"]) == VIDEO_SIZE
    assert streams.get("audio", {}).get("codec_name") == "aac", streams


def test_audio_only_call_offers_no_video(sip_server, baresip_video):
    established = call(sip_server, baresip_video, "novid", False)
    assert established["hasVideo"] is False, established
    trace = baresip_video.log_text()
    assert "m=audio" in trace and "m=video" not in trace, trace[-2000:]
    stream = sip_server.post("/stream/find", json={"name": "novid"}).json()
    assert stream and not any(s.get("hasVideo") for s in stream), stream
    assert sip_server.post("/call/terminate", json={"callId": "novid"}).status_code == 200


def publish_pattern(server, name):
    """ffmpeg publishing 20 s of an H.264 test pattern with AAC to stream `name`."""
    return subprocess.Popen(
        ["timeout", "30", "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15", "-f", "lavfi", "-i", "sine=frequency=1000",
         "-t", "20", "-c:v", "libx264", "-profile:v", "baseline", "-preset", "ultrafast", "-tune", "zerolatency",
         "-g", "15", "-c:a", "aac", "-f", "flv", server.rtmp_url(name)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_injected_stream_video_reaches_baresip(sip_server, baresip_video):
    """inject_stream of a stream with H.264 sends its pictures (FU-A) to the far end, which decodes them."""
    publisher = publish_pattern(sip_server, "pattern")
    try:
        call(sip_server, baresip_video, "inj", True)
        assert wait_published(sip_server, "pattern")
        r = sip_server.post("/call/inject_stream", json={"callId": "inj", "streamName": "pattern"})
        assert r.status_code == 200, r.text
        # baresip logs the size of the first picture it decodes.
        deadline = time.time() + 10
        while "video: receiving with resolution 320 x 240" not in baresip_video.log_text():
            assert time.time() < deadline, baresip_video.log_text()[-2000:]
            time.sleep(0.2)
        assert sip_server.post("/call/terminate", json={"callId": "inj"}).status_code == 200
    finally:
        publisher.kill()


def test_reinvite_moves_injected_video_to_the_new_port(sip_server, tmp_path):
    """sipp answers video on one socket, then re-INVITEs it to another: the injected H.264 follows."""
    audio, first, second = RTPSink(), RTPSink(), RTPSink()
    h264 = "a=rtpmap:96 H264/90000\na=fmtp:96 packetization-mode=1"
    sipp = Sipp(tmp_path, "switchboard_uas_reinvite_codec.xml",
                ["-key", "m_line", f"m=audio {audio.port} RTP/AVP 0\nm=video {first.port} RTP/AVP 96\n{h264}",
                 "-key", "m_line2", f"m=audio {audio.port} RTP/AVP 8 0\nm=video {second.port} RTP/AVP 96\n{h264}"])
    publisher = publish_pattern(sip_server, "repattern")
    try:
        assert startup(sip_server, {"callId": "revid", "callee": sipp.uri, "hasVideo": True}).status_code == 200
        call = wait_status(sip_server, "revid", "ESTABLISHED")
        assert call and call["hasVideo"] is True, call
        assert wait_published(sip_server, "repattern")
        r = sip_server.post("/call/inject_stream", json={"callId": "revid", "streamName": "repattern"})
        assert r.status_code == 200, r.text
        before = []
        for _ in range(6):  # injection starts at the pattern's next keyframe (one a second)
            before = first.collect(0.5)
            if before:
                break
        assert before and {h[0] for h, _ in before} == {96}, "H.264 at the answer's video port"

        after = []
        for _ in range(30):  # sipp re-INVITEs 4 s after the ACK
            after = second.collect(0.5)
            if after:
                break
        assert after and {h[0] for h, _ in after} == {96}, "no video at the re-INVITE's port"
        first.drain()
        assert not first.collect(0.5), "nothing goes to the old video port any more"
        assert find_call(sip_server, "revid")["info"] == "media updated"
        assert sip_server.post("/call/terminate", json={"callId": "revid"}).status_code == 200
        assert sipp.wait() == 0, "sipp saw its re-INVITE answered, then the BYE"
    finally:
        publisher.kill()
        sipp.stop()
        for sink in (audio, first, second):
            sink.close()
