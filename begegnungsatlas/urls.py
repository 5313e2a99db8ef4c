from django.conf import settings
from django.conf.urls.i18n import i18n_patterns  # noqa: F401 - kept for language prefixes later
from django.contrib import admin
from django.urls import include, path

from begegnungsatlas.core import views as core_views

urlpatterns = [
    path("", include("begegnungsatlas.web.urls")),
    path("orte/import/", include("begegnungsatlas.places.urls_import")),
    path("orte/", include("begegnungsatlas.places.urls")),
    path("atlas/", include("begegnungsatlas.atlas.urls")),
    path("foerderung/", include("begegnungsatlas.funding.urls")),
    path("werkzeuge/", include("begegnungsatlas.measures.urls")),
    path("beteiligung/", include("begegnungsatlas.participation.urls")),
    path("versorgung/", include("begegnungsatlas.gaps.urls")),
    path("sozialraeume/", include("begegnungsatlas.sozialraum.urls")),
    path("auftraege/", include("begegnungsatlas.core.urls_jobs")),
    path("api/", include("begegnungsatlas.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("begegnungsatlas.core.urls")),
    path("verwaltung/", admin.site.urls),
]

handler400 = core_views.error_400
handler403 = core_views.error_403
handler404 = core_views.error_404
handler500 = core_views.error_500

admin.site.site_header = settings.BEGEGNUNGSATLAS_SITE_NAME
admin.site.site_title = settings.BEGEGNUNGSATLAS_SITE_NAME
