"""Reading what a visitor typed into a URL: one place that turns query parameters into safe values.

Every list, filter and search reads its query parameters through these helpers, never with
`int(request.GET[...])` or a bare `.strip()`: a value that is not what we expect is treated as absent,
so malformed input (other scripts' digits, numbers beyond a 64-bit column, NUL bytes that PostgreSQL
refuses, search strings longer than SQLite's LIKE pattern limit) can never become a server error.
"""

# The largest value a BigAutoField / PositiveBigIntegerField column holds.
MAX_DB_INT = 2**63 - 1
# Longer search texts are cut: no name, number or NIK is longer, and SQLite refuses LIKE patterns
# beyond 50,000 bytes.
SEARCH_MAX_LENGTH = 100


def parse_int(value, default=None, *, min_value=0, max_value=MAX_DB_INT):
    """A whole number written in ASCII digits (0-9) within [min_value, max_value]; otherwise `default`.

    Python's int() also accepts Arabic-Indic and other digits ("١٢") while str.isdigit() accepts
    superscripts ("²") that int() refuses; neither is a number a visitor meant, so both are refused here.
    """
    if value is None:
        return default
    text = str(value).strip()
    if text.startswith("-") and min_value < 0:
        sign, text = -1, text[1:]
    else:
        sign = 1
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return default
    number = sign * int(text)
    if number < min_value or number > max_value:
        return default
    return number


def get_int(request, name, default=None, **bounds):
    """parse_int() of one query parameter."""
    return parse_int(request.GET.get(name), default, **bounds)


def clean_search(value, max_length=SEARCH_MAX_LENGTH):
    """A search text that every database accepts: control characters (NUL included) removed, spaces
    collapsed, at most `max_length` characters."""
    if not value:
        return ""
    text = "".join(ch if ch.isprintable() else " " for ch in str(value))
    return " ".join(text.split())[:max_length]


def get_search(request, name="q", max_length=SEARCH_MAX_LENGTH):
    """clean_search() of one query parameter."""
    return clean_search(request.GET.get(name, ""), max_length)


def get_choice(request, name, choices, default=""):
    """The parameter when it is one of `choices` (a NUL or any other value gives `default`)."""
    value = request.GET.get(name, default)
    return value if value in choices else default
