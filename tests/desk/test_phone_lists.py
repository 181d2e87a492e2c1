"""Lists read well on a phone: status badges may wrap and sit on their own line; list tables stack into cards."""

import re

import pytest
from django.urls import reverse

from tests.cases.helpers import submitted_case
from tests.events.helpers import make_event


@pytest.mark.django_db
def test_case_list_on_a_phone_puts_the_badge_on_its_own_line(client, scheme, candidate, admin_user):
    submitted_case(scheme, candidate)
    client.force_login(admin_user)
    body = client.get(reverse("cases:list")).content.decode()
    phone_list = body[body.index('class="list-group d-md-none'):body.index('class="table-responsive')]
    # the name and the badge are not squeezed side by side (a long badge became a tall block there)
    assert "justify-content-between" not in phone_list
    assert re.search(r'<div class="my-1"><span class="badge status-badge [^"]*">', phone_list)


@pytest.mark.django_db
def test_event_list_stacks_into_labelled_cards(client, scheme, site, admin_user):
    make_event(scheme, site)
    client.force_login(admin_user)
    body = client.get(reverse("events:list")).content.decode()
    assert 'table-stack' in body
    for label in ("Skema", "Waktu", "TUK", "Kursi", "Status"):
        assert f'data-label="{label}"' in body, label


def test_stylesheet_keeps_the_top_bar_readable_and_badges_wrapping():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "src/kompeten/static/css/kompeten.css").read_text()
    assert "--bs-navbar-color: #fff" in css  # white on #0b5d6b is about 7:1 (axe checks it in tests/e2e)
    assert re.search(r"\.status-badge \{[^}]*white-space: normal", css)
    assert ".navbar a, .dropdown-item { color: inherit; }" not in css  # made the menu dark on teal (2:1)
