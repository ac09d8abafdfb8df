"""bench/console: the console attached to a generated event stream of 5,000 streams updated
4 times a second each (20,000 events/s). Runs the console in a pseudo-terminal for DURATION
seconds and reports its CPU use and the bytes it wrote to the terminal per second.

    python3 bench/console/run.py [--binary .build/release/switchboard] [--duration 20]
"""
import argparse
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sent(sock, what=".count"):
    try:
        with open(sock + what) as f:
            return float(f.read() or 0)
    except FileNotFoundError:
        return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=str(ROOT / ".build" / "debug" / "switchboard"))
    ap.add_argument("--duration", type=float, default=20.0)
    ap.add_argument("--warmup", type=float, default=5.0)
    ap.add_argument("--objects", type=int, default=5000)
    ap.add_argument("--rate", type=float, default=4.0)
    ap.add_argument("--log", action="store_true", help="show the log pane too")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="sb-bench-")
    sock = os.path.join(tmp, "bench.sock")
    env = dict(os.environ, BENCH_OBJECTS=str(a.objects), BENCH_RATE=str(a.rate))
    gen = subprocess.Popen([sys.executable, str(HERE / "replay_server.py"), sock], env=env)
    while not os.path.exists(sock):
        time.sleep(0.05)
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
        os.execv(a.binary, [a.binary, "--socket", sock])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    os.kill(pid, 28)  # SIGWINCH after the size change
    total = 0

    def pump(seconds):
        nonlocal total
        end = time.time() + seconds
        while time.time() < end:
            r, _, _ = select.select([fd], [], [], 0.1)
            if r:
                try:
                    total += len(os.read(fd, 65536))
                except OSError:
                    return

    if a.log:
        os.write(fd, b"l")
    pump(a.warmup)
    bytes0, cpu0, t0, ev0, g0 = total, cpu_seconds(pid), time.time(), sent(sock), cpu_seconds(gen.pid)
    w0 = sent(sock, ".blocked")
    pump(a.duration)
    bytes1, cpu1, t1, ev1, g1 = total, cpu_seconds(pid), time.time(), sent(sock), cpu_seconds(gen.pid)
    w1 = sent(sock, ".blocked")
    os.write(fd, b"q")
    pump(1.0)
    gen.terminate()
    elapsed = t1 - t0
    print(f"objects={a.objects} updates/s each={a.rate} events/s={a.objects * a.rate:.0f} "
          f"terminal=160x40 binary={a.binary}")
    print(f"events consumed: {(ev1 - ev0) / elapsed:.0f}/s (offered {a.objects * a.rate:.0f}/s)")
    print(f"console CPU: {100 * (cpu1 - cpu0) / elapsed:.1f}% of one core over {elapsed:.1f}s")
    print(f"generator CPU: {100 * (g1 - g0) / elapsed:.1f}% (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"bytes written to the terminal: {(bytes1 - bytes0) / elapsed:.0f} B/s")
    print(f"generator waited for the console (socket full): {100 * (w1 - w0) / elapsed:.0f}% of the time")


if __name__ == "__main__":
    main()
