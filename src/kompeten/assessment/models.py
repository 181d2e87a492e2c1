"""Records of the assessment itself (S2.2–S4.5): the plan (MAPA.01/02), readiness, AK.01, AK.07, the
APL.02 review, attendance, AK.02 with per-unit results, feedback and AK.03, AK.06 and AK.05.

Form contents that are fixed lists of ticks (see wording.py) are kept as JSON; rows that others read
(unit results, criterion results) are real rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kompeten.core.concurrency import Versioned
from kompeten.core.versions import AllVersionsManager, CurrentManager

USER = settings.AUTH_USER_MODEL


class KBK(models.TextChoices):
    K = "K", _("Kompeten (K)")
    BK = "BK", _("Belum Kompeten (BK)")


class Record(models.Model):
    """Base of this app's records: a readable name in the admin and the logs."""

    class Meta:
        abstract = True

    def __str__(self):
        owner = getattr(self, "case", None) or getattr(self, "event", None) or getattr(self, "record", None)
        return f"{self._meta.verbose_name} — {owner}"


class AssessmentPlan(models.Model):
    """One submitted version of the event's plan (FR.MAPA.01 + FR.MAPA.02). Every version is kept."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Menunggu persetujuan")
        APPROVED = "approved", _("Disetujui")
        RETURNED = "returned", _("Dikembalikan")

    event = models.ForeignKey("events.AssessmentEvent", on_delete=models.CASCADE, related_name="plans")
    version = models.PositiveSmallIntegerField(_("versi"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    mapa01 = models.JSONField(_("FR.MAPA.01"), default=dict)
    mapa02 = models.JSONField(_("FR.MAPA.02"), default=dict)
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comments = models.TextField(_("catatan peninjau"), blank=True)
    # The validated instrument versions the plan puts to use (S2.2); a version in a plan is never changed.
    instrument_versions = models.ManyToManyField("assessment.InstrumentVersion", related_name="plans", blank=True)

    class Meta:
        ordering = ["event", "-version"]
        constraints = [models.UniqueConstraint(fields=["event", "version"], name="unique_plan_version")]
        verbose_name = _("rencana asesmen (MAPA)")
        verbose_name_plural = _("rencana asesmen (MAPA)")

    def __str__(self):
        return f"MAPA {self.event.number} v{self.version}"


class ResourceCheck(Record):
    """S3.1 readiness checklist on the event: which items were ready, by whom, when."""

    event = models.ForeignKey("events.AssessmentEvent", on_delete=models.CASCADE, related_name="resource_checks")
    items = models.JSONField(_("butir"), default=dict)  # {code: True/False}
    all_ok = models.BooleanField(_("semua siap"), default=False)
    note = models.TextField(_("catatan"), blank=True)
    checked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("pemeriksaan kesiapan")
        verbose_name_plural = _("pemeriksaan kesiapan")


class Consultation(Record):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consultations")
    notes = models.TextField(_("catatan konsultasi"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("konsultasi pra-asesmen")
        verbose_name_plural = _("konsultasi pra-asesmen")


class Agreement(Record):
    """FR.AK.01: filled and signed by the assessor, then read and signed by the candidate."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="agreement")
    evidence = models.JSONField(_("bukti yang akan dikumpulkan"), default=list)
    evidence_other = models.CharField(_("bukti lainnya"), max_length=200, blank=True)
    date = models.DateField(_("hari/tanggal"))
    time = models.CharField(_("waktu"), max_length=40)
    site_name = models.CharField(_("TUK"), max_length=200)
    assessor_signed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    assessor_signed_at = models.DateTimeField(null=True, blank=True)
    candidate_signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("FR.AK.01 persetujuan asesmen")
        verbose_name_plural = _("FR.AK.01 persetujuan asesmen")


