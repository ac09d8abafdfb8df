"""baresip as a far end for one test: a local account (no registrar) that answers every call
at once with `codec` (PCMU by default), sends a 440 Hz tone from a WAV, and records what it
decodes (sndfile) as WAV files in `rec/`. With `video=True` it also answers video with H.264 (avcodec, libx264,
from baresip-ffmpeg) and sends a test pattern (fakevideo) of `VIDEO_SIZE`; it then logs SIP
messages too (-s). Recipe and gotchas: PEERS.md §3 (baresip)."""
import json
import os
import pathlib
import signal
import socket
import subprocess
import time

CONFIG = """\
poll_method		epoll
sip_listen		127.0.0.1:{sip_port}
call_local_timeout	120
call_max_calls		4
audio_player		alsa,null
audio_source		aufile,{dir}/{tone}
audio_alert		alsa,null
audio_level		no
ausrc_format		s16
auplay_format		s16
auenc_format		s16
audec_format		s16
audio_buffer		20-160
rtp_ports		{rtp_first}-{rtp_last}
rtcp_mux		no
jitter_buffer_delay	5-10
module_path		/usr/lib/baresip/modules
module			g711.so
module			g722.so
module			opus.so
module			alsa.so
module			aufile.so
module			sndfile.so
module_tmp		uuid.so
module_tmp		account.so
snd_path		{dir}/rec
"""
ACCOUNTS = "<sip:alice@127.0.0.1>;regint=0;answermode=auto;audio_codecs={codec}\n"
# Per codec: the name in audio_codecs (a bare name means name/8000/1, which finds neither
# baresip's G722/16000/1 nor its opus/48000/2) and the tone WAV's rate and channels, which
# aufile must match (PEERS.md).
CODECS = {"PCMU": ("PCMU", 8000, 1), "G722": ("G722/16000/1", 16000, 1), "opus": ("opus/48000/2", 48000, 2)}
# The picture baresip sends: small and 15 fps, so libx264 costs little on a loaded machine.
VIDEO_SIZE = (352, 288)
VIDEO_CONFIG = f"""\
video_source		fakevideo,nil
video_display		fakevideo,nil
video_size		{VIDEO_SIZE[0]}x{VIDEO_SIZE[1]}
video_fps		15
video_bitrate		300000
avcodec_h264enc		libx264
avcodec_h264dec		h264
module			avcodec.so
module			fakevideo.so
"""
# ctrl_tcp, for calls from baresip (`dial`, a menu command): netstring-framed JSON (PEERS.md).
CONTROL_CONFIG = """\
module_app		menu.so
module_app		ctrl_tcp.so
ctrl_tcp_listen		127.0.0.1:{port}
"""


class PortTaken(RuntimeError):
    """baresip could not bind its SIP port: another program took it meanwhile."""


def free_sip_port():
    """A port P with UDP P, TCP P and TCP P+1 free: baresip binds all three (SIP/TLS on P+1)."""
    for _ in range(100):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port >= 65535:
            continue
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, socket.socket() as tcp, \
                    socket.socket() as tls:
                udp.bind(("127.0.0.1", port))
                tcp.bind(("127.0.0.1", port))
                tls.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no free SIP port for baresip")


class Baresip:
    """`uri` reaches alice; `recordings()` lists the decoded-audio WAVs of finished calls.
    `codec` ("PCMU", "G722", "opus") is the only one alice answers with; her tone is at its rate."""

    def __init__(self, workdir: pathlib.Path, rtp_first: int, rtp_count: int = 10, codec="PCMU",
                 video=False, control_port=None):
        self.dir = workdir / "baresip"
        self.control_port = control_port
        self.codec_name, self.rate, self.channels = CODECS[codec]
        self.video = video
        self.sip_port = None  # chosen by start()
        self.rtp = (rtp_first, rtp_first + rtp_count - 1)
        self.proc = None

    @property
    def uri(self):
        return f"sip:alice@127.0.0.1:{self.sip_port}"

    def start(self, ttl=120, attempts=3):
        """Starts baresip on a SIP port of its own. A port taken between our probe and its bind
        (it binds UDP and TCP on the port, and TLS on the next one) means another try."""
        for attempt in range(attempts):
            self.sip_port = free_sip_port()
            try:
                return self._start(ttl)
            except PortTaken:
                if attempt == attempts - 1:
                    raise
        return self

    def _start(self, ttl):
        (self.dir / "rec").mkdir(parents=True, exist_ok=True)
        tone = f"tone440_{self.rate}_{self.channels}ch.wav"
        config = CONFIG.format(sip_port=self.sip_port, dir=self.dir, tone=tone,
                               rtp_first=self.rtp[0], rtp_last=self.rtp[1])
        control = CONTROL_CONFIG.format(port=self.control_port) if self.control_port else ""
        (self.dir / "config").write_text(config + (VIDEO_CONFIG if self.video else "") + control)
        (self.dir / "accounts").write_text(ACCOUNTS.format(codec=self.codec_name))
        (self.dir / "contacts").touch()
        # No trailing newline: it would end up in +sip.instance (PEERS.md).
        (self.dir / "uuid").write_text(pathlib.Path("/proc/sys/kernel/random/uuid").read_text().strip())
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi",
                        "-i", f"sine=frequency=440:sample_rate={self.rate}:duration=60", "-ac", str(self.channels),
                        "-c:a", "pcm_s16le", "-y", str(self.dir / tone)], check=True, timeout=60)
        self.log = open(self.dir / "baresip.log", "wb")
        # Started directly (no timeout wrapper) so the PID is baresip's; -t bounds its life.
        trace = ["-s"] if self.video else []
        self.proc = subprocess.Popen(["baresip", "-f", str(self.dir), "-n", "127.0.0.1", "-t", str(ttl), *trace],
                                     stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 15
        while f"0100007F:{self.sip_port:04X} " not in pathlib.Path("/proc/net/udp").read_text():
            if self.proc.poll() is not None:
                if "Address already in use" in self.log_text():
                    raise PortTaken(self.log_text()[-300:])
                raise RuntimeError("baresip exited: " + self.log_text()[-500:])
            if time.time() > deadline:
                raise RuntimeError("baresip did not bind its SIP port: " + self.log_text()[-500:])
            time.sleep(0.1)
        return self

    def dial(self, uri):
        """Calls `uri` from alice (needs `control_port`); returns once baresip took the command."""
        message = json.dumps({"command": "dial", "params": uri, "token": "test"}).encode()
        deadline = time.time() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.control_port), timeout=5) as s:
                    s.sendall(str(len(message)).encode() + b":" + message + b",")
                    reply = self._response(s)
                    assert reply.get("ok") is True, reply
                    return
            except ConnectionRefusedError:  # ctrl_tcp listens a little after the SIP port
                if time.time() > deadline:
                    raise
                time.sleep(0.1)

    @staticmethod
    def _response(sock):
        """The command's reply among the netstrings ctrl_tcp sends (call events may come first)."""
        buffer = b""
        while True:
            while b":" in buffer:
                size, rest = buffer.split(b":", 1)
                if len(rest) < int(size) + 1:
                    break
                message, buffer = json.loads(rest[:int(size)]), rest[int(size) + 1:]
                if message.get("response"):
                    return message
            data = sock.recv(65536)
            assert data, "ctrl_tcp closed without a response"
            buffer += data

    def log_text(self):
        return (self.dir / "baresip.log").read_text(errors="replace")

    def recordings(self, kind="dec"):
        return sorted((self.dir / "rec").glob(f"dump-*-{kind}.wav"))

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        self.log.close()
