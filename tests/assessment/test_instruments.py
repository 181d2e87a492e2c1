"""Instruments (MUK): per-form content, versions that never change once validated or used, FR.VA with preparer ≠
validator, only validated versions in plans, the coverage rule, the scheme file round trip, keys never to
candidates, wrong role refused with nothing changed."""

import pytest
from django.urls import reverse

from kompeten.assessment import instruments as I
from kompeten.assessment import services as S
from kompeten.assessment.models import AssessmentPlan, InstrumentItem, InstrumentVersion, Validation
from kompeten.catalog.loader import SchemeFileError, load_scheme, read_scheme_file
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import ActionLog, Role
from tests.assessment.conftest import plan_data
from tests.conftest import SCHEME_FILE, VALIDATION, make_user


def _crit(scheme):
    return [c for _e, c in I.flat_criteria(scheme)]


@pytest.fixture
def admin2(db):
    return make_user("admin2", Role.ADMIN, first_name="Rudi", last_name="Admin")


def test_each_form_checks_its_content(scheme):
    with pytest.raises(WorkflowError, match="kunci"):
        I.clean_item("IA.05", "Soal?", {"options": ["a", "b", "c"], "key": 5})
    with pytest.raises(WorkflowError, match="3 sampai 5"):
        I.clean_item("IA.05", "Soal?", {"options": ["a", "b"], "key": 0})
    with pytest.raises(WorkflowError, match="tidak boleh sama"):
        I.clean_item("IA.05", "Soal?", {"options": ["a", "A", "c"], "key": 0})
    with pytest.raises(WorkflowError, match="jawaban model"):
        I.clean_item("IA.06", "Jelaskan …", {})
    with pytest.raises(WorkflowError, match="Benchmark"):
        I.clean_item("IA.01", "KUK", {})
    with pytest.raises(WorkflowError, match="menit"):
        I.clean_item("IA.02", "Skenario", {"equipment": "PC", "minutes": 0})
    assert I.clean_item("IA.05", " Soal? ", {"options": ["x", "y", "z"], "key": 1}) == (
        "Soal?", {"options": ["x", "y", "z"], "key": 1})


def test_create_and_edit_in_place_while_draft(scheme, admin_user):
    v = I.create_instrument(scheme, admin_user, form="IA.07", title="Lisan baru")
    crit = _crit(scheme)
    v2 = I.save_item(v, admin_user, text="Apa itu DOM?", payload={"answer": "Representasi pohon dokumen"},
                     criteria=[crit[0].pk])
    assert v2.pk == v.pk and v.items.count() == 1
    assert ActionLog.objects.filter(act="edit_instrument").count() == 1


def test_validated_or_used_version_never_changes(scheme, admin_user, lead_assessor, event, assessor, muk):
    ia07 = next(v for v in muk if v.instrument.form == "IA.07")
    before = [(i.text, i.payload) for i in ia07.items.all()]
    item = ia07.items.first()
    new = I.save_item(ia07, admin_user, text="Pertanyaan yang diubah", payload={"answer": "Jawaban baru"},
                      criteria=[c.pk for c in item.criteria.all()], item_id=item.pk)
    assert new.pk != ia07.pk and new.number == ia07.number + 1 and new.status == "draft"
    assert [(i.text, i.payload) for i in ia07.items.all()] == before  # the validated version is untouched
    assert new.items.get(order=item.order).text == "Pertanyaan yang diubah"
    assert new.items.count() == ia07.items.count()
    # a version used in a submitted plan is frozen too, even before validation would say so
    S.submit_plan(event, assessor.user, data=plan_data(event))
    ia01 = next(v for v in muk if v.instrument.form == "IA.01")
    assert AssessmentPlan.objects.get().instrument_versions.filter(pk=ia01.pk).exists()
    assert I.is_frozen(ia01)
    copy = I.delete_item(ia01, admin_user, item_id=ia01.items.first().pk)
    assert copy.pk != ia01.pk and copy.items.count() == ia01.items.count() - 1


def test_preparer_may_not_validate(scheme, admin_user, admin2):
    v = I.create_instrument(scheme, admin_user, form="IA.07", title="Lisan")
    I.save_item(v, admin_user, text="Apa itu HTTP?", payload={"answer": "Protokol"}, criteria=[_crit(scheme)[0].pk])
    with pytest.raises(WorkflowError, match="tidak boleh memvalidasinya"):
        I.validate_version(v, admin_user, data=VALIDATION)
    # an author named in the team is refused as validator too
    data = dict(VALIDATION, team=[{"name": admin_user.display_name, "met": ""}])
    with pytest.raises(WorkflowError, match="Penyusun tidak boleh sekaligus"):
        I.validate_version(v, admin2, data=data)
    v.refresh_from_db()
    assert v.status == "draft" and not Validation.objects.filter(version=v).exists()
    I.validate_version(v, admin2, data=VALIDATION)
    v.refresh_from_db()
    assert v.status == "validated" and v.validation.team[0]["name"] == "Rudi Admin"


