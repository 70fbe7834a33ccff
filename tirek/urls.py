from django.urls import include, path

urlpatterns = [
    path("", include("tirek.core.urls")),
    path("accounts/", include("tirek.accounts.urls")),
    path("analysis/", include("tirek.analysis.urls")),
    path("people/", include("tirek.people.urls")),
    path("cases/", include("tirek.cases.urls")),
    path("cases/<str:number>/evidence/", include("tirek.evidence.urls")),
    path("registry/", include("tirek.registry.urls")),
    path("nrm/", include("tirek.nrm.urls")),
    path("assignment/", include("tirek.assignment.urls")),
    path("api/v1/", include("tirek.api_urls")),
]

handler400 = "tirek.core.views.bad_request"
handler403 = "tirek.core.views.permission_denied"
handler404 = "tirek.core.views.page_not_found"
handler500 = "tirek.core.views.server_error"
