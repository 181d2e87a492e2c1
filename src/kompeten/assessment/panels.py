"""Panels this app adds to the case page (cases:detail) and the event page (events:detail)."""

from django.urls import reverse

from kompeten.assessment import wording as W
from kompeten.assessment.models import (
    Adjustment,
    Agreement,
    Apl02Review,
    AssessmentRecord,
    Attendance,
    Consultation,
    Feedback,
    Report,
    Review,
)
from kompeten.cases.workflow import ACTS, roles_for
from kompeten.core.models import Role


def preparation_panel(case, user):
    """Consultation, FR.AK.01 with signature states, FR.AK.07 and the APL.02 review (S2.3–S2.5)."""
    if not roles_for(user, case):
        return None
    agreement = Agreement.objects.filter(case=case).first()
    ctx = {
        "case": case,
        "consultation": Consultation.objects.filter(case=case).first(),
        "agreement": agreement,
        "evidence": [W.label(W.AK01_EVIDENCE, e) for e in agreement.evidence] if agreement else [],
        "adjustment": Adjustment.objects.filter(case=case).first(),
        "apl02": Apl02Review.objects.filter(case=case).select_related("reviewed_by").first(),
    }
    if not any(ctx[k] for k in ["consultation", "agreement", "adjustment", "apl02"]):
        return None
    ctx["old_adjustments"] = Adjustment.all_versions.filter(case=case, superseded_at__isnull=False).order_by("-pk")
    ctx["old_apl02"] = (Apl02Review.all_versions.filter(case=case, superseded_at__isnull=False)
                        .select_related("reviewed_by").order_by("-pk"))
    if ctx["adjustment"]:
        ctx["adjustments"] = [text for (text, _o), r in zip(W.AK07_CHARACTERISTICS, ctx["adjustment"].characteristics,
                                                             strict=False) if r.get("needed")]
    return ctx


def result_panel(case, user):
    """Attendance, FR.AK.02 per unit with K/BK, feedback/AK.03, AK.06 and AK.05 (S3.1–S4.5)."""
    if not roles_for(user, case):
        return None
    record = (AssessmentRecord.objects.filter(case=case).prefetch_related("units__unit").first())
    ctx = {
        "case": case,
        "attendance": Attendance.objects.filter(case=case).first(),
        "record": record,
        "feedback": Feedback.objects.filter(case=case).first(),
        "review": Review.objects.filter(case=case).select_related("reviewed_by").first(),
        "report": Report.objects.filter(case=case).select_related("forwarded_by").first(),
    }
    if Role.ASSESSOR in roles_for(user, case) and (case.status == "in_assessment" or record):
        ctx["day_url"] = reverse("assessment:day", args=[case.pk])
    ctx["old_records"] = AssessmentRecord.all_versions.filter(case=case, superseded_at__isnull=False).order_by("-pk")
    # The IA forms of every assessment round (the candidate: their answer sheets), once the assessment began.
    from kompeten.assessment import ia_prints

    began = case.status == "in_assessment" or ctx["attendance"] or ctx["record"] or ctx["old_records"].exists()
    ctx["prints"] = ia_prints.prints_by_round(case, user) if began else []
    if not any(ctx[k] for k in ["attendance", "record", "feedback", "review", "report", "prints"]):
        return None
    return ctx


def event_panel(event, user):
    """The plan (MAPA.01/02) versions with their review, and the readiness checks (S2.2, S3.1)."""
    if not roles_for(user, event):
        return None
    plans = list(event.plans.select_related("submitted_by", "reviewed_by"))
    check = event.resource_checks.select_related("checked_by").first()
    items = [(label, check.items.get(key)) for key, label in W.RESOURCE_ITEMS] if check else []
    from kompeten.assessment.models import Report

    # FR.AK.05 per assessor: how many of their candidates' reports exist (one printed report each).
    reported = {}
    for rep in Report.objects.filter(case__event=event).select_related("case__assessor__user"):
        a = rep.case.assessor
        reported.setdefault(a.pk, [a, 0])[1] += 1
    # The attendance list (S3.1) for those who check candidates in, while candidates wait for it.
    may_check_in = bool(roles_for(user, event) & ACTS["check_in"].roles)
    waiting = event.cases.filter(status="ready").count() if may_check_in else 0
    return {"event": event, "plans": plans, "plan": plans[0] if plans else None, "check": check, "items": items,
            "reports": list(reported.values()), "check_in_waiting": waiting}
