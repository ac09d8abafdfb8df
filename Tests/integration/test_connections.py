"""/connection/*: RTMP clients appear as connections and can be disconnected."""
import subprocess

from conftest import wait_for


def test_an_rtmp_publisher_is_a_connection_and_terminate_disconnects_it(server):
    pub = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                            "testsrc2=size=320x240:rate=25", "-t", "60", "-c:v", "libx264", "-preset", "ultrafast",
                            "-f", "flv", server.rtmp_url("conncam")], stderr=subprocess.DEVNULL)
    try:
        conns = wait_for(lambda: server.post("/connection/find_all").status_code == 200
                         and server.post("/connection/find_all").json())
        assert conns, "the publisher never showed as a connection"
        conn = conns[0]
        assert conn["mediaProvider"] == "RTMP" and conn["appKey"] == "live"
        assert server.post("/connection/find", json={"appKey": "live"}).json()[0]["sessionId"] == conn["sessionId"]
        assert server.post("/connection/find", json={"appKey": "other"}).status_code == 404
        streams = wait_for(lambda: server.post("/stream/find", json={"name": "conncam"}).status_code == 200
                           and server.post("/stream/find", json={"name": "conncam"}).json())
        assert streams and streams[0]["sessionId"] == conn["sessionId"]

        assert server.post("/connection/terminate", json={"sessionId": conn["sessionId"]}).status_code == 200
        assert wait_for(lambda: server.post("/stream/find", json={"name": "conncam"}).status_code == 404)
        assert pub.wait(timeout=20) != 0  # ffmpeg saw its connection closed before its 60 s were up
    finally:
        if pub.poll() is None:
            pub.kill()
            pub.wait()


def test_terminating_an_unknown_connection_is_404(server):
    r = server.post("/connection/terminate", json={"sessionId": "/1.2.3.4:5/6.7.8.9:10"})
    assert r.status_code == 404 and r.json()["message"] == "No such connection"
