from django.urls import path

from tirek.nrm import duplicate_views, screening_views, views

app_name = "nrm"

urlpatterns = [
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:pk>/answer/", views.referral_answer, name="referral-answer"),
    path("referrals/<int:pk>/withdraw/", views.referral_withdraw, name="referral-withdraw"),
    path("people/<uuid:key>/screening/", screening_views.screening_create, name="screening-create"),
    path("people/<uuid:key>/status/", views.status_record, name="status-record"),
    path(
        "people/<uuid:key>/status/<int:decision_id>/challenge/",
        views.status_challenge,
        name="status-challenge",
    ),
    path("people/<uuid:key>/refer/", views.referral_create, name="referral-create"),
    path("duplicates/", duplicate_views.duplicate_list, name="duplicates"),
    path(
        "duplicates/<int:pk>/introduce/",
        duplicate_views.duplicate_introduce,
        name="duplicate-introduce",
    ),
]
