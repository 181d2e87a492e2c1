"""What the certification app shows on the case page (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _

from kompeten.assessment.selectors import assessor_recommendation
from kompeten.cases.workflow import CaseStatus as S
from kompeten.cases.workflow import roles_for
from kompeten.core.models import Role

from .credentials import linkedin_add_url
from .models import Certificate, Decision, HolderAgreement, Surveillance

STAFF_ROLES = {Role.ADMIN, Role.LSP_HEAD, Role.COMMITTEE}


def agreement_signed(case, user):
    """Done-check for sign_holder_agreement: the agreement of this case exists."""
    return HolderAgreement.objects.filter(case=case).exists()


def issue_blocker(case):
    """Precondition of issue_certificate: the holder has signed the certificate-use agreement."""
    if not HolderAgreement.objects.filter(case=case).exists():
        return _("Sertifikat belum dapat diterbitkan: asesi belum menandatangani persetujuan penggunaan "
                 "sertifikat.")
    return None


def decision_panel(case, user):
    decision = Decision.objects.filter(case=case).select_related("decided_by").first()
    if decision is None and case.status != S.AWAITING_DECISION:
        return None
    return {"case": case, "decision": decision, "recommendation": assessor_recommendation(case)}


def certificate_panel(case, user):
    cert = Certificate.objects.filter(case=case).select_related("scheme").first()
    if cert is None and case.status != S.COMPETENT:
        return None
    mine = roles_for(user, case)
    return {
        "case": case, "certificate": cert,
        "agreement": HolderAgreement.objects.filter(case=case).select_related("signed_by").first(),
        "can_download": bool(Role.CANDIDATE in mine or mine & STAFF_ROLES),
        # The holder may put the certificate on their LinkedIn profile while it is valid (a plain link).
        "linkedin_url": linkedin_add_url(cert) if cert and Role.CANDIDATE in mine and cert.is_valid else "",
        # Suspend / reinstate / withdraw, for whoever may do them now (status.py); the blanko print for staff.
        "status_acts": _status_acts(case, cert, mine) if cert else [],
        "can_print_blanko": bool(cert and mine & STAFF_ROLES),
    }


def _status_acts(case, cert, mine):
    from kompeten.cases.workflow import ACTS, blocker

    from .status import ACTS as STATUS_ACTS

    return [(code, ACTS[code].button) for code in STATUS_ACTS
            if case.status in ACTS[code].sources and ACTS[code].roles & mine and not blocker(case, code)]


def surveillance_panel(case, user):
    surveillance = (Surveillance.objects.filter(certificate__case=case).select_related("enrolled_by")
                    .prefetch_related("checks").first())
    if surveillance is None:
        return None
    from .surveillance import is_overdue, may_view

    checks = list(surveillance.checks.all())
    for c in checks:
        c.overdue = is_overdue(c)
    return {"case": case, "surveillance": surveillance, "checks": checks,
            "can_open": bool(checks) and may_view(user, checks[0])}


def recertification_panel(case, user):
    """On a Sertifikasi Ulang case: the certificate it renews and the path the case follows, and why."""
    from .recertification import METHOD_LABELS, recertification_of

    link = recertification_of(case)
    if link is None:
        return None
    return {"case": case, "link": link, "methods": [METHOD_LABELS.get(m, m) for m in link.methods]}


def renewal_panel(case, user):
    """On the holder's certified case: start recertification (within the window), or where it stands."""
    from .recertification import blocker, open_recertification, window_opens

    cert = Certificate.objects.filter(case=case).select_related("scheme").first()
    if cert is None or Role.CANDIDATE not in roles_for(user, case):
        return None
    existing = open_recertification(cert)
    renewed = cert.renewed_by.first()
    return {"case": case, "cert": cert, "existing": existing, "renewed": renewed,
            "blocker": blocker(cert, user), "opens": window_opens(cert)}
