"""Incoming SIP calls (issue #6): sipp as the caller (peers/sip/switchboard_uac_*.xml).

With --sip-incoming accept the call is answered, shows as a Call with incoming true, and its
audio is published on the stream named after the dialed user; by default it gets 603, and an
offer without a codec of ours gets 488. Either refusal leaves no Call behind.
"""
import pytest

from conftest import free_port, free_udp_block, start_server, wait_for
from peers.baresip_peer import VIDEO_SIZE, Baresip
from sse import EventReader
from test_events import host_port
from test_sip import Sipp, wait_status
from test_sip_baresip import decoded, stream_audio
from test_sip_media import dominant_frequency, write_tone_wav
from test_sip_video import probe, wait_stream_video


def sip_test_server(tmp_path, *flags):
    base = free_udp_block(20)
    return start_server(tmp_path, "--media-ports", f"{base}-{base + 19}", *flags)


@pytest.fixture
def accepting_server(tmp_path):
    s = sip_test_server(tmp_path, "--sip-incoming", "accept")
    yield s
    s.stop()


def calls(server):
    r = server.post("/call/find_all", json={})
    return r.json() if r.status_code == 200 else []


def call_to(server, callee, status, timeout=20):
    """The incoming call to `callee` once it has `status`, else None."""
    return wait_for(lambda: next((c for c in calls(server) if c["callee"] == callee and c["status"] == status), None),
                    timeout=timeout, interval=0.1)


def caller(tmp_path, server, scenario, user, *keys):
    return Sipp(tmp_path, scenario, ["-s", user, *keys, server.info["sip"]])


def test_accepted_call_publishes_the_callers_tone_and_terminate_sends_bye(accepting_server, tmp_path):
    events = EventReader(*host_port(accepting_server))
    sipp = caller(tmp_path, accepting_server, "switchboard_uac_tone.xml", "room42")
    try:
        call = call_to(accepting_server, "room42", "ESTABLISHED")
        assert call and call["status"] == "ESTABLISHED", (call, accepting_server.log()[-2000:])
        assert call["incoming"] is True and call["caller"] == "alice" and call["toStream"] == "room42", call
        assert call["callId"] and call["sipStatus"] == 200

        # The caller's 440 Hz PCMU tone, as AAC at 8 kHz on the dialed user's stream.
        assert stream_audio(accepting_server.rtmp_url("room42")) == ("aac", 8000)
        heard = decoded(accepting_server.rtmp_url("room42"), seconds=2)
        assert len(heard) >= 8000, "two seconds of the call's stream"
        freq, share = dominant_frequency(heard[-4000:])
        assert abs(freq - 440) <= 10 and share > 0.3, (freq, share)

        # The call takes what outgoing calls take.
        media = accepting_server.data_dir / "media"
        media.mkdir(parents=True, exist_ok=True)
        write_tone_wav(media / "beep.wav", freq=1000, rate=8000, seconds=0.5)
        for path, body in [("/call/inject_sound", {"fileName": "beep.wav"}), ("/call/send_dtmf", {"dtmf": "5"})]:
            r = accepting_server.post(path, json={"callId": call["callId"], **body})
            assert r.status_code == 200, (path, r.text)

        r = accepting_server.post("/call/terminate", json={"callId": call["callId"]})
        assert r.status_code == 200, r.text
        assert sipp.wait() == 0, "sipp got the BYE and answered it"
        assert "BYE sip:" in sipp.messages.read_text()
        assert wait_status(accepting_server, call["callId"], "FINISH")["status"] == "FINISH"

        statuses = []
        while "FINISH" not in statuses:
            _, data = events.next(where=lambda n, d: n in ("created", "updated") and d["type"] == "call")
            statuses.append(data["object"]["status"])
        assert statuses[0] == "RING" and "ESTABLISHED" in statuses, statuses
    finally:
        sipp.stop()
        events.close()


