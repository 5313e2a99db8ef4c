from django.urls import path

from . import views

app_name = "gaps"
urlpatterns = [
    path("", views.index, name="index"),
    path("szenarien/neu/", views.scenario_create, name="scenario_create"),
    path("szenarien/<int:pk>/", views.scenario_detail, name="scenario"),
    path("szenarien/<int:pk>/veroeffentlichen/", views.scenario_publish_view, name="scenario_publish"),
    path("szenarien/<int:pk>/export.<str:fmt>", views.scenario_export, name="scenario_export"),
    path("szenarien/<int:pk>/bericht.pdf", views.scenario_pdf, name="scenario_pdf"),
    path("buendelung/", views.bundling, name="bundling"),
    path("vergleich/", views.compare, name="compare"),
    path("raster/import/", views.grid_upload, name="grid_upload"),
    path("gebietstabellen/import/", views.area_table_upload, name="area_table_upload"),
    path("wegenetze/import/", views.network_upload, name="network_upload"),
    path("wegenetze/<int:pk>/loeschen/", views.network_delete_view, name="network_delete"),
]
