from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("daten/", views.data_sources, name="data_sources"),
    path("konto/", views.dashboard, name="dashboard"),
]
