"""Reading the trail: a record's history, a user's activity.

Both answer a page of events, newest first, with only the columns the
history table shows (``changes`` is left out: it is for investigations, not
for lists) and each event's ``actor_name`` filled from one query for all the
users on the page. Who may read which history is decided by the caller's
access policy, not here.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.audit.models import AuditEvent

PAGE_SIZE = 50
HISTORY_COLUMNS = (
    "sequence",
    "created_at",
    "actor_id",
    "action",
    "target_type",
    "target_id",
    "fields",
    "address",
)

# What the history table says for an action code; apps add their own.
ACTION_LABELS = {
    "session.sign_in": gettext_lazy("Signed in"),
    "session.sign_in_failed": gettext_lazy("Failed to sign in"),
    "session.sign_out": gettext_lazy("Signed out"),
    "organisation.create": gettext_lazy("Added the organisation"),
    "organisation.update": gettext_lazy("Changed the organisation"),
    "user.create": gettext_lazy("Added the user"),
    "user.update": gettext_lazy("Changed the user"),
    "user.update_profile": gettext_lazy("Changed their own profile"),
    "user.set_language": gettext_lazy("Changed their language"),
}


def events_for_target(
    target_type: str, target_id: str | int, *, page: int | str | None = 1, per_page: int = PAGE_SIZE
) -> Page:
    events = AuditEvent.objects.filter(target_type=target_type, target_id=str(target_id))
    return _history_page(events, page=page, per_page=per_page)


def events_by_actor(
    actor_id: int, *, page: int | str | None = 1, per_page: int = PAGE_SIZE
) -> Page:
    events = AuditEvent.objects.filter(actor_id=actor_id)
    return _history_page(events, page=page, per_page=per_page)


def _history_page(events: QuerySet[AuditEvent], *, page, per_page: int) -> Page:
    rows = events.only(*HISTORY_COLUMNS).order_by("-sequence")
    result = Paginator(rows, per_page).get_page(page)
    result.object_list = list(result.object_list)
    _name_actors(result.object_list)
    return result


def _name_actors(events: list[AuditEvent]) -> None:
    """Set ``actor_name``, ``action_label`` and ``field_labels``; one query in all."""
    ids = {event.actor_id for event in events if event.actor_id is not None}
    users = (
        get_user_model()
        ._default_manager.filter(pk__in=ids)
        .only("pk", "username", "first_name", "last_name")
    )
    names = {user.pk: str(user) for user in users} if ids else {}
    for event in events:
        if event.actor_id is None:
            event.actor_name = gettext_lazy("Tirek (no user)")
        else:
            event.actor_name = names.get(event.actor_id) or _("account %(id)s") % {
                "id": event.actor_id
            }
        event.action_label = ACTION_LABELS.get(event.action, event.action)
        event.field_labels = _field_labels(event.target_type, event.fields)


def _field_labels(target_type: str, names: list[str]) -> list:
    """The fields' names as the interface shows them (their verbose names)."""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return list(names)
    labels = []
    for name in names:
        try:
            labels.append(model._meta.get_field(name).verbose_name)  # lazy: rendered later
        except FieldDoesNotExist:
            labels.append(name)
    return labels
