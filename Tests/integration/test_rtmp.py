"""RTMP in and out with real peers: ffmpeg/ffprobe, nginx-rtmp, `ffmpeg -listen 1`.

Uses the `server` fixture from conftest.py (a running switchboard-server on free ports).
Every assertion is about what a user sees: codecs, sizes, durations, REST objects.
Timings are only upper bounds on waits, never asserted.
"""
import json
import os
import pathlib
import signal
import socket
import struct
import subprocess
import sys
import time

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "peers"))
from conftest import free_port, wait_for  # noqa: E402
from nginx_rtmp import NginxRTMP  # noqa: E402

W, H = 1280, 720


def publish(url: str, seconds: int = 30) -> subprocess.Popen:
    """ffmpeg publishing 1280x720 H.264 + AAC in real time; `-t` bounds it. No timeout(1)
    wrapper: a test SIGKILLs the publisher and must hit ffmpeg itself."""
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
         "-re", "-f", "lavfi", "-i", f"testsrc2=size={W}x{H}:rate=30", "-f", "lavfi", "-i", "sine=frequency=440",
         "-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30",
         "-c:a", "aac", "-f", "flv", url],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def stop(proc: subprocess.Popen, sig=signal.SIGTERM):
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def probe(url: str) -> dict:
    """ffprobe's view of a stream: {"h264": {...}, "aac": {...}}."""
    out = subprocess.run(
        ["timeout", "30", "ffprobe", "-v", "error", "-show_entries",
         "stream=codec_name,width,height,sample_rate,channels", "-of", "json", url],
        capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return {s["codec_name"]: s for s in json.loads(out.stdout)["streams"]}


def streams(server, **filters):
    r = server.post("/stream/find_all")
    if r.status_code == 404:
        return []
    assert r.status_code == 200, r.text
    return [s for s in r.json() if all(s.get(k) == v for k, v in filters.items())]


def published(server, name, width=W):
    """The published streams `name` once their video is `width` wide (empty after 20 s)."""
    return wait_for(lambda: [s for s in streams(server, name=name, published=True) if s["width"] == width])


@pytest.fixture
def nginx(tmp_path):
    peer = NginxRTMP(tmp_path).start()
    yield peer
    peer.stop()


def test_publish_shows_in_find_all_and_plays_back(server, tmp_path):
    pub = publish(server.rtmp_url("cam"))
    try:
        found = published(server, "cam")
        assert found, f"stream not listed: {streams(server)}"
        s = found[0]
        assert (s["width"], s["height"]) == (W, H)
        assert s["videoCodec"] == "H264" and s["audioCodec"] == "AAC"
        assert s["status"] == "PUBLISHING" and s["mediaProvider"] == "RTMP"
        assert s["createDate"] > 0
        assert wait_for(lambda: streams(server, name="cam", published=True)[0]["bitrate"] > 0)

        got = probe(server.rtmp_url("cam"))
        assert got["h264"]["width"] == W and got["h264"]["height"] == H
        assert "aac" in got

        out = tmp_path / "played.flv"
        rec = subprocess.run(["timeout", "40", "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
                              "-i", server.rtmp_url("cam"), "-t", "5", "-c", "copy", "-y", str(out)],
                             capture_output=True, text=True)
        assert rec.returncode == 0, rec.stderr
        dur = float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                                    str(out)], capture_output=True, text=True).stdout.strip())
        assert 4.5 <= dur <= 5.5, dur
    finally:
        stop(pub)
    assert wait_for(lambda: not streams(server, name="cam")), "publisher's stream outlived it"


