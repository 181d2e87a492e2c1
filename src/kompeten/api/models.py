"""Personal API tokens: a person lets an integrator read (or act) in their name, within their own rights."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("Hanya baca")
        WRITE = "write", _("Baca dan tindakan")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama token"), max_length=80)
    scope = models.CharField(_("cakupan"), max_length=10, choices=Scope.choices, default=Scope.READ)
    # The token is shown once; only its SHA-256 is kept (it is 256 random bits: no slow hash needed).
    # The prefix identifies it on the list without revealing it.
    prefix = models.CharField(_("awalan"), max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None

    @property
    def can_act(self):
        return self.scope == self.Scope.WRITE
