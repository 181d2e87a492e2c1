from django.contrib import admin
from django.urls import include, path, re_path

from kompeten.api.endpoints import api
from kompeten.api.views import api_not_found
from kompeten.certification.views import did_document
from kompeten.core.health import health
from kompeten.core.views import set_language

urlpatterns = [
    # First: patterns are tried in order, and the public certificate verification (every QR code scanned) is the
    # busiest URL; nothing else starts with sertifikat/ (the "" includes below would otherwise be tried first).
    path("sertifikat/", include("kompeten.certification.urls")),
    path("", include("kompeten.desk.urls")),
    path("", include("kompeten.core.urls")),
    path("skema/", include("kompeten.catalog.urls")),
    path("permohonan/", include("kompeten.cases.urls")),
    path("jadwal/", include("kompeten.events.urls")),
    path("asesmen/", include("kompeten.assessment.urls")),
    path("banding/", include("kompeten.appeals.urls")),
    path("registri/", include("kompeten.people.urls")),
    path("tuk/", include("kompeten.sites.urls")),
    path("api/", api.urls),  # the REST API, its OpenAPI document and docs (kompeten.api)
    re_path(r"^api/", api_not_found),  # anything else under /api/: a problem document, not an HTML page
    path("akun/token-api/", include("kompeten.api.urls")),
    # The LSP's DID document, where did:web resolves (the second route when KOMPETEN_SITE_URL has a path).
    path(".well-known/did.json", did_document, name="did_document"),
    path("did.json", did_document),
    path("i18n/setlang/", set_language, name="set_language"),  # keeps a logged-in person's choice on the account
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),  # for the load balancer (docs/deploy.md); no login, no language
]

handler403 = "kompeten.core.views.forbidden"
handler404 = "kompeten.core.views.not_found"
