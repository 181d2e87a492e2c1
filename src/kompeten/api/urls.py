from django.urls import path

from . import views

app_name = "apitokens"

urlpatterns = [
    path("", views.tokens, name="list"),
    path("<int:pk>/cabut/", views.revoke, name="revoke"),
]
