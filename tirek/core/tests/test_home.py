import pytest
from django.urls import reverse

from tirek.accounts.roles import Role

HOME = reverse("core:home")

SECTION_OF_ROLE = {
    Role.LAWYER: "My cases",
    Role.COORDINATOR: "Requests for legal aid",
    Role.CASEWORKER: "People you support",
    Role.TRAINER: "Training of lawyers",
    Role.ANALYST: "Statistics",
    Role.ADMINISTRATOR: "Administration",
}


@pytest.mark.django_db
def test_it_sends_an_anonymous_visitor_to_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


@pytest.mark.parametrize("role", list(SECTION_OF_ROLE))
def test_it_shows_each_role_what_that_role_works_on(role, demo, as_user):
    user = demo[f"user.{role}"]
    page = as_user(user).get(HOME).content.decode()
    assert SECTION_OF_ROLE[role] in page
    others = [section for other, section in SECTION_OF_ROLE.items() if other != role]
    assert not any(f">{section}</h2>" in page for section in others)


def test_it_shows_every_section_to_a_user_with_two_roles(demo, as_user):
    page = as_user(demo["user.coordinator_osh"]).get(HOME).content.decode()
    assert "Requests for legal aid" in page
    assert "Statistics" in page


def test_it_tells_a_user_without_a_role_what_to_do(outsider, as_user):
    page = as_user(outsider).get(HOME).content.decode()
    assert "Your account has no role yet" in page
    assert "Ask your administrator" in page


def test_it_shows_the_administrator_the_counts_of_accounts(administrator, as_user, demo):
    response = as_user(administrator).get(HOME)
    assert response.context["administration"]["active_users"] == len(demo.logins)
    assert "Add a user" in response.content.decode()


def test_it_offers_administration_links_only_to_administrators(lawyer, administrator, as_user):
    assert "/accounts/users/" not in as_user(lawyer).get(HOME).content.decode()
    assert "/accounts/users/" in as_user(administrator).get(HOME).content.decode()


def test_it_renders_the_home_page_in_a_fixed_number_of_queries(
    administrator, as_user, django_assert_max_num_queries
):
    client = as_user(administrator)
    with django_assert_max_num_queries(10):
        client.get(HOME)
