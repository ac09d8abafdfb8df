"""Media pipelines against a running server: recording, snapshot, transcoder, VOD, bad input.

Uses the `server` fixture from conftest.py (.rest_url, .rtmp_url(name), .data_dir, .post(path, json)).
Peers: the ffmpeg CLI publishes over RTMP and ffprobe checks what comes back. No timing is asserted
beyond "within 10%" on durations the test controls.
"""
import base64
import json
import os
import signal
import struct
import subprocess
import time

import pytest

from conftest import published_stream, start_server, wait_for

FFMPEG = "ffmpeg"
FFPROBE = "ffprobe"


def publish(server, name, seconds=30, size="640x360", rate=25, audio=True, gop=25):
    """Starts an ffmpeg RTMP publisher of testsrc2 (+ 440 Hz sine); returns the Popen."""
    cmd = [FFMPEG, "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
           "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}"]
    if audio:
        cmd += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"]
    cmd += ["-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency",
            "-g", str(gop), "-pix_fmt", "yuv420p"]
    cmd += ["-c:a", "aac", "-b:a", "96k"] if audio else []
    cmd += ["-f", "flv", server.rtmp_url(name)]
    return subprocess.Popen(cmd, stdin=subprocess.DEVNULL)


def probe(target, entries, select=None, timeout=20):
    """ffprobe `entries` ("stream=codec_name,width") of a file or URL as a list of dicts."""
    cmd = [FFPROBE, "-v", "error", "-show_entries", entries, "-of", "json"]
    if select:
        cmd += ["-select_streams", select]
    out = subprocess.run(cmd + [str(target)], capture_output=True, text=True, timeout=timeout, check=True)
    data = json.loads(out.stdout)
    return data.get("streams", []) + ([data["format"]] if "format" in data else [])


def duration(path):
    return float(probe(path, "format=duration")[0]["duration"])


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()


# --- recording -------------------------------------------------------------------------------

def test_recording_has_codecs_and_duration(server):
    # GOP 0.5 s: the file starts at the cached keyframe, at most one GOP before the request.
    pub = publish(server, "rec1", seconds=30, gop=12)
    try:
        stream = published_stream(server, "rec1")
        time.sleep(1)
        r = server.post("/stream/startRecording", {"mediaSessionId": stream["mediaSessionId"]})
        assert r.status_code == 200, r.text
        started = time.time()
        shown = published_stream(server, "rec1")
        assert shown["record"] is True and shown["recordName"]
        time.sleep(10)
        r = server.post("/stream/stopRecording", {"mediaSessionId": stream["mediaSessionId"]})
        assert r.status_code == 200, r.text
        recorded = time.time() - started
    finally:
        stop(pub)
    path = server.data_dir / "records" / shown["recordName"]
    assert path.exists(), list((server.data_dir / "records").iterdir())
    codecs = sorted(s["codec_name"] for s in probe(path, "stream=codec_name") if "codec_name" in s)
    assert codecs == ["aac", "h264"]
    assert abs(duration(path) - recorded) <= 0.1 * recorded


def test_recording_unknown_session_is_404(server):
    r = server.post("/stream/startRecording", {"mediaSessionId": "no-such-session"})
    assert r.status_code == 404
    assert "not found" in r.json()["message"].lower()


def test_recording_stops_when_stream_ends(server):
    pub = publish(server, "rec2", seconds=5)
    stream = published_stream(server, "rec2")
    r = server.post("/stream/startRecording", {"mediaSessionId": stream["mediaSessionId"]})
    assert r.status_code == 200, r.text
    name = published_stream(server, "rec2")["recordName"]
    pub.wait(30)
    time.sleep(2)
    path = server.data_dir / "records" / name
    assert path.exists()
    assert duration(path) > 2


def test_recording_template_cannot_escape_records(server):
    pub = publish(server, "rec3", seconds=10)
    try:
        stream = published_stream(server, "rec3")
        r = server.post("/stream/startRecording",
                        {"mediaSessionId": stream["mediaSessionId"], "fileTemplate": "../../etc/{streamName}"})
        assert r.status_code == 400, r.text
    finally:
        stop(pub)


