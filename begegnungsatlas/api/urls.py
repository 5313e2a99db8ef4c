from django.urls import path

from .api import api
from .cors import cors, with_cors
from .openapi30 import openapi30_view

ninja_patterns, app_name_, namespace_ = api.urls

urlpatterns = [
    path("openapi-3.0.json", cors(openapi30_view), name="openapi30"),
    path("", (with_cors(list(ninja_patterns)), app_name_, namespace_)),
]
