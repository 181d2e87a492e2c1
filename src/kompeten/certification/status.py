"""Suspension, reinstatement and withdrawal of a certificate (ISO/IEC 17024 §9.6): acts of the workflow on the
holder's case (certified / surveillance; the case keeps its status), done by the Admin LSP or the Ketua LSP with
a reason, logged, the holder told. The certificate's status is read at once by the verification page and JSON,
the status lists (status_list.py computes from it) and every PDF rendered afterwards (rendering.py)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.cases.workflow import ACTS as ACTS_FLOW
from kompeten.cases.workflow import roles_for, transition
from kompeten.core.errors import WorkflowError
from kompeten.core.notify import lazy_text, notify

from .models import Certificate

S = Certificate.Status

# act code → (certificate statuses it starts from, status after)
ACTS = {
    "suspend_certificate": ({S.ACTIVE}, S.SUSPENDED),
    "reinstate_certificate": ({S.SUSPENDED}, S.ACTIVE),
    "withdraw_certificate": ({S.ACTIVE, S.SUSPENDED}, S.REVOKED),
}
REFUSALS = {
    "suspend_certificate": _("Hanya sertifikat yang berlaku yang dapat dibekukan."),
    "reinstate_certificate": _("Hanya sertifikat yang dibekukan yang dapat diberlakukan kembali."),
    "withdraw_certificate": _("Sertifikat ini sudah dicabut atau sudah kedaluwarsa."),
}
TITLES = {
    "suspend_certificate": _("Sertifikat kompetensi Anda dibekukan"),
    "reinstate_certificate": _("Sertifikat kompetensi Anda berlaku kembali"),
    "withdraw_certificate": _("Sertifikat kompetensi Anda dicabut"),
}


def certificate_of(case):
    return Certificate.objects.filter(case=case).first()


def blocker(code):
    """The precondition registered for act `code` (apps.py): the certificate's own status fits the act."""
    sources, _after = ACTS[code]

    def check(case):
        cert = certificate_of(case)
        if cert is None:
            return _("Permohonan ini belum memiliki sertifikat.")
        if cert.current_status not in sources:
            return REFUSALS[code]
        return None
    return check


def may_change(user, case, code):
    """May `user` do the status act `code` on the case's certificate now (role and the certificate's status)?"""
    return bool(roles_for(user, case) & ACTS_FLOW[code].roles) and blocker(code)(case) is None


def change_status(case, actor, code, *, reason, public_note=""):
    """One of the three acts. `reason` (required) is logged and told to the holder; `public_note` is what the
    verification page publishes about it (optional; cleared on reinstatement)."""
    reason = (reason or "").strip()
    public_note = (public_note or "").strip()
    _sources, after = ACTS[code]
    data = {}
    with transition(case, code, actor, reason=reason, data=data) as c:
        if not reason:
            raise WorkflowError(_("Tuliskan alasannya; alasan dicatat dan disampaikan kepada pemegang sertifikat."),
                                field_errors={"reason": [_("Alasan wajib diisi.")]})
        cert = Certificate.objects.select_for_update().get(case=c)
        before = cert.current_status
        cert.status = after
        cert.status_note = "" if after == S.ACTIVE else public_note
        cert.status_changed_at = timezone.now()
        cert.save(update_fields=["status", "status_note", "status_changed_at"])
        data.update(certificate=cert.number, certificate_status_before=str(before), certificate_status_after=after)
        if after != S.ACTIVE:
            # The suspension (or withdrawal) decides any surveillance check proposed for suspension: it leaves
            # the list of proposals waiting for a decision.
            from .surveillance import settle_suspension_proposals

            settled = settle_suspension_proposals(cert, actor, note=reason)
            if settled:
                data.update(surveillance_proposals_settled=settled)
    notify([case.candidate], TITLES[code],
           body=lazy_text(_("Sertifikat %(number)s kini berstatus %(status)s. Alasan: %(reason)s"),
                          number=cert.number, status=S(after).label, reason=reason),
           url=reverse("certification:verify", args=[cert.public_id]))
    return cert


def suspend_certificate(case, actor, *, reason, public_note=""):
    """Admin LSP / Ketua LSP: suspends a valid certificate (active → suspended)."""
    return change_status(case, actor, "suspend_certificate", reason=reason, public_note=public_note)


def reinstate_certificate(case, actor, *, reason):
    """Admin LSP / Ketua LSP: lifts a suspension (suspended → active)."""
    return change_status(case, actor, "reinstate_certificate", reason=reason)


def withdraw_certificate(case, actor, *, reason, public_note=""):
    """Admin LSP / Ketua LSP: withdraws a certificate for good (active/suspended → revoked)."""
    return change_status(case, actor, "withdraw_certificate", reason=reason, public_note=public_note)
