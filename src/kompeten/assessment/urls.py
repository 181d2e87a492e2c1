from django.urls import path

from kompeten.assessment import day_views as dv
from kompeten.assessment import instrument_views as iv
from kompeten.assessment import views
from kompeten.assessment import views_written as wv

app_name = "assessment"

urlpatterns = [
    path("laporan/", views.reports, name="reports"),
    # instruments (MUK) and FR.VA
    path("muk/", iv.index, name="instruments"),
    path("muk/skema/<int:pk>/", iv.scheme_instruments, name="scheme_instruments"),
    path("muk/versi/<int:pk>/", iv.version_detail, name="instrument_version"),
    path("muk/versi/<int:pk>/butir/", iv.item_form, name="instrument_item_add"),
    path("muk/versi/<int:pk>/butir/<int:item_pk>/", iv.item_form, name="instrument_item"),
    path("muk/versi/<int:pk>/validasi/", iv.validate, name="instrument_validate"),
    path("muk/versi/<int:pk>/fr-va.pdf", iv.va_pdf, name="instrument_va_pdf"),
    path("muk/versi/<int:pk>/kunci.pdf", iv.key_pdf, name="instrument_key_pdf"),
    path("muk/versi/<int:pk>/cetak.pdf", iv.instrument_pdf, name="instrument_pdf"),
    # event (S2.2, S3.1)
    path("jadwal/<int:pk>/rencana/", views.submit_plan, name="submit_plan"),
    path("jadwal/<int:pk>/rencana/tinjau/", views.plan_review, name="plan_review"),
    path("jadwal/<int:pk>/kesiapan/", views.check_resources, name="check_resources"),
    path("jadwal/<int:pk>/daftar-hadir/", views.check_in_list, name="check_in_list"),
    path("jadwal/<int:pk>/mapa-01.pdf", views.event_pdf, {"form": "mapa01"}, name="mapa01_pdf"),
    path("jadwal/<int:pk>/mapa-02.pdf", views.event_pdf, {"form": "mapa02"}, name="mapa02_pdf"),
    path("jadwal/<int:pk>/ak-05/<int:assessor_pk>.pdf", views.event_report_pdf, name="event_ak05_pdf"),
    # case (S2.3–S4.5)
    path("<int:pk>/konsultasi/", views.consultation, name="consultation"),
    path("<int:pk>/ak-01/", views.sign_agreement, name="sign_agreement"),
    path("<int:pk>/ak-07/", views.adjustment, name="adjustment"),
    path("<int:pk>/kaji-apl-02/", views.apl02_review, name="apl02_review"),
    path("<int:pk>/kehadiran/", views.check_in, name="check_in"),
    path("<int:pk>/tes-tertulis/", wv.take, name="written_take"),
    path("<int:pk>/tes-tertulis/jawab/", wv.answer, name="written_answer"),
    path("<int:pk>/tes-tertulis/kumpulkan/", wv.submit, name="written_submit"),
    path("<int:pk>/tes-tertulis/nilai/", wv.mark, name="written_mark"),
    path("<int:pk>/ak-02/", views.record_assessment, name="record_assessment"),
    path("<int:pk>/ak-02/koreksi/", dv.correct, name="correct_assessment"),
    path("<int:pk>/asesmen/", dv.day, name="day"),
    path("<int:pk>/asesmen/perangkat/<int:version_pk>/", dv.fill, name="fill_instrument"),
    path("<int:pk>/asesmen/simpan/", dv.save, name="save_item"),
    path("<int:pk>/perangkat/<int:version_pk>/putaran-<int:round>.pdf", dv.instrument_pdf,
         name="case_instrument_pdf"),
    path("<int:pk>/umpan-balik/", views.feedback, name="feedback"),
    path("<int:pk>/ak-06/", views.review, name="review"),
    path("<int:pk>/ak-05/", views.report, name="report"),
    path("<int:pk>/ak-05/teruskan/", views.forward_report, name="forward_report"),
    path("<int:pk>/ak-01.pdf", views.case_pdf, {"form": "ak01"}, name="ak01_pdf"),
    path("<int:pk>/ak-02.pdf", views.case_pdf, {"form": "ak02"}, name="ak02_pdf"),
    path("<int:pk>/ak-03.pdf", views.case_pdf, {"form": "ak03"}, name="ak03_pdf"),
    path("<int:pk>/ak-05.pdf", views.case_pdf, {"form": "ak05"}, name="ak05_pdf"),
    path("<int:pk>/ak-06.pdf", views.case_pdf, {"form": "ak06"}, name="ak06_pdf"),
    path("<int:pk>/ak-07.pdf", views.case_pdf, {"form": "ak07"}, name="ak07_pdf"),
    path("<int:pk>/ak-02/<int:version>.pdf", views.case_pdf, {"form": "ak02"}, name="ak02_version_pdf"),
    path("<int:pk>/ak-07/<int:version>.pdf", views.case_pdf, {"form": "ak07"}, name="ak07_version_pdf"),
]
