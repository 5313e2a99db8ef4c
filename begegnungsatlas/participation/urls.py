from django.urls import path

from .views import pages, reports, surveys

app_name = "participation"
urlpatterns = [
    path("", pages.index, name="index"),
    path("datenschutz/", pages.privacy, name="privacy"),
    path("umfrage/<int:pk>/", surveys.survey_answer, name="survey_answer"),
    path("umfrage/<int:pk>/danke/", surveys.survey_thanks, name="survey_thanks"),
    path("umfrage/<int:pk>/ergebnisse/", surveys.survey_results, name="survey_results"),
    path("umfrage/<int:pk>/ergebnisse.<str:fmt>", surveys.survey_export, name="survey_export"),
    path("umfragen/", surveys.survey_list, name="surveys"),
    path("umfragen/neu/", surveys.survey_edit, name="survey_create"),
    path("umfragen/<int:pk>/bearbeiten/", surveys.survey_edit, name="survey_edit"),
    path("umfragen/<int:pk>/veroeffentlichen/", surveys.survey_publish, name="survey_publish"),
    path("umfragen/<int:pk>/atlas/", surveys.survey_to_atlas, name="survey_to_atlas"),
    path("melden/", reports.report_create, name="report"),
    path("melden/danke/", reports.report_thanks, name="report_thanks"),
    path("meldungen/", reports.report_list, name="reports"),
    path("meldungen/<int:pk>/foto/", reports.report_photo, name="report_photo"),
    path("moderation/", reports.moderation_list, name="moderation"),
    path("moderation/<int:pk>/", reports.moderation_detail, name="moderation_detail"),
    path("moderation/atlas/<int:level_id>/", reports.counts_to_atlas, name="counts_to_atlas"),
]