# --- snapshot --------------------------------------------------------------------------------

def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_snapshot_is_png_of_stream_size(server):
    pub = publish(server, "snap1", seconds=20, size="640x360")
    try:
        published_stream(server, "snap1")
        time.sleep(2)
        r = server.post("/stream/snapshot", {"streamName": "snap1"})
        assert r.status_code == 200, r.text
        assert png_size(base64.b64decode(r.json()["data"])) == (640, 360)
    finally:
        stop(pub)


def test_snapshot_unknown_stream_is_404(server):
    assert server.post("/stream/snapshot", {"streamName": "nobody"}).status_code == 404


def test_snapshot_of_audio_only_stream_is_clear_error(server):
    pub = subprocess.Popen([FFMPEG, "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
                            "-f", "lavfi", "-i", "sine=frequency=440", "-t", "20", "-c:a", "aac",
                            "-f", "flv", server.rtmp_url("snap2")], stdin=subprocess.DEVNULL)
    try:
        published_stream(server, "snap2")
        r = server.post("/stream/snapshot", {"streamName": "snap2"})
        assert r.status_code in (400, 409), r.text
        assert "video" in r.json()["message"].lower()
    finally:
        stop(pub)


# --- transcoder ------------------------------------------------------------------------------

def test_transcoder_output_has_requested_size_and_fps(server):
    pub = publish(server, "tin", seconds=40, size="1280x720", rate=30)
    try:
        published_stream(server, "tin")
        body = {"uri": "transcoder://t1", "remoteStreamName": "tin", "localStreamName": "tout",
                "encoder": {"width": 640, "height": 0, "fps": 15, "keyFrameInterval": 30, "bitrate": 500}}
        r = server.post("/transcoder/startup", body)
        assert r.status_code == 200, r.text
        assert server.post("/transcoder/startup", body).status_code == 409
        published_stream(server, "tout", timeout=15)
        video = probe(server.rtmp_url("tout"), "stream=codec_name,width,height,r_frame_rate", select="v")[0]
        assert (video["codec_name"], video["width"], video["height"]) == ("h264", 640, 360)
        assert video["r_frame_rate"] == "15/1"
        assert server.post("/transcoder/terminate", {"uri": "transcoder://t1"}).status_code == 200
    finally:
        stop(pub)


def test_transcoder_waits_for_its_input_then_transcodes(server):
    body = {"uri": "transcoder://later", "remoteStreamName": "later", "localStreamName": "later-small",
            "encoder": {"width": 320, "height": 0, "fps": 15}}
    r = server.post("/transcoder/startup", body)
    assert r.status_code == 200, r.text

    def transcoder():
        [found] = server.post("/transcoder/find_all").json()
        return found

    time.sleep(1)
    assert (transcoder()["status"], transcoder()["info"]) == ("PENDING", "waiting for stream")
    assert server.post("/stream/find", {"name": "later-small"}).status_code == 404
    pub = publish(server, "later", seconds=30, size="640x360")
    try:
        deadline = time.time() + 15
        while time.time() < deadline and transcoder()["status"] != "PROCESSED_LOCAL":
            time.sleep(0.2)
        assert transcoder()["status"] == "PROCESSED_LOCAL"
        out = published_stream(server, "later-small", timeout=15)
        assert transcoder()["localMediaSessionId"] == out["mediaSessionId"]
        video = probe(server.rtmp_url("later-small"), "stream=width,height", select="v")[0]
        assert (video["width"], video["height"]) == (320, 180)
    finally:
        stop(pub)
    # The input ended: the output ends and the transcoder waits again.
    deadline = time.time() + 15
    while time.time() < deadline and transcoder()["status"] != "PENDING":
        time.sleep(0.2)
    assert transcoder()["status"] == "PENDING"
    assert server.post("/transcoder/terminate", {"uri": "transcoder://later"}).status_code == 200
    assert server.post("/transcoder/find_all").status_code == 404


# --- VOD -------------------------------------------------------------------------------------

@pytest.fixture
def media_file(server):
    media = server.data_dir / "media"
    media.mkdir(parents=True, exist_ok=True)
    path = media / "clip.mp4"
    subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                    "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
                    "-t", "3", "-c:v", "libx264", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", str(path)],
                   check=True)
    return path


