"""The assessor registry (MET number, schemes, registration validity)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.core.concurrency import Versioned
from kompeten.core.dates import format_date

MET_PATTERN = re.compile(r"^MET\.\d{3}\.\d{6} \d{4}$")


def normalise_met_number(value):
    """'met.000.004512   2019' → 'MET.000.004512 2019': spaces collapsed, the prefix in capitals."""
    value = " ".join((value or "").split())
    return "MET" + value[3:] if value[:3].lower() == "met" else value


def validate_met_number(value):
    if not MET_PATTERN.match(value or ""):
        raise ValidationError(_("Nomor registrasi asesor harus berformat MET.000.NNNNNN TTTT, "
                                "misalnya MET.000.004512 2019."))


class Assessor(Versioned):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessor",
                                verbose_name=_("pengguna"))
    met_number = models.CharField(_("nomor registrasi (MET)"), max_length=30, unique=True,
                                  validators=[validate_met_number])
    schemes = models.ManyToManyField("catalog.Scheme", related_name="assessors", blank=True,
                                     verbose_name=_("skema yang boleh diases"))
    registration_valid_until = models.DateField(_("registrasi berlaku sampai"))
    employer = models.CharField(_("instansi/tempat kerja"), max_length=200, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["user__first_name", "user__last_name"]
        verbose_name = _("asesor")
        verbose_name_plural = _("asesor")

    def __str__(self):
        return f"{self.user.display_name} ({self.met_number})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("people:assessor_detail", args=[self.pk])

    @property
    def name(self):
        return self.user.display_name

    def registration_valid(self, on=None):
        on = on or timezone.localdate()
        return self.is_active and self.registration_valid_until >= on

    def may_assess(self, scheme, on=None):
        """Return None if this assessor may assess `scheme` on date `on`, else the reason why not."""
        if not self.registration_valid(on):
            return _("Registrasi MET %(met)s tidak berlaku pada tanggal tersebut (berlaku sampai %(until)s).") % {
                "met": self.met_number, "until": format_date(self.registration_valid_until)}
        if not self.schemes.filter(pk=scheme.pk).exists():
            return _("%(name)s tidak terdaftar sebagai asesor untuk skema %(scheme)s.") % {
                "name": self.name, "scheme": scheme.title}
        return None


_LEGAL_FORMS = {"pt", "cv", "tbk", "persero", "ud"}


def normalise_employer(name):
    """'PT. Solusi Web, Tbk' and 'solusi  web' compare equal: case, spaces, punctuation and legal forms
    (PT, CV, Tbk …) are ignored."""
    words = re.sub(r"[^\w\s]", " ", (name or "").lower()).split()
    return " ".join(w for w in words if w not in _LEGAL_FORMS)
