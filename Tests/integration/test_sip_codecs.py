"""A far end that changes codec and address mid-call: sipp re-INVITEs from PCMU on one socket
the test owns to PCMA on another, and the server's RTP follows it."""
from test_sip import Sipp, find_call, sip_server, startup, wait_status  # noqa: F401 (sip_server is a fixture)
from test_sip_media import RTPSink

ALAW_SILENCE = b"\xd5" * 160  # G.711 A-law of 0
ULAW_SILENCE = b"\xff" * 160  # G.711 µ-law of 0


def test_reinvite_to_pcma_at_a_new_port_moves_the_servers_rtp_and_keeps_the_call(sip_server, tmp_path):
    first, second = RTPSink(), RTPSink()
    sipp = Sipp(tmp_path, "switchboard_uas_reinvite_codec.xml",
                ["-key", "m_line", f"m=audio {first.port} RTP/AVP 0",
                 "-key", "m_line2", f"m=audio {second.port} RTP/AVP 8 0"])
    try:
        r = startup(sip_server, {"callId": "recodec", "callee": sipp.uri})
        assert r.status_code == 200, r.text
        call = wait_status(sip_server, "recodec", "ESTABLISHED")
        assert call and call["status"] == "ESTABLISHED", call
        before = first.collect(0.5)
        assert before, "PCMU RTP at the first answer's port"
        assert {h[0] for h, _ in before} == {0} and all(p == ULAW_SILENCE for _, p in before)

        after = []
        for _ in range(30):  # sipp re-INVITEs 4 s after the ACK
            after = second.collect(0.5)
            if after:
                break
        assert after, "no RTP at the re-INVITE's port"
        after += second.collect(1.0)
        assert {h[0] for h, _ in after} == {8}, "PCMA's payload type on the wire"
        assert all(p == ALAW_SILENCE for _, p in after), "A-law silence, not µ-law"
        seqs = [h[1] for h, _ in after]
        assert all((b - a) % 65536 == 1 for a, b in zip(seqs, seqs[1:])), "one stream, no gap"
        first.drain()
        assert not first.collect(0.5), "nothing goes to the old port any more"

        call = find_call(sip_server, "recodec")
        assert call["status"] == "ESTABLISHED" and call["info"] == "media updated", call
        assert sip_server.post("/call/terminate", json={"callId": "recodec"}).status_code == 200
        assert sipp.wait() == 0, "sipp saw PCMA alone in the re-INVITE's answer, then the BYE"
    finally:
        sipp.stop()
        first.close()
        second.close()
