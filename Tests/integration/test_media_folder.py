"""/media/find_all (a Switchboard extension): the files of <data>/media/ that the sound, call and
VOD methods accept, and nothing outside that folder. Uses the `server` fixture from conftest.py."""
import os
import time

import yaml

from conftest import ROOT


def test_lists_files_with_size_and_time_sorted_and_stays_inside_the_folder(server, tmp_path):
    media = server.data_dir / "media"
    (media / "jingles").mkdir(parents=True, exist_ok=True)
    (media / "beep.wav").write_bytes(b"x" * 44)
    (media / "jingles" / "intro.wav").write_bytes(b"y" * 10)
    (media / ".hidden.wav").write_bytes(b"z")
    secret = tmp_path / "secret.wav"
    secret.write_bytes(b"s")
    os.symlink(secret, media / "escape.wav")          # leads outside: not offered
    os.symlink(tmp_path, media / "outside")           # a folder outside: not walked
    os.symlink(media / "beep.wav", media / "alias.wav")  # inside: listed like a file

    r = server.post("/media/find_all")
    assert r.status_code == 200, r.text
    files = r.json()
    assert [f["fileName"] for f in files] == ["alias.wav", "beep.wav", "jingles/intro.wav"]
    beep = next(f for f in files if f["fileName"] == "beep.wav")
    assert beep["size"] == 44
    assert set(beep) == {"fileName", "size", "modified"}
    assert abs(beep["modified"] / 1000 - (media / "beep.wav").stat().st_mtime) < 2
    assert abs(beep["modified"] / 1000 - time.time()) < 600


def test_an_empty_media_folder_is_an_empty_list(server):
    r = server.post("/media/find_all")
    assert r.status_code == 200
    assert r.json() == []


def test_the_document_marks_it_as_an_extension():
    doc = yaml.safe_load((ROOT / "docs/openapi.yaml").read_text())
    op = doc["paths"]["/rest-api/media/find_all"]["post"]
    assert op["x-switchboard-extension"] is True
    assert op["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"] == "#/components/schemas/MediaFile"
