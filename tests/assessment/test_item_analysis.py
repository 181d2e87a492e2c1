"""Item analysis (assessment/item_analysis.py) against figures computed by hand."""

import math

import pytest

from kompeten.assessment.item_analysis import analyse

# Five candidates × three items. Totals: A 3, B 2, C 2, D 1, E 0.
ROWS = [
    [1, 1, 1],  # A
    [1, 1, 0],  # B
    [1, 0, 1],  # C
    [1, 0, 0],  # D
    [0, 0, 0],  # E
]


def test_hand_computed_example():
    r = analyse(ROWS)
    # n = 5, k = 3; groups: round(0.27 × 5) = round(1.35) = 1 → upper {A}, lower {E}.
    assert (r["n"], r["k"], r["group"]) == (5, 3, 1)
    p = [it["p"] for it in r["items"]]
    assert p == pytest.approx([4 / 5, 2 / 5, 2 / 5])  # 0.80, 0.40, 0.40
    # D = p(upper) − p(lower): item 1: 1 − 0, item 2: 1 − 0, item 3: 1 − 0.
    assert [it["d"] for it in r["items"]] == pytest.approx([1.0, 1.0, 1.0])
    # Mean of totals (3+2+2+1+0)/5 = 1.6; population variance ((1.4)²+0.4²+0.4²+(−0.6)²+(−1.6)²)/5
    # = (1.96+0.16+0.16+0.36+2.56)/5 = 5.2/5 = 1.04; SD = √1.04 = 1.0198.
    assert r["mean"] == pytest.approx(1.6)
    assert r["sd"] == pytest.approx(math.sqrt(1.04))
    # KR-20 = 3/2 · (1 − Σpq/σ²), Σpq = 0.8·0.2 + 0.4·0.6 + 0.4·0.6 = 0.16 + 0.24 + 0.24 = 0.64
    # → 1.5 · (1 − 0.64/1.04) = 1.5 · 0.384615… = 0.576923…
    assert r["kr20"] == pytest.approx(1.5 * (1 - 0.64 / 1.04))
    assert r["kr20"] == pytest.approx(0.576923, abs=1e-6)
    # Corrected point-biserial of item 1: item x = [1,1,1,1,0], rest y = total − x = [2,1,1,0,0].
    # x̄ = 0.8, ȳ = 0.8; Σ(x−x̄)(y−ȳ) = 0.2·1.2 + 0.2·0.2 + 0.2·0.2 + 0.2·(−0.8) + (−0.8)(−0.8)
    # = 0.24 + 0.04 + 0.04 − 0.16 + 0.64 = 0.80; Σ(x−x̄)² = 4·0.04 + 0.64 = 0.80;
    # Σ(y−ȳ)² = 1.44 + 0.04 + 0.04 + 0.64 + 0.64 = 2.80 → r = 0.80 / √(0.80 · 2.80) = 0.80 / 1.4967 = 0.5345.
    assert r["items"][0]["rpb"] == pytest.approx(0.80 / math.sqrt(0.80 * 2.80))
    assert r["items"][0]["rpb"] == pytest.approx(0.534522, abs=1e-6)
    # Item 2: x = [1,1,0,0,0], y = [2,1,2,1,0]; x̄ = 0.4, ȳ = 1.2;
    # Σxy-dev = 0.6·0.8 + 0.6·(−0.2) + (−0.4)·0.8 + (−0.4)·(−0.2) + (−0.4)·(−1.2) = 0.48 − 0.12 − 0.32 + 0.08 + 0.48
    # = 0.60; Σ(x−x̄)² = 2·0.36 + 3·0.16 = 1.20; Σ(y−ȳ)² = 0.64+0.04+0.64+0.04+1.44 = 2.80
    # → r = 0.60 / √(1.20 · 2.80) = 0.60 / 1.8330 = 0.3273.
    assert r["items"][1]["rpb"] == pytest.approx(0.327327, abs=1e-6)
    # Flags: all p within 0.30–0.90 and D ≥ 0.20 → none.
    assert [it["flags"] for it in r["items"]] == [[], [], []]


def test_flags_and_degenerate_cases():
    rows = [[1, 0, 1], [1, 0, 0], [1, 0, 1], [1, 0, 0]]
    r = analyse(rows)
    # Item 1: p = 1.0 > 0.90 (too easy), D = 0 < 0.20; item 2: p = 0 (too hard), D = 0; no variance → rpb None.
    assert r["items"][0]["flags"] == ["difficulty_high", "discrimination"]
    assert r["items"][1]["flags"] == ["difficulty_low", "discrimination"]
    assert r["items"][0]["rpb"] is None and r["items"][1]["rpb"] is None
    # Item 3 (p = 0.5): groups of round(1.08) = 1: upper = first of the top total (row 1), lower = last row (row 4).
    assert r["items"][2]["d"] == pytest.approx(1.0) and r["items"][2]["flags"] == []
    assert analyse([]) is None
    assert analyse([[1], [0]])["kr20"] is None  # one item: KR-20 undefined
    with pytest.raises(ValueError):
        analyse([[1, 0], [1]])
