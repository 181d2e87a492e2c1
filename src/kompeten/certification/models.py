"""S5: the committee's decision, the holder's agreement, the certificate, its verification and surveillance."""

import functools
import re
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.core.dates import format_datetime
from kompeten.core.models import PrivateFile
from kompeten.core.versions import AllVersionsManager, CurrentManager


class Result(models.TextChoices):
    K = "K", _("Kompeten (K)")
    BK = "BK", _("Belum Kompeten (BK)")


class Decision(models.Model):
    """S5.1: the committee's decision on one case (never by someone who assessed it). An upheld appeal
    reopens the case: the decision is kept, superseded, and the new one points at it (one current per case)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="decisions",
                             verbose_name=_("permohonan"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("diputuskan oleh"))
    decision = models.CharField(_("keputusan"), max_length=2, choices=Result.choices)
    recommendation = models.CharField(_("rekomendasi asesor saat diputuskan"), max_length=2, blank=True)
    reason = models.TextField(_("alasan / catatan"), blank=True)
    meeting_ref = models.CharField(_("referensi rapat pleno"), max_length=200, blank=True)
    decided_at = models.DateTimeField(_("waktu keputusan"), default=timezone.now)
    superseded_at = models.DateTimeField(_("digantikan pada"), null=True, blank=True, editable=False)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, editable=False,
                                      related_name="superseded_by", verbose_name=_("menggantikan"))

    objects = CurrentManager()
    all_versions = AllVersionsManager()

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("keputusan sertifikasi")
        verbose_name_plural = _("keputusan sertifikasi")
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(superseded_at__isnull=True),
                                               name="one_current_decision")]

    def __str__(self):
        return f"{self.case.number}: {self.decision}"


class HolderAgreement(models.Model):
    """S5.2: the candidate's signed agreement on how the certificate may be used (signed once)."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="holder_agreement",
                                verbose_name=_("permohonan"))
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("ditandatangani oleh"))
    signed_at = models.DateTimeField(_("waktu tanda tangan"), default=timezone.now)
    text = models.TextField(_("teks yang disetujui"))

    class Meta:
        verbose_name = _("persetujuan penggunaan sertifikat")
        verbose_name_plural = _("persetujuan penggunaan sertifikat")

    def __str__(self):
        return f"{self.case.number} — {self.signed_by}"


def new_public_id():
    return secrets.token_urlsafe(18)


_URL_SAFE = re.compile(r"[A-Za-z0-9_-]+")
_ID_MARK = "PUBLICID"


@functools.lru_cache(maxsize=64)
def _url_around_id(name, script_prefix, urlconf, root_urlconf):
    return reverse(name, args=[_ID_MARK]).split(_ID_MARK)