def read_seconds(url, seconds):
    """Plays `url` for up to `seconds` of media with ffmpeg; returns the media time it read."""
    out = subprocess.run([FFMPEG, "-hide_banner", "-nostdin", "-i", url, "-t", str(seconds), "-f", "null", "-"],
                         capture_output=True, text=True, timeout=seconds * 3 + 20)
    times = [line.split("time=")[1].split()[0] for line in out.stderr.replace("\r", "\n").split("\n")
             if "time=" in line]
    h, m, s = times[-1].split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def test_vod_live_plays(server, media_file):
    r = server.post("/vod/startup", {"uri": "vod-live://clip.mp4", "localStreamName": "vod1"})
    assert r.status_code == 200, r.text
    published_stream(server, "vod1")
    video = probe(server.rtmp_url("vod1"), "stream=codec_name,width,height", select="v")[0]
    assert (video["width"], video["height"]) == (320, 240)


def test_vod_live_loops(server, media_file):
    r = server.post("/vod/startup", {"uri": "vod-live://clip.mp4", "localStreamName": "vod2", "loop": True})
    assert r.status_code == 200, r.text
    published_stream(server, "vod2")
    assert read_seconds(server.rtmp_url("vod2"), 7) > 6   # a 3 s file played past its end


def video_packets(url):
    """Starts an ffprobe player of `url` that lists its video packets' pts (s) until the stream ends."""
    return subprocess.Popen([FFPROBE, "-v", "error", "-select_streams", "v", "-show_entries", "packet=pts_time",
                             "-of", "csv=p=0", url], stdout=subprocess.PIPE, text=True)


def vod_info(server, name):
    found = server.post("/vod/find", {"localStreamName": name})
    assert found.status_code == 200, found.text
    [vod] = found.json()
    return vod["status"], vod["info"]


def test_vod_gives_each_player_the_file_from_its_start(server):
    # A 6 s file; the second player starts 2.5 s after the first. Shared (vod-live) it would
    # join mid-file; vod:// plays it from the start to each player alone.
    media = server.data_dir / "media"
    media.mkdir(parents=True, exist_ok=True)
    subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                    "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
                    "-t", "6", "-c:v", "libx264", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac",
                    str(media / "film.mp4")], check=True)
    r = server.post("/vod/startup", {"uri": "vod://film.mp4", "localStreamName": "film"})
    assert r.status_code == 200, r.text
    assert vod_info(server, "film") == ("PROCESSED_LOCAL", "waiting for a player")
    assert server.post("/stream/find", {"name": "film", "published": True}).status_code == 404  # nothing shared
    first = video_packets(server.rtmp_url("film"))
    assert wait_for(lambda: vod_info(server, "film")[1] == "playing to 1 player")
    time.sleep(2.5)
    second = video_packets(server.rtmp_url("film"))
    assert wait_for(lambda: vod_info(server, "film")[1] == "playing to 2 players")
    players = server.post("/stream/find", {"name": "film"}).json()
    assert len(players) == 2 and not any(p["published"] for p in players)
    results = []
    for player in (first, second):
        out, _ = player.communicate(timeout=30)
        results.append([float(line.split(",")[0]) for line in out.split() if line.strip(",")])
    for times in results:
        assert len(times) == 150, times[:3]            # 6 s at 25 fps: every frame
        assert times[0] < 0.1 and times[-1] > 5.8      # from the first frame to the last
    assert wait_for(lambda: vod_info(server, "film")[1] == "waiting for a player")
    assert server.post("/vod/terminate", {"uri": "vod://film.mp4", "localStreamName": "film"}).status_code == 200
    assert server.post("/vod/find_all").status_code == 404


