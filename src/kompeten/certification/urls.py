from django.urls import path

from . import surveillance_views, views

app_name = "certification"

urlpatterns = [
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
    path("cek/", views.verify_form, name="verify_form"),
    path("v/<str:public_id>.json", views.verify_json, name="verify_json"),
    path("v/<str:public_id>/kredensial.json", views.credential, name="credential"),
    path("status/<slug:purpose>/<int:number>/", views.status_list, name="status_list"),
    path("v/<str:public_id>/", views.verify, name="verify"),
]
