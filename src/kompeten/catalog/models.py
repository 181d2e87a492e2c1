"""The scheme catalogue: schemes, their units, elements and criteria (KUK), and requirements.

The assessment tools (MUK) and their content belong to the assessment app (assessment.models.Instrument)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompeten.core.concurrency import Versioned


class Scheme(Versioned):
    class Type(models.TextChoices):
        KKNI = "KKNI", _("KKNI")
        OKUPASI = "Okupasi", _("Okupasi")
        KLASTER = "Klaster", _("Klaster")

    number = models.CharField(_("nomor skema"), max_length=60, unique=True)
    code = models.SlugField(_("kode"), max_length=60, unique=True, help_text=_("Dipakai di alamat halaman."))
    title = models.CharField(_("judul"), max_length=255)
    type = models.CharField(_("jenis"), max_length=10, choices=Type.choices)
    kkni_level = models.PositiveSmallIntegerField(_("jenjang KKNI"), null=True, blank=True,
                                                  help_text=_("1–9, hanya untuk skema KKNI."))
    sector = models.CharField(_("bidang"), max_length=100, blank=True)
    reference_standard = models.TextField(_("standar acuan"), blank=True)
    validity_years = models.PositiveSmallIntegerField(_("masa berlaku (tahun)"), default=3)
    fee = models.DecimalField(_("biaya (Rp)"), max_digits=12, decimal_places=0, default=0)
    summary = models.TextField(_("ringkasan"), blank=True)
    evidence = models.TextField(_("bukti yang diperlukan"), blank=True)
    evidence_types = models.TextField(_("jenis bukti"), blank=True)
    rules = models.TextField(_("aturan sertifikasi"), blank=True)
    process = models.TextField(_("proses sertifikasi"), blank=True)
    rights_duties = models.TextField(_("hak dan kewajiban"), blank=True)
    is_licensed = models.BooleanField(_("masuk ruang lingkup lisensi BNSP"), default=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    # The shorter recertification path, from the scheme file's `recertification` key (docs/scheme-format.md):
    # {"methods": [AK.02 method keys], "condition": "clean_surveillance" | "none", "description": text}; {} = none.
    recertification = models.JSONField(_("jalur sertifikasi ulang"), default=dict, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("skema sertifikasi")
        verbose_name_plural = _("skema sertifikasi")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalog:scheme", args=[self.code])

    @property
    def type_label(self):
        if self.type == self.Type.KKNI and self.kkni_level:
            return _("KKNI Jenjang %(level)s") % {"level": self.kkni_level}
        return self.get_type_display()


class Unit(models.Model):
    class StandardType(models.TextChoices):
        SKKNI = "SKKNI", _("SKKNI")
        SKK_KHUSUS = "SKK Khusus", _("SKK Khusus")
        INTERNATIONAL = "Internasional", _("Standar internasional")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="units")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(_("kode unit"), max_length=40)  # opaque: formats differ per standard
    title = models.CharField(_("judul unit"), max_length=300)
    standard_type = models.CharField(_("jenis standar"), max_length=20, choices=StandardType.choices,
                                     default=StandardType.SKKNI)

    class Meta:
        ordering = ["scheme", "order", "id"]
        verbose_name = _("unit kompetensi")
        verbose_name_plural = _("unit kompetensi")
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="unique_unit_per_scheme")]

    def __str__(self):
        return f"{self.code} {self.title}"


class Element(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="elements")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("elemen"), max_length=300)

    class Meta:
        ordering = ["unit", "order", "id"]
        verbose_name = _("elemen kompetensi")
        verbose_name_plural = _("elemen kompetensi")

    def __str__(self):
        return f"{self.order}. {self.title}"


class Criterion(models.Model):
    """KUK, numbered <element>.<n> as printed (1.1, 1.2 …)."""

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0)
    number = models.CharField(_("nomor"), max_length=10)
    text = models.TextField(_("kriteria unjuk kerja"))

    class Meta:
        ordering = ["element", "order", "id"]
        verbose_name = _("KUK")
        verbose_name_plural = _("KUK")

    def __str__(self):
        return f"{self.number} {self.text}"


class Requirement(models.Model):
    class Kind(models.TextChoices):
        BASIC = "basic", _("Persyaratan dasar")
        ADMINISTRATIVE = "administrative", _("Persyaratan administratif")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("persyaratan"))
    needs_upload = models.BooleanField(_("perlu unggah bukti"), default=True)

    class Meta:
        ordering = ["scheme", "kind", "order", "id"]
        verbose_name = _("persyaratan")
        verbose_name_plural = _("persyaratan")

    def __str__(self):
        return self.text