class Adjustment(Record):
    """FR.AK.07: candidate characteristics and the reasonable adjustment agreed."""

    # Signed records are never edited: recording again makes a new row (with a reason) that supersedes this one.
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="adjustments")
    superseded_at = models.DateTimeField(_("digantikan pada"), null=True, blank=True, editable=False)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, editable=False,
                                      related_name="superseded_by", verbose_name=_("menggantikan"))
    correction_reason = models.TextField(_("alasan koreksi"), blank=True)
    potensi = models.JSONField(default=list)  # ["1".."5"]
    characteristics = models.JSONField(default=list)  # [{"needed": bool, "options": [idx], "note": str}] × 8
    results = models.JSONField(default=dict)  # AK07_RESULTS keys
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = CurrentManager()
    all_versions = AllVersionsManager()

    class Meta:
        verbose_name = _("FR.AK.07 penyesuaian")
        verbose_name_plural = _("FR.AK.07 penyesuaian")
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(superseded_at__isnull=True),
                                               name="one_current_adjustment")]


class Apl02Review(Record):
    """S2.5 the assessor's recommendation on the APL.02 self-assessment."""

    # Signed records are never edited: reviewing again makes a new row (with a reason) that supersedes this one.
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="apl02_reviews")
    superseded_at = models.DateTimeField(_("digantikan pada"), null=True, blank=True, editable=False)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, editable=False,
                                      related_name="superseded_by", verbose_name=_("menggantikan"))
    correction_reason = models.TextField(_("alasan koreksi"), blank=True)
    can_continue = models.BooleanField(_("asesmen dapat dilanjutkan"))
    note = models.TextField(_("catatan"), blank=True)
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    objects = CurrentManager()
    all_versions = AllVersionsManager()

    class Meta:
        verbose_name = _("kaji APL.02")
        verbose_name_plural = _("kaji APL.02")
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(superseded_at__isnull=True),
                                               name="one_current_apl02_review")]


class Attendance(Record):
    """S3.1 check-in of one candidate on the day (absent is recorded too)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="attendances")
    present = models.BooleanField(_("hadir"))
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("kehadiran asesi")
        verbose_name_plural = _("kehadiran asesi")


class AssessmentRecord(Record):
    """FR.AK.02: evidence per unit, K/BK per unit and the overall recommendation (derived)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessment_records")
    # Kept when an upheld appeal orders a new assessment: the old row is superseded, the new one points at it.
    superseded_at = models.DateTimeField(_("digantikan pada"), null=True, blank=True, editable=False)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, editable=False,
                                      related_name="superseded_by", verbose_name=_("menggantikan"))
    # A correction by the assessor (before the candidate co-signs) is a new row with its reason.
    correction_reason = models.TextField(_("alasan koreksi"), blank=True)
    started_on = models.DateField(_("mulai"))
    finished_on = models.DateField(_("selesai"))
    overall = models.CharField(_("rekomendasi hasil asesmen"), max_length=2, choices=KBK.choices)
    follow_up = models.TextField(_("tindak lanjut"), blank=True)
    comments = models.TextField(_("komentar/observasi asesor"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # FR.AK.02 is signed by both: the candidate co-signs when giving their feedback (S4.1, FR.AK.03).
    candidate_signed_at = models.DateTimeField(_("ditandatangani asesi"), null=True, blank=True)

    objects = CurrentManager()
    all_versions = AllVersionsManager()

    class Meta:
        verbose_name = _("FR.AK.02 rekaman asesmen")
        verbose_name_plural = _("FR.AK.02 rekaman asesmen")
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(superseded_at__isnull=True),
                                               name="one_current_assessment_record")]


class UnitResult(Record):
    record = models.ForeignKey(AssessmentRecord, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("catalog.Unit", on_delete=models.PROTECT, related_name="+")
    methods = models.JSONField(default=list)  # AK02_METHODS keys
    result = models.CharField(max_length=2, choices=KBK.choices)

    class Meta:
        verbose_name = _("hasil unit")
        ordering = ["unit__order", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["record", "unit"], name="unique_unit_result")]


class CriterionResult(Record):
    """Optional IA.01-style K/BK per KUK."""

    record = models.ForeignKey(AssessmentRecord, on_delete=models.CASCADE, related_name="criteria")
    criterion = models.ForeignKey("catalog.Criterion", on_delete=models.PROTECT, related_name="+")
    result = models.CharField(max_length=2, choices=KBK.choices)

    class Meta:
        verbose_name = _("hasil KUK")
        constraints = [models.UniqueConstraint(fields=["record", "criterion"], name="unique_criterion_result")]