def test_a_late_player_starts_at_zero_with_monotonic_timestamps(server):
    pub = publish(server.rtmp_url("late"))
    try:
        assert published(server, "late"), f"stream not listed: {streams(server)}"
        # Joins once the publisher's own timestamps are well past zero.
        time.sleep(4)
        out = subprocess.run(["timeout", "30", "ffprobe", "-v", "error", "-read_intervals", "%+3",
                              "-show_entries", "packet=codec_type,dts_time", "-of", "csv=p=0",
                              server.rtmp_url("late")], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        packets = [(kind, float(dts)) for kind, dts in (line.split(",")[:2] for line in out.stdout.split())
                   if dts not in ("", "N/A")]
        assert {kind for kind, _ in packets} == {"video", "audio"}
        assert min(dts for _, dts in packets) < 0.5, packets[:5]
        for kind in ("video", "audio"):
            times = [dts for k, dts in packets if k == kind]
            assert times == sorted(times), f"{kind} timestamps go back"
    finally:
        stop(pub)


def test_twenty_concurrent_players(server):
    pub = publish(server.rtmp_url("fan"))
    players = []
    try:
        assert published(server, "fan")
        players = [subprocess.Popen(["timeout", "60", "ffmpeg", "-hide_banner", "-nostdin", "-i", server.rtmp_url("fan"),
                                     "-t", "6", "-c", "copy", "-f", "null", "-"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                   for _ in range(20)]
        viewers = wait_for(lambda: len(streams(server, name="fan", published=False)) >= 20 and
                           streams(server, name="fan", published=False))
        assert viewers and len(viewers) == 20, viewers
        assert all(v["status"] == "PLAYING" and v["published"] is False for v in viewers)
        for p in players:
            _, err = p.communicate(timeout=60)
            frames = [int(line.split("frame=")[1].split()[0]) for line in err.replace("\r", "\n").splitlines()
                      if "frame=" in line]
            assert p.returncode == 0, err[-500:]
            assert frames and frames[-1] > 30, err[-500:]
    finally:
        for p in players:
            stop(p)
        stop(pub)


def transponders(server):
    r = server.post("/push/find_all")
    return r.json() if r.status_code == 200 else []


def test_push_to_nginx_rtmp_survives_publisher_kill(server, nginx):
    pub = publish(server.rtmp_url("src"))
    try:
        assert published(server, "src")
        r = server.post("/push/startup", json={"streamName": "src", "rtmpUrl": nginx.url()})
        assert r.status_code == 200, r.text
        t = r.json()
        assert t["streamName"] == "rtmp_src" and t["localStreamName"] == "src"
        assert server.post("/push/startup", json={"streamName": "src", "rtmpUrl": nginx.url()}).status_code == 409
        assert server.post("/push/startup", json={"streamName": "src", "rtmpUrl": "http://x/y"}).status_code == 400
        assert wait_for(lambda: [x for x in transponders(server) if x["status"] == "PROCESSED_LOCAL"])
        got = probe(nginx.url("rtmp_src"))
        assert got["h264"]["width"] == W and got["h264"]["height"] == H and "aac" in got

        stop(pub, signal.SIGKILL)
        assert wait_for(lambda: [x for x in transponders(server) if x["status"] == "PENDING"]), transponders(server)

        pub = publish(server.rtmp_url("src"))
        assert wait_for(lambda: [x for x in transponders(server) if x["status"] == "PROCESSED_LOCAL"])
        got = probe(nginx.url("rtmp_src"))
        assert got["h264"]["width"] == W

        assert server.post("/push/terminate", json={"mediaSessionId": t["mediaSessionId"]}).status_code == 200
        assert wait_for(lambda: not transponders(server))
    finally:
        stop(pub)


def test_push_waits_for_a_stream_not_yet_published(server, nginx):
    r = server.post("/push/startup", json={"streamName": "later", "rtmpUrl": nginx.url()})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "PENDING"
    pub = publish(server.rtmp_url("later"))
    try:
        assert wait_for(lambda: [x for x in transponders(server) if x["status"] == "PROCESSED_LOCAL"])
        assert probe(nginx.url("rtmp_later"))["h264"]["height"] == H
    finally:
        stop(pub)


def test_push_to_ffmpeg_listen(server, tmp_path):
    port = free_port()
    out = tmp_path / "pushed.flv"
    receiver = subprocess.Popen(["timeout", "60", "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
                                 "-listen", "1", "-timeout", "20", "-f", "flv",
                                 "-i", f"rtmp://127.0.0.1:{port}/app/stream", "-c", "copy", "-y", str(out)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    pub = publish(server.rtmp_url("tofile"))
    try:
        assert published(server, "tofile")
        r = server.post("/push/startup", json={"streamName": "tofile", "rtmpUrl": f"rtmp://127.0.0.1:{port}/app/stream",
                                               "rtmpTransponderFullUrl": True})
        assert r.status_code == 200, r.text
        assert wait_for(lambda: [x for x in transponders(server) if x["status"] == "PROCESSED_LOCAL"])
        time.sleep(4)
        assert server.post("/push/terminate", json={"mediaSessionId": r.json()["mediaSessionId"]}).status_code == 200
        _, err = receiver.communicate(timeout=30)
        got = probe(str(out))
        assert got["h264"]["width"] == W and got["h264"]["height"] == H and "aac" in got, err
    finally:
        stop(receiver)
        stop(pub)


def test_pull_from_nginx_rtmp(server, nginx):
    pub = publish(nginx.url("remote"))
    try:
        time.sleep(2)
        uri = nginx.url("remote")
        r = server.post("/pull/rtmp/pull", json={"uri": uri, "localStreamName": "pulled"})
        assert r.status_code == 200, r.text
        assert server.post("/pull/rtmp/pull", json={"uri": uri}).status_code == 409
        assert published(server, "pulled")
        agents = server.post("/pull/rtmp/find_all").json()
        assert agents[0]["status"] == "PROCESSED_REMOTE" and agents[0]["localStreamName"] == "pulled"
        got = probe(server.rtmp_url("pulled"))
        assert got["h264"]["width"] == W and "aac" in got
        assert server.post("/pull/rtmp/terminate", json={"uri": uri}).status_code == 200
        assert wait_for(lambda: not streams(server, name="pulled"))
    finally:
        stop(pub)


def handshake(sock):
    sock.sendall(b"\x03" + bytes(1536))
    need = 1 + 2 * 1536
    got = b""
    while len(got) < need:
        chunk = sock.recv(need - len(got))
        if not chunk:
            raise ConnectionError("closed during handshake")
        got += chunk
    sock.sendall(got[1:1537])


def closed_by_server(payload: bytes, port: int, do_handshake: bool) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        if do_handshake:
            handshake(s)
        s.sendall(payload)
        try:
            while s.recv(65536):
                pass
            return True
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True


def test_bad_input_closes_only_that_connection(server):
    pub = publish(server.rtmp_url("steady"))
    player = None
    try:
        assert published(server, "steady")
        player = subprocess.Popen(["timeout", "60", "ffmpeg", "-hide_banner", "-nostdin", "-i", server.rtmp_url("steady"),
                                   "-t", "12", "-c", "copy", "-f", "null", "-"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(2)
        port = server.rtmp_port
        absurd = bytes([0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0]) + struct.pack(">I", 0x7FFFFFFF)
        bad_amf = bytes([0x03, 0, 0, 0, 0, 0, 6, 20, 0, 0, 0, 0]) + bytes([0x02, 0x00, 0xFF, 0x41, 0x11, 0x11])
        unknown_stream = bytes([0xC7]) + os.urandom(64)
        assert closed_by_server(os.urandom(4000), port, do_handshake=False)
        assert closed_by_server(absurd, port, do_handshake=True)
        assert closed_by_server(bad_amf, port, do_handshake=True)
        assert closed_by_server(unknown_stream, port, do_handshake=True)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:   # truncated chunk, then hang up
            handshake(s)
            s.sendall(bytes([0x03, 0, 0, 0, 0, 0, 100, 20, 0, 0, 0, 0, 0x02]))
        assert streams(server, name="steady", published=True)
        _, err = player.communicate(timeout=60)
        frames = [int(line.split("frame=")[1].split()[0]) for line in err.replace("\r", "\n").splitlines()
                  if "frame=" in line]
        assert player.returncode == 0 and frames and frames[-1] > 200, err[-500:]
    finally:
        if player:
            stop(player)
        stop(pub)


def test_terminate_ends_players_and_publishers(server):
    pub = publish(server.rtmp_url("term"))
    player = None
    try:
        assert published(server, "term")
        player = subprocess.Popen(["timeout", "60", "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
                                   "-i", server.rtmp_url("term"), "-c", "copy", "-f", "null", "-"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        viewer = wait_for(lambda: streams(server, name="term", published=False))
        assert viewer
        r = server.post("/stream/terminate", json={"mediaSessionId": viewer[0]["mediaSessionId"]})
        assert r.status_code == 200, r.text
        player.wait(timeout=20)
        assert streams(server, name="term", published=True)
        r = server.post("/stream/terminate", json={"name": "term"})
        assert r.status_code == 200, r.text
        pub.wait(timeout=20)
        assert wait_for(lambda: not streams(server, name="term"))
    finally:
        if player:
            stop(player)
        stop(pub)
