"""The event stream: a snapshot on connect, then log records (and object changes: see test_rtmp)."""
from conftest import free_port, start_server
from sse import EventReader


def host_port(server):
    host, port = server.info["rest"].rsplit(":", 1)
    return host, int(port)


def test_snapshot_lists_every_object_set_server_info_and_recent_logs(server):
    reader = EventReader(*host_port(server))
    try:
        name, snap = reader.next()
        assert reader.status == 200
        assert reader.headers["content-type"].startswith("text/event-stream")
        assert name == "snapshot"
        assert set(snap["objects"]) == {"stream", "call", "transponder", "rtspAgent", "rtmpAgent", "pullAgent",
                                        "mixer", "transcoder", "vod", "connection"}
        assert snap["server"]["pid"] == server.proc.pid
        assert any(r["message"] == "REST listening" for r in snap["logs"])
    finally:
        reader.close()


def test_new_log_records_arrive_live_and_level_filters_them(server):
    info_reader = EventReader(*host_port(server))
    warn_reader = EventReader(*host_port(server), query="?level=warning")
    try:
        info_reader.next()
        _, snap = warn_reader.next()
        assert all(r["level"] in ("warning", "error", "critical") for r in snap["logs"])
        server.post("/stream/terminate", json={"name": "nothing-here"})  # a state-changing call: logged at info
        name, record = info_reader.next(where=lambda n, d: n == "log" and d["message"] == "rest call")
        assert record["metadata"]["path"] == "/rest-api/stream/terminate"
        assert record["metadata"]["status"] == "404"
        assert record["level"] == "info" and record["time"].endswith("Z")
        # A pull from a closed port logs a warning ("pull failed"): the warning-level reader gets
        # it, and no info record before it.
        uri = f"rtmp://127.0.0.1:{free_port()}/live/nothing"
        assert server.post("/pull/rtmp/pull", json={"uri": uri}).status_code == 200
        try:
            seen = []
            name, record = warn_reader.next(where=lambda n, d: n == "log" and (seen.append(d) or d["message"] == "pull failed"))
            assert record["level"] == "warning"
            assert all(d["level"] in ("warning", "error", "critical") for d in seen), seen
            # The info reader sees the same warning after the info records of the REST calls.
            info_reader.next(where=lambda n, d: n == "log" and d["message"] == "pull failed")
        finally:
            server.post("/pull/rtmp/terminate", json={"uri": uri})
    finally:
        info_reader.close()
        warn_reader.close()


def test_event_stream_over_the_control_socket(server):
    reader = EventReader(unix_path=str(server.data_dir / "run" / "switchboard.sock"))
    try:
        name, snap = reader.next()
        assert name == "snapshot" and snap["server"]["socket"]
    finally:
        reader.close()


def test_open_event_streams_do_not_block_shutdown(tmp_path):
    s = start_server(tmp_path)
    reader = EventReader(*host_port(s))
    reader.next()
    assert s.stop() == 0
    name, _ = reader.next(where=lambda n, d: n == "<closed>")
    assert name == "<closed>"


def test_a_publish_arrives_as_created_then_updated_then_removed(server):
    import subprocess
    reader = EventReader(*host_port(server))
    try:
        reader.next()  # snapshot
        pub = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                                "testsrc2=size=320x240:rate=25", "-t", "4", "-c:v", "libx264", "-preset", "ultrafast",
                                "-g", "25", "-f", "flv", server.rtmp_url("evcam")])
        _, created = reader.next(timeout=15, where=lambda n, d: n == "created" and d["type"] == "stream")
        assert created["object"]["name"] == "evcam" and created["object"]["published"] is True
        sid = created["id"]
        assert created["object"]["mediaSessionId"] == sid
        _, updated = reader.next(timeout=15, where=lambda n, d: n == "updated" and d["id"] == sid
                                 and d["object"]["width"] == 320)
        assert updated["object"]["height"] == 240 and updated["object"]["videoCodec"] == "H264"
        pub.wait(timeout=30)
        _, removed = reader.next(timeout=15, where=lambda n, d: n == "removed" and d["id"] == sid)
        assert removed["type"] == "stream"
    finally:
        reader.close()


def test_clients_leaving_while_objects_change_never_hang_the_server(server):
    """Regression: a client going away while events were published once deadlocked the server."""
    import subprocess
    import requests
    pub = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                            "testsrc2=size=320x240:rate=25", "-t", "20", "-c:v", "libx264", "-preset", "ultrafast",
                            "-g", "10", "-f", "flv", server.rtmp_url("churn")], stderr=subprocess.DEVNULL)
    try:
        import time
        deadline = time.time() + 15
        while server.post("/stream/find", json={"name": "churn"}).status_code != 200:
            assert time.time() < deadline, "the publisher never appeared"
            time.sleep(0.2)
        for _ in range(30):
            reader = EventReader(*host_port(server))
            reader.next()
            reader.close()  # leaves while the publisher's stream object keeps updating
        assert requests.post(f"{server.rest_url}/rest-api/stream/find", json={"name": "churn"}, timeout=10).ok
    finally:
        pub.kill()
        pub.wait()
