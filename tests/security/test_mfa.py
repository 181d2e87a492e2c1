"""Issue 12, Access: staff roles (admin, committee, Ketua LSP, lead assessor) confirm each log-in with a TOTP code
or a single-use recovery code; enrolment, failures and recovery use are in the action log."""

import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kompeten.core.actions import history
from kompeten.core.models import RecoveryCode

pytestmark = pytest.mark.django_db


def code_of(device):
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def enrol(client, user):
    """Password step only, then the enrolment page: returns the recovery codes shown once."""
    client.force_login(user, mfa_verified=False)
    page = client.get(reverse("mfa_setup"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    shown = client.post(reverse("mfa_setup"), {"code": code_of(device), "next": "/"})
    assert shown.status_code == 200
    return re.findall(r"<li>([A-Z2-9]{5}-[A-Z2-9]{5})</li>", shown.content.decode())


@pytest.mark.parametrize("who", ["admin_user", "committee", "lsp_head", "lead_assessor"])
def test_staff_without_second_factor_are_sent_to_enrol(client, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user, mfa_verified=False)
    resp = client.get(reverse("cases:list"))
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("mfa_setup"))
    # The pages needed to get through stay open.
    assert client.get(reverse("mfa_setup")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_other_roles_need_no_second_factor(client, candidate, assessor, tuk_head):
    for user in (candidate, assessor.user, tuk_head):
        client.force_login(user, mfa_verified=False)
        assert client.get(reverse("home")).status_code == 200


def test_enrolment_shows_ten_recovery_codes_once_and_stores_them_hashed(client, admin_user):
    codes = enrol(client, admin_user)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = list(RecoveryCode.objects.filter(user=admin_user).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert not any(c.replace("-", "") in h for c in codes for h in stored)
    assert TOTPDevice.objects.get(user=admin_user).confirmed
    assert history(admin_user).filter(act="mfa_enrolled").count() == 1
    assert client.get(reverse("cases:list")).status_code == 200  # this session is verified


def test_enrolment_with_a_wrong_code_is_refused_and_logged(client, committee):
    client.force_login(committee, mfa_verified=False)
    client.get(reverse("mfa_setup"))
    resp = client.post(reverse("mfa_setup"), {"code": "000000"})
    assert resp.status_code == 200 and "Kode tidak cocok" in resp.content.decode()
    assert not TOTPDevice.objects.filter(user=committee, confirmed=True).exists()
    assert history(committee).filter(act="mfa_failed").exists()
    assert client.get(reverse("cases:list")).status_code == 302


def test_verification_after_password_with_totp_or_a_single_use_recovery_code(client, lsp_head):
    codes = enrol(client, lsp_head)
    device = TOTPDevice.objects.get(user=lsp_head)

    # A new log-in: sent to verify; a wrong code is refused and logged.
    client.force_login(lsp_head, mfa_verified=False)
    client.session.flush()
    client.force_login(lsp_head, mfa_verified=False)
    resp = client.get(reverse("cases:list"))
    assert resp["Location"].startswith(reverse("mfa_verify"))
    bad = client.post(reverse("mfa_verify"), {"code": "123456"})
    assert bad.status_code == 200 and "Kode salah" in bad.content.decode()
    assert history(lsp_head).filter(act="mfa_failed").exists()

    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=2)):
        ok = client.post(reverse("mfa_verify"), {"code": code_of(device), "next": reverse("cases:list")})
        assert ok.status_code == 302 and ok["Location"] == reverse("cases:list")
    assert client.get(reverse("cases:list")).status_code == 200

    # Another log-in with a recovery code: works once, is logged, then is used up.
    for expected in (302, 200):
        client.post(reverse("logout"))
        client.force_login(lsp_head, mfa_verified=False)
        resp = client.post(reverse("mfa_verify"), {"code": codes[0].lower()})
        assert resp.status_code == expected
    assert history(lsp_head).filter(act="mfa_recovery_used").count() == 1
    assert RecoveryCode.objects.filter(user=lsp_head, used_at__isnull=False).count() == 1
    assert client.get(reverse("cases:list")).status_code == 302


def test_the_requirement_can_be_switched_off(client, admin_user, settings):
    settings.KOMPETEN_MFA_REQUIRED = False
    client.force_login(admin_user, mfa_verified=False)
    assert client.get(reverse("cases:list")).status_code == 200
