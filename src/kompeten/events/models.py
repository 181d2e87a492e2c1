"""Assessment events (jadwal uji kompetensi): scheme, TUK, dates, quota, assessors and candidates."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompeten.cases.workflow import EventStatus as E


class AssessmentEvent(models.Model):
    class Status(models.TextChoices):
        DRAFT = E.DRAFT, _("Draf — persiapan")
        PUBLISHED = E.PUBLISHED, _("Terbit — pendaftaran dan persiapan")
        HELD = E.HELD, _("Sudah dilaksanakan")
        CLOSED = E.CLOSED, _("Ditutup")
        CANCELLED = E.CANCELLED, _("Dibatalkan")

    number = models.CharField(_("nomor jadwal"), max_length=30, unique=True)
    scheme = models.ForeignKey("catalog.Scheme", on_delete=models.PROTECT, related_name="events",
                               verbose_name=_("skema"))
    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="events", verbose_name=_("TUK"))
    title = models.CharField(_("nama kegiatan"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    quota = models.PositiveSmallIntegerField(_("kuota asesi"), default=10)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("jadwal uji kompetensi")
        verbose_name_plural = _("jadwal uji kompetensi")

    def __str__(self):
        return f"{self.number} — {self.scheme} — {self.starts_at:%d-%m-%Y}"

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])


class EventAssessor(models.Model):
    """An assessor assigned to an event (S1.5), with the number of their assignment letter (surat tugas)."""

    event = models.ForeignKey(AssessmentEvent, on_delete=models.CASCADE, related_name="assignments")
    assessor = models.ForeignKey("people.Assessor", on_delete=models.PROTECT, related_name="assignments")
    letter_number = models.CharField(_("nomor surat tugas"), max_length=60, unique=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penugasan asesor")
        verbose_name_plural = _("penugasan asesor")
        constraints = [models.UniqueConstraint(fields=["event", "assessor"], name="unique_assessor_per_event")]

    def __str__(self):
        return f"{self.assessor} @ {self.event.number}"
