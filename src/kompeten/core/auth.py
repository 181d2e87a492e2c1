from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from kompeten.core.inputs import clean_search


class EmailOrUsernameBackend(ModelBackend):
    """Log in with either the username or the e-mail address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            user = get_user_model().objects.filter(email__iexact=username.strip()).first()
            if user:
                username = user.get_username()
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_username(request, credentials=None):
    """The name django-axes counts failed log-ins under (AXES_USERNAME_CALLABLE).

    Log-in accepts an e-mail in any capitalisation and with surrounding spaces, and the username too, so
    every spelling of one account must share one counter: the account's own username when the text names
    an account, else the text itself, trimmed and lower-cased."""
    raw = (credentials or {}).get("username") if credentials else None
    if raw is None and request is not None:
        raw = getattr(request, "data", None) and request.data.get("username")
        if raw is None:
            raw = request.POST.get("username")
    text = clean_search(raw, max_length=254).casefold()
    if not text:
        return text
    users = get_user_model().objects
    user = (users.filter(email__iexact=text) if "@" in text else users.filter(username__iexact=text)).first()
    if user is None and "@" in text:
        user = users.filter(username__iexact=text).first()
    return user.get_username().casefold() if user else text