def _public_url(name, public_id):
    """reverse(name, args=[public_id]) for the public URLs: reverse() once per URL name, script prefix and
    URL configuration, then the id (URL-safe by construction: new_public_id) between the two halves. The
    verification JSON gives its credential's URL on every look, and reverse() was a tenth of its CPU."""
    if not _URL_SAFE.fullmatch(public_id or ""):
        return reverse(name, args=[public_id])
    before, after = _url_around_id(name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    return f"{before}{public_id}{after}"


class Certificate(models.Model):
    """S5.2: the certificate of competence. The number is unique and never reused."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Berlaku")
        SUSPENDED = "suspended", _("Dibekukan")
        REVOKED = "revoked", _("Dicabut")
        EXPIRED = "expired", _("Kedaluwarsa")

    number = models.CharField(_("nomor sertifikat"), max_length=60, unique=True)
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="certificate",
                                verbose_name=_("permohonan"))
    holder_name = models.CharField(_("nama pemegang"), max_length=200)
    scheme = models.ForeignKey("catalog.Scheme", on_delete=models.PROTECT, related_name="certificates",
                               verbose_name=_("skema"))
    issued_on = models.DateField(_("tanggal terbit"))
    valid_until = models.DateField(_("berlaku sampai"))
    bnsp_registration_number = models.CharField(_("nomor registrasi BNSP"), max_length=60, blank=True)
    blanko_number = models.CharField(_("nomor blanko"), max_length=60, blank=True)
    # Stored status is what the LSP decided (active/suspended/revoked); expiry is computed from the date.
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE,
                              db_index=True)
    public_id = models.CharField(_("ID publik"), max_length=40, unique=True, default=new_public_id,
                                 editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("diterbitkan oleh"))
    issued_at = models.DateTimeField(_("waktu terbit"), default=timezone.now)
    # Recertification: the earlier certificate this one renews (set when the case was a Sertifikasi Ulang).
    renews = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewed_by",
                               verbose_name=_("memperbarui sertifikat"))
    # Set by the status acts (certification.status): what the LSP publishes about a suspension or withdrawal.
    status_note = models.TextField(_("keterangan status (dipublikasikan)"), blank=True, editable=False)
    status_changed_at = models.DateTimeField(_("status diubah pada"), null=True, blank=True, editable=False)
    # The signed PDF as last rendered (at issue, again after any change it shows) and the fingerprint of what it
    # was made from (certification.rendering): served while the fingerprint still matches. Private storage.
    pdf = models.FileField(_("PDF bertanda tangan"), upload_to="certificates/", max_length=255, blank=True,
                           editable=False)
    pdf_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("sertifikat kompetensi")
        verbose_name_plural = _("sertifikat kompetensi")

    def __str__(self):
        return f"{self.number} — {self.holder_name}"

    def get_absolute_url(self):
        return _public_url("certification:verify", self.public_id)

    def get_credential_url(self):
        """The signed Open Badges 3.0 credential (JSON), public like the verification page."""
        return self.credential_url_of(self.public_id)

    @staticmethod
    def credential_url_of(public_id):
        return _public_url("certification:credential", public_id)

    @property
    def current_status(self):
        """The status as it reads everywhere: expiry is computed from valid_until."""
        return self.status_on(self.status, self.valid_until)

    @classmethod
    def status_on(cls, status, valid_until):
        """current_status of a certificate with this stored status and valid_until (also for a row read
        without a model instance: certification.public.verification)."""
        if status == cls.Status.ACTIVE and valid_until < timezone.localdate():
            return cls.Status.EXPIRED
        return status

    @property
    def current_status_label(self):
        return self.Status(self.current_status).label

    @property
    def is_valid(self):
        return self.current_status == self.Status.ACTIVE


class VerificationScan(models.Model):
    """One look at the public verification page or JSON (no personal data of the visitor is kept)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="scans")
    at = models.DateTimeField(default=timezone.now, db_index=True)  # the moment of the look (written later)
    ip_hash = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    channel = models.CharField(max_length=10, default="html")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("pemindaian verifikasi")
        verbose_name_plural = _("pemindaian verifikasi")

    def __str__(self):
        return f"{self.certificate.number} @ {format_datetime(self.at)}"


class Surveillance(models.Model):
    """S5.3: the holder's enrolment in surveillance for the certificate's validity."""

    certificate = models.OneToOneField(Certificate, on_delete=models.PROTECT, related_name="surveillance",
                                       verbose_name=_("sertifikat"))
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("didaftarkan oleh"))
    enrolled_at = models.DateTimeField(_("waktu pendaftaran"), default=timezone.now)

    class Meta:
        ordering = ["-enrolled_at", "-id"]
        verbose_name = _("surveilan")
        verbose_name_plural = _("surveilan")

    def __str__(self):
        return str(self.certificate)


