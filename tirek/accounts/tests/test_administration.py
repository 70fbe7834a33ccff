"""Administrators manage users and organisations in Tirek's own pages."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from tirek.accounts import actions
from tirek.accounts.models import Organisation, User
from tirek.accounts.roles import OrganisationKind, Role

USERS = reverse("accounts:user-list")
NEW_USER = reverse("accounts:user-create")
ORGANISATIONS = reverse("accounts:organisation-list")
NEW_ORGANISATION = reverse("accounts:organisation-create")


def new_user_form(demo, **changes):
    form = {
        "username": "new-lawyer",
        "first_name": "Ainura",
        "last_name": "Demo",
        "email": "new-lawyer@tirek.invalid",
        "organisation": demo["org.law_office"].pk,
        "roles": [Role.LAWYER],
        "preferred_language": "ky",
    }
    return form | changes


def test_it_adds_a_user_who_receives_an_invitation_in_their_language(
    administrator, as_user, demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(administrator).post(NEW_USER, new_user_form(demo))
    assert response.status_code == 302
    user = User.objects.get(username="new-lawyer")
    assert user.roles == {Role.LAWYER}
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new-lawyer@tirek.invalid"]
    assert "/accounts/password/reset/" in mail.outbox[0].body
    assert mail.outbox[0].subject != "Your Tirek account"  # written in Kyrgyz, as preferred


def test_it_refuses_a_role_that_does_not_fit_the_organisation(administrator, as_user, demo):
    response = as_user(administrator).post(
        NEW_USER, new_user_form(demo, organisation=demo["org.shelter"].pk)
    )
    assert response.status_code == 200
    assert "A Lawyer cannot work for a Shelter." in response.content.decode()
    assert not User.objects.filter(username="new-lawyer").exists()


def test_it_refuses_a_taken_user_name_whatever_its_case(administrator, as_user, demo):
    response = as_user(administrator).post(NEW_USER, new_user_form(demo, username="DEMO-LAWYER"))
    assert "This user name is already taken." in response.content.decode()


def test_it_keeps_what_was_typed_when_a_form_is_refused(administrator, as_user, demo):
    response = as_user(administrator).post(NEW_USER, new_user_form(demo, email="not-an-address"))
    page = response.content.decode()
    assert 'value="Ainura"' in page
    assert "Enter a valid email address." in page


def test_it_deactivates_a_user_who_is_then_signed_out(administrator, lawyer, as_user, demo):
    lawyer_client = as_user(lawyer)
    form = new_user_form(demo, email=lawyer.email, is_active="")
    form.pop("username")
    response = as_user(administrator).post(reverse("accounts:user-edit", args=[lawyer.pk]), form)
    assert response.status_code == 302
    assert lawyer_client.get("/").status_code == 302


def test_it_does_not_let_an_administrator_lock_themselves_out(administrator, as_user, demo):
    form = {
        "email": administrator.email,
        "organisation": demo["org.operator"].pk,
        "roles": [Role.LAWYER],
        "first_name": "",
        "last_name": "",
        "preferred_language": "",
    }
    response = as_user(administrator).post(
        reverse("accounts:user-edit", args=[administrator.pk]), form
    )
    page = response.content.decode()
    assert "You cannot deactivate your own account." in page
    assert "You cannot remove your own administrator role." in page


def test_it_keeps_at_least_one_active_administrator(administrator, demo):
    second = actions.user_create(
        actor=administrator,
        username="admin-two",
        email="admin-two@tirek.invalid",
        organisation=demo["org.operator"],
        roles=[Role.ADMINISTRATOR],
        send_invitation=False,
    )
    # With a second administrator present, the first may step down.
    actions.user_update(
        actor=second,
        user=administrator,
        email=administrator.email,
        first_name="",
        last_name="",
        organisation=demo["org.operator"],
        roles=[],
        preferred_language="",
        is_active=True,
    )
    with pytest.raises(actions.ValidationError, match="at least one active administrator"):
        actions.user_update(
            actor=administrator,
            user=second,
            email=second.email,
            first_name="",
            last_name="",
            organisation=demo["org.operator"],
            roles=[],
            preferred_language="",
            is_active=True,
        )


def test_it_finds_users_by_part_of_a_name_through_htmx(administrator, as_user):
    response = as_user(administrator).get(USERS, {"q": "gulna"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "demo-lawyer-osh" in page
    assert "demo-caseworker" not in page
    assert "<html" not in page  # only the results fragment


def test_it_filters_users_by_role(administrator, as_user):
    page = as_user(administrator).get(USERS, {"role": "caseworker"}).content.decode()
    assert "demo-caseworker" in page
    assert "demo-lawyer" not in page


def test_it_lists_users_in_a_fixed_number_of_queries(
    administrator, as_user, demo, django_assert_num_queries
):
    client = as_user(administrator)
    client.get(USERS)  # warm the session
    # session, user, second-factor device, then the page's own queries
    with django_assert_num_queries(7) as few:
        client.get(USERS)
    for number in range(30):
        actions.user_create(
            actor=administrator,
            username=f"extra-{number}",
            email=f"extra-{number}@tirek.invalid",
            organisation=demo["org.ngo"],
            roles=[Role.CASEWORKER],
            send_invitation=False,
        )
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(USERS)


def test_it_adds_a_regional_office_only_under_the_legal_aid_service(administrator, as_user, demo):
    client = as_user(administrator)
    refused = client.post(
        NEW_ORGANISATION,
        {
            "name": "Demo office Naryn",
            "kind": OrganisationKind.LEGAL_AID_REGIONAL_OFFICE,
            "region": "",
            "parent": demo["org.ngo"].pk,
        },
    )
    page = refused.content.decode()
    assert "A regional office must belong to the Legal Aid Service." in page
    assert "Choose the region this office serves." in page
    accepted = client.post(
        NEW_ORGANISATION,
        {
            "name": "Demo office Naryn",
            "kind": OrganisationKind.LEGAL_AID_REGIONAL_OFFICE,
            "region": "naryn",
            "parent": demo["org.las"].pk,
        },
    )
    assert accepted.status_code == 302
    assert Organisation.objects.get(name="Demo office Naryn").parent == demo["org.las"]


def test_it_refuses_to_deactivate_an_organisation_that_still_has_users(
    administrator, as_user, demo
):
    shelter = demo["org.shelter"]
    response = as_user(administrator).post(
        reverse("accounts:organisation-edit", args=[shelter.pk]),
        {"name": shelter.name, "kind": shelter.kind, "region": shelter.region, "parent": ""},
    )
    assert "Deactivate or move this organisation's users first." in unescape(
        response.content.decode()
    )
    shelter.refresh_from_db()
    assert shelter.is_active


def test_it_refuses_an_organisation_inside_its_own_branch(administrator, demo):
    with pytest.raises(actions.ValidationError, match="cannot belong to itself"):
        actions.organisation_update(
            actor=administrator,
            organisation=demo["org.las"],
            name="Demo Legal Aid Service",
            kind=OrganisationKind.LEGAL_AID_SERVICE,
            region="",
            parent=demo["org.las_osh"],
            is_active=True,
        )


def test_it_lists_organisations_in_a_fixed_number_of_queries(
    administrator, as_user, django_assert_num_queries
):
    client = as_user(administrator)
    client.get(ORGANISATIONS)
    with django_assert_num_queries(6) as few:
        client.get(ORGANISATIONS)
    for number in range(20):
        actions.organisation_create(
            actor=administrator, name=f"Demo law office {number}", kind=OrganisationKind.LAW_OFFICE
        )
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(ORGANISATIONS, {"kind": "law_office"})


@pytest.mark.parametrize("persona", ["lawyer", "coordinator", "caseworker", "analyst"])
def test_it_hides_administration_from_other_roles(persona, demo, as_user):
    client = as_user(demo[f"user.{persona}"])
    assert client.get(USERS).status_code == 404
    assert client.post(NEW_USER, new_user_form(demo)).status_code == 404
    assert not User.objects.filter(username="new-lawyer").exists()
