"""What a SIP call hears and where its audio goes, with real peers: sipp answers with an SDP
that points the server's RTP at a UDP socket this test owns, and the test measures the tone
in the µ-law it receives (Goertzel). Timings are only upper bounds on waits, never asserted."""
import math
import re
import shutil
import signal
import socket
import struct
import subprocess
import time
import wave

from conftest import free_udp_block
from test_sip import Sipp, sip_server, wait_status  # noqa: F401 (sip_server is a fixture)
from test_transponder_audio import goertzel, receiver
from test_rtmp import free_port


def mulaw_to_linear(byte):
    """G.711 µ-law byte to a 16-bit sample (ITU-T G.711)."""
    u = ~byte & 0xFF
    exponent = (u >> 4) & 0x07
    magnitude = ((((u & 0x0F) << 3) + 0x84) << exponent) - 0x84
    return -magnitude if u & 0x80 else magnitude


class RTPSink:
    """A UDP socket the server's RTP is pointed at; collects PCMU payloads."""

    def __init__(self):
        self.port = free_udp_block(2)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.settimeout(0.2)

    def drain(self):
        """Drops what queued in the socket so far (what was sent before the step under test)."""
        self.sock.setblocking(False)
        try:
            while True:
                self.sock.recv(2048)
        except BlockingIOError:
            pass
        finally:
            self.sock.settimeout(0.2)

    def collect(self, seconds):
        """(header fields, payload) of the RTP packets that arrive within `seconds`."""
        packets = []
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                data = self.sock.recv(2048)
            except socket.timeout:
                continue
            if len(data) < 12:
                continue
            pt = data[1] & 0x7F
            seq, ts = struct.unpack("!HI", data[2:8])
            packets.append(((pt, seq, ts), data[12:]))
        return packets

    def samples(self, seconds):
        """Decoded PCMU (pt 0) samples of `seconds` of RTP, in sequence order."""
        packets = sorted((p for p in self.collect(seconds) if p[0][0] == 0), key=lambda p: p[0][2])
        return [mulaw_to_linear(b) for _, payload in packets for b in payload], packets

    def close(self):
        self.sock.close()


def dominant_frequency(samples, rate=8000):
    """The frequency (10 Hz steps, 100-3000 Hz) with the most Goertzel power, and its share of
    the power summed over all the steps."""
    powers = {f: goertzel(samples, rate, f) for f in range(100, 3001, 10)}
    best = max(powers, key=powers.get)
    return best, powers[best] / max(sum(powers.values()), 1e-9)


def rms(samples):
    return math.sqrt(sum(x * x for x in samples) / max(len(samples), 1))


def sink_call(sip_server, tmp_path, call_id, sink, **startup):
    """A call to sipp whose SDP answer sends the server's RTP to `sink`; returns sipp once ESTABLISHED."""
    sipp = Sipp(tmp_path, "switchboard_uas_custom_sdp.xml",
                ["-key", "m_line", f"m=audio {sink.port} RTP/AVP 0 101",
                 "-key", "a_line", "a=rtpmap:101 telephone-event/8000"])
    r = sip_server.post("/call/startup", json={"callId": call_id, "callee": sipp.uri, **startup})
    assert r.status_code == 200, r.text
    call = wait_status(sip_server, call_id, "ESTABLISHED")
    assert call and call["status"] == "ESTABLISHED", call
    return sipp


