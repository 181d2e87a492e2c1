"""The LSP's own profile (name, licence, contact, logo): one function reads it for every screen and PDF."""

from django.conf import settings
from django.core.cache import cache

from kompeten.core.models import LspProfile

# Every page shows the profile; it changes a few times a year. Kept in the cache for a minute (several worker
# processes each keep their own copy, so a change shows everywhere within that minute; at once where it was made).
CACHE_KEY, CACHE_SECONDS = "kompeten:lsp-profile", 60


def lsp_profile(*, fresh=False):
    """The saved profile, or (before the admin fills it in) an unsaved one named from the settings.
    `fresh` reads the database (to edit it), not the cache."""
    profile = None if fresh else cache.get(CACHE_KEY)
    if profile is None:
        profile = LspProfile.objects.order_by("pk").first()
        if profile is not None:
            cache.set(CACHE_KEY, profile, CACHE_SECONDS)
    if profile is None:
        profile = LspProfile(name=settings.LSP_NAME, licence_number=settings.LSP_LICENSE)
    return profile


def forget_lsp_profile():
    cache.delete(CACHE_KEY)
