from django.urls import path

from tirek.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("emergency-access/", views.break_glass, name="break-glass"),
    path("<uuid:key>/", views.person_detail, name="detail"),
    path("<uuid:key>/edit/", views.person_edit, name="edit"),
    path("<uuid:key>/consents/new/", views.consent_create, name="consent-create"),
    path(
        "<uuid:key>/consents/<int:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent-withdraw",
    ),
    path("<uuid:key>/share/", views.person_share, name="share"),
]
