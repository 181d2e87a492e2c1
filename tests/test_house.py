"""The house rules, read from the source: arrows run one way, down to core, and an app reads another app's
records only through the functions that app offers (its `selectors`, `services`, hooks) — never its models.

The rule each room keeps is written in docs/architecture.md; this test is that page, checked.
"""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "kompeten"

# Top to bottom. An app may import from the layers below its own, never from its own layer's other apps
# or from above.
LAYERS = [
    {"demo"},
    {"desk", "api"},
    {"appeals"},
    {"certification"},
    {"assessment"},
    {"events"},
    {"cases"},
    {"people", "sites"},
    {"catalog"},
    {"core"},
]
LEVEL = {app: i for i, layer in enumerate(LAYERS) for app in layer}

# What another app may import from an app: the functions it offers and the registries it keeps.
# Models, views, forms and templates stay inside their app (core's are the base every app builds on).
# (`loader`: the catalogue's scheme-file loader, where a higher app registers the file sections it reads.)
OFFERED = {"selectors", "services", "workflow", "panels", "brochure", "history", "wording", "errors", "loader"}
# The rooms on top read every app below, models included (they own no records of their own).
READS_EVERYTHING = {"demo", "desk"}


def _imports(src=SRC):
    """(app, file, line, imported app, imported module path) for every `kompeten.*` import in the source."""
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src)
        if "migrations" in rel.parts or len(rel.parts) < 2:
            continue
        app = rel.parts[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # `from kompeten.x.models import A` names the module; `from kompeten.x import selectors` each name
                deep = node.module.count(".") >= 2
                names = [node.module] if deep else [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "kompeten" and len(parts) > 1 and parts[1] in LEVEL and parts[1] != app:
                    yield app, rel, node.lineno, parts[1], parts[2:]


def test_every_app_has_a_place_in_the_layers():
    apps = {p.name for p in SRC.iterdir() if (p / "apps.py").exists()}
    assert apps <= set(LEVEL), f"apps without a layer in tests/test_house.py: {apps - set(LEVEL)}"


def test_arrows_run_down_to_core():
    wrong = sorted({f"{rel}:{line} imports kompeten.{target}"
                    for app, rel, line, target, _rest in _imports()
                    if app in LEVEL and LEVEL[target] <= LEVEL[app]})
    assert wrong == [], "an import runs up or sideways:\n" + "\n".join(wrong)


def test_records_are_read_through_what_their_app_offers():
    wrong = sorted({f"{rel}:{line} imports kompeten.{target}.{'.'.join(rest)}"
                    for app, rel, line, target, rest in _imports()
                    if app not in READS_EVERYTHING and target != "core" and rest and rest[0] not in OFFERED})
    assert wrong == [], "read another app's records through its selectors:\n" + "\n".join(wrong)


def test_the_check_catches_a_wrong_arrow(tmp_path):
    # The rule test itself must be able to fail: a core module importing a domain model is caught.
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "bad.py").write_text("from kompeten.cases.models import Case\n")
    assert [(app, target, rest) for app, _rel, _line, target, rest in _imports(tmp_path)] == [
        ("core", "cases", ["models"])]