def test_file_authors_may_not_validate(raw_scheme, lead_assessor):
    scheme = raw_scheme
    v = I.latest_version(next(i for i in I.instruments_of(scheme) if i.form == "IA.05"))
    dewi = make_user("dewi", Role.LEAD_ASSESSOR, first_name="Dewi", last_name="Lestari")  # an author of the file
    with pytest.raises(WorkflowError, match="Penyusun"):
        I.validate_version(v, dewi, data=VALIDATION)
    assert v.status == "draft"


def test_validation_needs_period_place_and_matrix(raw_scheme, admin_user, lead_assessor):
    scheme = raw_scheme
    v = I.latest_version(next(i for i in I.instruments_of(scheme) if i.form == "IA.07"))
    with pytest.raises(WorkflowError) as exc:
        I.validate_version(v, lead_assessor, data={"team": []})
    assert {"period", "date", "place", "matrix"} <= set(exc.value.field_errors)
    empty = I.create_instrument(scheme, admin_user, form="IA.09", title="Kosong")
    with pytest.raises(WorkflowError, match="belum berisi butir"):
        I.validate_version(empty, lead_assessor, data=VALIDATION)


def test_wrong_role_refused_and_nothing_changes(scheme, candidate, assessor, muk):
    v = muk[0]
    count = InstrumentItem.objects.count()
    for user in (candidate, assessor.user):
        with pytest.raises(NotAllowed):
            I.create_instrument(scheme, user, form="IA.05", title="X")
        with pytest.raises(NotAllowed):
            I.save_item(v, user, text="x", payload={}, criteria=[])
        with pytest.raises(NotAllowed):
            I.validate_version(v, user, data=VALIDATION)
    assert InstrumentItem.objects.count() == count and not InstrumentVersion.objects.filter(status="draft").exists()


def test_only_validated_versions_in_a_plan(scheme, event, assessor, admin_user):
    draft = I.create_instrument(scheme, admin_user, form="IA.11", title="Reviu produk")
    data = plan_data(event)
    for row in data["mapa01"]["units"].values():
        row.pop("methods")
        row["versions"] = [draft.pk]
    with pytest.raises(WorkflowError, match="tervalidasi"):
        S.submit_plan(event, assessor.user, data=data)
    assert not AssessmentPlan.objects.exists()


def test_plan_refused_while_a_kuk_is_uncovered(scheme, event, assessor, muk):
    ia05 = next(v for v in muk if v.instrument.form == "IA.05")
    data = plan_data(event)
    for row in data["mapa01"]["units"].values():
        row.pop("methods")
        row["versions"] = [ia05.pk]  # the multiple-choice bank alone leaves KUK uncovered
    with pytest.raises(WorkflowError) as exc:
        S.submit_plan(event, assessor.user, data=data)
    msg = exc.value.field_errors["coverage"][0]
    uncovered = I.uncovered_labels(I.coverage(scheme, {u.pk: [ia05] for u in scheme.units.all()}))
    assert uncovered and all(label in msg for label in uncovered)
    assert "J.620100.005.02 KUK 1.1" in msg  # the mock-up KUK is not asked in the written test
    assert not AssessmentPlan.objects.exists()


def test_approve_refused_while_a_kuk_is_uncovered(scheme, event, assessor, lead_assessor, muk):
    plan = S.submit_plan(event, assessor.user, data=plan_data(event))
    # a plan stored before coverage was checked (or tampered with): its versions cover nothing
    plan.instrument_versions.set([next(v for v in muk if v.instrument.form == "IA.05")])
    for row in plan.mapa01["units"].values():
        row["versions"] = list(plan.instrument_versions.values_list("pk", flat=True))
    plan.save()
    with pytest.raises(WorkflowError, match="belum dicakup"):
        S.approve_plan(event, lead_assessor)
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_coverage_view_names_instruments_per_kuk(client, event, assessor, lead_assessor):
    S.submit_plan(event, assessor.user, data=plan_data(event))
    client.force_login(lead_assessor)
    body = client.get(reverse("assessment:plan_review", args=[event.pk])).content.decode()
    assert "Cakupan KUK" in body and "FR.IA.01 v1" in body and "belum ada" not in body


def test_loader_round_trip_and_new_version_when_frozen(scheme, muk):
    counts = (InstrumentVersion.objects.count(), InstrumentItem.objects.count())
    load_scheme(read_scheme_file(SCHEME_FILE))  # unchanged file: nothing new
    assert (InstrumentVersion.objects.count(), InstrumentItem.objects.count()) == counts
    data = read_scheme_file(SCHEME_FILE)
    ia05 = next(e for e in data["instruments"] if e["form"] == "IA.05")
    ia05["items"][0]["text"] = "Soal yang diperbaiki"
    load_scheme(data)
    inst = next(i for i in I.instruments_of(scheme) if i.form == "IA.05")
    latest = I.latest_version(inst)
    assert latest.number == 2 and latest.status == "draft" and latest.items.first().text == "Soal yang diperbaiki"
    assert inst.versions.get(number=1).items.first().text != "Soal yang diperbaiki"  # validated v1 kept
    assert latest.items.first().payload["key"] == I.LETTERS.index(ia05["items"][0]["key"])


