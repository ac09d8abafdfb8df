"""The server process: flags, TOML config, port 0, server.json, one server per data dir, SIGTERM."""
import json
import os
import signal
import socket
import stat
import subprocess

import requests

from conftest import SERVER_BIN, ServerProcess, free_port, start_server


def test_help_lists_every_flag():
    r = subprocess.run([str(SERVER_BIN), "--help"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0
    for flag in ["--data-dir", "--config", "--bind", "--rest-port", "--ws-port", "--rtmp-port", "--sip-port",
                 "--sip-incoming", "--sip-incoming-users", "--media-ports", "--log-level", "hash-password"]:
        assert flag in r.stdout, flag


def test_port_zero_binds_a_free_port_and_server_json_says_which(server):
    info = server.info
    assert set(info) == {"pid", "version", "rest", "ws", "rtmp", "sip", "socket"}
    assert info["pid"] == server.proc.pid
    assert info["version"]
    assert info["socket"] == str(server.data_dir / "run" / "switchboard.sock")
    r = requests.get(f"{server.rest_url}/rest-api/server/info", timeout=10)
    assert r.status_code == 200 and r.json()["pid"] == server.proc.pid
    # Every listener was given port 0 (conftest) and got a real one, logged on one line each.
    log = server.log()
    lines = {"rest": "REST listening", "ws": "WebSocket signalling listening", "rtmp": "listening",
             "sip": "sip agent started"}
    ports = set()
    for name, message in lines.items():
        host, port = info[name].rsplit(":", 1)
        assert host == "127.0.0.1" and int(port) > 0, (name, info[name])
        ports.add(port)
        assert any(message in line and f":{port}" in line for line in log.splitlines()), (name, log)
    assert len(ports) == 4
    with socket.create_connection(("127.0.0.1", server.rtmp_port), timeout=5):
        pass  # RTMP accepts connections on the port server.json names


def test_the_ws_port_answers_501_naming_what_is_not_built(server):
    r = requests.get(f"http://{server.info['ws']}/", timeout=10)
    assert r.status_code == 501
    body = r.json()
    assert body["status"] == 501 and "WebSocket signalling" in body["message"]


def test_sigterm_exits_zero_and_removes_run_files(tmp_path):
    s = start_server(tmp_path)
    run = s.data_dir / "run"
    assert (run / "server.json").exists() and (run / "switchboard.sock").exists()
    assert s.stop(signal.SIGTERM) == 0
    assert not (run / "server.json").exists()
    assert not (run / "switchboard.sock").exists()
    assert "switchboard-server stopped" in s.log()


def test_sigint_also_exits_cleanly(tmp_path):
    s = start_server(tmp_path)
    assert s.stop(signal.SIGINT) == 0


def test_toml_config_sets_ports_and_flags_override_it(tmp_path):
    port = free_port()
    cfg = tmp_path / "switchboard.toml"
    cfg.write_text(f'rest-port = {port}\nlog-level = "debug"\nmedia-ports = "40000-40100"\n')
    s = ServerProcess(tmp_path / "d1", ["--config", str(cfg), "--rtmp-port", "0", "--ws-port", "0",
                                        "--sip-port", "0"]).start()
    try:
        assert s.info["rest"] == f"127.0.0.1:{port}"
    finally:
        assert s.stop() == 0
    s2 = ServerProcess(tmp_path / "d2", ["--config", str(cfg), "--rest-port", "0", "--rtmp-port", "0",
                                         "--ws-port", "0", "--sip-port", "0"]).start()
    try:
        assert s2.info["rest"] != f"127.0.0.1:{port}"
    finally:
        assert s2.stop() == 0


def test_bad_config_is_refused_with_a_clear_message(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text('rest-prot = 8081\n')
    r = subprocess.run([str(SERVER_BIN), "--config", str(cfg), "--data-dir", str(tmp_path / "d")],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode != 0
    assert "unknown setting 'rest-prot'" in r.stderr


def test_a_second_server_on_the_same_data_dir_refuses_to_start(server):
    r = subprocess.run([str(SERVER_BIN), "--data-dir", str(server.data_dir), "--rest-port", "0", "--rtmp-port", "0",
                        "--ws-port", "0", "--sip-port", "0"], capture_output=True, text=True, timeout=30)
    assert r.returncode != 0
    assert "already uses this data directory" in r.stderr
    assert str(server.proc.pid) in r.stderr
    # The first server is untouched.
    assert requests.get(f"{server.rest_url}/rest-api/server/info", timeout=10).status_code == 200


def test_logs_are_json_lines_in_the_data_dir(server):
    server.post("/stream/find_all")
    lines = (server.data_dir / "logs" / "server.log").read_text().splitlines()
    records = [json.loads(l) for l in lines]
    assert any(r["message"] == "REST listening" for r in records)
    assert all({"time", "level", "label", "message"} <= r.keys() for r in records)


def test_control_socket_is_private_and_serves_the_api(server):
    sock = server.data_dir / "run" / "switchboard.sock"
    assert stat.S_ISSOCK(os.stat(sock).st_mode)
    assert stat.S_IMODE(os.stat(sock).st_mode) == 0o600
    out = subprocess.run(["curl", "-s", "--unix-socket", str(sock), "http://localhost/rest-api/server/info"],
                         capture_output=True, text=True, timeout=10).stdout
    assert json.loads(out)["pid"] == server.proc.pid
    out = subprocess.run(["curl", "-s", "-X", "POST", "--unix-socket", str(sock),
                          "http://localhost/rest-api/stream/find_all"], capture_output=True, text=True, timeout=10).stdout
    assert json.loads(out)["status"] == 404
