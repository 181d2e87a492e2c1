from django.urls import path

from kompeten.desk import views

urlpatterns = [
    path("", views.home, name="home"),
    path("kotak-masuk/", views.inbox, name="inbox"),
    path("kotak-masuk/<int:pk>/", views.open_notification, name="open_notification"),
]
