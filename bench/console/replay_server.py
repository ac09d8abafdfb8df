"""Event-stream generator for the console benchmark: serves GET /rest-api/events on a unix
socket with a snapshot of N streams, then updates every stream R times a second (generated,
not recorded). It implements only what the console reads; it is not a test of the server."""
import json
import os
import socket
import sys
import threading
import time

N = int(os.environ.get("BENCH_OBJECTS", "5000"))
RATE = float(os.environ.get("BENCH_RATE", "4"))
path = sys.argv[1]
start = int(time.time() * 1000)


def stream(i, bitrate):
    return {"name": f"bench{i:05d}", "mediaSessionId": f"ms-{i:05d}", "published": i % 2 == 0,
            "hasAudio": True, "hasVideo": True, "status": "PUBLISHING" if i % 2 == 0 else "PLAYING",
            "info": None, "record": False, "recordName": None, "width": 1280, "height": 720,
            "bitrate": bitrate, "quality": 0, "fps": 30, "audioCodec": "AAC", "videoCodec": "H264",
            "mediaProvider": "RTMP", "sessionId": None, "appKey": None, "nodeId": None, "rtmpUrl": None,
            "custom": {}, "createDate": start - i * 1000, "mediaType": "publish", "transport": "TCP",
            "audioState": {"muted": False}, "videoState": {"muted": False}, "droppedPackets": 0}


def serve(conn):
    conn.recv(65536)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n")
    info = {"version": "bench", "pid": os.getpid(), "startTime": start, "uptimeSeconds": 0, "dataDir": "."}
    snap = {"server": info, "objects": {"stream": [stream(i, 1000) for i in range(N)]}, "logs": []}
    conn.sendall(b"event: snapshot\ndata: " + json.dumps(snap).encode() + b"\n\n")
    tick = 0.05  # send in 50 ms batches: N*RATE/20 events each
    per_tick = N * RATE * tick
    sent = 0.0
    i = 0
    t0 = time.time()
    try:
        while True:
            sent += per_tick
            batch = []
            while sent >= 1:
                o = stream(i % N, 500 + (i * 37) % 3000)
                batch.append(b"event: updated\ndata: " + json.dumps(
                    {"type": "stream", "id": o["mediaSessionId"], "object": o}).encode() + b"\n\n")
                i += 1
                sent -= 1
            started = time.time()
            conn.sendall(b"".join(batch))
            blocked[0] += time.time() - started
            counter[0] += len(batch)
            t0 += tick
            time.sleep(max(0, t0 - time.time()))
    except OSError:
        pass


counter = [0]
blocked = [0.0]  # seconds spent in sendall: the console's back-pressure (a full socket)


def report():
    """Writes the number of update events sent so far to <socket>.count every 0.5 s: sendall
    blocks when the console falls behind, so this is the rate it really consumed. Also the
    seconds sendall took, to <socket>.blocked: near zero when the console keeps up."""
    while True:
        time.sleep(0.5)
        for name, value in ((".count", counter[0]), (".blocked", blocked[0])):
            with open(path + name + ".tmp", "w") as f:
                f.write(str(value))
            os.replace(path + name + ".tmp", path + name)


threading.Thread(target=report, daemon=True).start()
if os.path.exists(path):
    os.unlink(path)
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(4)
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
