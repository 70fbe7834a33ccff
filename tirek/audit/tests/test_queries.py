"""Reading a record's history and a user's activity, for pages to include."""

from django.template.loader import render_to_string
from django.utils import translation

from tirek.audit.log import audit
from tirek.audit.queries import events_by_actor, events_for_target


def record_views(*actors, target_id="9"):
    for actor in actors:
        audit(
            actor=actor,
            action="person.view",
            target_type="people.person",
            target_id=target_id,
            fields=["current_location"],
            address="192.0.2.3",
        )


def test_it_lists_a_records_history_newest_first(lawyer, coordinator):
    record_views(lawyer, coordinator, None)
    record_views(lawyer, target_id="10")
    page = events_for_target("people.person", 9)
    with translation.override("en"):
        names = [str(event.actor_name) for event in page]
    assert names == ["Tirek (no user)", str(coordinator), str(lawyer)]
    assert all(event.target_id == "9" for event in page)


def test_it_lists_what_one_user_did(lawyer, coordinator):
    before = events_by_actor(lawyer.pk, per_page=500).paginator.count  # the demo's own work
    record_views(lawyer, coordinator, lawyer)
    page = events_by_actor(lawyer.pk)
    assert page.paginator.count == before + 2
    assert page[0].sequence > page[1].sequence


def test_it_reads_a_page_in_three_queries_however_many_people_acted(
    demo, rf, django_assert_num_queries
):
    users = [demo[key] for key in demo.records if key.startswith("user.")]
    record_views(*users, *users)
    # The count, the page's rows, and one query for all the names on it.
    with django_assert_num_queries(3):
        page = events_for_target("people.person", "9", per_page=10)
        render_to_string("audit/history.html", {"page": page}, request=rf.get("/"))
    assert page.paginator.count == 2 * len(users)


def test_the_history_table_renders_who_what_fields_and_where(administrator, lawyer, rf):
    audit(
        actor=administrator,
        action="user.update",
        target=lawyer,
        fields=["email", "roles"],
        address="192.0.2.3",
    )
    history = events_for_target("accounts.user", lawyer.pk)
    with translation.override("en"):
        html = render_to_string("audit/history.html", {"page": history}, request=rf.get("/"))
    assert str(administrator) in html
    assert "Changed the user" in html
    assert "email address, roles" in html  # verbose names where the model has them
    assert "192.0.2.3" in html
    assert "<time datetime=" in html


def test_an_empty_history_says_so(db, rf):
    html = render_to_string(
        "audit/history.html", {"page": events_for_target("people.person", "1")}, request=rf.get("/")
    )
    assert "Nothing has been recorded yet." in html