class SurveillanceCheck(models.Model):
    """One scheduled surveillance check (e.g. yearly) within the validity period. The holder submits evidence
    (certification.surveillance.submit_evidence), an assessor or admin records the result; an unsatisfactory
    or missed check is proposed for suspension, which the suspension act then decides — or the decision not to
    suspend (certification.surveillance.keep_certificate), which may schedule a follow-up check."""

    class Status(models.TextChoices):
        DUE = "due", _("Menunggu bukti pemegang")
        SUBMITTED = "submitted", _("Bukti dikirim — menunggu penilaian")
        SATISFACTORY = "satisfactory", _("Memenuhi")
        UNSATISFACTORY = "unsatisfactory", _("Tidak memenuhi")
        SUSPENSION_PROPOSED = "suspension_proposed", _("Diusulkan pembekuan")
        SUSPENSION_DECIDED = "suspension_decided", _("Pembekuan telah diputuskan")
        KEPT = "kept", _("Tidak dibekukan — sertifikat tetap berlaku")

    surveillance = models.ForeignKey(Surveillance, on_delete=models.CASCADE, related_name="checks")
    order = models.PositiveSmallIntegerField(_("ke-"), default=1)
    due_on = models.DateField(_("jatuh tempo"))
    done_on = models.DateField(_("dilaksanakan"), null=True, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.DUE,
                              db_index=True)
    logbook = models.TextField(_("catatan kerja (logbook)"), blank=True)
    employer_statement = models.TextField(_("pernyataan atasan / pemberi kerja"), blank=True)
    submitted_at = models.DateTimeField(_("bukti dikirim"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("dinilai oleh"))
    recorded_at = models.DateTimeField(_("waktu penilaian"), null=True, blank=True)
    suspension_reason = models.TextField(_("alasan usulan pembekuan"), blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("diusulkan oleh"))
    proposed_at = models.DateTimeField(_("waktu usulan pembekuan"), null=True, blank=True)
    decision_reason = models.TextField(_("alasan tidak dibekukan"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("diputuskan oleh"))
    decided_at = models.DateTimeField(_("waktu keputusan"), null=True, blank=True)
    follow_up_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="follow_ups", verbose_name=_("surveilan lanjutan dari"))

    class Meta:
        ordering = ["surveillance", "due_on", "id"]
        verbose_name = _("jadwal surveilan")
        verbose_name_plural = _("jadwal surveilan")

    def __str__(self):
        return f"{self.surveillance} #{self.order} {self.due_on}"


class DigitalCredential(models.Model):
    """The certificate as an Open Badges 3.0 / W3C Verifiable Credential 2.0, signed once when the certificate
    is issued and kept exactly as signed. Its status is not in it: status_index is its place in the status
    lists (the same index in the revocation list and in the suspension list), allocated once."""

    certificate = models.OneToOneField(Certificate, on_delete=models.PROTECT, related_name="credential",
                                       verbose_name=_("sertifikat"))
    status_index = models.PositiveIntegerField(_("indeks daftar status"), unique=True)
    document = models.TextField(_("kredensial (JSON bertanda tangan)"))
    created_at = models.DateTimeField(_("waktu dibuat"), default=timezone.now)

    class Meta:
        verbose_name = _("kredensial digital")
        verbose_name_plural = _("kredensial digital")

    def __str__(self):
        return str(self.certificate)


def evidence_path(instance, filename):
    # Never the original name on disk, never under a public URL (served by certification:surveillance_file).
    return f"surveillance/{instance.surveillance_check_id}/{uuid.uuid4().hex}"


class SurveillanceEvidence(PrivateFile):
    """A file the holder uploaded for a surveillance check (PDF, JPEG or PNG by content), kept privately."""

    surveillance_check = models.ForeignKey(SurveillanceCheck, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("judul"), max_length=200, blank=True)
    file = models.FileField(_("berkas"), upload_to=evidence_path, max_length=255)

    class Meta(PrivateFile.Meta):
        verbose_name = _("bukti surveilan")
        verbose_name_plural = _("bukti surveilan")


class Reminder(models.Model):
    """One reminder sent (or being sent) for one certificate's expiry or one surveillance check, at one threshold
    (days before). The row is inserted in the same transaction as the notice: the unique constraint makes a
    second run, or a parallel one, skip it."""

    class Kind(models.TextChoices):
        EXPIRY = "expiry", _("Masa berlaku sertifikat")
        SURVEILLANCE = "surveillance", _("Jatuh tempo surveilan")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    threshold = models.PositiveSmallIntegerField(_("hari sebelum"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("pengingat")
        verbose_name_plural = _("pengingat")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "threshold"], name="one_reminder")]

    def __str__(self):
        return f"{self.kind} {self.object_id} H-{self.threshold}"


