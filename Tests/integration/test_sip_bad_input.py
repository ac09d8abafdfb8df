"""Bad input from the SIP side: malformed datagrams on the server's SIP socket during a call,
and SDP answers the server cannot use (sipp scenarios with a custom SDP)."""
import os
import socket

import pytest

from test_sip import Sipp, sip_server, wait_status  # noqa: F401 (sip_server is a fixture)

TRUNCATED_INVITE = (b"INVITE sip:1000@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK1\r\n"
                    b"Content-Length: 500\r\nCall-ID: x\r\nCSeq: 1 INV")
BAD_HEADERS = (b"SIP/2.0 200 OK\r\nVia: \xff\xfe\x00\r\nCSeq: -1 \r\nContent-Length: -5\r\n\r\n")
MALFORMED = [
    os.urandom(512),
    b"\x00" * 64,
    TRUNCATED_INVITE,
    BAD_HEADERS,
    b"INVITE " + b"A" * 60000 + b" SIP/2.0\r\n\r\n",  # huge request line, one near-maximal datagram
    b"OPTIONS sip:x SIP/2.0\r\n" + b"X-Long: " + b"B" * 30000 + b"\r\n\r\n",
    b"\r\n\r\n",  # a keepalive, as some phones send
]


def test_malformed_datagrams_on_the_sip_socket_leave_an_ongoing_call_established(sip_server, tmp_path):
    sipp = Sipp(tmp_path, "switchboard_uas_tone.xml")
    try:
        assert sip_server.post("/call/startup", json={"callId": "junk", "callee": sipp.uri}).status_code == 200
        call = wait_status(sip_server, "junk", "ESTABLISHED")
        assert call and call["status"] == "ESTABLISHED", call
        host, port = sip_server.info["sip"].rsplit(":", 1)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            for _ in range(3):
                for datagram in MALFORMED:
                    s.sendto(datagram, (host, int(port)))
        # The server still answers REST, the call is still up, and it still hangs up cleanly.
        r = sip_server.post("/call/find", json={"callId": "junk"})
        assert r.status_code == 200 and r.json()[0]["status"] == "ESTABLISHED", r.text
        assert sip_server.proc.poll() is None
        assert sip_server.post("/stream/find", json={"name": "junk"}).status_code == 200
        assert sip_server.post("/call/terminate", json={"callId": "junk"}).status_code == 200
        assert sipp.wait() == 0, "sipp got its BYE"
    finally:
        sipp.stop()


@pytest.mark.parametrize("m_line,a_line,info", [
    ("m=video 20000 RTP/AVP 96", "a=rtpmap:96 H264/90000", "Unusable SDP answer: no audio stream"),
    ("m=audio 20000 RTP/AVP 18", "a=rtpmap:18 G729/8000", "No common codecs"),
])
def test_an_answer_without_usable_audio_fails_the_call_with_a_clear_info(sip_server, tmp_path, m_line, a_line, info):
    sipp = Sipp(tmp_path, "switchboard_uas_custom_sdp.xml", ["-key", "m_line", m_line, "-key", "a_line", a_line])
    try:
        assert sip_server.post("/call/startup", json={"callId": "bad-sdp", "callee": sipp.uri}).status_code == 200
        call = wait_status(sip_server, "bad-sdp", "FAILED")
        assert call and call["status"] == "FAILED" and call["info"] == info, call
        assert sipp.wait() == 0, "the answered call is ended with BYE"
        assert sip_server.post("/stream/find", json={"name": "bad-sdp"}).status_code == 404, "nothing was published"
    finally:
        sipp.stop()