class Feedback(Record):
    """S4.1 both ways: the assessor's feedback to the candidate and the candidate's FR.AK.03."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="feedbacks")
    # Kept when an upheld appeal orders a new assessment: the old row is superseded, the new one points at it.
    superseded_at = models.DateTimeField(_("digantikan pada"), null=True, blank=True, editable=False)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, editable=False,
                                      related_name="superseded_by", verbose_name=_("menggantikan"))
    assessor_text = models.TextField(_("umpan balik asesor"), blank=True)
    assessor_at = models.DateTimeField(null=True, blank=True)
    ak03 = models.JSONField(default=list)  # [{"yes": bool, "comment": str}] × 10
    ak03_other = models.TextField(_("catatan/komentar lainnya"), blank=True)
    candidate_at = models.DateTimeField(null=True, blank=True)

    objects = CurrentManager()
    all_versions = AllVersionsManager()

    class Meta:
        verbose_name = _("umpan balik")
        verbose_name_plural = _("umpan balik")
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(superseded_at__isnull=True),
                                               name="one_current_feedback")]


class Review(Record):
    """FR.AK.06 review of the assessment process."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessment_reviews")
    # Kept when an upheld appeal orders a new assessment: the old row is superseded, the new one points at it.
    superseded_at = models.DateTimeField(_("digantikan pada"), null=True, blank=True, editable=False)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, editable=False,
                                      related_name="superseded_by", verbose_name=_("menggantikan"))
    principles = models.JSONField(default=dict)  # {stage: [principle, …]}
    principles_recommendation = models.TextField(blank=True)
    dimensions = models.JSONField(default=list)
    dimensions_recommendation = models.TextField(blank=True)
    comments = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    objects = CurrentManager()
    all_versions = AllVersionsManager()

    class Meta:
        verbose_name = _("FR.AK.06 tinjauan asesmen")
        verbose_name_plural = _("FR.AK.06 tinjauan asesmen")
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(superseded_at__isnull=True),
                                               name="one_current_assessment_review")]


