from django.urls import path

from .views import imports, maps, pages

app_name = "atlas"
urlpatterns = [
    path("", maps.index, name="index"),
    path("karte/", maps.map_view, name="map"),
    path("karte/werte.json", maps.values_json, name="values"),
    path("karte/orte.json", maps.places_json, name="places"),
    path("karte/export.<str:fmt>", maps.map_export, name="map_export"),
    path("geometrie/<int:level_id>.json", maps.geometry_json, name="geometry"),
    path("gebiet/<int:area_id>/", pages.area_view, name="area"),
    path("vergleich/", pages.compare_view, name="compare"),
    path("index/", pages.mss_view, name="mss"),
    path("index/export.<str:fmt>", pages.mss_view, name="mss_export"),
    path("index/methode/", pages.mss_method, name="mss_method"),
    path("methode/", pages.method_view, name="method"),
    path("indikatoren/", pages.catalogue, name="catalogue"),
    path("indikatoren/metadaten.<str:fmt>", pages.catalogue, name="catalogue_export"),
    path("indikatoren/<slug:slug>/", pages.indicator_view, name="indicator"),
    path("import/", imports.upload, name="import"),
    path("import/werte/<str:token>/", imports.import_values, name="import_values"),
    path("import/grenzen/<str:token>/", imports.import_boundaries, name="import_boundaries"),
    path("import/verlauf/", imports.import_history, name="import_history"),
    path("import/verlauf/<int:pk>/rueckgaengig/", imports.import_undo, name="import_undo"),
]
