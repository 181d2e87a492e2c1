"""Helpers for the SOP walk (tests/test_sop_walk.py): log in as someone, read the state of a case or event,
assert that a refused act is refused clearly and changes nothing."""

import datetime as dt
import os
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kompeten.core.actions import history

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# What the refusals say (core.workflow.check and the views' own NotAllowed messages).
ROLE_WORDS = "hanya boleh dilakukan oleh"
STATUS_WORDS = "tidak dapat dilakukan karena status saat ini"
# A POST form of the page itself (the language switch in the menu does not count).
ACT_FORM = re.compile(r'<form(?![^>]*setlang)[^>]*method="post"', re.I)


def pdf_file(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def in_days(days, hour):
    d = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime(d.year, d.month, d.day, hour, 0))


def state(obj):
    """(status, number of action-log entries) read fresh from the database."""
    fresh = type(obj).objects.get(pk=obj.pk)
    return fresh.status, history(fresh).count()


def text(resp):
    return resp.content.decode()


class Browser:
    """The Django test client, logged in as one person at a time."""

    def __init__(self, client):
        self.client = client

    def as_(self, user):
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        return self.client

    def get(self, user, url, **kw):
        return self.as_(user).get(url, **kw)

    def post(self, user, url, data=None, **kw):
        return self.as_(user).post(url, data or {}, **kw)

    def page(self, user, url, *must_show):
        """GET an act's page as the right person: 200 and it shows the form (and the given texts)."""
        resp = self.get(user, url)
        assert resp.status_code == 200, (url, resp.status_code)
        body = text(resp)
        assert ACT_FORM.search(body), (url, "no act form on the page")
        for t in must_show:
            assert t in body, (url, t)
        return resp

    def done(self, user, url, data=None, *, objs=(), **kw):
        """POST an act's form as the right person: redirect, and each of objs gets a new action-log entry."""
        before = [state(o)[1] for o in objs]
        resp = self.post(user, url, data, **kw)
        assert resp.status_code == 302, (url, resp.status_code, _errors(resp))
        for o, n in zip(objs, before, strict=True):
            assert state(o)[1] > n, (url, o)
        return resp

    def refused(self, user, url, data=None, *, objs, status=(403,), says, method="post"):
        """The act is refused with a clear message (403 page / 409 page / the form again) and nothing changes."""
        before = [state(o) for o in objs]
        resp = self.post(user, url, data) if method == "post" else self.get(user, url)
        assert resp.status_code in status, (url, resp.status_code)
        body = text(resp)
        assert says in body, (url, says, messages_in(body))
        if os.environ.get("WALK_SHOW_REFUSALS"):
            print("REFUSED", resp.status_code, url, messages_in(body))
        assert [state(o) for o in objs] == before, url
        return resp

    def wrong_role(self, user, url, data=None, *, objs, says=ROLE_WORDS, method="post"):
        return self.refused(user, url, data, objs=objs, status=(403,), says=says, method=method)

    def wrong_status(self, user, url, data=None, *, objs, says=STATUS_WORDS, status=(409,), method="post"):
        resp = self.refused(user, url, data, objs=objs, status=status, says=says, method=method)
        if resp.status_code == 409:  # the refusal page says it once (no flash message repeating it)
            assert text(resp).count(says) == 1, messages_in(text(resp))
        return resp


def messages_in(body):
    """The alerts and field errors of a page, for assertion messages."""
    found = re.findall(r'class="[^"]*(?:alert|invalid-feedback|errorlist)[^"]*"[^>]*>(.*?)</', body, re.S)
    return [re.sub(r"\s+", " ", f).strip() for f in found if f.strip()]


def _errors(resp):
    ctx = getattr(resp, "context", None)
    if not ctx:
        return ""
    out = []
    for key in ("form", "reason_form", "stop_form"):
        form = ctx.get(key) if hasattr(ctx, "get") else None
        if form is not None and hasattr(form, "errors"):
            out.append(dict(form.errors))
    return out


def ia01(scheme):
    """The id of the scheme's validated FR.IA.01 version (it covers every KUK), for plan form posts."""
    from kompeten.assessment import instruments as I

    return str(next(v.pk for v in I.validated_versions(scheme) if v.instrument.form == "IA.01"))
