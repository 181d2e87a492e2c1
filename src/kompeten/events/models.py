"""Assessment events (jadwal uji kompetensi): scheme, TUK, dates, quota, assessors and candidates."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompeten.cases.workflow import EventStatus as E
from kompeten.core.dates import format_date


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
    # The schedule's code in BNSP's system (Kode Jadwal on the blanko sheet), recorded from BNSP, never computed.
    bnsp_schedule_code = models.CharField(_("kode jadwal BNSP"), max_length=40, blank=True)
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
        return f"{self.number} — {self.scheme} — {format_date(self.starts_at)}"

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


class FeasibilityItem(models.TextChoices):
    """The checklist of the feasibility review (kaji fisibilitas, S1.3)."""

    SCHEME = "scheme", _("Skema masuk ruang lingkup lisensi dan aktif")
    TOOLS = "tools", _("Perangkat asesmen (MUK) sudah divalidasi")
    ASSESSORS = "assessors", _("Asesor tersedia dan teregistrasi untuk skema pada tanggal uji")
    SITE = "site", _("TUK terverifikasi dan layak untuk skema")
    QUOTA = "quota", _("Kuota asesi tidak terlampaui dan realistis")


class FeasibilityCheck(models.Model):
    """One checked item of an event's feasibility review: who checked it, when, and the finding."""

    event = models.ForeignKey(AssessmentEvent, on_delete=models.CASCADE, related_name="feasibility_checks")
    item = models.CharField(_("butir"), max_length=20, choices=FeasibilityItem.choices)
    ok = models.BooleanField(_("memenuhi"))
    note = models.TextField(_("catatan"), blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("diperiksa pada"))

    class Meta:
        verbose_name = _("butir kaji fisibilitas")
        verbose_name_plural = _("butir kaji fisibilitas")
        constraints = [models.UniqueConstraint(fields=["event", "item"], name="unique_feasibility_item")]

    def __str__(self):
        return f"{self.event.number}: {self.get_item_display()}"


class ConflictKind(models.TextChoices):
    SAME_EMPLOYER = "same_employer", _("Bekerja di instansi/perusahaan yang sama")
    TRAINED = "trained", _("Melatih asesi dalam dua tahun terakhir")
    FAMILY = "family", _("Hubungan keluarga")
    OTHER = "other", _("Lainnya")


class ConflictDeclaration(models.Model):
    """An assessor's statement about a conflict of interest with one candidate of an event (S1.5)."""

    event = models.ForeignKey(AssessmentEvent, on_delete=models.CASCADE, related_name="conflicts")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="conflict_declarations")
    assessor = models.ForeignKey("people.Assessor", on_delete=models.PROTECT, related_name="conflicts")
    kind = models.CharField(_("jenis konflik"), max_length=20, choices=ConflictKind.choices)
    has_conflict = models.BooleanField(_("ada konflik kepentingan"), default=True)
    note = models.TextField(_("keterangan"), blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-declared_at", "-id"]
        verbose_name = _("pernyataan konflik kepentingan")
        verbose_name_plural = _("pernyataan konflik kepentingan")

    def __str__(self):
        return f"{self.assessor} / {self.case.number}: {self.get_kind_display()}"


class ScheduleConfirmation(models.Model):
    """The candidate's or the assessor's confirmation of a case's schedule (S1.6). A reschedule supersedes
    the confirmations given for the earlier schedule (they stay as records)."""

    class Party(models.TextChoices):
        CANDIDATE = "candidate", _("Asesi")
        ASSESSOR = "assessor", _("Asesor")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="schedule_confirmations")
    event = models.ForeignKey(AssessmentEvent, on_delete=models.CASCADE, related_name="confirmations",
                              null=True, blank=True)
    party = models.CharField(_("pihak"), max_length=20, choices=Party.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("dikonfirmasi pada"))
    superseded = models.BooleanField(_("digantikan jadwal ulang"), default=False)

    class Meta:
        ordering = ["confirmed_at", "id"]
        verbose_name = _("konfirmasi jadwal")
        verbose_name_plural = _("konfirmasi jadwal")

    def __str__(self):
        return f"{self.case.number}: {self.get_party_display()}"


class CandidateImport(models.Model):
    """A file of candidates for one event (a TUK registering a whole class), checked row by row when it is
    uploaded and then imported in the background: every row, or only the valid ones — never half (events.imports).
    The checked rows wait here until the import; once imported they are dropped (the people's data now lives in
    their accounts and FR.APL.01), the per-row report stays."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("Diperiksa — menunggu keputusan")
        IMPORTING = "importing", _("Sedang diimpor")
        IMPORTED = "imported", _("Diimpor")
        FAILED = "failed", _("Gagal — tidak ada yang diimpor")

    class Mode(models.TextChoices):
        ALL = "all", _("Semua baris")
        VALID = "valid", _("Hanya baris yang valid")

    event = models.ForeignKey(AssessmentEvent, on_delete=models.CASCADE, related_name="imports",
                              verbose_name=_("jadwal uji kompetensi"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("diunggah oleh"))
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    file_name = models.CharField(_("nama berkas"), max_length=255)
    file_kind = models.CharField(_("jenis berkas"), max_length=10)
    total_rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    error_rows = models.PositiveIntegerField(_("baris bermasalah"), default=0)
    # [{"row": n, "data": {APL.01 field: value}}] of the rows without problems (cleared after the import).
    rows = models.JSONField(default=list, blank=True)
    # [[row, column, value, message], …] in row order: the per-row report.
    problems = models.JSONField(default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CHECKED,
                              db_index=True)
    mode = models.CharField(_("pilihan impor"), max_length=10, choices=Mode.choices, blank=True)
    job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The invitations go out in a job of their own once the people exist (mail is slow; the import is not).
    invite_job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    imported = models.PositiveIntegerField(_("orang diimpor"), default=0)
    message = models.TextField(_("pesan"), blank=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor asesi")
        verbose_name_plural = _("impor asesi")

    def __str__(self):
        return f"{self.event.number}: {self.file_name}"

    def get_absolute_url(self):
        return reverse("events:import_detail", args=[self.pk])

    @property
    def valid_rows(self):
        return self.total_rows - self.error_rows
