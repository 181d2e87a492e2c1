"""The LSP's own profile (name, licence, contact, logo): one function reads it for every screen and PDF."""

from django.conf import settings

from kompeten.core.models import LspProfile


def lsp_profile():
    """The saved profile, or (before the admin fills it in) an unsaved one named from the settings."""
    profile = LspProfile.objects.order_by("pk").first()
    if profile is None:
        profile = LspProfile(name=settings.LSP_NAME, licence_number=settings.LSP_LICENSE)
    return profile
