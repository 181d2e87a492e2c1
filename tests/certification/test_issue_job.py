"""A meeting's issue job in batches, its certificates' credentials and PDFs made in worker processes
(certification.press): every certificate numbered without a gap, with a valid signed PDF (poppler's pdfsig) and a
credential that verifies, the same as a single issue would make; a certificate that cannot be made fails the job
and leaves its batch unissued, its numbers unused."""

import json
import shutil
import subprocess

import pytest
import typst
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from kompeten.cases.models import Case, Document
from kompeten.certification import credentials, pleno, rendering, services
from kompeten.certification.models import Certificate, DigitalCredential
from kompeten.core.jobs import run_job
from kompeten.core.models import Job, Role, Sequence
from kompeten.core.pdf import PDF_DIR
from tests.conftest import make_user

from .helpers import make_case, recommend

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not shutil.which("pdfsig"), reason="poppler-utils (pdfsig) is not installed")]


@pytest.fixture(autouse=True)
def _keys_in_tmp(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.PDF_SIGNING_KEY_FILE = settings.PDF_SIGNING_CERT_FILE = settings.CREDENTIAL_KEY_FILE = ""


@pytest.fixture
def members(committee):
    return [committee, make_user("komite2", Role.COMMITTEE, first_name="Bayu", last_name="Saputra")]


def _png():
    return typst.compile(str(PDF_DIR / "demo-photo.typ"), root=str(PDF_DIR), format="png", ppi=96,
                         sys_inputs={"data": json.dumps({"name": "Budi", "skin": "#e0ac69", "shirt": "#1d3557"})})


def _photo(case, content):
    req = case.scheme.requirements.get(text__icontains="pas foto")
    return Document.objects.create(case=case, requirement=req, title="Pas foto 3x4",
                                   file=ContentFile(content, name="foto.png"), original_name="foto.png",
                                   content_type="image/png", size=len(content), sha256="x",
                                   uploaded_by=case.candidate)


def _meeting(members, scheme, assessor, event, settings, n, *, photos=None):
    """A closed meeting with n K cases, every holder's agreement signed, a pas foto for each (`photos`: the bytes
    of each, default a real PNG)."""
    settings.PLENO_QUORUM = 2
    meeting = pleno.open_meeting(members[0], held_on=timezone.localdate(), members=members, place="Ruang Rapat")
    png = _png()
    cases = []
    for i in range(n):
        holder = make_user(f"asesi{i}", Role.CANDIDATE, first_name=f"Asesi {i}", last_name="Santoso")
        case = make_case(holder, scheme, assessor, event)
        recommend(case, "K")
        pleno.decide_in_meeting(meeting, case, members[i % 2], decision="K")
        services.sign_holder_agreement(case, holder)
        _photo(case, (photos or {}).get(i, png))
        cases.append(case)
    return pleno.close_meeting(meeting, members[0]), cases


def _pdfsig(pdf, tmp_path):
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=30).stdout


