"""Assessment sites (TUK) and their verification."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Site(models.Model):
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

    def is_verified(self, on=None):
        on = on or timezone.localdate()
        return self.is_active and self.verified_until is not None and self.verified_until >= on
