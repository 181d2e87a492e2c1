"""Recertification (Sertifikasi Ulang): the holder starts a new case from a certificate that is about to expire.

The new case (cases.services.create_case, purpose Sertifikasi Ulang) is linked to the earlier certificate by a
Recertification record, which also says which path the case follows: the scheme's shorter path (its file's
`recertification` key, docs/scheme-format.md) when the scheme has one and its condition holds (a clean
surveillance record), else the full path. On the shorter path the FR.AK.02 record may use only that path's methods
(checked by the assessment app through the hook registered in apps.py). The certificate issued on the new case
names the one it renews (Certificate.renews).
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.cases.selectors import Purpose
from kompeten.cases.services import create_case
from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.dates import format_date_lazy
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role, User
from kompeten.core.notify import lazy_text, notify

from .models import Certificate, Recertification
from .surveillance import clean_record

# The AK.02 method columns a shorter path may name (assessment.wording.AK02_METHODS keys; a test keeps them equal).
METHOD_LABELS = {
    "observasi": _("observasi demonstrasi"), "portofolio": _("portofolio"),
    "pihak_ketiga": _("pernyataan pihak ketiga / wawancara"), "lisan": _("pertanyaan lisan"),
    "tertulis": _("pertanyaan tertulis"), "proyek": _("proyek kerja"), "lainnya": _("lainnya"),
}
# A case ended without a certificate: a new recertification may be started from the same certificate.
ENDED = {"withdrawn", "not_accepted", "not_continued", "not_competent"}

register_act_labels({"start_recertification": _("Sertifikasi ulang diajukan")})


def window_opens(cert):
    return cert.valid_until - dt.timedelta(days=settings.RECERT_WINDOW_DAYS)


def open_recertification(cert):
    """The recertification case started from this certificate that is still going (or led to a new one)."""
    return (Recertification.objects.filter(previous=cert).exclude(case__status__in=ENDED)
            .select_related("case").first())


def blocker(cert, user, today=None):
    """Why `user` cannot start recertification from `cert` now, or None."""
    today = today or timezone.localdate()
    if not getattr(user, "is_authenticated", False) or cert.case.candidate_id != user.pk:
        return _("Sertifikasi ulang hanya dapat diajukan oleh pemegang sertifikat.")
    if cert.current_status != Certificate.Status.ACTIVE:
        return lazy_text(_("Sertifikat berstatus “%(status)s”; sertifikasi ulang hanya dari sertifikat yang masih "
                           "berlaku. Ajukan permohonan sertifikasi baru."), status=cert.current_status_label)
    if today < window_opens(cert):
        return lazy_text(_("Sertifikasi ulang dapat diajukan mulai %(date)s (%(days)s hari sebelum sertifikat "
                           "berakhir)."), date=format_date_lazy(window_opens(cert)), days=settings.RECERT_WINDOW_DAYS)
    existing = open_recertification(cert)
    if existing:
        return lazy_text(_("Sertifikasi ulang untuk sertifikat ini sudah diajukan: permohonan %(number)s."),
                         number=existing.case.number)
    if not cert.scheme.is_active:
        return _("Skema sertifikat ini sedang tidak menerima permohonan; hubungi LSP.")
    return None


def path_for(cert, today=None):
    """(path, methods, reason) the new case follows, from the scheme's `recertification` definition."""
    spec = cert.scheme.recertification or {}
    methods = list(spec.get("methods") or [])
    if not methods:
        return (Recertification.Path.FULL, [],
                str(_("Skema ini tidak menetapkan jalur singkat sertifikasi ulang; asesmen mengikuti jalur penuh.")))
    names = ", ".join(str(METHOD_LABELS.get(m, m)) for m in methods)
    if spec.get("condition", "clean_surveillance") == "clean_surveillance" and not clean_record(cert, today):
        return (Recertification.Path.FULL, [],
                str(_("Rekam surveilan tidak bersih (ada surveilan yang tidak memenuhi, terlewat, atau sertifikat "
                      "pernah dibekukan), sehingga jalur singkat (%(methods)s) tidak berlaku; asesmen mengikuti "
                      "jalur penuh.") % {"methods": names}))
    why = (_("rekam surveilan bersih") if spec.get("condition", "clean_surveillance") == "clean_surveillance"
           else _("skema menetapkannya untuk setiap pemegang"))
    text = str(_("Jalur singkat: asesmen hanya dengan %(methods)s, karena %(why)s.") % {"methods": names, "why": why})
    if spec.get("description"):
        text += " " + spec["description"]
    return Recertification.Path.SHORT, methods, text


def start_recertification(cert, actor):
    """The holder, within RECERT_WINDOW_DAYS before the certificate expires: opens a new draft case with purpose
    Sertifikasi Ulang for the same scheme, linked to the certificate, on the path the scheme allows."""
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().select_related("case", "scheme").get(pk=cert.pk)
        why = blocker(cert, actor)
        if why:
            raise (NotAllowed if cert.case.candidate_id != getattr(actor, "pk", None) else WorkflowError)(why)
        path, methods, reason = path_for(cert)
        case = create_case(actor, cert.scheme, purpose=Purpose.RECERTIFICATION)
        link = Recertification.objects.create(case=case, previous=cert, path=path, methods=methods, reason=reason)
        log_action(actor, "start_recertification", case, reason=reason,
                   data={"previous": cert.number, "path": path, "methods": methods})
    admins = list(User.objects.filter(roles__role=Role.ADMIN, is_active=True).distinct())
    notify(admins, lazy_text(_("Sertifikasi ulang diajukan: %(number)s"), number=cert.number),
           body=lazy_text(_("%(name)s membuka permohonan %(case)s untuk memperbarui sertifikat %(number)s (%(path)s)."),
                          name=cert.holder_name, case=case.number, number=cert.number, path=link.get_path_display()),
           url=case.get_absolute_url())
    return link


# --- read by others through hooks -----------------------------------------------------------------------


def recertification_of(case):
    return Recertification.objects.filter(case=case).select_related("previous").first()


def allowed_methods(case):
    """The AK.02 methods the case may use, or None for any (the assessment app's method-limit hook)."""
    link = recertification_of(case)
    if link and link.path == Recertification.Path.SHORT and link.methods:
        return list(link.methods)
    return None


def renewed_certificate(case):
    """The certificate a new certificate on this case renews, or None."""
    link = recertification_of(case)
    return link.previous if link else None
