from django.urls import path

from .views import imports

app_name = "places_import"
urlpatterns = [
    path("", imports.import_upload, name="upload"),
    path("<str:token>/zuordnung/", imports.import_mapping, name="mapping"),
    path("<str:token>/vorschau/", imports.import_preview, name="preview"),
    path("<str:token>/abbrechen/", imports.import_cancel, name="cancel"),
]