@pytest.mark.parametrize("uri,status", [
    ("vod-live://missing.mp4", 404),
    ("vod-live://../secret.mp4", 400),
    ("vod-live:///etc/passwd", 400),
    ("vod-live://link.mp4", 400),        # symlink out of media/
    ("vod-live://notes.mp4", 400),       # not media
    ("file:///etc/passwd", 400),
])
def test_vod_bad_input_is_clear_error(server, uri, status):
    media = server.data_dir / "media"
    media.mkdir(parents=True, exist_ok=True)
    (media / "notes.mp4").write_text("not a movie")
    outside = server.data_dir / "secret.mp4"
    outside.write_text("secret")
    link = media / "link.mp4"
    if not link.is_symlink():
        link.symlink_to(outside)
    r = server.post("/vod/startup", {"uri": uri, "localStreamName": "bad"})
    assert r.status_code == status, r.text
    assert r.json()["message"]
    assert server.post("/stream/find", {"name": "bad"}).status_code == 404


# --- RTSP pull (GStreamer's RTSP server as the camera) -----------------------------------------

CAMERA = os.path.join(os.path.dirname(__file__), "peers", "rtsp_camera.py")


@pytest.fixture
def camera():
    """A GStreamer RTSP camera on port 18654 (`make test-deps` installs GStreamer)."""
    check = subprocess.run(["/usr/bin/python3", "-c", "import gi; gi.require_version('GstRtspServer', '1.0')"],
                           capture_output=True)
    assert check.returncode == 0, "GStreamer's RTSP server is missing: `make test-deps` installs it"
    process = subprocess.Popen(["/usr/bin/python3", CAMERA, "--port", "18654", "--duration", "120"],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready"
    yield "rtsp://127.0.0.1:18654"
    stop(process)


@pytest.mark.parametrize("transport", ["TCP", "UDP"])
def test_rtsp_pull_plays_over_rtmp(server, camera, transport):
    uri = f"{camera}/cam"
    r = server.post("/rtsp/startup", {"uri": uri, "localStreamName": f"cam{transport}", "transport": transport})
    assert r.status_code == 200, r.text
    try:
        published_stream(server, f"cam{transport}", timeout=15)
        streams = probe(server.rtmp_url(f"cam{transport}"), "stream=codec_name,width,height")
        assert {s["codec_name"] for s in streams} == {"h264", "aac"}
        agents = server.post("/rtsp/find_all").json()
        assert [a["status"] for a in agents if a["uri"] == uri] == ["PLAYING"]
    finally:
        server.post("/rtsp/terminate", {"uri": uri})


def test_rtsp_pull_of_h265_keeps_codec_and_size(server, camera):
    # H.265 (x265 in GStreamer) + AAC. Our RTMP path carries no HEVC (no Enhanced RTMP), so the
    # stream is checked through its Stream object and a recording (MKV) instead of an RTMP player.
    uri = f"{camera}/h265"
    r = server.post("/rtsp/startup", {"uri": uri, "localStreamName": "hevc"})
    assert r.status_code == 200, r.text
    try:
        assert wait_for(lambda: published_stream(server, "hevc", timeout=15).get("width") == 640, timeout=15)
        stream = published_stream(server, "hevc")
        assert (stream["videoCodec"], stream["width"], stream["height"], stream["audioCodec"]) == \
            ("H265", 640, 360, "AAC")
        r = server.post("/stream/startRecording", {"mediaSessionId": stream["mediaSessionId"]})
        assert r.status_code == 200, r.text
        name = published_stream(server, "hevc")["recordName"]
        assert name.endswith(".mkv")
        time.sleep(4)
        assert server.post("/stream/stopRecording", {"mediaSessionId": stream["mediaSessionId"]}).status_code == 200
    finally:
        server.post("/rtsp/terminate", {"uri": uri})
    path = server.data_dir / "records" / name
    streams = probe(path, "stream=codec_name,width,height")
    video = [s for s in streams if s.get("codec_name") == "hevc"]
    assert video and (video[0]["width"], video[0]["height"]) == (640, 360), streams
    assert "aac" in {s.get("codec_name") for s in streams}
    assert duration(path) > 2


def test_rtsp_h265_plays_over_rtmp_through_a_transcoder(server, camera):
    # RTMP players get no H.265 video; a transcoder turns the camera's H.265 into H.264 for them.
    uri = f"{camera}/h265"
    assert server.post("/rtsp/startup", {"uri": uri, "localStreamName": "hevc2"}).status_code == 200
    body = {"uri": "transcoder://hevc2", "remoteStreamName": "hevc2", "localStreamName": "hevc2-h264",
            "encoder": {"width": 320, "height": 0}}
    try:
        assert server.post("/transcoder/startup", body).status_code == 200
        published_stream(server, "hevc2-h264", timeout=20)
        streams = probe(server.rtmp_url("hevc2-h264"), "stream=codec_name,width,height")
        video = [s for s in streams if s.get("codec_name") == "h264"]
        assert video and (video[0]["width"], video[0]["height"]) == (320, 180), streams
        assert "aac" in {s.get("codec_name") for s in streams}
    finally:
        server.post("/transcoder/terminate", {"uri": "transcoder://hevc2"})
        server.post("/rtsp/terminate", {"uri": uri})


def test_rtsp_opus_arrives_as_aac(server, camera):
    uri = f"{camera}/opus"
    r = server.post("/rtsp/startup", {"uri": uri, "localStreamName": "opuscam"})
    assert r.status_code == 200, r.text
    try:
        published_stream(server, "opuscam", timeout=15)
        audio = probe(server.rtmp_url("opuscam"), "stream=codec_name,sample_rate", select="a")[0]
        assert (audio["codec_name"], audio["sample_rate"]) == ("aac", "48000")
    finally:
        server.post("/rtsp/terminate", {"uri": uri})


def test_rtsp_rejects_other_schemes(server):
    for uri in ("file:///etc/passwd", "http://127.0.0.1/x", "rtmp://127.0.0.1/live/x"):
        assert server.post("/rtsp/startup", {"uri": uri}).status_code == 400


# --- graceful shutdown -----------------------------------------------------------------------

def test_sigterm_ends_sessions_finalizes_recordings_and_exits_zero(tmp_path):
    server = start_server(tmp_path)
    pub = publish(server, "term1", seconds=60, gop=12)
    try:
        stream = published_stream(server, "term1")
        time.sleep(1)
        r = server.post("/stream/startRecording", {"mediaSessionId": stream["mediaSessionId"],
                                                   "fileTemplate": "{streamName}-{endTime}"})
        assert r.status_code == 200, r.text
        running_name = published_stream(server, "term1")["recordName"]
        started = time.time()
        time.sleep(5)
        assert server.stop(signal.SIGTERM) == 0, server.log()[-3000:]
        recorded = time.time() - started
        # The server ended the publisher's session: ffmpeg sees its connection close.
        try:
            pub.wait(10)
        except subprocess.TimeoutExpired:
            raise AssertionError("the publisher's connection outlived the server")
    finally:
        stop(pub)
    # Finalized: {endTime} got its value (the file was renamed when it was closed), and the
    # whole recording plays.
    files = [p.name for p in (server.data_dir / "records").iterdir()]
    assert running_name not in files, files
    [final] = [f for f in files if f.startswith("term1-")]
    end_time = int(final.split("-", 1)[1].split(".")[0])
    assert started * 1000 < end_time <= time.time() * 1000
    assert abs(duration(server.data_dir / "records" / final) - recorded) <= 1.5
    assert not (server.data_dir / "run" / "server.json").exists()


# --- crash safety (kills the server: keep last) ----------------------------------------------

def test_recording_survives_sigkill(tmp_path):
    server = start_server(tmp_path)
    pid = server.proc.pid
    pub = publish(server, "crash1", seconds=30, gop=250)
    try:
        stream = published_stream(server, "crash1")
        time.sleep(1)
        r = server.post("/stream/startRecording", {"mediaSessionId": stream["mediaSessionId"]})
        assert r.status_code == 200, r.text
        name = published_stream(server, "crash1")["recordName"]
        started = time.time()
        time.sleep(6)
        os.kill(pid, signal.SIGKILL)
        recorded = time.time() - started
    finally:
        stop(pub)
    path = server.data_dir / "records" / name
    frames = subprocess.run([FFPROBE, "-v", "error", "-count_frames", "-select_streams", "v",
                             "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", str(path)],
                            capture_output=True, text=True, check=True).stdout.strip()
    # 25 fps; everything up to about one second before the kill must play.
    assert int(frames) >= 25 * (recorded - 1.5)