@pytest.mark.parametrize("flags,codec,rtpmap,status", [
    ((), "0", "a=rtpmap:0 PCMU/8000", "603 Decline"),
    (("--sip-incoming", "accept"), "18", "a=rtpmap:18 G729/8000", "488 Not Acceptable Here"),
    (("--sip-incoming", "accept", "--sip-incoming-users", "desk,lobby"), "0", "a=rtpmap:0 PCMU/8000",
     "404 Not Found"),
], ids=["default-declines-603", "g729-only-offer-488", "unlisted-user-404"])
def test_refused_incoming_call_gets_its_status_and_leaves_no_call(tmp_path, flags, codec, rtpmap, status):
    server = sip_test_server(tmp_path, *flags)
    sipp = caller(tmp_path, server, "switchboard_uac_refused.xml", "room42",
                  "-key", "codecs", codec, "-key", "rtpmap", rtpmap)
    try:
        assert sipp.wait() == 0
        assert f"SIP/2.0 {status}" in sipp.messages.read_text()
        assert calls(server) == []
    finally:
        sipp.stop()
        server.stop()


def test_no_free_media_ports_gets_503_and_the_callers_bye_frees_them(tmp_path):
    base = free_udp_block(2)
    server = start_server(tmp_path, "--media-ports", f"{base}-{base + 1}", "--sip-incoming", "accept")  # one pair
    (tmp_path / "later").mkdir()
    callers = [caller(tmp_path, server, "switchboard_uac_hangup.xml", "first")]
    try:
        assert call_to(server, "first", "ESTABLISHED"), server.log()[-2000:]
        callers.append(caller(tmp_path, server, "switchboard_uac_refused.xml", "second",
                              "-key", "codecs", "0", "-key", "rtpmap", "a=rtpmap:0 PCMU/8000"))
        assert callers[1].wait() == 0
        assert "SIP/2.0 503 Service Unavailable" in callers[1].messages.read_text()
        assert not any(c["callee"] == "second" for c in calls(server))

        # The caller's BYE ends the call, and its ports serve the next one.
        assert callers[0].wait() == 0
        ended = call_to(server, "first", "FINISH")
        assert ended and ended["info"] == "remote hangup", ended
        callers.append(caller(tmp_path / "later", server, "switchboard_uac_hangup.xml", "third"))
        assert call_to(server, "third", "ESTABLISHED"), server.log()[-2000:]
        assert callers[2].wait() == 0
    finally:
        for c in callers:
            c.stop()
        server.stop()


def test_a_listed_user_is_answered(tmp_path):
    server = sip_test_server(tmp_path, "--sip-incoming", "accept", "--sip-incoming-users", "desk,room42")
    sipp = caller(tmp_path, server, "switchboard_uac_hangup.xml", "room42")
    try:
        assert call_to(server, "room42", "ESTABLISHED"), server.log()[-2000:]
        assert sipp.wait() == 0
    finally:
        sipp.stop()
        server.stop()


def test_a_call_cancelled_before_the_answer_leaves_no_call_and_frees_its_ports(tmp_path):
    # The CANCEL follows the INVITE at once, while the server is still opening the call's ports:
    # the caller gets 487 and no call stays ringing (it used to, until the 60 s no-answer timer).
    base = free_udp_block(2)
    server = start_server(tmp_path, "--media-ports", f"{base}-{base + 1}", "--sip-incoming", "accept")  # one pair
    (tmp_path / "later").mkdir()
    callers = [caller(tmp_path, server, "switchboard_uac_cancel.xml", "early")]
    try:
        assert callers[0].wait() == 0, callers[0].messages.read_text()[-3000:]
        assert "SIP/2.0 487 Request Terminated" in callers[0].messages.read_text()
        assert wait_for(lambda: not any(c["status"] in ("RING", "ESTABLISHED") for c in calls(server)),
                        timeout=5, interval=0.1), calls(server)

        # The one port pair was freed: the next call gets it.
        callers.append(caller(tmp_path / "later", server, "switchboard_uac_hangup.xml", "next"))
        assert call_to(server, "next", "ESTABLISHED"), server.log()[-2000:]
        assert callers[1].wait() == 0
    finally:
        for c in callers:
            c.stop()
        server.stop()


