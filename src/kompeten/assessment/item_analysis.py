"""Classical item analysis of a multiple-choice test (DOMAIN.md §7) — pure functions, no database.

Input: `rows`, one list per candidate of 0/1 scores (1 = correct), every row as long as the number of items.

Per item:
* difficulty p = share of candidates who answered it correctly;
* discrimination D = p(upper group) − p(lower group), the groups being the 27% of candidates with the highest and
  the lowest total scores (n = round(0.27 · N), at least 1; candidates ranked by total, ties kept in input order);
* corrected point-biserial r = Pearson correlation between the item score and the total of the *other* items
  (None when either has no variance).
Per test: mean and standard deviation of the totals (population SD, divisor N) and
KR-20 = k/(k−1) · (1 − Σ p·q / σ²) with the same population variance (None when k < 2 or σ² = 0).
An item is flagged for review when p < 0.30 or p > 0.90 or D < 0.20.
"""

import math

P_LOW, P_HIGH, D_MIN = 0.30, 0.90, 0.20
GROUP_SHARE = 0.27


def _mean(xs):
    return sum(xs) / len(xs)


def _pvar(xs):
    m = _mean(xs)
    return sum((x - m) ** 2 for x in xs) / len(xs)


def pearson(xs, ys):
    """Pearson correlation of two equal-length lists, or None when either has no variance."""
    mx, my = _mean(xs), _mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def analyse(rows):
    """{"n", "k", "mean", "sd", "kr20", "group", "items": [{"p", "d", "rpb", "flags": [..]}]} or None when no
    candidate took the test. Flags: "difficulty_low" (p < 0.30, too hard), "difficulty_high" (p > 0.90, too easy),
    "discrimination" (D < 0.20)."""
    rows = [list(r) for r in rows]
    if not rows:
        return None
    n, k = len(rows), len(rows[0])
    if any(len(r) != k for r in rows):
        raise ValueError("every row must score the same items")
    totals = [sum(r) for r in rows]
    ranked = sorted(range(n), key=lambda i: -totals[i])  # stable: ties keep input order
    g = max(1, round(GROUP_SHARE * n))
    upper, lower = ranked[:g], ranked[-g:]
    items = []
    for j in range(k):
        col = [r[j] for r in rows]
        p = _mean(col)
        d = _mean([col[i] for i in upper]) - _mean([col[i] for i in lower])
        rpb = pearson(col, [totals[i] - col[i] for i in range(n)])
        flags = []
        if p < P_LOW:
            flags.append("difficulty_low")
        if p > P_HIGH:
            flags.append("difficulty_high")
        if d < D_MIN:
            flags.append("discrimination")
        items.append({"p": p, "d": d, "rpb": rpb, "flags": flags})
    var = _pvar(totals)
    kr20 = None
    if k >= 2 and var > 0:
        kr20 = k / (k - 1) * (1 - sum(it["p"] * (1 - it["p"]) for it in items) / var)
    return {"n": n, "k": k, "mean": _mean(totals), "sd": math.sqrt(var), "kr20": kr20, "group": g, "items": items}
