"""How other apps read the TUK register."""

from kompeten.sites.models import Site


def all_sites():
    return Site.objects.order_by("name")


def active_sites():
    return Site.objects.filter(is_active=True).order_by("name")


def sites_fit_for(scheme):
    """Active TUK whose verification names the scheme (their validity date is checked on designation)."""
    return active_sites().filter(schemes=scheme)
