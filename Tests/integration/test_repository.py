"""What a fresh clone promises: the README's two commands, `make run` attaching the console and
`make stop` stopping the server, .ci/run running `make test`, and what git ignores."""
import json
import os
import re
import shutil
import subprocess
import time
import uuid

from conftest import ROOT

README = (ROOT / "README.md").read_text()


def test_readme_opens_with_what_switchboard_is_and_exactly_two_commands():
    intro, _, rest = README.partition("```sh\n")
    assert intro.startswith("# Switchboard\n")
    assert "media server" in intro and "Debian 12" in intro
    block = rest.split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make run", "make test"]
    # Then: flags, config, where files go, how to attach the console, the event stream format.
    for heading in ["### Flags", "config file", "### Files", "## The console", "## Event stream"]:
        assert heading in README, heading


def test_ci_runs_make_test():
    script = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^\s*(time\s+)?make test\s*$", script, re.M), script


def test_git_ignores_build_folders_the_resolved_file_and_var():
    paths = [".build/x", ".build-release/x", "Package.resolved", "var/logs/server.log", "var/run/server.json"]
    r = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "--no-index", "-v", *paths],
                       capture_output=True, text=True, timeout=30)
    ignored = {line.split("\t", 1)[1] for line in r.stdout.splitlines()}
    assert ignored == set(paths), r.stdout + r.stderr
    lines = (ROOT / ".gitignore").read_text().split()
    for entry in [".build*/", "Package.resolved", "var/"]:
        assert entry in lines, entry


def pid_alive(pid):
    """Running, and not a zombie waiting to be reaped (some container inits never reap orphans)."""
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_make_run_starts_the_server_and_attaches_the_console_and_make_stop_stops_it(tmp_path):
    assert shutil.which("tmux"), "tmux is not installed: make test-deps"
    data = tmp_path / "var"
    config = tmp_path / "ports.toml"
    config.write_text("rest-port = 0\nws-port = 0\nrtmp-port = 0\nsip-port = 0\n")
    sock = f"sbmake-{uuid.uuid4().hex[:10]}"

    def tmux(*args, check=True):
        return subprocess.run(["tmux", "-L", sock, *args], check=check, capture_output=True, text=True)

    # make run needs a terminal to attach the console: tmux gives it one.
    command = f"env LANG=C.UTF-8 TERM=xterm-256color make -C {ROOT} run DATA_DIR={data} CONFIG={config}"
    tmux("-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30", command)
    tmux("set-option", "-g", "remain-on-exit", "on")
    pid = None
    try:
        run_file = data / "run" / "server.json"
        screen = ""
        deadline = time.time() + 600  # `make run` builds first; up to date, that is quick
        while time.time() < deadline:
            screen = tmux("capture-pane", "-p").stdout
            if run_file.exists():
                pid = json.loads(run_file.read_text())["pid"]
                # `make run` itself prints "server started (pid N)" before the console draws:
                # the console is there when its Streams view is.
                if f"pid {pid}" in screen and "Streams" in screen:
                    break
            time.sleep(0.2)
        else:
            raise AssertionError(f"make run did not show the console attached to a server; screen:\n{screen}")
        # Quitting the console leaves the server running.
        tmux("send-keys", "q")
        deadline = time.time() + 10
        while "Streams" in tmux("capture-pane", "-p").stdout and time.time() < deadline:
            time.sleep(0.1)
        assert "Streams" not in tmux("capture-pane", "-p").stdout, "q did not quit the console"
        assert pid_alive(pid)
        r = subprocess.run(["make", "-C", str(ROOT), "stop", f"DATA_DIR={data}"], capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "server stopped" in r.stdout
        deadline = time.time() + 10
        while pid_alive(pid) and time.time() < deadline:
            time.sleep(0.1)
        assert not pid_alive(pid)
        assert not run_file.exists()
    finally:
        tmux("kill-server", check=False)
        if pid and pid_alive(pid):
            os.kill(pid, 9)


def make_variable(name):
    """A variable of the Makefile, as make expands it."""
    r = subprocess.run(["make", "-s", "-C", str(ROOT), "--eval", f"print-var: ; @echo $({name})", "print-var"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


def test_make_installs_every_debian_package_the_build_names():
    # Package.swift's system libraries name their Debian packages; make run and make test
    # install those (BUILD_PKGS) with apt-get, through sudo when not root.
    named = set(re.findall(r'"(lib[a-z0-9.+-]+-dev)"', (ROOT / "Package.swift").read_text()))
    assert len(named) >= 10, named
    assert named <= set(make_variable("BUILD_PKGS"))
    makefile = (ROOT / "Makefile").read_text()
    assert "apt-get install" in makefile and "echo sudo" in makefile
    assert re.search(r"^run: build$", makefile, re.M) and re.search(r"^build: deps$", makefile, re.M)
    assert re.search(r"^test: test-deps$", makefile, re.M) and re.search(r"^test-deps: deps$", makefile, re.M)
