from django.urls import path

from tirek.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("calendar/", views.calendar, name="calendar"),
    path("overdue/", views.overdue, name="overdue"),
    path("conflicts/clear/", views.conflict_clear, name="conflict-clear"),
    path("<str:number>/", views.workspace, name="workspace"),
    path("<str:number>/edit/", views.case_edit, name="edit"),
    path("<str:number>/criminal-case/", views.criminal_case_link, name="criminal-case"),
    path("<str:number>/parties/", views.party_add, name="party-add"),
    path("<str:number>/events/", views.event_record, name="event-record"),
    path("<str:number>/actions/", views.action_mark, name="action-mark"),
    path("<str:number>/notes/", views.note_add, name="note-add"),
]
