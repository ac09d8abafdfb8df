"""REST conventions: JSON in, JSON errors out, the right statuses; auth; CORS."""
import subprocess

import requests

from conftest import SERVER_BIN, start_server


def error_of(r, status):
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["status"] == status
    assert body["error"] and body["message"]
    assert "field" in body
    return body


def test_finders_answer_404_json_when_nothing_matches(server):
    body = error_of(server.post("/stream/find_all"), 404)
    assert body["message"] == "Streams not found"
    error_of(server.post("/call/find", json={"callId": "nope"}), 404)


def test_parameterless_methods_accept_get_and_an_empty_body(server):
    assert requests.get(f"{server.rest_url}/rest-api/mixer/test/get_start_example", timeout=10).json()["mixerCount"] == 3
    r = requests.post(f"{server.rest_url}/rest-api/stream/find_all", data=b"", timeout=10)
    error_of(r, 404)


def test_malformed_json_is_400(server):
    r = requests.post(f"{server.rest_url}/rest-api/stream/find", data=b'{"name": ', timeout=10)
    assert "malformed JSON" in error_of(r, 400)["message"]


def test_a_body_that_is_not_an_object_is_400(server):
    r = requests.post(f"{server.rest_url}/rest-api/stream/find", data=b'[1,2]', timeout=10)
    error_of(r, 400)


def test_a_missing_required_field_is_400_naming_it(server):
    body = error_of(server.post("/stream/snapshot", json={}), 400)
    assert body["field"] == "streamName"
    body = error_of(server.post("/push/startup", json={"streamName": "s"}), 400)
    assert body["field"] == "rtmpUrl"


def test_a_wrong_type_is_400_naming_the_field(server):
    body = error_of(server.post("/stream/find", json={"published": "maybe"}), 400)
    assert body["field"] == "published"
    body = error_of(server.post("/call/startup", json={"callId": "1", "callee": "2", "sipPort": "five"}), 400)
    assert body["field"] == "sipPort"
    body = error_of(server.post("/transcoder/startup", json={"uri": "transcoder://t", "remoteStreamName": "a",
                                                              "localStreamName": "b", "encoder": {"width": "wide"}}), 400)
    assert body["field"] == "encoder.width"


def test_string_booleans_and_numbers_are_accepted(server):
    # WCS clients send "true" and "640"; these pass checking and reach the method, which then
    # answers for what it finds (404: nothing there; a transcoder waits for its stream), not 400.
    error_of(server.post("/stream/find", json={"published": "true"}), 404)
    r = server.post("/transcoder/startup", json={
        "uri": "transcoder://t1", "remoteStreamName": "absent", "localStreamName": "t1",
        "encoder": {"width": "640", "height": "0", "fps": "30", "bitrate": "800"}})
    assert r.status_code == 200, r.text
    [transcoder] = server.post("/transcoder/find_all").json()
    assert transcoder["encoder"]["width"] == 640 and transcoder["status"] == "PENDING"
    again = server.post("/transcoder/startup", json={"uri": "transcoder://t1", "remoteStreamName": "absent",
                                                     "localStreamName": "t1", "encoder": {"width": 320}})
    error_of(again, 409)
    assert server.post("/transcoder/terminate", json={"uri": "transcoder://t1"}).status_code == 200
    error_of(server.post("/vod/startup", json={"uri": "vod-live://missing.mp4", "loop": "true"}), 404)


def test_oversized_body_is_413(server):
    big = b'{"name": "' + b"x" * (1 << 20) + b'"}'
    error_of(requests.post(f"{server.rest_url}/rest-api/stream/find", data=big, timeout=30), 413)


def test_unknown_method_is_404_json(server):
    body = error_of(server.post("/stream/explode", json={}), 404)
    assert "stream/explode" in body["message"]
    error_of(requests.get(f"{server.rest_url}/elsewhere", timeout=10), 404)


def test_other_http_methods_are_405_with_allow(server):
    r = requests.put(f"{server.rest_url}/rest-api/stream/find", json={}, timeout=10)
    error_of(r, 405)
    assert "POST" in r.headers["Allow"]
    r = requests.get(f"{server.rest_url}/rest-api/stream/find", timeout=10)
    error_of(r, 405)
    r = requests.delete(f"{server.rest_url}/rest-api/stream/find_all", timeout=10)
    error_of(r, 405)
    assert "GET" in r.headers["Allow"] and "POST" in r.headers["Allow"]


