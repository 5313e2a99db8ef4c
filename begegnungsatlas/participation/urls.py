from django.urls import path

from .views import pages

app_name = "participation"
urlpatterns = [
    path("", pages.index, name="index"),
    path("datenschutz/", pages.privacy, name="privacy"),
]
