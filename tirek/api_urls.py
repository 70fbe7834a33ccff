"""Version 1 of the REST API. A breaking change makes /api/v2/, never edits v1."""

from django.urls import path

from tirek.accounts import api as accounts_api
from tirek.analysis import api as analysis_api
from tirek.cases import api as cases_api
from tirek.core.api_docs import DocumentationView, SchemaView
from tirek.registry import api as registry_api

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
    path("cases", cases_api.CaseListView.as_view(), name="cases"),
    path("cases/search", cases_api.CaseSearchView.as_view(), name="case-search"),
    path("cases/overdue", cases_api.OverdueView.as_view(), name="case-overdue"),
    path("cases/<str:number>", cases_api.CaseDetailView.as_view(), name="case"),
    path(
        "cases/<str:number>/criminal-case",
        cases_api.CriminalCaseView.as_view(),
        name="case-criminal-case",
    ),
    path("cases/<str:number>/parties", cases_api.PartyListView.as_view(), name="case-parties"),
    path("cases/<str:number>/events", cases_api.EventListView.as_view(), name="case-events"),
    path(
        "cases/<str:number>/deadlines",
        cases_api.DeadlineListView.as_view(),
        name="case-deadlines",
    ),
    path(
        "cases/<str:number>/next-actions",
        cases_api.NextActionsView.as_view(),
        name="case-next-actions",
    ),
    path("cases/<str:number>/actions", cases_api.ActionMarkView.as_view(), name="case-actions"),
    path("cases/<str:number>/notes", cases_api.NoteListView.as_view(), name="case-notes"),
    path(
        "cases/<str:number>/notes/<int:note_id>",
        cases_api.NoteDetailView.as_view(),
        name="case-note",
    ),
    path("registry/entries", registry_api.EntryListView.as_view(), name="register-entries"),
    path(
        "registry/entries/<int:pk>",
        registry_api.EntryDetailView.as_view(),
        name="register-entry",
    ),
    path("registry/proposal", registry_api.ProposalView.as_view(), name="register-proposal"),
]