def test_methods_not_built_answer_501_and_never_fake_success(server):
    body = error_of(server.post("/mixer/startup", json={"uri": "mixer://m", "localStreamName": "m"}), 501)
    assert "mixer" in body["message"]
    error_of(server.post("/pull/pull", json={"uri": "ws://x", "remoteStreamName": "a"}), 501)
    error_of(server.post("/cdn/show_routes"), 501)


def test_cors_headers_as_wcs_sends_them(server):
    # WCS defaults: any origin, credentials allowed, on every answer (errors too).
    for r in [server.post("/stream/find_all", headers={"Origin": "http://app.example"}),
              server.post("/stream/find", data=b"{", headers={"Origin": "http://app.example"}),
              requests.get(f"{server.rest_url}/rest-api/mixer/test/get_start_example", timeout=10)]:
        assert r.headers["Access-Control-Allow-Origin"] == "*", r.headers
        assert r.headers["Access-Control-Allow-Credentials"] == "true"
    r = requests.options(f"{server.rest_url}/rest-api/stream/find", headers={
        "Origin": "http://app.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"}, timeout=10)
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    assert r.headers["Access-Control-Allow-Headers"] == "content-type,x-requested-with"


def test_cors_with_auth_echoes_the_origin_and_allows_authorization(tmp_path):
    cfg = tmp_path / "auth.toml"
    cfg.write_text(f'[users]\nadmin = "{hash_password("pw")}"\n')
    s = start_server(tmp_path, "--config", str(cfg))
    try:
        # Browsers refuse "*" for requests with credentials: WCS's auth setup names the origin.
        r = s.post("/stream/find_all", auth=("admin", "pw"), headers={"Origin": "http://app.example"})
        assert r.status_code == 404
        assert r.headers["Access-Control-Allow-Origin"] == "http://app.example"
        assert r.headers["Access-Control-Allow-Credentials"] == "true"
        r = s.post("/stream/find_all", headers={"Origin": "http://app.example"})
        assert r.status_code == 401 and r.headers["Access-Control-Allow-Origin"] == "http://app.example"
        # The preflight carries no credentials and must not be refused.
        r = requests.options(f"{s.rest_url}/rest-api/stream/find_all", headers={
            "Origin": "http://app.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type"}, timeout=10)
        assert r.status_code == 204
        assert "Authorization" in r.headers["Access-Control-Allow-Headers"]
    finally:
        assert s.stop() == 0


def hash_password(password):
    r = subprocess.run([str(SERVER_BIN), "hash-password"], input=password + "\n", capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_basic_auth_when_users_are_configured(tmp_path):
    hashed = hash_password("s3cret pass")
    assert hashed.startswith("pbkdf2-sha256$") and "s3cret" not in hashed
    cfg = tmp_path / "auth.toml"
    cfg.write_text(f'[users]\nadmin = "{hashed}"\n')
    s = start_server(tmp_path, "--config", str(cfg))
    try:
        r = s.post("/stream/find_all")
        error_of(r, 401)
        assert r.headers["WWW-Authenticate"].startswith("Basic")
        error_of(s.post("/stream/find_all", auth=("admin", "wrong")), 401)
        error_of(s.post("/stream/find_all", auth=("nobody", "s3cret pass")), 401)
        error_of(s.post("/stream/find_all", auth=("admin", "s3cret pass")), 404)  # authorized: nothing found
        # The control socket is for the local owner and needs no credentials.
        out = subprocess.run(["curl", "-s", "-X", "POST", "--unix-socket", str(s.data_dir / "run/switchboard.sock"),
                              "http://localhost/rest-api/stream/find_all"], capture_output=True, text=True).stdout
        assert '"status":404' in out
        assert "s3cret" not in s.log()
    finally:
        assert s.stop() == 0


def test_auth_off_by_default(server):
    error_of(server.post("/stream/find_all"), 404)


def test_refuses_to_expose_rest_beyond_loopback_without_users(tmp_path):
    r = subprocess.run([str(SERVER_BIN), "--data-dir", str(tmp_path / "d"), "--bind", "0.0.0.0", "--rest-port", "0"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode != 0
    assert "without credentials" in r.stderr
    assert not (tmp_path / "d" / "run" / "server.json").exists()
