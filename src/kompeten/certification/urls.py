from django.urls import path

from . import blanko_views, pleno_views, register_views, surveillance_views, views

app_name = "certification"

urlpatterns = [
    # First: the public verification (every QR code scanned) is this app's busiest URL, and patterns are tried
    # in order; no other pattern here starts with v/.
    path("v/<str:public_id>.json", views.verify_json, name="verify_json"),
    path("v/<str:public_id>/kredensial.json", views.credential, name="credential"),
    path("v/<str:public_id>/", views.verify, name="verify"),
    path("permohonan/<int:pk>/keputusan/", views.decide, name="decide"),
    path("permohonan/<int:pk>/persetujuan/", views.agreement, name="agreement"),
    path("permohonan/<int:pk>/terbitkan/", views.issue, name="issue"),
    path("permohonan/<int:pk>/surveilan/", views.enrol, name="enrol"),
    path("<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("surveilan/", views.surveillance_list, name="surveillance"),
    path("surveilan/pemeriksaan/", surveillance_views.checks, name="surveillance_checks"),
    path("surveilan/pemeriksaan/<int:pk>/", surveillance_views.check_detail, name="surveillance_check"),
    path("surveilan/bukti/<int:pk>/", surveillance_views.evidence_file, name="surveillance_file"),
    path("<int:pk>/sertifikasi-ulang/", surveillance_views.recertify, name="recertify"),
    path("register/", register_views.staff_register, name="register"),
    path("<int:pk>/status/<slug:code>/", register_views.change_status, name="change_status"),
    path("blanko/", register_views.blanko_layouts, name="blanko_layouts"),
    path("blanko/<int:scheme_pk>/", register_views.blanko_layout_edit, name="blanko_layout_edit"),
    path("blanko/permohonan/", blanko_views.blanko_requests, name="blanko_requests"),
    path("blanko/permohonan/<int:pk>/", blanko_views.blanko_request, name="blanko_request"),
    path("blanko/permohonan/<int:pk>/paket.zip", blanko_views.blanko_package, name="blanko_package"),
    path("blanko/permohonan/<int:pk>/nomor-registrasi.xlsx", blanko_views.blanko_return_sheet,
         name="blanko_return_sheet"),
    path("cari/", register_views.public_register, name="public_register"),
    path("cek/", views.verify_form, name="verify_form"),
    path("status/<slug:purpose>/<int:number>/", views.status_list, name="status_list"),
    path("rapat/", pleno_views.meeting_list, name="meetings"),
    path("rapat/baru/", pleno_views.meeting_new, name="meeting_new"),
    path("rapat/<int:pk>/", pleno_views.meeting_detail, name="meeting"),
    path("rapat/<int:pk>/hadir/", pleno_views.meeting_attendance, name="meeting_attendance"),
    path("rapat/<int:pk>/putuskan/<int:case_pk>/", pleno_views.meeting_decide, name="meeting_decide"),
    path("rapat/<int:pk>/tutup/", pleno_views.meeting_close, name="meeting_close"),
    path("rapat/<int:pk>/sk.pdf", pleno_views.meeting_sk, name="meeting_sk"),
    path("rapat/<int:pk>/berita-acara.pdf", pleno_views.meeting_minutes, name="meeting_minutes"),
    path("rapat/<int:pk>/terbitkan/", pleno_views.meeting_issue, name="meeting_issue"),
]
