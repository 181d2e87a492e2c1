"""The certification case: one candidate applying for one scheme, from APL.01 to the certificate."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompeten.cases.workflow import CaseStatus as S
from kompeten.catalog.selectors import basic_are_alternatives, fix_list


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


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Wanita")


class Application(models.Model):
    """FR.APL.01 Bagian 1: the candidate's personal data and current job, kept as a draft until submitted."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="application")
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True,
                           help_text=_("16 digit sesuai KTP, untuk warga negara Indonesia."))
    passport_number = models.CharField(_("nomor paspor"), max_length=30, blank=True,
                                       help_text=_("Hanya untuk warga negara asing."))
    birth_place = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    nationality = models.CharField(_("kebangsaan"), max_length=60, blank=True, default="Indonesia")
    address = models.TextField(_("alamat rumah"), blank=True)
    postcode = models.CharField(_("kode pos"), max_length=10, blank=True)
    phone_home = models.CharField(_("telepon rumah"), max_length=30, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    education = models.CharField(_("kualifikasi pendidikan"), max_length=150, blank=True)
    employer = models.CharField(_("nama institusi / perusahaan"), max_length=200, blank=True)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    office_address = models.TextField(_("alamat kantor"), blank=True)
    office_postcode = models.CharField(_("kode pos kantor"), max_length=10, blank=True)
    office_phone = models.CharField(_("telepon kantor"), max_length=30, blank=True)
    office_fax = models.CharField(_("fax kantor"), max_length=30, blank=True)
    office_email = models.EmailField(_("email kantor"), blank=True)
    # What BNSP's blanko sheet needs, as codes from its lists (core.codes; master data BnspCode). The province
    # follows from the city (the city's code list names its province).
    city_code = models.CharField(_("kota/kabupaten tempat tinggal"), max_length=10, blank=True)
    province_code = models.CharField(_("provinsi tempat tinggal"), max_length=10, blank=True, editable=False)
    education_code = models.CharField(_("jenjang pendidikan terakhir"), max_length=10, blank=True)
    occupation_code = models.CharField(_("pekerjaan"), max_length=10, blank=True)
    funding_code = models.CharField(_("sumber anggaran sertifikasi"), max_length=10, blank=True)
    ministry_code = models.CharField(_("kementerian penyelenggara program"), max_length=10, blank=True,
                                     help_text=_("Bila sertifikasi dibiayai program kementerian."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("data pemohon (FR.APL.01)")
        verbose_name_plural = _("data pemohon (FR.APL.01)")

    def __str__(self):
        return f"{self.case.number} — {self.full_name}"

    @property
    def is_indonesian(self):
        return (self.nationality or "").strip().lower() in {"", "indonesia", "wni"}


def document_path(instance, filename):
    # Never the original name on disk: a random name under the case, outside any public URL.
    import uuid

    return f"cases/{instance.case_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    """An uploaded evidence file. A revision is a new row pointing at the one it replaces (`previous`)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    requirement = models.ForeignKey("catalog.Requirement", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="documents", verbose_name=_("persyaratan"))
    title = models.CharField(_("judul dokumen"), max_length=200, blank=True)
    file = models.FileField(_("berkas"), upload_to=document_path, max_length=255)
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    content_type = models.CharField(_("jenis berkas"), max_length=40)
    size = models.PositiveIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    previous = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="next_version", verbose_name=_("versi sebelumnya"))
    version = models.PositiveSmallIntegerField(_("versi"), default=1)

    class Meta:
        ordering = ["case", "requirement", "-uploaded_at", "-id"]
        verbose_name = _("dokumen bukti")
        verbose_name_plural = _("dokumen bukti")

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("cases:document_file", args=[self.pk])

    @property
    def label(self):
        return self.title or self.original_name

    @property
    def is_current(self):
        return not hasattr(self, "next_version")


class SelfAssessmentAnswer(models.Model):
    """FR.APL.02: the candidate's K/BK for one element, with the documents that support it."""

    class Answer(models.TextChoices):
        K = "K", _("K (Kompeten)")
        BK = "BK", _("BK (Belum Kompeten)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="self_assessment")
    element = models.ForeignKey("catalog.Element", on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("jawaban"), max_length=2, choices=Answer.choices, blank=True)
    evidence = models.ManyToManyField(Document, blank=True, related_name="answers",
                                      verbose_name=_("bukti yang relevan"))
    note = models.CharField(_("catatan bukti"), max_length=500, blank=True)

    class Meta:
        ordering = ["element__unit__order", "element__order", "element_id"]
        verbose_name = _("jawaban asesmen mandiri (FR.APL.02)")
        verbose_name_plural = _("jawaban asesmen mandiri (FR.APL.02)")
        constraints = [models.UniqueConstraint(fields=["case", "element"], name="unique_answer_per_element")]

    def __str__(self):
        return f"{self.case.number} — {self.element} — {self.answer}"


class DocumentReview(models.Model):
    """S2.1 the admin's check of the file (FR.APL.01 Bagian 3 and the recommendation), signed by the admin."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Diterima")
        RETURNED = "returned", _("Dikembalikan untuk perbaikan")
        NOT_ACCEPTED = "not_accepted", _("Tidak diterima")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="document_reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("admin LSP"))
    reviewed_at = models.DateTimeField(_("waktu kaji"), auto_now_add=True)
    outcome = models.CharField(_("hasil"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        verbose_name = _("kaji dokumen")
        verbose_name_plural = _("kaji dokumen")

    def __str__(self):
        return f"{self.case.number} — {self.get_outcome_display()}"

    def items_to_fix(self):
        """The items the candidate must fix (see catalog.selectors.fix_list: unused basic alternatives excluded)."""
        items = list(self.items.all())
        given = {i.requirement_id: {"present": i.present, "meets": i.meets} for i in items}
        reqs = {i.requirement_id: i.requirement for i in items}
        keep = set(fix_list(given, reqs, basic_are_alternatives(self.case.scheme)))
        return [i for i in items if i.requirement_id in keep]


class DocumentReviewItem(models.Model):
    review = models.ForeignKey(DocumentReview, on_delete=models.CASCADE, related_name="items")
    requirement = models.ForeignKey("catalog.Requirement", on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("ada"))
    meets = models.BooleanField(_("memenuhi syarat"))
    comment = models.CharField(_("komentar"), max_length=500, blank=True)

    class Meta:
        ordering = ["requirement__kind", "requirement__order", "requirement_id"]
        constraints = [models.UniqueConstraint(fields=["review", "requirement"], name="unique_review_item")]

    def __str__(self):
        state = _("ada") if self.present else _("tidak ada")
        return f"{self.requirement} — {state}"

    @property
    def needs_fix(self):
        return not (self.present and self.meets)


class ErasureRequest(models.Model):
    """A candidate's request to erase their personal data (UU PDP), decided by an admin with a reason.
    What may be erased and what the LSP keeps is cases.privacy.erasure_plan."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Menunggu keputusan")
        DONE = "done", _("Dihapus")
        REFUSED = "refused", _("Ditolak")

    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="erasure_requests")
    reason = models.TextField(_("alasan permintaan"), blank=True)
    requested_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    erased = models.JSONField(_("yang dihapus"), default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("permintaan penghapusan data")
        verbose_name_plural = _("permintaan penghapusan data")

    def __str__(self):
        return f"{self.candidate} — {self.get_status_display()}"