class Report(Record):
    """FR.AK.05 the assessor's report, handed to the head of the TUK, who forwards it to the LSP."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessment_reports")
    # Kept when an upheld appeal orders a new assessment: the old row is superseded, the new one points at it.
    superseded_at = models.DateTimeField(_("digantikan pada"), null=True, blank=True, editable=False)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, editable=False,
                                      related_name="superseded_by", verbose_name=_("menggantikan"))
    result = models.CharField(max_length=2, choices=KBK.choices)
    bk_units = models.TextField(_("unit BK"), blank=True)
    aspects = models.TextField(blank=True)
    rejections = models.TextField(blank=True)
    suggestions = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    forwarded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    forwarded_at = models.DateTimeField(null=True, blank=True)
    forward_note = models.TextField(blank=True)

    objects = CurrentManager()
    all_versions = AllVersionsManager()

    class Meta:
        verbose_name = _("FR.AK.05 laporan asesmen")
        verbose_name_plural = _("FR.AK.05 laporan asesmen")
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(superseded_at__isnull=True),
                                               name="one_current_assessment_report")]


# --- Instruments (MUK): content per scheme, in versions, validated by FR.VA --------------------------------


class InstrumentForm(models.TextChoices):
    IA01 = "IA.01", _("FR.IA.01 Ceklis observasi")
    IA02 = "IA.02", _("FR.IA.02 Tugas praktik demonstrasi")
    IA03 = "IA.03", _("FR.IA.03 Pertanyaan untuk mendukung observasi")
    IA04A = "IA.04A", _("FR.IA.04A Proyek singkat (DIT)")
    IA04B = "IA.04B", _("FR.IA.04B Penilaian proyek singkat")
    IA05 = "IA.05", _("FR.IA.05 Pertanyaan tertulis pilihan ganda")
    IA06 = "IA.06", _("FR.IA.06 Pertanyaan tertulis esai")
    IA07 = "IA.07", _("FR.IA.07 Pertanyaan lisan")
    IA08 = "IA.08", _("FR.IA.08 Ceklis verifikasi portofolio")
    IA09 = "IA.09", _("FR.IA.09 Pertanyaan wawancara")
    IA10 = "IA.10", _("FR.IA.10 Klarifikasi bukti pihak ketiga")
    IA11 = "IA.11", _("FR.IA.11 Ceklis reviu produk")


class Instrument(models.Model):
    """An assessment tool (MUK) of a scheme, e.g. its FR.IA.05 multiple-choice bank. Its content lives in
    versions; a version that was validated or put in a plan is never changed (an edit makes a new version)."""

    scheme = models.ForeignKey("catalog.Scheme", on_delete=models.CASCADE, related_name="+")
    form = models.CharField(_("formulir"), max_length=8, choices=InstrumentForm.choices)
    title = models.CharField(_("judul"), max_length=200)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheme", "form", "id"]
        verbose_name = _("perangkat asesmen (MUK)")
        verbose_name_plural = _("perangkat asesmen (MUK)")
        constraints = [models.UniqueConstraint(fields=["scheme", "form", "title"], name="unique_instrument_title")]

    def __str__(self):
        return f"FR.{self.form} {self.title}"


class InstrumentVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        VALIDATED = "validated", _("Tervalidasi")

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("versi"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Form-level content that is not an item (e.g. IA.02 equipment and time), validated per form in services.
    content = models.JSONField(_("isi"), default=dict, blank=True)
    authors = models.JSONField(_("penyusun"), default=list, blank=True)  # [{"name", "met"}] as printed (§0.2)
    prepared_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    based_on = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["instrument", "-number"]
        verbose_name = _("versi perangkat asesmen")
        verbose_name_plural = _("versi perangkat asesmen")
        constraints = [models.UniqueConstraint(fields=["instrument", "number"], name="unique_instrument_version")]

    def __str__(self):
        return f"{self.instrument} v{self.number}"

    @property
    def code(self):
        return f"FR.{self.instrument.form} v{self.number}"


class InstrumentItem(Versioned):
    """One item of a version: a checklist row, a question, a task. `text` is what may be shown; `payload`
    holds the form-specific rest (options and key, model answer …), validated per form in services."""

    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("teks"))
    payload = models.JSONField(default=dict, blank=True)
    criteria = models.ManyToManyField("catalog.Criterion", related_name="+", verbose_name=_("KUK"))

    class Meta:
        ordering = ["version", "order", "id"]
        verbose_name = _("butir perangkat asesmen")
        verbose_name_plural = _("butir perangkat asesmen")

    def __str__(self):
        return f"{self.version} #{self.order}"


class Validation(models.Model):
    """FR.VA: the validation that makes a version usable in a plan."""

    version = models.OneToOneField(InstrumentVersion, on_delete=models.CASCADE, related_name="validation")
    period = models.CharField(_("periode"), max_length=10)
    date = models.DateField(_("hari/tanggal"))
    place = models.CharField(_("tempat"), max_length=200)
    setup = models.JSONField(default=dict)  # purposes, contexts, approaches, benchmarks, documents, skills
    matrix = models.JSONField(default=dict)  # {aspect: {"rules": [V, A, T, M], "principles": [V, R, F, F]}}
    findings = models.JSONField(default=list)  # [{"finding", "recommendation"}]
    action_plan = models.JSONField(default=list)  # [{"activity", "due", "owner"}]
    team = models.JSONField(default=list)  # validators [{"name", "met"}]
    validated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("validasi asesmen (FR.VA)")
        verbose_name_plural = _("validasi asesmen (FR.VA)")

    def __str__(self):
        return f"FR.VA {self.version}"


# --- The written test (FR.IA.05 multiple choice, FR.IA.06 essay) taken in the browser (S3.2) ----------------


class AssessmentRound(models.Model):
    """A new round of assessment of a case, opened when an upheld appeal orders the assessment done again
    (certification.reopen_for_assessment → services.retire_assessment). Round 1 is every case's first assessment
    and has no row; round n > 1 has one. The evidence of the day (ItemResult, WrittenAttempt) carries its round:
    the current round's is the one filled and rolled up, an earlier round's stays as it was, readable and
    printable."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessment_rounds")
    number = models.PositiveSmallIntegerField(_("putaran"))
    reason = models.TextField(_("alasan"), blank=True)
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "number"]
        verbose_name = _("putaran asesmen")
        verbose_name_plural = _("putaran asesmen")
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="unique_assessment_round"),
                       models.CheckConstraint(condition=models.Q(number__gte=2), name="assessment_round_after_first")]

    def __str__(self):
        return f"{self.case} — {self._meta.verbose_name} {self.number}"


