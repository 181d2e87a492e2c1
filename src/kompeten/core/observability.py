"""What an operator sees of a running server: one JSON line per log record, each carrying the id of the
request it belongs to (core.middleware.RequestIdMiddleware sets it).

Imported by the settings (LOGGING) and by gunicorn's configuration before Django is set up: nothing here
may import models or read settings at import time.
"""

import contextvars
import datetime as dt
import json
import logging
import re
import uuid

_request_id = contextvars.ContextVar("kompeten_request_id", default="")

# A request id given by the proxy is kept only when it is short and plain: it is echoed into headers,
# logs and the 500 page.
_ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

# The attributes every LogRecord has; anything else passed in `extra=` goes into the JSON line.
_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id",
                                                                       "request"}  # its repr has the query string


def new_request_id(given=None):
    """The proxy's X-Request-ID when it is acceptable, else a new random one."""
    if given and _ACCEPTED_ID.match(given):
        return given
    return uuid.uuid4().hex


def current_request_id():
    return _request_id.get()


def bind_request_id(value):
    """Set the id for the current request; returns the token for `unbind_request_id`."""
    return _request_id.set(value)


def unbind_request_id(token):
    _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (empty outside a request)."""

    def filter(self, record):
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, the `extra`
    fields of the call, and the traceback (as one string) when there is one."""

    def format(self, record):
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or current_request_id(),
        }
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def _lean_records():
    """No record field that no line of ours writes: where the call was made (a walk up the stack on every
    record), the thread, the process. The logging HOWTO's "Optimization" section names these switches; every
    request writes a record (RequestIdMiddleware), and the verification JSON is asked for hundreds of times a
    second."""
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logging.logAsyncioTasks = False


def logging_config(level="INFO", fmt="json"):
    """The LOGGING dict used by the settings and by gunicorn (so its own lines are JSON too)."""
    _lean_records()
    formatter = {"()": "kompeten.core.observability.JsonFormatter"} if fmt == "json" else {
        "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "kompeten.core.observability.RequestIdFilter"}},
        "formatters": {"kompeten": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "kompeten",
                                 "filters": ["request_id"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.server": {"level": "INFO"},
            "django.tasks": {"level": "WARNING"},
            "axes": {"level": "WARNING"},
            # gunicorn's own loggers write through the same handler (its access log stays off: the
            # request line is written by RequestIdMiddleware, with the request id).
            "gunicorn.error": {"level": level, "handlers": ["console"], "propagate": False},
            "gunicorn.access": {"level": "WARNING", "handlers": ["console"], "propagate": False},
        },
    }
