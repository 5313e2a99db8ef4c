from django.urls import path

from .views import editor, public, suggestions

app_name = "places"
urlpatterns = [
    path("", public.place_map, name="map"),
    path("karte.geojson", public.place_points_geojson, name="points"),
    path("gebiete.geojson", public.outlines_geojson, name="outlines"),
    path("kontext/<slug:layer>.geojson", public.context_geojson, name="context"),
    path("<int:pk>/", public.place_detail_view, name="detail"),
    path("vorschlagen/", suggestions.suggestion_create, name="suggest"),
    path("vorschlagen/danke/", suggestions.suggestion_thanks, name="suggest_thanks"),
    path("moderation/", suggestions.moderation_queue, name="moderation"),
    path("moderation/<int:pk>/", suggestions.moderation_detail, name="moderation_detail"),
    path("meine/", editor.my_places, name="mine"),
    path("neu/", editor.place_create_view, name="create"),
    path("<int:pk>/bearbeiten/", editor.place_edit_view, name="edit"),
    path("<int:pk>/loeschen/", editor.place_delete_view, name="delete"),
    path("<int:pk>/verlauf/", editor.place_history_view, name="history"),
]