class WrittenAttempt(models.Model):
    """One candidate's written test on the assessment day: the questions of the plan's validated IA.05/IA.06
    versions in an order shuffled once for this attempt, and a deadline kept by the server (written_test.py).
    One per case and assessment round (AssessmentRound)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Sedang dikerjakan")
        SUBMITTED = "submitted", _("Dikumpulkan")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="written_attempts")
    round = models.PositiveSmallIntegerField(_("putaran asesmen"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    versions = models.ManyToManyField(InstrumentVersion, related_name="written_attempts")
    order = models.JSONField(default=list)  # [item id] in the order shown to this candidate
    minutes = models.PositiveSmallIntegerField(_("durasi (menit)"))
    extra_minutes = models.PositiveSmallIntegerField(_("tambahan waktu FR.AK.07 (menit)"), default=0)
    started_at = models.DateTimeField(_("mulai"))
    deadline = models.DateTimeField(_("batas waktu"))
    submitted_at = models.DateTimeField(_("dikumpulkan"), null=True, blank=True)
    auto_submitted = models.BooleanField(_("dikumpulkan otomatis pada batas waktu"), default=False)
    mc_correct = models.PositiveSmallIntegerField(_("pilihan ganda benar"), null=True, blank=True)
    mc_total = models.PositiveSmallIntegerField(_("jumlah soal pilihan ganda"), default=0)
    # The keyed hash of the token the candidate's open test page saves answers with (written_test.issue_token):
    # replaced at each opening of the page, emptied at logout and at submission. Never the token itself.
    token_hash = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("tes tertulis asesi")
        verbose_name_plural = _("tes tertulis asesi")
        constraints = [models.UniqueConstraint(fields=["case", "round"], name="one_written_attempt_per_round")]

    def __str__(self):
        return f"{self._meta.verbose_name} — {self.case}"


class WrittenAnswer(models.Model):
    """One answer of an attempt (a row per question, made when the test starts; each save updates it)."""

    attempt = models.ForeignKey(WrittenAttempt, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(InstrumentItem, on_delete=models.PROTECT, related_name="written_answers")
    choice = models.SmallIntegerField(null=True, blank=True)  # IA.05: index of the option chosen
    text = models.TextField(blank=True)  # IA.06: the essay
    saved_at = models.DateTimeField(null=True, blank=True)
    correct = models.BooleanField(null=True, blank=True)  # IA.05, set at submission
    mark = models.CharField(max_length=2, choices=KBK.choices, blank=True)  # IA.06, by the assessor
    note = models.TextField(_("catatan asesor"), blank=True)
    marked_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "id"]
        verbose_name = _("jawaban tes tertulis")
        verbose_name_plural = _("jawaban tes tertulis")
        constraints = [models.UniqueConstraint(fields=["attempt", "item"], name="unique_written_answer")]

    def __str__(self):
        return f"{self.attempt} #{self.item_id}"


# --- The assessment day (S3.2): what the assessor records per item of the plan's instruments -------------


class ItemResult(models.Model):
    """The assessor's K/BK and note on one item of an instrument of the plan (an IA.01 KUK row, an IA.07
    question, an IA.08 portfolio row …) for one candidate, saved as it is tapped. `checks` holds the IA.08
    VATM ticks per uploaded document ({document id: ["V", "A", "T", "M"]}). Changed only while the case is
    being assessed; once FR.AK.02 is recorded the rows stand as the evidence behind it."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField(_("putaran asesmen"), default=1)  # AssessmentRound
    item = models.ForeignKey(InstrumentItem, on_delete=models.PROTECT, related_name="results")
    result = models.CharField(_("hasil"), max_length=2, choices=KBK.choices, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    checks = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item__version", "item__order", "item_id"]
        verbose_name = _("hasil butir perangkat asesmen")
        verbose_name_plural = _("hasil butir perangkat asesmen")
        constraints = [models.UniqueConstraint(fields=["case", "round", "item"], name="unique_item_result_per_round")]

    def __str__(self):
        return f"{self.item} — {self.result or '—'}"
