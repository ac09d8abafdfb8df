"""The operator console (`switchboard`) driven in tmux against a real server.

tmux runs on a private socket (`tmux -L <unique>`), so tests never touch a user's tmux. The
screen is read with `capture-pane -p`; the bytes the console writes are taken with
`pipe-pane` where the test is about escape codes. Fixtures `server` and the helper
`start_server` come from conftest.py.
"""
import re
import shlex
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from conftest import published_stream, start_server

ROOT = Path(__file__).resolve().parents[2]
CONSOLE = ROOT / ".build" / "debug" / "switchboard"

# `make test` installs tmux and builds the console; missing either is a failure, not a skip.
assert shutil.which("tmux"), "tmux is not installed: make test-deps"
assert CONSOLE.exists(), "build the console first: swift build --product switchboard"


class Tmux:
    """One console in a detached tmux session on a private server socket."""

    def __init__(self, args, cols=80, rows=24, env=None):
        self.socket = f"sbtest-{uuid.uuid4().hex[:10]}"
        envs = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"}
        envs.update(env or {})
        command = " ".join(
            ["env"] + [f"{k}={shlex.quote(v)}" for k, v in envs.items()] + [shlex.quote(str(CONSOLE))]
            + [shlex.quote(a) for a in args]
        )
        # remain-on-exit keeps the pane readable if the console dies, so failures show why.
        self.tmux("-f", "/dev/null", "new-session", "-d", "-x", str(cols), "-y", str(rows), command)
        self.tmux("set-option", "-g", "remain-on-exit", "on")

    def tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-L", self.socket, *args], check=check, capture_output=True, text=True)

    def screen(self):
        return self.tmux("capture-pane", "-p").stdout

    def keys(self, *keys):
        self.tmux("send-keys", *keys)

    def type(self, text):
        self.tmux("send-keys", "-l", text)

    def wait_for(self, predicate, timeout=10.0, what="condition"):
        deadline = time.time() + timeout
        text = ""
        while time.time() < deadline:
            text = self.screen()
            if predicate(text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; screen:\n{text}")

    def wait_text(self, needle, timeout=10.0):
        return self.wait_for(lambda s: needle in s, timeout, repr(needle))

    def close(self):
        self.tmux("kill-server", check=False)


@pytest.fixture
def console(server):
    consoles = []

    def open_console(*extra, cols=80, rows=24, env=None):
        c = Tmux(["--data-dir", str(server.data_dir), *extra], cols=cols, rows=rows, env=env)
        consoles.append(c)
        return c

    yield open_console
    for c in consoles:
        c.close()


def publish(server, name):
    """ffmpeg publishing a test pattern with audio to the server over RTMP, until killed."""
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
         "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
         "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25",
         "-c:a", "aac", "-f", "flv", server.rtmp_url(name)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


@pytest.fixture
def cam1(server):
    proc = publish(server, "cam1")
    try:
        yield published_stream(server, "cam1")
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def test_attaches_and_shows_the_server(server, console):
    c = console()
    text = c.wait_text(f"pid {server.info['pid']}")
    assert "switchboard" in text
    assert f"v{server.info['version']}" in text
    for tab in ["Calls", "Streams", "Push", "Mix", "Transc", "Pulls", "VOD", "Conns"]:
        assert tab in text
    assert "no streams" in text
    c.keys("q")
    c.wait_for(lambda s: "pid" not in s, what="the console to quit")
    assert server.post("/stream/find_all").status_code in (200, 404)  # the server keeps running


def test_ctrl_c_quits_only_the_console(server, console):
    c = console()
    c.wait_text("Streams")
    c.keys("C-c")
    c.wait_for(lambda s: "Streams" not in s, what="the console to quit")
    assert server.post("/stream/find_all").status_code in (200, 404)


def test_stream_appears_and_recording_and_terminate_go_through_rest(server, console, cam1):
    c = console()
    text = c.wait_text("cam1", timeout=2.0 + 3.0)  # the issue asks for 2 s; allow start-up of tmux
    assert "PUBLISHING" in text
    # r: start recording; the status line shows the server's answer (ok, or e.g. 501 until recording lands)
    c.keys("r")
    text = c.wait_for(lambda s: "recording started" in s or re.search(r"\b[45]\d\d: ", s), what="the record result")
    if "recording started" in text:
        s = [x for x in server.post("/stream/find_all").json() if x["name"] == "cam1" and x["published"]][0]
        assert s["record"] is True
    # x y: terminate after confirmation
    c.keys("x")
    c.wait_text("Terminate stream cam1?")
    c.keys("y")
    c.wait_text("terminated stream cam1")
    deadline = time.time() + 5
    while time.time() < deadline:
        r = server.post("/stream/find_all")
        live = [x for x in (r.json() if r.status_code == 200 else []) if x["name"] == "cam1" and x["published"]]
        if not live:
            break
        time.sleep(0.2)
    assert not live, "REST still lists the terminated stream"


def test_filter_hides_rows(server, console, cam1):
    c = console()
    c.wait_text("cam1")
    c.keys("/")
    c.type("nomatch")
    text = c.wait_text("no rows match /nomatch")
    assert "PUBLISHING" not in text
    c.keys("Escape")
    c.keys("/")
    c.type("!nomatch")
    c.keys("Enter")
    text = c.wait_text("PUBLISHING")
    assert "cam1" in text


def test_80x24_is_readable(server, console):
    c = console(cols=80, rows=24)
    text = c.wait_text("Streams")
    lines = text.split("\n")
    assert len([l for l in lines if l.strip()]) >= 4
    assert all(len(l) <= 80 for l in lines)
    assert "q quit" in lines[23] if len(lines) > 23 else "q quit" in text
    c.keys("l")
    c.wait_text("Log ")
    c.keys("?")
    text = c.wait_text("Keys")
    assert "terminate the selected object" in text
    c.tmux("resize-window", "-x", "60", "-y", "20", check=False)
    c.keys("Escape")
    c.wait_for(lambda s: s.split("\n")[0].startswith("switchboard") and "Calls" in s.split("\n")[1]
               and s.split("\n")[2].startswith("─ Streams"), what="a clean repaint at 60x20")


@pytest.mark.parametrize("how", ["flag", "env"])
def test_no_color_emits_no_colour_codes(server, console, tmp_path, how):
    out = tmp_path / "bytes.out"
    c = console("--no-color") if how == "flag" else console(env={"NO_COLOR": "1"})
    c.tmux("pipe-pane", "-o", f"cat >> {shlex.quote(str(out))}")
    c.keys("C-l")  # force a full repaint into the pipe
    c.wait_text("Streams")
    c.keys("?")
    c.wait_text("Keys")
    c.keys("Escape")
    time.sleep(1.0)
    data = out.read_bytes().decode("utf-8", "replace")
    assert data, "nothing captured"
    sgr = re.findall(r"\x1b\[([0-9;]*)m", data)
    colour = [p for p in sgr if any(
        re.fullmatch(r"3[0-7]|4[0-7]|9[0-7]|10[0-7]|38|48", part) for part in p.split(";"))]
    assert not colour, f"colour SGR codes: {colour[:5]}"


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_reconnects_after_server_restart(tmp_path, sig):
    first = start_server(tmp_path)  # data directory tmp_path/data, reused by the second server
    c = Tmux(["--data-dir", str(first.data_dir)])
    try:
        c.wait_text(f"pid {first.info['pid']}")
        c.keys("3")  # the console keeps its place across the restart
        first.stop(sig=sig)
        c.wait_text("DETACHED", timeout=10)
        second = start_server(tmp_path)
        try:
            text = c.wait_text(f"pid {second.info['pid']}", timeout=10)
            assert "DETACHED" not in text
            assert "Transponders" in text
        finally:
            second.stop()
    finally:
        c.close()


def run_x(server, *args):
    return subprocess.run([str(CONSOLE), "--data-dir", str(server.data_dir), *args],
                          capture_output=True, text=True, timeout=15)


def test_one_shot_tables_info_and_errors(server):
    r = run_x(server, "-x", "streams")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].startswith("NAME")
    assert "(no streams)" in r.stdout
    r = run_x(server, "-x", "info")
    assert r.returncode == 0, r.stderr
    assert f"pid: {server.info['pid']}" in r.stdout
    r = run_x(server, "-x", "terminate stream nosuch")
    assert r.returncode == 1
    assert "no streams named 'nosuch'" in r.stderr
    r = run_x(server, "-x", "frobnicate")
    assert r.returncode == 2
    # over TCP too, the same answers
    r = subprocess.run([str(CONSOLE), "--url", server.rest_url, "-x", "calls"], capture_output=True, text=True, timeout=15)
    assert r.returncode == 0, r.stderr
    assert "(no calls)" in r.stdout


