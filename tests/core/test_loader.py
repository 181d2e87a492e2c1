"""Loading a scheme from a file."""

import json

import pytest
from django.core.management import CommandError, call_command

from kompeten.catalog.loader import SchemeFileError, load_scheme, read_scheme_file
from kompeten.catalog.models import Criterion, Scheme
from tests.conftest import SCHEME_FILE


def test_real_scheme_loads_with_units_elements_and_kuk(scheme):
    assert scheme.units.count() == 6
    first = scheme.units.first()
    assert first.code == "J.620100.005.02"
    element = first.elements.first()
    assert element.criteria.first().number == "1.1"
    assert scheme.requirements.filter(kind="administrative").exists()
    from kompeten.assessment import instruments as I

    # the file carries the scheme's MUK: IA.01, IA.02, IA.05 (≥ 30 items), IA.06, IA.07, IA.09
    forms = {i.form: I.latest_version(i) for i in I.instruments_of(scheme)}
    assert set(forms) == {"IA.01", "IA.02", "IA.05", "IA.06", "IA.07", "IA.09"}
    assert forms["IA.05"].items.count() >= 30


def test_loading_again_updates_in_place(scheme):
    data = read_scheme_file(SCHEME_FILE)
    data["title"] = "Junior Web Developer (rev)"
    again = load_scheme(data)
    assert again.pk == scheme.pk and Scheme.objects.count() == 1
    assert again.title == "Junior Web Developer (rev)"
    assert Criterion.objects.filter(element__unit__scheme=scheme).count() == sum(
        len(e["criteria"]) for u in data["units"] for e in u["elements"])


def test_bad_file_changes_nothing(scheme, tmp_path):
    data = read_scheme_file(SCHEME_FILE)
    data["units"][1]["elements"][0].pop("title")
    data["title"] = "Should not be saved"
    with pytest.raises(SchemeFileError, match="element"):
        load_scheme(data)
    scheme.refresh_from_db()
    assert scheme.title != "Should not be saved" and scheme.units.count() == 6


def test_kkni_scheme_needs_a_level(db):
    with pytest.raises(SchemeFileError, match="kkni_level"):
        load_scheme({"number": "X/1", "title": "T", "type": "KKNI", "units": [{"code": "A", "title": "B"}]})


def test_command_loads_yaml(tmp_path, db, capsys):
    import yaml

    data = {"scheme": {"number": "SKM/Y/1", "title": "Operator", "type": "KKNI", "kkni_level": 2,
                       "units": [{"code": "U.1", "title": "Unit", "elements": [{"title": "E", "criteria": ["c"]}]}]}}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    call_command("load_scheme", str(path))
    assert Scheme.objects.get(number="SKM/Y/1").kkni_level == 2


def test_command_reports_errors(tmp_path, db):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"nope": 1}))
    with pytest.raises(CommandError, match="scheme"):
        call_command("load_scheme", str(path))
