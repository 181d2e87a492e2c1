"""The certification case: one candidate applying for one scheme, from APL.01 to the certificate."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompeten.cases.workflow import CaseStatus as S


class Purpose(models.TextChoices):
    CERTIFICATION = "sertifikasi", _("Sertifikasi")
    RECERTIFICATION = "sertifikasi_ulang", _("Sertifikasi Ulang")
    PKT = "pkt", _("Pengakuan Kompetensi Terkini (PKT)")
    RPL = "rpl", _("Rekognisi Pembelajaran Lampau (RPL)")
    OTHER = "lainnya", _("Lainnya")


class Case(models.Model):
    class Status(models.TextChoices):
        DRAFT = S.DRAFT, _("Draf permohonan")
        SUBMITTED = S.SUBMITTED, _("Menunggu kaji dokumen")
        REVISION = S.REVISION, _("Dikembalikan untuk perbaikan")
        NOT_ACCEPTED = S.NOT_ACCEPTED, _("Tidak diterima")
        ACCEPTED = S.ACCEPTED, _("Diterima — menunggu jadwal")
        SCHEDULED = S.SCHEDULED, _("Dijadwalkan — menunggu konfirmasi")
        CONFIRMED = S.CONFIRMED, _("Jadwal dikonfirmasi — konsultasi pra-asesmen")
        AGREED = S.AGREED, _("FR.AK.01 disepakati — menunggu kaji APL.02")
        READY = S.READY, _("Siap diases")
        NOT_CONTINUED = S.NOT_CONTINUED, _("Asesmen tidak dilanjutkan")
        IN_ASSESSMENT = S.IN_ASSESSMENT, _("Asesmen berlangsung")
        ASSESSED = S.ASSESSED, _("Rekomendasi asesor tercatat")
        REVIEWED = S.REVIEWED, _("Asesmen ditinjau — menunggu laporan")
        REPORTED = S.REPORTED, _("Laporan di Ketua TUK")
        AWAITING_DECISION = S.AWAITING_DECISION, _("Menunggu keputusan komite")
        COMPETENT = S.COMPETENT, _("Kompeten — menunggu penerbitan sertifikat")
        NOT_COMPETENT = S.NOT_COMPETENT, _("Belum Kompeten")
        CERTIFIED = S.CERTIFIED, _("Sertifikat terbit")
        SURVEILLANCE = S.SURVEILLANCE, _("Dalam surveilan")
        WITHDRAWN = S.WITHDRAWN, _("Ditarik oleh asesi")

    number = models.CharField(_("nomor permohonan"), max_length=30, unique=True)
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases", verbose_name=_("asesi")
    )
    scheme = models.ForeignKey("catalog.Scheme", on_delete=models.PROTECT, related_name="cases",
                               verbose_name=_("skema"))
    purpose = models.CharField(_("tujuan asesmen"), max_length=20, choices=Purpose.choices,
                               default=Purpose.CERTIFICATION)
    purpose_other = models.CharField(_("tujuan lainnya"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    event = models.ForeignKey("events.AssessmentEvent", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="cases", verbose_name=_("jadwal uji kompetensi"))
    assessor = models.ForeignKey("people.Assessor", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="cases", verbose_name=_("asesor"))
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("permohonan sertifikasi")
        verbose_name_plural = _("permohonan sertifikasi")

    def __str__(self):
        return f"{self.number} — {self.candidate} — {self.scheme}"

    def get_absolute_url(self):
        return reverse("cases:detail", args=[self.pk])

    def assessed_by(self, user):
        """True for anyone who is or was this case's assessor (they may not decide on it)."""
        if not getattr(user, "is_authenticated", False):
            return False
        if self.assessor_id and self.assessor.user_id == user.pk:
            return True
        from kompeten.core.actions import history

        return history(self).filter(act="schedule_case", data__assessor_user_id=user.pk).exists()