def write_tone_wav(path, freq=440, rate=16000, seconds=2.0):
    """A mono 16-bit WAV at 16 kHz, so the server has to resample it to 8 kHz."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * freq * n / rate)))
                               for n in range(int(rate * seconds))))


def test_inject_sound_sends_the_wavs_440_hz_tone_as_pcmu(sip_server, tmp_path):
    media = sip_server.data_dir / "media"
    media.mkdir(parents=True, exist_ok=True)
    write_tone_wav(media / "tone440.wav")
    sink = RTPSink()
    sipp = sink_call(sip_server, tmp_path, "inj-sound", sink)
    try:
        before, packets = sink.samples(1.0)
        assert len(packets) >= 20, "the server sends RTP (silence) once the call is established"
        assert all(len(p) == 160 for _, p in packets), "20 ms of PCMU per packet"
        assert rms(before) < 50, "silence before anything is injected"

        r = sip_server.post("/call/inject_sound", json={"callId": "inj-sound", "fileName": "tone440.wav", "loop": True})
        assert r.status_code == 200, r.text
        time.sleep(0.2)
        sink.drain()
        during, packets = sink.samples(1.5)
        assert len(during) >= 4000
        freq, share = dominant_frequency(during[-4000:])
        assert abs(freq - 440) <= 10 and share > 0.3, (freq, share)
        steps = {b[0][2] - a[0][2] for a, b in zip(packets, packets[1:])}
        assert steps <= {160, 320, 480}, f"timestamps advance by whole 20 ms frames: {steps}"

        r = sip_server.post("/call/inject_stream/terminate", json={"callId": "inj-sound"})
        assert r.status_code == 200, r.text
        time.sleep(0.2)
        sink.drain()
        after, _ = sink.samples(0.5)
        assert rms(after) < 50, "silence once the injection is stopped"

        r = sip_server.post("/call/inject_sound", json={"callId": "inj-sound", "fileName": "nope.wav"})
        assert r.status_code == 404 and r.json()["message"] == "No such file", r.text
        r = sip_server.post("/call/inject_sound", json={"callId": "inj-sound", "fileName": "../run/server.json"})
        assert r.status_code in (400, 404), r.text
        r = sip_server.post("/call/inject_sound", json={"callId": "no-such-call", "fileName": "tone440.wav"})
        assert r.status_code == 404 and r.json()["message"] == "Call not found", r.text

        assert sip_server.post("/call/terminate", json={"callId": "inj-sound"}).status_code == 200
        assert sipp.wait() == 0
    finally:
        sipp.stop()
        sink.close()


def test_inject_sound_without_loop_returns_to_silence(sip_server, tmp_path):
    media = sip_server.data_dir / "media"
    media.mkdir(parents=True, exist_ok=True)
    write_tone_wav(media / "short.wav", seconds=0.5)
    sink = RTPSink()
    sipp = sink_call(sip_server, tmp_path, "inj-once", sink)
    try:
        sink.collect(0.3)
        assert sip_server.post("/call/inject_sound", json={"callId": "inj-once", "fileName": "short.wav"}).status_code == 200
        samples, _ = sink.samples(2.5)
        loud = [abs(x) > 3000 for x in samples]
        assert any(loud), "the sound was played"
        assert rms(samples[-4000:]) < 50, "then silence again"
        assert sip_server.post("/call/terminate", json={"callId": "inj-once"}).status_code == 200
        assert sipp.wait() == 0
    finally:
        sipp.stop()
        sink.close()


def publish_tone(url, freq=440, seconds=30):
    """An audio-only RTMP publisher: a 440 Hz AAC tone at 44.1 kHz stereo."""
    return subprocess.Popen(
        ["timeout", str(seconds + 10), "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
         "-f", "lavfi", "-i", f"sine=frequency={freq}:sample_rate=44100", "-t", str(seconds),
         "-c:a", "aac", "-ar", "44100", "-ac", "2", "-f", "flv", url],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_published(server, name, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        r = server.post("/stream/find", json={"name": name, "published": True})
        if r.status_code == 200 and r.json():
            return True
        time.sleep(0.1)
    return False


def test_inject_stream_sends_the_streams_440_hz_tone_until_it_ends(sip_server, tmp_path):
    sink = RTPSink()
    sipp = sink_call(sip_server, tmp_path, "inj-stream", sink)
    publisher = publish_tone(sip_server.rtmp_url("tone"), seconds=10)
    try:
        r = sip_server.post("/call/inject_stream", json={"callId": "inj-stream", "streamName": "no-such-stream"})
        assert r.status_code == 404 and r.json()["message"] == "Stream not found", r.text
        r = sip_server.post("/call/inject_stream", json={"callId": "no-such-call", "streamName": "tone"})
        assert r.status_code == 404 and r.json()["message"] == "Call not found", r.text

        assert wait_published(sip_server, "tone")
        before, _ = sink.samples(0.5)
        assert rms(before) < 50, "silence before the stream is injected"
        r = sip_server.post("/call/inject_stream/startup", json={"callId": "inj-stream", "streamName": "tone"})
        assert r.status_code == 200, r.text
        time.sleep(0.5)
        sink.drain()
        during, _ = sink.samples(1.5)
        freq, share = dominant_frequency(during[-4000:])
        assert abs(freq - 440) <= 10 and share > 0.3, (freq, share)

        publisher.wait(timeout=30)
        time.sleep(1.0)
        sink.drain()
        after, _ = sink.samples(0.5)
        assert rms(after) < 50, "silence once the stream ended"
        assert sip_server.post("/call/terminate", json={"callId": "inj-stream"}).status_code == 200
        assert sipp.wait() == 0
    finally:
        publisher.kill()
        sipp.stop()
        sink.close()


def test_rtmp_url_pushes_the_calls_audio_as_aac_carrying_its_440_hz_tone(sip_server, tmp_path):
    port = free_port()
    out = tmp_path / "pushed.flv"
    rx = receiver(port, out)
    sipp = Sipp(tmp_path, "switchboard_uas_tone.xml")
    try:
        body = {"callId": "sip-push", "callee": sipp.uri, "toStream": "sip-push",
                "rtmpUrl": f"rtmp://127.0.0.1:{port}/app", "rtmpStream": "stream"}
        r = sip_server.post("/call/startup", json=body)
        assert r.status_code == 200, r.text
        call = wait_status(sip_server, "sip-push", "ESTABLISHED")
        assert call and call["status"] == "ESTABLISHED" and call["rtmpUrl"] == body["rtmpUrl"], call
        r = sip_server.post("/call/startup", json={**body, "callId": "sip-push-2", "toStream": "other"})
        assert r.status_code == 409, r.text
        pushes = sip_server.post("/push/find_all").json()
        assert [p["localStreamName"] for p in pushes] == ["sip-push"], pushes
        time.sleep(4)  # a few seconds of the tone reach the receiver
        assert sip_server.post("/call/terminate", json={"callId": "sip-push"}).status_code == 200
        assert sipp.wait() == 0
        rx.wait(timeout=30)
        assert sip_server.post("/push/find_all").status_code == 404, "the call's transponder ends with the call"
        probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                                "stream=codec_name", "-of", "csv=p=0", str(out)], capture_output=True, text=True)
        assert probe.stdout.strip() == "aac", probe.stdout + probe.stderr
        raw = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(out), "-map", "0:a",
                              "-ac", "1", "-ar", "8000", "-f", "s16le", "-"], capture_output=True, timeout=60).stdout
        samples = [int.from_bytes(raw[i:i + 2], "little", signed=True) for i in range(0, len(raw) - 1, 2)]
        assert len(samples) >= 8000, "at least a second of audio was pushed"
        freq, share = dominant_frequency(samples[-8000:-4000])
        assert abs(freq - 440) <= 10 and share > 0.3, (freq, share)
    finally:
        sipp.stop()
        rx.kill()


def test_send_dtmf_rfc2833_sends_rfc4733_events_that_tshark_decodes(sip_server, tmp_path):
    assert shutil.which("tshark"), "tshark is not installed: make test-deps installs it"
    sink = RTPSink()
    sipp = sink_call(sip_server, tmp_path, "dtmf", sink)
    pcap = tmp_path / "dtmf.pcapng"
    cap = start_capture(pcap, f"udp dst port {sink.port}")
    try:
        r = sip_server.post("/call/send_dtmf", json={"callId": "dtmf", "dtmf": "12#", "type": "RFC2833"})
        assert r.status_code == 200, r.text
        time.sleep(0.5)  # the last end packets are on the wire
        cap.send_signal(signal.SIGINT)
        cap.wait(timeout=20)
        fields = subprocess.run(
            ["tshark", "-r", str(pcap), "-d", f"udp.port=={sink.port},rtp", "-Y", "rtpevent",
             "-T", "fields", "-e", "rtp.p_type", "-e", "rtp.timestamp", "-e", "rtpevent.event_id",
             "-e", "rtpevent.end_of_event"], capture_output=True, text=True, timeout=60).stdout
        rows = [line.split("\t") for line in fields.splitlines() if line.strip()]
        assert rows, "tshark decoded no RFC 4733 events"
        assert {pt for pt, *_ in rows} == {"101"}, "the answer's telephone-event payload type"
        events = []  # one per timestamp, in order: (event id, saw an end packet)
        for _, ts, event, end in rows:
            if not events or events[-1][0] != ts:
                events.append([ts, event, False])
            events[-1][2] |= end in ("1", "True")
        assert [e[1] for e in events] == ["1", "2", "11"], rows
        assert all(e[2] for e in events), "every digit has its end packet"
        assert sip_server.post("/call/terminate", json={"callId": "dtmf"}).status_code == 200
        assert sipp.wait() == 0
    finally:
        cap.kill()
        sipp.stop()
        sink.close()


def start_capture(pcap, port_filter):
    """tshark on lo writing `pcap`; returns once it captures (it writes the file header then)."""
    cap = subprocess.Popen(["timeout", "60", "tshark", "-i", "lo", "-f", port_filter, "-w", str(pcap)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 20
    while not (pcap.exists() and pcap.stat().st_size > 0):
        assert cap.poll() is None, cap.stderr.read()
        assert time.time() < deadline, "tshark did not start capturing"
        time.sleep(0.1)
    return cap


def test_the_server_sends_rtcp_sender_reports_with_a_block_about_the_far_ends_rtp(sip_server, tmp_path):
    assert shutil.which("tshark"), "tshark is not installed: make test-deps installs it"
    sink = RTPSink()
    rtcp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rtcp.bind(("127.0.0.1", sink.port + 1))
    rtcp.settimeout(0.5)
    pcap = tmp_path / "rtcp.pcapng"
    cap = start_capture(pcap, f"udp dst port {sink.port + 1}")
    sipp = sink_call(sip_server, tmp_path, "rtcp", sink)
    try:
        m = re.search(r"m=audio (\d+) ", sipp.messages.read_text())
        assert m, "the INVITE's SDP offer names the server's RTP port"
        server_rtp = ("127.0.0.1", int(m.group(1)))
        ssrc = 0x5EED
        for seq in range(1, 101):  # 2 s of PCMU from the sink's socket; packet 50 is lost
            if seq != 50:
                sink.sock.sendto(struct.pack("!BBHII", 0x80, 0, seq, seq * 160, ssrc) + b"\xff" * 160, server_rtp)
            time.sleep(0.02)
        deadline = time.time() + 15
        block = None
        while time.time() < deadline and block is None:
            try:
                data = rtcp.recv(2048)
            except socket.timeout:
                continue
            # The server sends audio (silence), so it reports as a sender: SR, block after the sender info.
            if len(data) >= 52 and data[1] == 200 and data[0] & 0x1F == 1:
                source, lost_word, highest = struct.unpack("!III", data[28:40])
                block = (source, lost_word & 0xFFFFFF, highest)
        assert block, "no sender report with a block on the RTCP port (RTP port + 1)"
        assert block == (ssrc, 1, 100), block
        time.sleep(0.3)
        cap.send_signal(signal.SIGINT)
        cap.wait(timeout=20)
        fields = subprocess.run(
            ["tshark", "-r", str(pcap), "-d", f"udp.port=={sink.port + 1},rtcp", "-Y", "rtcp.pt == 200",
             "-T", "fields", "-e", "rtcp.sender.packetcount", "-e", "rtcp.sender.octetcount",
             "-e", "rtcp.timestamp.ntp.msw"], capture_output=True, text=True, timeout=60).stdout
        rows = [line.split("\t") for line in fields.splitlines() if line.strip()]
        assert rows, "tshark decoded no sender report"
        packets, octets, ntp_seconds = (int(x) for x in rows[0])
        # At least 5 s of 20 ms packets (the first report), not more than the call has lasted.
        assert 200 <= packets <= 50 * 30, rows
        assert octets == 160 * packets, "160-byte PCMU payloads, headers not counted"
        assert abs(ntp_seconds - 2_208_988_800 - time.time()) < 60, "NTP time is wallclock since 1900"
        assert sip_server.post("/call/terminate", json={"callId": "rtcp"}).status_code == 200
        assert sipp.wait() == 0
    finally:
        cap.kill()
        sipp.stop()
        sink.close()
        rtcp.close()
