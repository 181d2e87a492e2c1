"""Appeals (FR.AK.04) and complaints (ISO/IEC 17024 §9.7–9.8): received with a number, acknowledged, handled by
someone not involved in the case, investigated (notes, documents), decided with reasons, the parties told."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.core.models import PrivateFile

USER = settings.AUTH_USER_MODEL


class Grievance(models.Model):
    """One appeal or one complaint. Its acts are services in appeals/services.py, each logged on this row."""

    class Kind(models.TextChoices):
        APPEAL = "appeal", _("Banding")
        COMPLAINT = "complaint", _("Pengaduan")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Diterima, menunggu penangan")
        INVESTIGATING = "investigating", _("Sedang ditangani")
        UPHELD = "upheld", _("Dikabulkan")
        REJECTED = "rejected", _("Ditolak")

    class About(models.TextChoices):
        ASSESSMENT = "assessment", _("Hasil asesmen (rekomendasi asesor)")
        DECISION = "decision", _("Keputusan sertifikasi")
        LSP = "lsp", _("Layanan atau proses LSP")
        HOLDER = "holder", _("Pemegang sertifikat")

    class Reopen(models.TextChoices):
        NONE = "", _("Tidak ada")
        ASSESSMENT = "assessment", _("Asesmen ulang")
        DECISION = "decision", _("Keputusan baru oleh komite")

    OPEN = (Status.RECEIVED, Status.INVESTIGATING)

    number = models.CharField(_("nomor"), max_length=30, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    about = models.CharField(_("tentang"), max_length=20, choices=About.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="grievances", verbose_name=_("permohonan"))
    certificate_number = models.CharField(_("nomor sertifikat"), max_length=60, blank=True)
    # Who lodged it: an account, or a visitor's name and e-mail (public complaint form).
    lodged_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("diajukan oleh"))
    name = models.CharField(_("nama"), max_length=200)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    subject = models.CharField(_("perihal"), max_length=200, blank=True)
    reasons = models.TextField(_("alasan / uraian"))
    # FR.AK.04's three questions and the candidate's signature (consent, with its time).
    q_explained = models.BooleanField(_("proses banding telah dijelaskan"), null=True, blank=True)
    q_discussed = models.BooleanField(_("banding telah didiskusikan dengan asesor"), null=True, blank=True)
    q_involve_other = models.BooleanField(_("melibatkan orang lain"), null=True, blank=True)
    signed_at = models.DateTimeField(_("ditandatangani"), null=True, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    received_at = models.DateTimeField(_("diterima"), default=timezone.now, db_index=True)
    ack_due = models.DateField(_("batas tanda terima"))
    acknowledged_at = models.DateTimeField(_("tanda terima dikirim"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    due_on = models.DateField(_("batas penyelesaian"))
    handler = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="grievances_held",
                                verbose_name=_("penangan"))
    assigned_at = models.DateTimeField(_("ditugaskan"), null=True, blank=True)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcome_reasons = models.TextField(_("alasan keputusan"), blank=True)
    reopen = models.CharField(_("tindak lanjut pada permohonan"), max_length=20, choices=Reopen.choices,
                              blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("banding / pengaduan")
        verbose_name_plural = _("banding / pengaduan")

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("appeals:detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status in self.OPEN

    @property
    def ack_overdue(self):
        return self.is_open and self.acknowledged_at is None and self.ack_due < timezone.localdate()

    @property
    def is_overdue(self):
        return self.is_open and self.due_on < timezone.localdate()


class GrievanceNote(models.Model):
    """What the handler found out (internal: the parties do not see notes)."""

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("catatan"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("catatan penanganan")
        verbose_name_plural = _("catatan penanganan")

    def __str__(self):
        return f"{self.grievance.number}: {self.text[:40]}"


def document_path(instance, filename):
    # Never the original name on disk, never under a public URL (served by appeals:document).
    return f"grievances/{instance.grievance_id}/{uuid.uuid4().hex}"


class GrievanceDocument(PrivateFile):
    """A document of the investigation (statement, evidence), private, served by a view that checks."""

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("judul dokumen"), max_length=200, blank=True)
    file = models.FileField(_("berkas"), upload_to=document_path, max_length=255)

    class Meta(PrivateFile.Meta):
        verbose_name = _("dokumen penanganan")
        verbose_name_plural = _("dokumen penanganan")
