"""Fuzz every form, filter and list parameter of the app with malformed input (issue 12, Reliability).

The targets are not listed by hand: every URL name of the resolver (`test_matrix.url_names`, the same walk that
makes a new URL without a matrix row fail) is opened as each role and relation that the matrix says reaches it
(GET 200), on the matrix's world. Each `<form>` of the page (its action, method, and every input, select and
textarea it names), and the query parameters of the page's own links (pagination, filters), are then sent
malformed values drawn by hypothesis: non-ASCII digits, NUL bytes, very long strings, %-formats, integers beyond
64 bits, emoji, SQL and HTML metacharacters, impossible dates, repeated keys, odd files. A new form is covered the
day it appears on a page. Nothing may answer with a server error (500); each request runs in a savepoint that is
rolled back, so an input that happens to be valid changes nothing for the next.

The suite runs it on SQLite and on PostgreSQL (KOMPETEN_TEST_DB=postgres). KOMPETEN_FUZZ_EXAMPLES (default 4)
sets the examples per URL.
"""

import os
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import world as world_mod
from .matrix import ROWS
from .test_matrix import _private_storage, kwargs_for, world  # noqa: F401  (the matrix's world and storage)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("KOMPETEN_FUZZ_EXAMPLES", "4"))
# Forms of the base template that are not the page's own (their own tests cover them).
SKIPPED_ACTIONS = ("/i18n/", "/keluar/")

NASTY = [
    "١٢٣", "²", "٣", "𝟙𝟚", "๓", "Ⅻ",  # digits that are not ASCII
    "\x00", "a\x00b", "%00",  # NUL
    "x" * 70_000, "9" * 400,  # very long
    "%s %d %(x)s {0} {x} %n %%", "%(nama)s",  # format strings
    str(2**63), str(2**64), "-" + str(2**70), "1e309", "NaN", "-inf", "0x1F", "-1", "0",  # numbers
    "😀👩‍💻🇮🇩", "\u202e\u200b", "\udcff".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),  # emoji, controls
    "' OR 1=1 --", "\"; DROP TABLE cases_case; --", "%' AND '%'='", "\\", "_%",  # SQL
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "{{ 7*7 }}", "{% debug %}",  # HTML, templates
    "2026-02-30", "99999-12-31", "0000-00-00", "2026-13-01T25:61", "31/12/2026",  # dates
    "", " ", "\t\n", "../../etc/passwd", "null", "true", "[]", "{}",
]
nasty_text = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))


class Forms(HTMLParser):
    """The forms of a page: [{"action", "method", "fields": {name: type}}], and its links' query names."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.query_names, self._form = [], set(), None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                          "fields": {}}
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea", "button") and a.get("name"):
            kind = a.get("type", tag) if tag == "input" else tag
            target = self._form["fields"] if self._form is not None else None
            if target is not None:
                target[a["name"]] = kind
            elif a.get("form") is None:  # a control outside any form (HTMX): a query name of the page
                self.query_names.add(a["name"])
        elif tag == "a" and a.get("href", "").startswith("?"):
            self.query_names.update(k for k, _v in parse_qsl(a["href"][1:], keep_blank_values=True))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def targets():
    """(URL name, columns that reach it with a GET) for every row of the matrix (= every URL of the resolver)."""
    out = []
    for name, (_obj, expected) in sorted(ROWS.items()):
        columns = [c for c in world_mod.COLUMNS if expected.get(c, expected.get("*")) == 200]
        if columns:
            out.append((name, columns))
    return out


def _value(draw, kind):
    if kind == "file":
        name = draw(st.sampled_from(["a.pdf", "\x00.pdf", "x" * 300 + ".pdf", "😀.png", "../a.html", ""]))
        content = draw(st.sampled_from([b"", b"%PDF-1.4\n<html>", b"\x89PNG\r\n\x1a\n", b"\x00" * 64]))
        return SimpleUploadedFile(name or "berkas", content)
    if draw(st.integers(0, 4)) == 0:
        return [draw(nasty_text), draw(nasty_text)]  # the same key twice
    return draw(nasty_text)


def _in_savepoint(fn):
    with transaction.atomic():
        resp = fn()
        transaction.set_rollback(True)
    return resp


@pytest.mark.parametrize(("name", "columns"), targets(), ids=[t[0] for t in targets()])
def test_malformed_input_is_never_a_server_error(world, name, columns):  # noqa: F811
    obj, _expected = ROWS[name]
    url = reverse(name, kwargs=kwargs_for(world, obj))
    pages = {}
    for column in columns:
        resp = _in_savepoint(lambda c=column: world.clients[c].get(url))
        assert resp.status_code == 200, (name, column, resp.status_code)
        parser = Forms()
        if "html" in resp.get("Content-Type", ""):
            parser.feed(resp.content.decode())
        forms = [f for f in parser.forms if not urlsplit(urljoin(url, f["action"])).path.startswith(SKIPPED_ACTIONS)]
        pages[column] = (forms, sorted(parser.query_names | {"page", "q"}))

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def fuzz(data):
        column = data.draw(st.sampled_from(columns))
        client = world.clients[column]
        forms, query_names = pages[column]
        # The page's own query parameters (filters, search, pagination), malformed.
        params = {k: _value(data.draw, "text") for k in data.draw(st.lists(st.sampled_from(query_names),
                                                                          min_size=1, max_size=4))}
        resp = _in_savepoint(lambda: client.get(url, params))
        assert resp.status_code < 500, (name, column, "GET", params)
        if not forms:
            return
        form = data.draw(st.sampled_from(forms))
        action = urljoin(url, form["action"]) or url
        fields = {k: _value(data.draw, kind) for k, kind in form["fields"].items()
                  if kind not in ("submit", "button", "hidden") or data.draw(st.booleans())}
        if form["method"] == "post":
            resp = _in_savepoint(lambda: client.post(action, fields))
        else:
            fields = {k: v for k, v in fields.items() if not isinstance(v, SimpleUploadedFile)}
            resp = _in_savepoint(lambda: client.get(action, fields))
        assert resp.status_code < 500, (name, column, form["method"].upper(), action, sorted(fields))

    fuzz()


def test_the_fuzz_reaches_the_forms(world):  # noqa: F811
    """The target list is derived, not written: it must find the staff's forms and the candidate's."""
    found = set()
    for name, columns in targets():
        if name not in ("cases:apl01", "catalog:create", "sites:create", "events:create", "cases:list"):
            continue
        resp = world.clients[columns[0]].get(reverse(name, kwargs=kwargs_for(world, ROWS[name][0])))
        parser = Forms()
        parser.feed(resp.content.decode())
        if any(f["fields"] for f in parser.forms):
            found.add(name)
    assert found == {"cases:apl01", "catalog:create", "sites:create", "events:create", "cases:list"}, found


def test_nasty_values_include_each_kind():
    text = "".join(NASTY)
    for must in ("\x00", "١", "😀", "%s", "<script>", "' OR", str(2**64)):
        assert must in text
    assert any(len(v) > 60_000 for v in NASTY)
    assert re.search(r"\d{4}-02-30", text)
