"""The scheme loader never shows a traceback: every bad file gets a message naming its place in the file, in
Indonesian, in the command (non-zero exit) and on the upload screen; nothing is changed."""

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kompeten.catalog.loader import read_scheme_file
from kompeten.catalog.models import Criterion, Scheme, Unit
from kompeten.core.models import Role
from tests.conftest import SCHEME_FILE, make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
GOOD = read_scheme_file(SCHEME_FILE)


def _file(mutate):
    data = copy.deepcopy(GOOD)
    mutate(data)
    return json.dumps({"scheme": data}, ensure_ascii=False).encode()


def _set(path, value):
    def mutate(data):
        obj = data
        for key in path[:-1]:
            obj = obj[key]
        obj[path[-1]] = value
    return mutate


def _drop(path):
    def mutate(data):
        obj = data
        for key in path[:-1]:
            obj = obj[key]
        del obj[path[-1]]
    return mutate


def _duplicate_unit(data):
    data["units"][3]["code"] = data["units"][1]["code"]


BAD_FILES = {
    "unit without elements": (_file(_set(["units", 2, "elements"], [])),
                              "units[2].elements: unit J.620100.015.01 tidak punya elemen"),
    "element without KUK": (_file(_set(["units", 1, "elements", 0, "criteria"], [])),
                            "units[1].elements[0].criteria: elemen tidak punya KUK"),
    "duplicate unit code": (_file(_duplicate_unit), "units[3].code: kode unit J.620100.010.01 sudah dipakai di units[1]"),
    "object where a list belongs": (_file(_set(["units", 0, "elements"], {"title": "x"})),
                                    "units[0].elements: harus berupa daftar [ … ], bukan objek"),
    "number where text belongs": (_file(_set(["units", 4, "title"], 42)),
                                  "units[4].title: harus berupa teks, bukan angka"),
    "empty KUK": (_file(_set(["units", 3, "elements", 1, "criteria", 0], "  ")),
                  "units[3].elements[1].criteria[0]: kosong"),
    "missing required key": (_file(_drop(["units", 5, "code"])), "units[5].code: kunci \"code\" wajib ada"),
    "missing scheme title": (_file(_drop(["title"])), "title: kunci \"title\" wajib ada"),
    "wrong enum": (_file(_set(["type"], "Bebas")), "type: harus salah satu dari KKNI, Okupasi, Klaster"),
    "not UTF-8": (json.dumps({"scheme": GOOD}, ensure_ascii=False).encode("latin-1", "replace").replace(
        b"Pengembang", "Péngembang".encode("latin-1")), "Berkas bukan teks UTF-8"),
    "not JSON": (b'{"scheme": {"number": "X",}}', "Berkas bukan JSON yang sah: baris 1, kolom 27"),
    "no scheme object": (b'{"skema": {}}', "Berkas harus berisi objek \"scheme\""),
}


def _loaded_nothing():
    return Scheme.objects.count() == 0 and Unit.objects.count() == 0


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_command_names_the_place(name, tmp_path):
    raw, expected = BAD_FILES[name]
    path = tmp_path / "skema.json"
    path.write_bytes(raw)
    with pytest.raises(CommandError) as exc:
        call_command("load_scheme", str(path))
    assert expected in str(exc.value)
    assert _loaded_nothing()


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_upload_screen_names_the_place(name, client):
    raw, expected = BAD_FILES[name]
    client.force_login(make_user("admin", Role.ADMIN))
    resp = client.post(reverse("catalog:upload"), {"file": SimpleUploadedFile("skema.json", raw)})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "Berkas skema tidak dimuat; tidak ada yang berubah." in html
    assert expected.replace('"', "&quot;") in html, html[html.find("file-errors"):][:600]
    assert _loaded_nothing()


def test_every_problem_is_listed_not_only_the_first(tmp_path):
    def mutate(data):
        data["units"][0]["elements"][0]["criteria"][1] = ""
        data["units"][2]["elements"] = []
        data["fee"] = "mahal"
    path = tmp_path / "skema.json"
    path.write_bytes(_file(mutate))
    with pytest.raises(CommandError) as exc:
        call_command("load_scheme", str(path))
    msg = str(exc.value)
    assert "units[0].elements[0].criteria[1]: kosong" in msg and "units[2].elements:" in msg and "fee:" in msg


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "skema.json"
    path.write_bytes(b"\xef\xbb\xbf" + SCHEME_FILE.read_bytes())
    call_command("load_scheme", str(path))
    assert Scheme.objects.get().units.count() == 6


