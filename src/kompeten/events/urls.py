from django.urls import path

from kompeten.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("baru/", views.event_create, name="create"),
    path("beban-asesor/", views.load, name="load"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/fisibilitas/", views.feasibility, name="feasibility"),
    path("<int:pk>/tuk/", views.designate_site, name="designate_site"),
    path("<int:pk>/asesor/", views.assign_assessor, name="assign_assessor"),
    path("<int:pk>/terbitkan/", views.publish_event, name="publish"),
    path("<int:pk>/laksanakan/", views.hold_event, name="hold"),
    path("<int:pk>/tutup/", views.close_event, name="close"),
    path("<int:pk>/batalkan/", views.cancel_event, name="cancel"),
    path("<int:pk>/konflik/", views.declare_conflict, name="declare_conflict"),
    path("<int:pk>/impor/", views.import_candidates, name="import"),
    path("impor/<int:pk>/", views.import_detail, name="import_detail"),
    path("impor/<int:pk>/kemajuan/", views.import_progress, name="import_progress"),
    path("impor/<int:pk>/laporan.xlsx", views.import_report, name="import_report"),
    path("impor/templat.<str:fmt>", views.import_template, name="import_template"),
    path("surat-tugas/<int:pk>/", views.letter, name="letter"),
    path("permohonan/<int:pk>/jadwalkan/", views.schedule_case, name="schedule_case"),
    path("permohonan/<int:pk>/konfirmasi/", views.confirm, name="confirm"),
]
