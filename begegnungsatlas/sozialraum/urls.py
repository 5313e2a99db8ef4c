from django.urls import path

from . import views

app_name = "sozialraum"
urlpatterns = [
    path("", views.index, name="index"),
    path("vorschlag/neu/", views.propose, name="propose"),
    path("vorschlag/<int:pk>/", views.proposal_detail, name="proposal"),
    path("vorschlag/<int:pk>/uebernehmen/", views.proposal_adopt_as_draft, name="proposal_adopt"),
    path("vorschlaege/vergleich/", views.proposal_compare, name="proposal_compare"),
    path("<int:pk>/", views.level_detail, name="level"),
    path("<int:pk>/karte.json", views.level_geojson, name="level_geojson"),
    path("<int:pk>/bearbeiten/", views.level_edit, name="level_edit"),
    path("<int:pk>/rueckgaengig/", views.level_undo, name="level_undo"),
    path("<int:pk>/beschliessen/", views.level_adopt, name="level_adopt"),
    path("<int:pk>/neue-fassung/", views.level_new_version, name="level_new_version"),
    path("<int:pk>/bericht/", views.report_create_view, name="report_create"),
    path("berichte/<int:pk>.pdf", views.report_download, name="report"),
]
