"""Assessment sites (TUK) and their verification."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.core.concurrency import Versioned
from kompeten.core.dates import format_date


class Site(Versioned):
    class Type(models.TextChoices):
        SEWAKTU = "sewaktu", _("Sewaktu")
        TEMPAT_KERJA = "tempat_kerja", _("Tempat Kerja")
        MANDIRI = "mandiri", _("Mandiri")

    code = models.CharField(_("kode TUK"), max_length=30, unique=True)
    name = models.CharField(_("nama TUK"), max_length=200)
    type = models.CharField(_("jenis TUK"), max_length=20, choices=Type.choices)
    address = models.TextField(_("alamat"))
    city = models.CharField(_("kota/kabupaten"), max_length=100, blank=True)
    head = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="headed_sites", verbose_name=_("ketua TUK"))
    verified_until = models.DateField(_("terverifikasi sampai"), null=True, blank=True)
    schemes = models.ManyToManyField("catalog.Scheme", related_name="sites", blank=True,
                                     verbose_name=_("skema yang layak diujikan"))
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("TUK")
        verbose_name_plural = _("TUK")

    def __str__(self):
        return f"{self.name} ({self.get_type_display()})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("sites:detail", args=[self.pk])

    def fit_for(self, scheme, on=None):
        """None if this TUK may host `scheme` on date `on`, else the reason why not."""
        if not self.is_verified(on):
            if self.verified_until is None:
                return _("TUK %(name)s belum diverifikasi.") % {"name": self.name}
            return _("Verifikasi TUK %(name)s tidak berlaku pada tanggal uji (berlaku sampai %(until)s).") % {
                "name": self.name, "until": format_date(self.verified_until)}
        if not self.schemes.filter(pk=scheme.pk).exists():
            return _("TUK %(name)s tidak dinyatakan layak untuk skema %(scheme)s.") % {
                "name": self.name, "scheme": scheme.title}
        return None

    def is_verified(self, on=None):
        on = on or timezone.localdate()
        return self.is_active and self.verified_until is not None and self.verified_until >= on


class FacilityItem(models.TextChoices):
    """The facilities checked when a TUK is verified (S1.4)."""

    ROOM = "room", _("Ruang uji memadai (luas, penerangan, ventilasi)")
    EQUIPMENT = "equipment", _("Peralatan dan bahan sesuai kebutuhan skema")
    INTERNET = "internet", _("Listrik dan koneksi internet stabil")
    SAFETY = "safety", _("Keselamatan dan kesehatan kerja (K3), APAR, jalur evakuasi")
    ACCESSIBILITY = "accessibility", _("Aksesibilitas bagi asesi (termasuk penyandang disabilitas)")
    SANITATION = "sanitation", _("Toilet, tempat ibadah dan ruang tunggu")


class SiteVerification(models.Model):
    """One verification visit of a TUK: each facility meets / does not, and the schemes it is fit for."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="verifications")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("diverifikasi oleh"))
    verified_at = models.DateTimeField(_("tanggal verifikasi"), default=timezone.now)
    items = models.JSONField(_("hasil per butir"), default=list)  # [{"item", "ok", "note"}]
    passed = models.BooleanField(_("layak"))
    verified_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    schemes = models.ManyToManyField("catalog.Scheme", related_name="+", blank=True,
                                     verbose_name=_("skema yang layak diujikan"))
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["-verified_at", "-id"]
        verbose_name = _("verifikasi TUK")
        verbose_name_plural = _("verifikasi TUK")

    def __str__(self):
        return f"{self.site.code} {format_date(self.verified_at)}"

    def item_rows(self):
        labels = dict(FacilityItem.choices)
        return [{**row, "label": labels.get(row.get("item"), row.get("item"))} for row in self.items]
