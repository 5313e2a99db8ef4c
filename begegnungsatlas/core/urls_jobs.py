"""Background job pages: progress page and its htmx status poll (core.jobs)."""

from django.urls import path

from . import jobs

app_name = "core"
urlpatterns = [
    path("<int:pk>/", jobs.job_page, name="job"),
    path("<int:pk>/status/", jobs.job_status, name="job_status"),
]
