"""Version 1 of the REST API. A breaking change makes /api/v2/, never edits v1."""

from django.urls import path

from tirek.accounts import api as accounts_api
from tirek.analysis import api as analysis_api
from tirek.core.api_docs import DocumentationView, SchemaView

app_name = "api"

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocumentationView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token", accounts_api.TokenView.as_view(), name="token"),
    path("auth/token/revoke", accounts_api.TokenRevokeView.as_view(), name="token-revoke"),
    path("me", accounts_api.MeView.as_view(), name="me"),
    path("organisations", accounts_api.OrganisationListView.as_view(), name="organisations"),
    path(
        "organisations/<int:pk>",
        accounts_api.OrganisationDetailView.as_view(),
        name="organisation",
    ),
    path("users", accounts_api.UserListView.as_view(), name="users"),
    path("users/<int:pk>", accounts_api.UserDetailView.as_view(), name="user"),
    path("analysis", analysis_api.AnalysisView.as_view(), name="analysis"),
]
