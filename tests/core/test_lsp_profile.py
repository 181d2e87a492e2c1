"""The LSP's own profile: shown on the public home page and in the top bar, edited by the Admin LSP only."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kompeten.core.actions import history
from kompeten.core.lsp import lsp_profile
from kompeten.core.models import LspProfile
from kompeten.core.services import update_lsp_profile
from tests.s3 import ON_DISK_AND_S3

PNG = (Path(__file__).resolve().parents[2] / "src/kompeten/demo/assets/lsp-tdn-logo.png").read_bytes()
FORM = {"name": "LSP Energi Mandiri", "licence_number": "BNSP-LSP-0777-ID", "description": "LSP P3 energi.",
        "address": "Jl. Gatot Subroto No. 5, Jakarta 12950", "phone": "021-555 0101",
        "email": "halo@lsp-energi.id", "website": "https://lsp-energi.id"}


@pytest.mark.django_db
def test_landing_shows_the_profile_address_and_contact(client, admin_user):
    update_lsp_profile(admin_user, name="LSP Teknologi Digital Nusantara", licence_number="BNSP-LSP-1234-ID",
                       address="Jl. Dipati Ukur No. 112, Bandung", phone="(022) 2504 1188",
                       email="info@lsp-tdn.id", website="https://lsp-tdn.id", description="LSP P2 di Bandung.")
    body = client.get(reverse("home")).content.decode()
    for text in ("Jl. Dipati Ukur No. 112, Bandung", "(022) 2504 1188", 'href="mailto:info@lsp-tdn.id"',
                 'href="https://lsp-tdn.id"', "BNSP-LSP-1234-ID", "LSP P2 di Bandung.", "Alur sertifikasi",
                 reverse("certification:verify_form"), reverse("register"), reverse("login")):
        assert text in body, text


@pytest.mark.django_db
def test_without_a_profile_the_settings_name_is_used(client, settings):
    settings.LSP_NAME = "LSP Contoh"
    assert not LspProfile.objects.exists()
    body = client.get(reverse("home")).content.decode()
    assert "LSP Contoh" in body and "Kontak LSP belum diisi." in body
    assert client.get(reverse("lsp_logo")).status_code == 404


@ON_DISK_AND_S3
@pytest.mark.django_db
def test_admin_edits_the_profile_and_the_home_page_shows_it(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("lsp_profile")).status_code == 200
    logo = SimpleUploadedFile("logo-kami.png", PNG, "image/png")
    response = client.post(reverse("lsp_profile"), {**FORM, "logo": logo})
    assert response.status_code == 302
    profile = lsp_profile()
    assert profile.pk and profile.name == "LSP Energi Mandiri" and profile.logo.name.endswith(".png")
    assert history(profile)[0].act == "update_lsp_profile"
    client.logout()
    body = client.get(reverse("home")).content.decode()
    for text in FORM.values():
        assert text in body, text
    assert reverse("lsp_logo") in body  # logo in the top bar and on the page
    logo_response = client.get(reverse("lsp_logo"))
    assert logo_response.status_code == 200 and logo_response["Content-Type"] == "image/png"
    assert b"".join(logo_response.streaming_content) == PNG


@pytest.mark.django_db
def test_a_file_that_is_no_image_is_refused_with_a_message(client, admin_user):
    client.force_login(admin_user)
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)></svg>", "image/png")
    response = client.post(reverse("lsp_profile"), {**FORM, "logo": fake})
    assert response.status_code == 200
    assert "Logo harus berupa gambar PNG, JPG atau WebP." in response.content.decode()
    assert not LspProfile.objects.exists()
    response = client.post(reverse("lsp_profile"), {**FORM, "email": "bukan-email", "website": "x y"})
    assert "Masukkan alamat email yang benar." in response.content.decode()
    assert not LspProfile.objects.exists()


@pytest.mark.django_db
def test_a_non_admin_cannot_edit_the_profile(client, candidate, lsp_head, committee):
    for user in (candidate, lsp_head, committee):
        client.force_login(user)
        assert client.get(reverse("lsp_profile")).status_code == 403
        assert client.post(reverse("lsp_profile"), FORM).status_code == 403
    assert not LspProfile.objects.exists()
    client.logout()
    assert client.get(reverse("lsp_profile")).status_code == 302  # to the login page


@pytest.mark.django_db
def test_the_service_refuses_a_non_admin(lsp_head):
    from kompeten.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        update_lsp_profile(lsp_head, **FORM)
    assert not LspProfile.objects.exists()


@pytest.mark.django_db
def test_top_bar_and_pdf_header_use_the_profile(client, admin_user, monkeypatch):
    from kompeten.core import pdf

    update_lsp_profile(admin_user, **FORM)
    body = client.get(reverse("catalog:list")).content.decode()
    assert '<span class="lsp-brand-name">LSP Energi Mandiri</span>' in body
    seen = {}
    monkeypatch.setattr(pdf.typst, "compile", lambda *a, sys_inputs, **k: seen.update(sys_inputs) or b"%PDF")
    pdf.render_pdf("apl01.typ", {})
    assert '"lsp_name": "LSP Energi Mandiri"' in seen["data"] and "BNSP-LSP-0777-ID" in seen["data"]


@pytest.mark.django_db
def test_demo_profile_is_saved_through_the_service(admin_user):
    from kompeten.demo.profile import PROFILE, demo_lsp_profile

    demo_lsp_profile(admin_user)
    demo_lsp_profile(admin_user)  # again: still one profile
    profile = LspProfile.objects.get()
    assert profile.website == "https://lsp-tdn.id" and "Bandung" in profile.address
    assert profile.email == PROFILE["email"] and profile.logo.read() == PNG


def test_filter_fields_drawn_without_a_label_still_have_a_name():
    from kompeten.events.forms import EventFilterForm

    html = str(EventFilterForm()["status"])
    assert 'aria-label="Status"' in html