def test_one_shot_commands(server, cam1):
    run = lambda *a: subprocess.run([str(CONSOLE), "--data-dir", str(server.data_dir), *a],
                                    capture_output=True, text=True, timeout=15)
    r = run("-x", "streams")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].startswith("NAME")
    assert "cam1" in r.stdout
    r = run("-x", "terminate stream nosuch")
    assert r.returncode != 0
    assert "nosuch" in r.stderr
    r = run("--readonly", "-x", "terminate stream cam1")
    assert r.returncode != 0
    r = run("-x", "terminate stream cam1")
    assert r.returncode == 0, r.stderr
    assert "terminated stream cam1" in r.stdout


def test_url_with_basic_auth(tmp_path):
    from conftest import SERVER_BIN
    hashed = subprocess.run([str(SERVER_BIN), "hash-password"], input="s3cret pass\n", capture_output=True,
                            text=True, timeout=60).stdout.strip()
    cfg = tmp_path / "auth.toml"
    cfg.write_text(f'[users]\nadmin = "{hashed}"\n')
    s = start_server(tmp_path, "--config", str(cfg))
    try:
        def x(password, *args):
            env = {"PATH": "/usr/bin:/bin", "SWITCHBOARD_PASSWORD": password}
            return subprocess.run([str(CONSOLE), "--url", s.rest_url, "--user", "admin", *args],
                                  capture_output=True, text=True, timeout=15, env=env)
        r = x("s3cret pass", "-x", "info")
        assert r.returncode == 0, r.stderr
        assert f"pid: {s.info['pid']}" in r.stdout
        r = x("s3cret pass", "-x", "streams")
        assert r.returncode == 0, r.stderr
        r = x("wrong", "-x", "streams")
        assert r.returncode == 1
        assert "401" in r.stderr
        # the interactive console attaches over TCP with the same credentials
        c = Tmux(["--url", s.rest_url, "--user", "admin"], env={"SWITCHBOARD_PASSWORD": "s3cret pass"})
        try:
            c.wait_text(f"pid {s.info['pid']}")
        finally:
            c.close()
    finally:
        s.stop()


def test_sound_prompt_completes_from_the_servers_media_folder(server, console, cam1):
    media = server.data_dir / "media"
    (media / "jingles").mkdir(parents=True, exist_ok=True)
    for name in ["beep.wav", "jingles/intro.wav", "jingles/outro.wav"]:
        (media / name).write_bytes(b"RIFF")
    # A transponder that republishes cam1 into this same server: all the prompt needs is one.
    r = server.post("/push/startup", json={"streamName": "cam1", "rtmpUrl": f"rtmp://127.0.0.1:{server.rtmp_port}/live"})
    assert r.status_code == 200, r.text
    c = console(cols=120)
    c.wait_text("Transponders 1")
    c.keys("3")
    c.wait_text("RTMP URL")
    c.keys("s")
    c.wait_text("beep.wav  jingles/intro.wav  jingles/outro.wav")  # the list arrived (hint under the prompt)
    c.type("j")
    c.keys("Tab")
    c.wait_text("sound file: jingles/_")  # the folder first: two files share it
    c.type("o")
    c.keys("Tab")
    c.wait_text("sound file: jingles/outro.wav_")
    c.keys("Escape")
    c.wait_text("cancelled")