def _run(meeting, lsp_head, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        job = pleno.start_issue_job(meeting, lsp_head)
    run_job.call(job.pk)
    job.refresh_from_db()
    return job


def _numbers():
    return sorted(int(n.rsplit("/", 1)[1]) for n in Certificate.objects.values_list("number", flat=True))


def test_two_worker_processes_make_every_certificate_as_a_single_issue_would(
        members, scheme, assessor, event, lsp_head, settings, monkeypatch, tmp_path,
        django_capture_on_commit_callbacks):
    monkeypatch.setattr(pleno, "PARALLEL_FROM", 1)
    monkeypatch.setattr(pleno, "ISSUE_BATCH", 2)  # three batches: 2, 2, 1
    settings.ISSUE_PROCESSES = 2
    meeting, cases = _meeting(members, scheme, assessor, event, settings, 5)
    job = _run(meeting, lsp_head, django_capture_on_commit_callbacks)
    assert (job.status, job.done, job.total) == (Job.Status.DONE, 5, 5), job.message
    lines = job.message.splitlines()
    certs = [Certificate.objects.get(case=c) for c in cases]
    # In the meeting's order, numbered in that order without a gap, each reported once.
    assert [int(c.number.rsplit("/", 1)[1]) for c in certs] == [1, 2, 3, 4, 5]
    assert lines == [f"{c.number} ({c.candidate.display_name}): sertifikat {cert.number} terbit."
                     for c, cert in zip(cases, certs, strict=True)]
    assert set(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("status", flat=True)) == {"certified"}
    renderer = rendering.CertificateRenderer()
    indices = set()
    for cert in certs:
        # The signed PDF is valid, and it is what a download would make now (so the stored copy is served).
        with cert.pdf.open("rb") as f:
            pdf = f.read()
        assert "Signature is Valid." in _pdfsig(pdf, tmp_path)
        assert cert.pdf_fingerprint == renderer.fingerprint(renderer.data(cert))
        assert rendering.render_certificate(cert, renderer=renderer) == pdf
        # The credential, signed in a worker, verifies and names this certificate.
        stored = DigitalCredential.objects.get(certificate=cert)
        document = json.loads(stored.document)
        assert credentials.verify_credential(document)
        assert document["credentialSubject"]["licenseNumber"] == cert.number
        indices.add(stored.status_index)
    assert len(indices) == 5


def test_a_certificate_that_cannot_be_made_fails_the_job_and_its_batch_stays_unissued(
        members, scheme, assessor, event, lsp_head, settings, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(pleno, "PARALLEL_FROM", 1)
    monkeypatch.setattr(pleno, "ISSUE_BATCH", 2)
    settings.ISSUE_PROCESSES = 2
    # The fourth holder's pas foto is not an image: Typst cannot render that certificate in its worker.
    meeting, cases = _meeting(members, scheme, assessor, event, settings, 5, photos={3: b"not a png"})
    job = _run(meeting, lsp_head, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED
    assert cases[3].number in job.message and "tidak dapat dibuat" in job.message, job.message
    # The first batch is issued whole; the failed batch not at all: no number used, no certificate without PDF.
    assert list(Certificate.objects.order_by("pk").values_list("case_id", flat=True)) == [cases[0].pk, cases[1].pk]
    assert all(c.pdf for c in Certificate.objects.all()) and DigitalCredential.objects.count() == 2
    assert Sequence.objects.get(name="certificate").last == 2
    assert set(Case.objects.filter(pk__in=[c.pk for c in cases[2:]]).values_list("status", flat=True)) == {"competent"}
    assert sorted(default_storage.listdir("certificates")[1]) == sorted(  # the failed batch's files removed
        c.pdf.name.rsplit("/", 1)[1] for c in Certificate.objects.all())
    # Once the photo is replaced, the job issues the rest, numbered on without a gap.
    Document.objects.filter(case=cases[3]).delete()
    _photo(cases[3], _png())
    job = _run(meeting, lsp_head, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE and job.done == 5, job.message
    assert _numbers() == [1, 2, 3, 4, 5]
    assert "sudah bersertifikat" in job.message


def test_in_one_process_a_failure_is_the_same(members, scheme, assessor, event, lsp_head, settings, monkeypatch,
                                             django_capture_on_commit_callbacks):
    monkeypatch.setattr(pleno, "ISSUE_BATCH", 2)
    settings.ISSUE_PROCESSES = 1
    meeting, cases = _meeting(members, scheme, assessor, event, settings, 3, photos={1: b"not a png"})
    job = _run(meeting, lsp_head, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED and cases[1].number in job.message
    assert not Certificate.objects.exists() and not DigitalCredential.objects.exists()
    assert not Sequence.objects.filter(name="certificate", last__gt=0).exists()


def test_a_worker_that_takes_too_long_fails_the_job_and_is_stopped(
        members, scheme, assessor, event, lsp_head, settings, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(pleno, "PARALLEL_FROM", 1)
    monkeypatch.setattr(services, "MAKE_SECONDS", 0.001)  # as if a worker were stuck on the first certificate
    settings.ISSUE_PROCESSES = 2
    meeting, cases = _meeting(members, scheme, assessor, event, settings, 2)
    job = _run(meeting, lsp_head, django_capture_on_commit_callbacks)  # returns: the workers were ended
    assert job.status == Job.Status.FAILED and cases[0].number in job.message and "TimeoutError" in job.message
    assert not Certificate.objects.exists() and not Sequence.objects.filter(name="certificate", last__gt=0).exists()