class Recertification(models.Model):
    """A Sertifikasi Ulang case and the certificate it renews, with the path the case follows (the scheme's
    shorter path when it applies, else the full one) and why."""

    class Path(models.TextChoices):
        FULL = "full", _("Jalur penuh")
        SHORT = "short", _("Jalur singkat")

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="recertification",
                                verbose_name=_("permohonan"))
    previous = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="recertifications",
                                 verbose_name=_("sertifikat sebelumnya"))
    path = models.CharField(_("jalur"), max_length=10, choices=Path.choices, default=Path.FULL)
    methods = models.JSONField(_("metode asesmen jalur ini"), default=list, blank=True)
    reason = models.TextField(_("alasan jalur"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sertifikasi ulang")
        verbose_name_plural = _("sertifikasi ulang")

    def __str__(self):
        return f"{self.case.number} ← {self.previous.number}"


class Meeting(models.Model):
    """S5.1: a plenary meeting (rapat pleno) of the committee. Who is present is recorded; the cases decided in
    it are the decisions whose meeting_ref is this meeting's reference. Closing it takes the numbers of the
    decision letter (SK) and the minutes (berita acara)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Berlangsung")
        CLOSED = "closed", _("Ditutup")

    reference = models.CharField(_("nomor rapat"), max_length=80, unique=True)
    held_on = models.DateField(_("tanggal rapat"))
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("dibuka oleh"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True,
                                     verbose_name=_("anggota komite yang hadir"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("dibuka pada"), default=timezone.now)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("ditutup oleh"))
    sk_number = models.CharField(_("nomor SK"), max_length=80, blank=True)
    minutes_number = models.CharField(_("nomor berita acara"), max_length=80, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("rapat pleno")
        verbose_name_plural = _("rapat pleno")

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("certification:meeting", args=[self.pk])

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class BlankoLayout(models.Model):
    """Where the text goes when a certificate is printed onto the BNSP pre-printed blanko, per scheme (the
    blanko's printed frame differs between print runs): margins of the text block in millimetres."""

    scheme = models.OneToOneField("catalog.Scheme", on_delete=models.CASCADE, related_name="blanko_layout",
                                  verbose_name=_("skema"))
    margin_top = models.DecimalField(_("margin atas (mm)"), max_digits=5, decimal_places=1, default=62)
    margin_bottom = models.DecimalField(_("margin bawah (mm)"), max_digits=5, decimal_places=1, default=20)
    margin_left = models.DecimalField(_("margin kiri (mm)"), max_digits=5, decimal_places=1, default=30)
    margin_right = models.DecimalField(_("margin kanan (mm)"), max_digits=5, decimal_places=1, default=30)
    font_size = models.DecimalField(_("ukuran huruf (pt)"), max_digits=4, decimal_places=1, default=11)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    class Meta:
        verbose_name = _("tata letak blanko")
        verbose_name_plural = _("tata letak blanko")

    def __str__(self):
        return str(self.scheme)


class BlankoRequest(models.Model):
    """The blanko request to BNSP for the certificates of one plenary meeting (DOMAIN.md §6): the request sent
    (letter number, date) with the package of the meeting (the sheet of all candidates K and BK, the minutes and
    the decision letter), then the blanko received (a range of numbers), each certificate given its blanko
    number, and BNSP's registration numbers recorded back. Every step is an act in certification.bnsp."""

    class Status(models.TextChoices):
        SENT = "sent", _("Permohonan terkirim — menunggu blanko")
        RECEIVED = "received", _("Blanko diterima")

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="blanko_request",
                                   verbose_name=_("rapat pleno"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    letter_number = models.CharField(_("nomor surat permohonan"), max_length=80)
    sent_on = models.DateField(_("tanggal surat dikirim"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("dicatat oleh"))
    received_on = models.DateField(_("tanggal blanko diterima"), null=True, blank=True)
    first_number = models.CharField(_("nomor blanko pertama"), max_length=60, blank=True)
    last_number = models.CharField(_("nomor blanko terakhir"), max_length=60, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("diterima oleh"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("permohonan blanko")
        verbose_name_plural = _("permohonan blanko")

    def __str__(self):
        return f"{self.letter_number} ({self.meeting.reference})"