def test_an_invite_without_sdp_gets_our_offer_and_the_ack_answers_it(accepting_server, tmp_path):
    sipp = caller(tmp_path, accepting_server, "switchboard_uac_late_offer.xml", "late",
                  "-key", "codecs", "0", "-key", "rtpmap", "a=rtpmap:0 PCMU/8000")
    try:
        call = call_to(accepting_server, "late", "ESTABLISHED")
        assert call and call["incoming"] is True and call["toStream"] == "late", (call, accepting_server.log()[-2000:])
        # Our 200 offered every codec, as an outgoing call's INVITE does.
        ok = next(m for m in sipp.messages.read_text().split("-----") if "SIP/2.0 200 OK" in m and "CSeq: 1 INVITE" in m)
        for rtpmap in ("PCMU/8000", "PCMA/8000", "G722/8000", "opus/48000/2", "telephone-event/8000"):
            assert rtpmap in ok, (rtpmap, ok)
        # The codec of the ACK's answer carries the caller's tone to the stream.
        heard = decoded(accepting_server.rtmp_url("late"), seconds=1)
        freq, share = dominant_frequency(heard[-4000:])
        assert abs(freq - 440) <= 10 and share > 0.3, (freq, share)
        assert sipp.wait() == 0
        ended = call_to(accepting_server, "late", "FINISH")
        assert ended and ended["info"] == "remote hangup", ended
    finally:
        sipp.stop()


def test_two_calls_to_one_user_at_once_publish_to_two_streams(accepting_server, tmp_path):
    # The dialed user names the first call's stream; the other call, arriving meanwhile, gets its callId.
    (tmp_path / "second").mkdir()
    callers = [caller(tmp_path, accepting_server, "switchboard_uac_hangup.xml", "desk"),
               caller(tmp_path / "second", accepting_server, "switchboard_uac_hangup.xml", "desk")]
    try:
        for c in callers:
            assert c.wait() == 0, "answered, 2 s of tone, BYE answered"
        both = wait_for(lambda: [c for c in calls(accepting_server) if c["status"] == "FINISH"][1:] and
                        calls(accepting_server), timeout=10, interval=0.1)
        assert both and len(both) == 2, (calls(accepting_server), accepting_server.log()[-2000:])
        assert all(c["info"] == "remote hangup" for c in both), both  # both published until the caller's BYE
        assert sorted(c["toStream"] == "desk" for c in both) == [False, True], both
        other = next(c for c in both if c["toStream"] != "desk")
        assert other["toStream"] == other["callId"], other
    finally:
        for c in callers:
            c.stop()


def test_incoming_video_call_from_baresip_publishes_its_h264_with_the_audio(accepting_server, tmp_path):
    peer = Baresip(tmp_path, free_udp_block(10), video=True, control_port=free_port()).start()
    try:
        peer.dial(f"sip:vroom@{accepting_server.info['sip']}")
        call = call_to(accepting_server, "vroom", "ESTABLISHED")
        assert call and call["incoming"] is True and call["hasVideo"] is True, (call, peer.log_text()[-2000:])
        stream = wait_stream_video(accepting_server, "vroom")
        assert stream and (stream["width"], stream["height"]) == VIDEO_SIZE, (stream, peer.log_text()[-1500:])
        streams = probe(accepting_server.rtmp_url("vroom"))
        assert streams.get("video", {}).get("codec_name") == "h264", streams
        assert streams.get("audio", {}).get("codec_name") == "aac", streams
        assert accepting_server.post("/call/terminate", json={"callId": call["callId"]}).status_code == 200
        # baresip (-s traces SIP) gets our BYE and ends the call.
        assert wait_for(lambda: "\nBYE sip:alice" in peer.log_text() and "terminated (duration" in peer.log_text(),
                        timeout=10), peer.log_text()[-1500:]
    finally:
        peer.stop()
