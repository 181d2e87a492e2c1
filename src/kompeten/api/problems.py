"""Errors as RFC 9457 problem details: application/problem+json with type, title, status and detail.

`type` is "about:blank" (the HTTP status says it all, RFC 9457 §4.2.1) and `title` the status phrase; `detail`
says in the person's language (Indonesian unless chosen otherwise) what went wrong. A refused act (409) carries
the service's message as its detail and, when it names fields, `errors` {field: [messages]}; a request that
does not fit the schema (422) lists the places in `errors`.
"""

import json
from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kompeten.core.errors import NotAllowed, WorkflowError

MEDIA_TYPE = "application/problem+json"


def problem(status, detail, *, errors=None, headers=None, instance=None):
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": str(detail)}
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status,
                            content_type=f"{MEDIA_TYPE}; charset=utf-8")
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def unauthorized(detail=None):
    return problem(401, detail or _("Sertakan token API yang masih berlaku: header “Authorization: Bearer <token>”. "
                                    "Token dibuat di menu akun, halaman Token API."),
                   headers={"WWW-Authenticate": 'Bearer realm="kompeten"'})


def _validation(request, exc):
    errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
              for e in exc.errors]
    if any(e["type"] == "json_invalid" for e in errors):
        return problem(400, _("Isi permintaan bukan JSON yang sah."), errors=errors)
    return problem(422, _("Permintaan tidak sesuai dengan skema: periksa isian yang disebut di “errors”."),
                   errors=errors)


def _http_error(request, exc):
    if isinstance(exc, AuthenticationError):
        return unauthorized()
    status = exc.status_code if 400 <= exc.status_code < 600 else 400
    return problem(status, exc.message if isinstance(exc.message, str) else HTTPStatus(status).phrase)


def _not_found(request, exc):
    return problem(404, _("Data tidak ditemukan, atau Anda tidak berwenang melihatnya."))


def _forbidden(request, exc):
    message = getattr(exc, "message", None) or _("Anda tidak berwenang melakukan ini.")
    return problem(403, message)


def _conflict(request, exc):
    errors = {field: [str(m) for m in msgs] for field, msgs in exc.field_errors.items()} or None
    return problem(409, exc.message, errors=errors)


def install(api):
    api.add_exception_handler(ValidationError, _validation)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(NotAllowed, _forbidden)
    api.add_exception_handler(PermissionDenied, _forbidden)
    api.add_exception_handler(WorkflowError, _conflict)


def fix_media_types(schema):
    """The OpenAPI document says what the API sends: error responses are application/problem+json."""
    for path in schema.get("paths", {}).values():
        for op in path.values():
            for status, response in op.get("responses", {}).items():
                content = response.get("content")
                if str(status)[0] in "45" and content and "application/json" in content:
                    response["content"] = {MEDIA_TYPE: content.pop("application/json")}
    return schema
