"""The candidate sees by when to act: limits counted from the act that opened the step."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from kompeten.cases import deadlines
from kompeten.cases.models import Case
from kompeten.core.actions import log_action


def test_revision_deadline_is_counted_from_the_return(candidate, scheme, admin_user, client):
    case = Case.objects.create(number="PMH-2026-07001", candidate=candidate, scheme=scheme, status="revision")
    assert deadlines.due(case, "submit_application") is None
    log_action(admin_user, "return_application", case, status_before="submitted", status_after="revision")
    expected = timezone.localdate() + dt.timedelta(days=deadlines.REVISION_DAYS)
    assert deadlines.due(case, "submit_application") == expected
    client.force_login(candidate)
    home = client.get(reverse("home")).content.decode()
    assert "Giliran Anda" in home and "batas" in home
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "batas" in page


def test_confirmation_deadline_never_after_the_day_before_the_event(candidate, scheme, admin_user):
    from kompeten.events.models import AssessmentEvent

    start = timezone.now() + dt.timedelta(days=2)
    event = AssessmentEvent.objects.create(number="JUK-T-900", scheme=scheme, starts_at=start,
                                           ends_at=start + dt.timedelta(hours=8))
    case = Case.objects.create(number="PMH-2026-07002", candidate=candidate, scheme=scheme, status="scheduled",
                               event=event)
    log_action(admin_user, "schedule_case", case)
    assert deadlines.due(case, "confirm_schedule") == timezone.localdate(start) - dt.timedelta(days=1)
    assert deadlines.due(case, "withdraw") is None


def test_a_limit_goes_once_its_act_is_done_or_passed(candidate, scheme, admin_user, client):
    """A deadline belongs only to an act still open: signed, or moved past, leaves no limit on any page."""
    from kompeten.certification.models import HolderAgreement

    case = Case.objects.create(number="PMH-2026-07003", candidate=candidate, scheme=scheme, status="competent")
    log_action(admin_user, "decide_competent", case, status_before="awaiting_decision", status_after="competent")
    assert deadlines.due(case, "sign_holder_agreement") is not None  # still to sign
    HolderAgreement.objects.create(case=case, signed_by=candidate, text="Setuju.")
    assert deadlines.due(case, "sign_holder_agreement") is None
    assert deadlines.due(case, "sign_holder_agreement", candidate) is None
    client.force_login(admin_user)
    assert "batas" not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    client.force_login(candidate)
    assert "batas" not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "batas" not in client.get(reverse("home")).content.decode()

    finished = Case.objects.create(number="PMH-2026-07004", candidate=candidate, scheme=scheme, status="certified")
    log_action(admin_user, "decide_competent", finished, status_before="awaiting_decision", status_after="competent")
    log_action(admin_user, "return_application", finished)
    for code in deadlines.DEADLINES:
        assert deadlines.due(finished, code) is None, code