def test_command_exits_non_zero_without_a_traceback(tmp_path):
    bad = tmp_path / "skema.json"
    bad.write_bytes(b"\xff\xfe not utf-8")
    env = {**os.environ, "KOMPETEN_DATA_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "kompeten.settings"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "load_scheme", str(bad)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "Berkas bukan teks UTF-8" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_loading_again_after_candidates_applied_says_what_is_frozen(scheme, candidate, tmp_path):
    from kompeten.cases import services

    services.create_case(candidate, scheme)
    changed = _file(_set(["units", 1, "elements", 0, "criteria", 2], "KUK baru"))
    path = tmp_path / "skema.json"
    path.write_bytes(changed)
    with pytest.raises(CommandError) as exc:
        call_command("load_scheme", str(path))
    msg = str(exc.value)
    assert "sudah dipakai oleh 1 permohonan" in msg and "dibekukan" in msg
    assert "units[1].elements[0].criteria[2]" in msg and "buat skema baru dengan nomor lain" in msg
    assert not Criterion.objects.filter(text="KUK baru").exists()

    # the brochure texts and fee may still change when the frozen parts are the same
    path.write_bytes(_file(lambda d: d.update(fee=900000, summary="Ringkasan baru")))
    call_command("load_scheme", str(path))
    scheme.refresh_from_db()
    assert scheme.fee == 900000 and scheme.summary == "Ringkasan baru"

    # the requirements are frozen too (APL.01 points at them): a message, not a ProtectedError
    path.write_bytes(_file(lambda d: d["requirements"].pop()))
    with pytest.raises(CommandError, match="requirements"):
        call_command("load_scheme", str(path))


def test_upload_on_the_scheme_screen_says_what_is_frozen(client, scheme, candidate):
    from kompeten.cases import services

    services.create_case(candidate, scheme)
    client.force_login(make_user("admin", Role.ADMIN))
    raw = _file(_set(["units", 0, "title"], "Judul lain"))
    resp = client.post(reverse("catalog:file", args=[scheme.code]), {"file": SimpleUploadedFile("s.json", raw)})
    html = resp.content.decode()
    assert resp.status_code == 400 and "dibekukan" in html and "units[0].title" in html
    assert scheme.units.first().title != "Judul lain"


def test_file_for_another_scheme_is_refused_on_its_screen(client, scheme):
    client.force_login(make_user("admin", Role.ADMIN))
    raw = _file(_set(["number"], "SKM/LAIN/2026"))
    resp = client.post(reverse("catalog:file", args=[scheme.code]), {"file": SimpleUploadedFile("s.json", raw)})
    assert resp.status_code == 400 and "bukan SKM/LSP-TDN/01/2026" in resp.content.decode()
    assert not Scheme.objects.filter(number="SKM/LAIN/2026").exists()


def big_scheme(n_units=300, n_elements=3, n_criteria=4):
    return {"number": "SKM/BESAR/2026", "code": "skema-besar", "title": "Skema Besar", "type": "Okupasi",
            "requirements": [{"kind": "basic", "text": "Ijazah"}],
            "units": [{"code": f"U.{u:04d}", "title": f"Unit {u}",
                       "elements": [{"title": f"Elemen {u}.{e}",
                                     "criteria": [f"KUK {u}.{e}.{c}" for c in range(n_criteria)]}
                                    for e in range(n_elements)]} for u in range(n_units)]}


def test_300_units_load_with_a_bounded_number_of_queries(tmp_path, django_assert_max_num_queries):
    path = tmp_path / "besar.json"
    path.write_text(json.dumps({"scheme": big_scheme()}))
    with django_assert_max_num_queries(60):  # bulk inserts: a few per table, not one per unit/element/KUK
        call_command("load_scheme", str(path))
    assert Criterion.objects.filter(element__unit__scheme__number="SKM/BESAR/2026").count() == 3600
    with django_assert_max_num_queries(80):  # loading again replaces the structure, still in bulk
        call_command("load_scheme", str(path))
    assert Unit.objects.filter(scheme__number="SKM/BESAR/2026").count() == 300


def test_brochure_of_300_units_stays_folded_with_fixed_queries(client, tmp_path, django_assert_max_num_queries):
    path = tmp_path / "besar.json"
    path.write_text(json.dumps({"scheme": big_scheme()}))
    call_command("load_scheme", str(path))
    with django_assert_max_num_queries(10):
        resp = client.get(reverse("catalog:scheme", args=["skema-besar"]))
    html = resp.content.decode()
    assert resp.status_code == 200 and "U.0299" in html
    assert html.count("<details") == 300 and "<details open" not in html
