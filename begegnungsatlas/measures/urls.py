from django.urls import path

from .views import edit, public

app_name = "measures"
urlpatterns = [
    path("", public.catalogue, name="catalogue"),
    path("katalog.pdf", public.catalogue_pdf_view, name="catalogue_pdf"),
    path("werkstattplan/", public.werkstattplan, name="plan"),
    path("<int:pk>/", public.measure_detail, name="detail"),
    path("meine/", edit.mine, name="mine"),
    path("neu/", edit.measure_edit, name="create"),
    path("<int:pk>/bearbeiten/", edit.measure_edit, name="edit"),
    path("<int:pk>/werkzeugblatt/", edit.sheet_edit, name="sheet"),
    path("<int:pk>/schritt/", edit.step_add, name="step_add"),
    path("<int:pk>/schritt-erledigt/", edit.step_done, name="step_done"),
    path("<int:pk>/notiz/", edit.note_add, name="note_add"),
    path("handlungsfeld/<int:pk>/", edit.handlungsfeld_edit, name="field_edit"),
]
