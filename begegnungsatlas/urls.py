from django.conf import settings
from django.conf.urls.i18n import i18n_patterns  # noqa: F401 - kept for language prefixes later
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from begegnungsatlas.web import views as web_views

urlpatterns = [
    path("", include("begegnungsatlas.web.urls")),
    path("orte/import/", include("begegnungsatlas.places.urls_import")),
    path("orte/", include("begegnungsatlas.places.urls")),
    path("atlas/", include("begegnungsatlas.atlas.urls")),
    path("foerderung/", include("begegnungsatlas.funding.urls")),
    path("versorgung/", include("begegnungsatlas.gaps.urls")),
    path("sozialraeume/", include("begegnungsatlas.sozialraum.urls")),
    path("auftraege/", include("begegnungsatlas.core.urls")),
    path("api/", include("begegnungsatlas.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("anmelden/", auth_views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("verwaltung/", admin.site.urls),
]

handler400 = web_views.error_400
handler403 = web_views.error_403
handler404 = web_views.error_404
handler500 = web_views.error_500

admin.site.site_header = settings.BEGEGNUNGSATLAS_SITE_NAME
admin.site.site_title = settings.BEGEGNUNGSATLAS_SITE_NAME
