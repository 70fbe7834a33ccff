from django.core.management import call_command
from django.core.management.base import CommandError

from tirek.accounts.demo import demo_totp_code
from tirek.accounts.models import Organisation, RoleGrant, TotpDevice, User
from tirek.accounts.roles import Role
from tirek.core.demo import VOLUMES, demo_generate, demo_load


def counts() -> tuple[int, int, int, int]:
    return (
        Organisation.objects.count(),
        User.objects.count(),
        RoleGrant.objects.count(),
        TotpDevice.objects.count(),
    )


def test_it_loads_the_demo_twice_without_changing_anything(db):
    demo_load()
    first = counts()
    demo_load()
    assert counts() == first


def test_it_has_a_demo_login_for_every_role(demo):
    held = {role for user in User.objects.all() for role in user.roles}
    assert held == set(Role)
    assert {login.username for login in demo.logins} == set(
        User.objects.values_list("username", flat=True)
    )


def test_it_names_every_demo_organisation_as_fictional(demo):
    assert all(
        name.startswith("Demo ") for name in Organisation.objects.values_list("name", flat=True)
    )


def test_it_generates_volumes_once(db):
    volume = VOLUMES["small"]
    demo_generate(volume)
    lawyers = User.objects.filter(role_grants__role=Role.LAWYER).count()
    assert lawyers == volume.lawyers + 2  # plus the two hand-written demo lawyers
    before = counts()
    demo_generate(volume)
    assert counts() == before


def test_it_prints_how_to_sign_in_as_each_role(db, capsys):
    call_command("demo", "load")
    printed = capsys.readouterr().out
    for username in (
        "demo-lawyer",
        "demo-coordinator",
        "demo-caseworker",
        "demo-trainer",
        "demo-analyst",
        "demo-admin",
    ):
        assert username in printed
    assert "tirek-demo-password" in printed
    assert "tirek demo code demo-lawyer" in printed
    assert (
        "otpauth://totp/Tirek%20demo%3Ademo-lawyer?secret=TIREKDEMOLAWYERXXXXXXXXXXXXXXXXX"
        in printed
    )


def test_it_gives_every_demo_user_a_second_factor(demo):
    assert set(
        TotpDevice.objects.filter(confirmed=True).values_list("user__username", flat=True)
    ) == {login.username for login in demo.logins}


def test_it_prints_a_demo_users_current_code(db, capsys):
    call_command("demo", "code", "demo-lawyer")
    assert capsys.readouterr().out.strip() == demo_totp_code("demo-lawyer")[0]


def test_it_prints_codes_only_for_demo_users(db):
    try:
        call_command("demo", "code", "a-real-user")
    except CommandError as refused:
        assert "not a demo user" in str(refused)
    else:
        raise AssertionError("printed a code for a user who is not a demo user")


def test_it_refuses_demo_codes_where_the_demo_is_not_allowed(db, settings):
    settings.TIREK_DEMO_ALLOWED = False
    try:
        call_command("demo", "code", "demo-lawyer")
    except CommandError as refused:
        assert "published passwords" in str(refused)
    else:
        raise AssertionError("printed a demo code where the demo is not allowed")


def test_it_refuses_the_demo_where_it_is_not_allowed(db, settings):
    settings.TIREK_DEMO_ALLOWED = False
    try:
        call_command("demo", "load")
    except CommandError as refused:
        assert "published passwords" in str(refused)
    else:
        raise AssertionError("the demo was loaded where it is not allowed")