def test_loader_refuses_bad_instruments_and_changes_nothing(scheme):
    data = read_scheme_file(SCHEME_FILE)
    bad = next(e for e in data["instruments"] if e["form"] == "IA.05")
    bad["items"][0]["key"] = "z"
    bad["items"][1]["text"] = "should not be saved"
    with pytest.raises(SchemeFileError, match="kunci"):
        load_scheme(data)
    data = read_scheme_file(SCHEME_FILE)
    data["instruments"][0]["items"][0]["kuk"] = ["J.999:1.1"]
    with pytest.raises(SchemeFileError, match="unknown KUK"):
        load_scheme(data)
    assert not InstrumentItem.objects.filter(text="should not be saved").exists()


def test_demo_muk_keys_are_sound(scheme):
    ia05 = I.latest_version(next(i for i in I.instruments_of(scheme) if i.form == "IA.05"))
    items = list(ia05.items.all())
    assert len(items) >= 30
    for item in items:
        assert 0 <= item.payload["key"] < len(item.payload["options"]) and item.criteria.exists()
    # spot checks of the keys a real assessor would expect
    by_text = {i.text: i.payload["options"][i.payload["key"]] for i in items}
    assert by_text["Hasil `[10, 9, 1].sort()` pada JavaScript (tanpa fungsi pembanding) adalah …"] == "[1, 10, 9]"
    assert by_text["Hasil `typeof null` pada JavaScript adalah …"] == "\"object\""
    assert by_text["Perintah SQL untuk menambahkan baris data baru ke sebuah tabel adalah …"] == "INSERT INTO"


def test_candidate_item_has_no_key(scheme):
    ia05 = I.latest_version(next(i for i in I.instruments_of(scheme) if i.form == "IA.05"))
    ia06 = I.latest_version(next(i for i in I.instruments_of(scheme) if i.form == "IA.06"))
    for item in list(ia05.items.all()) + list(ia06.items.all()):
        shown = I.candidate_item(item)
        assert "key" not in shown and "answer" not in shown


def test_instrument_pages_staff_only(client, scheme, candidate, admin_user, muk):
    v = next(v for v in muk if v.instrument.form == "IA.05")
    urls = [reverse("assessment:instruments"), reverse("assessment:scheme_instruments", args=[scheme.pk]),
            reverse("assessment:instrument_version", args=[v.pk]), reverse("assessment:instrument_key_pdf", args=[v.pk]),
            reverse("assessment:instrument_va_pdf", args=[v.pk]), reverse("assessment:instrument_item_add", args=[v.pk])]
    client.force_login(candidate)
    for url in urls:
        assert client.get(url).status_code == 403, url
    client.force_login(admin_user)
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
    assert client.get(urls[3])["Content-Type"] == "application/pdf"


def test_item_editor_refused_to_readers_who_may_not_author(client, muk, assessor):
    """An assessor reads the MUK but may not write it: the item editor is refused, not shown with a form that
    the service would refuse on saving (the matrix found it open)."""
    v = next(v for v in muk if v.instrument.form == "IA.05")
    client.force_login(assessor.user)
    for url in (reverse("assessment:instrument_item_add", args=[v.pk]),
                reverse("assessment:instrument_item", args=[v.pk, v.items.first().pk])):
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("assessment:instrument_version", args=[v.pk])).status_code == 200


def test_edit_item_screen_makes_new_version(client, scheme, admin_user, muk):
    v = next(v for v in muk if v.instrument.form == "IA.05")
    item = v.items.first()
    client.force_login(admin_user)
    post = {"text": "Soal baru?", "option_a": "satu", "option_b": "dua", "option_c": "tiga", "key": "2",
            "criteria": [str(c.pk) for c in item.criteria.all()]}
    r = client.post(reverse("assessment:instrument_item", args=[v.pk, item.pk]), post)
    new = I.latest_version(v.instrument)
    assert r.status_code == 302 and new.number == 2
    assert new.items.get(order=item.order).payload == {"options": ["satu", "dua", "tiga"], "key": 2}
    # a key that points at an empty option is refused with a message, nothing saved
    post["key"] = "4"
    r = client.post(reverse("assessment:instrument_item", args=[new.pk, new.items.first().pk]), post)
    assert r.status_code == 200 and "kunci jawaban" in r.content.decode()


def test_validate_screen_refuses_preparer(client, scheme, admin_user):
    v = I.create_instrument(scheme, admin_user, form="IA.07", title="Lisan")
    I.save_item(v, admin_user, text="Apa itu CSS?", payload={"answer": "Bahasa gaya"}, criteria=[_crit(scheme)[0].pk])
    client.force_login(admin_user)
    r = client.post(reverse("assessment:instrument_validate", args=[v.pk]),
                    {"period": "sebelum", "date": "2026-01-15", "place": "LSP", "rules_0": ["V"]})
    assert r.status_code == 200 and "tidak boleh memvalidasinya" in r.content.decode()
    v.refresh_from_db()
    assert v.status == "draft"
