from django.urls import path

from kompeten.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("saya/", views.mine, name="mine"),
    path("saya/data.json", views.my_data_json, name="my_data_json"),
    path("saya/data.zip", views.my_data_zip, name="my_data_zip"),
    path("saya/hapus-data/", views.erasure, name="erasure"),
    path("hapus-data/", views.erasure_requests, name="erasure_requests"),
    path("baru/<slug:code>/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/apl-01/", views.apl01, name="apl01"),
    path("<int:pk>/apl-02/", views.apl02, name="apl02"),
    path("<int:pk>/dokumen/", views.documents, name="documents"),
    path("<int:pk>/kirim/", views.submit, name="submit"),
    path("<int:pk>/tarik/", views.withdraw, name="withdraw"),
    path("<int:pk>/kaji-dokumen/", views.review, name="review"),
    path("<int:pk>/apl-01.pdf", views.apl01_pdf, name="apl01_pdf"),
    path("<int:pk>/apl-02.pdf", views.apl02_pdf, name="apl02_pdf"),
    path("dokumen/<int:pk>/", views.document_file, name="document_file"),
    path("dokumen/<int:pk>/ganti/", views.replace_document, name="replace_document"),
]
