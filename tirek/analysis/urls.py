from django.urls import path

from tirek.analysis import views

app_name = "analysis"

urlpatterns = [
    path("", views.analysis_page, name="page"),
]
