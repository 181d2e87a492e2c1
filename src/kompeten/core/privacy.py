"""Personal identifiers on a need-to-know basis: how an identifier reads where the reader does not need it."""

MASK = "•"


def mask_identifier(value, keep_start=4, keep_end=4):
    """"3273011708900001" → "3273••••••••0001": enough to tell two people apart in a list, not enough to
    rebuild the number. Short values are masked whole except their last characters."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        keep = min(keep_end, max(len(value) // 3, 1))
        return MASK * (len(value) - keep) + value[-keep:]
    return value[:keep_start] + MASK * (len(value) - keep_start - keep_end) + value[-keep_end:]
