"""Demo organisations and one user per role (all fictional).

Every demo user has a confirmed authenticator (TOTP) whose key is published:
``TIREK`` followed by the letters of the user name, padded with ``X`` to 32
base32 characters (``demo-lawyer`` → ``TIREKDEMOLAWYERXXXXXXXXXXXXXXXXX``).
It is the same on every machine and every ``make run``, and obviously not a
secret. ``tirek demo code demo-lawyer`` prints the current code.
"""

import base64
import random
import time

from django.contrib.auth.hashers import make_password
from django_otp.oath import TOTP

from tirek.accounts import actions
from tirek.accounts.models import Organisation, RoleGrant, TotpDevice, User
from tirek.accounts.regions import Region
from tirek.accounts.roles import OrganisationKind, Role
from tirek.accounts.second_factor import otpauth_uri
from tirek.core.demo import DemoData, DemoLogin, Volume

# (record key, name, kind, region, parent record key)
ORGANISATIONS = [
    ("org.operator", "Demo System Operator", OrganisationKind.OPERATOR, "", None),
    ("org.las", "Demo Legal Aid Service", OrganisationKind.LEGAL_AID_SERVICE, "", None),
    (
        "org.las_osh",
        "Demo Legal Aid Service — Osh regional office",
        OrganisationKind.LEGAL_AID_REGIONAL_OFFICE,
        Region.OSH,
        "org.las",
    ),
    (
        "org.law_office",
        "Demo Law Office «Ak Jol»",
        OrganisationKind.LAW_OFFICE,
        Region.BISHKEK,
        None,
    ),
    (
        "org.law_office_osh",
        "Demo Law Office «Tendik»",
        OrganisationKind.LAW_OFFICE,
        Region.OSH_CITY,
        None,
    ),
    ("org.shelter", "Demo Shelter No. 1", OrganisationKind.SHELTER, Region.CHUI, None),
    ("org.ngo", "Demo NGO «Koldoo»", OrganisationKind.NGO, Region.JALAL_ABAD, None),
    (
        "org.training",
        "Demo Training Centre for Lawyers",
        OrganisationKind.TRAINING_CENTRE,
        Region.BISHKEK,
        None,
    ),
    ("org.programme", "Demo Programme Office", OrganisationKind.PROGRAMME_OFFICE, "", None),
]

# (record key, username, first name, last name, organisation key, roles, language)
USERS = [
    (
        "user.administrator",
        "demo-admin",
        "Aida",
        "Demo",
        "org.operator",
        [Role.ADMINISTRATOR],
        "en",
    ),
    ("user.lawyer", "demo-lawyer", "Nurlan", "Demo", "org.law_office", [Role.LAWYER], ""),
    (
        "user.lawyer_osh",
        "demo-lawyer-osh",
        "Gulnara",
        "Demo",
        "org.law_office_osh",
        [Role.LAWYER],
        "ru",
    ),
    ("user.coordinator", "demo-coordinator", "Bakyt", "Demo", "org.las", [Role.COORDINATOR], "ru"),
    (
        "user.coordinator_osh",
        "demo-coordinator-osh",
        "Zarina",
        "Demo",
        "org.las_osh",
        [Role.COORDINATOR, Role.ANALYST],
        "ky",
    ),
    (
        "user.caseworker",
        "demo-caseworker",
        "Aigerim",
        "Demo",
        "org.shelter",
        [Role.CASEWORKER],
        "ky",
    ),
    ("user.trainer", "demo-trainer", "Emil", "Demo", "org.training", [Role.TRAINER], "ru"),
    ("user.analyst", "demo-analyst", "Saltanat", "Demo", "org.programme", [Role.ANALYST], "en"),
]


DEMO_TOTP_ISSUER = "Tirek demo"
_BASE32 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def demo_usernames() -> list[str]:
    return [username for _key, username, *_rest in USERS]


def demo_totp_secret(username: str) -> str:
    """The published key of a demo user's authenticator (see the module docstring)."""
    letters = "".join(char for char in username.upper() if char in _BASE32)
    return ("TIREK" + letters).ljust(32, "X")[:32]


def demo_totp_code(username: str, at: float | None = None) -> tuple[str, int]:
    """The demo user's current code and the seconds it stays valid."""
    totp = TOTP(base64.b32decode(demo_totp_secret(username)), step=TotpDevice.STEP)
    totp.time = time.time() if at is None else at
    left = TotpDevice.STEP - int(totp.time) % TotpDevice.STEP
    return f"{totp.token():0{TotpDevice.DIGITS}d}", left


def _ensure_demo_authenticator(user: User) -> None:
    if not TotpDevice.objects.filter(user=user, confirmed=True).exists():
        TotpDevice.objects.create(
            user=user,
            name="Demo authenticator",
            confirmed=True,
            secret=demo_totp_secret(user.username),
        )


def load(demo: DemoData) -> None:
    for key, name, kind, region, parent_key in ORGANISATIONS:
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            organisation = actions.organisation_create(
                actor=None,
                name=name,
                kind=kind,
                region=region,
                parent=demo.records.get(parent_key) if parent_key else None,
            )
        demo.records[key] = organisation

    for key, username, first, last, org_key, roles, language in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = actions.user_create(
                actor=None,
                username=username,
                email=f"{username}@tirek.invalid",
                first_name=first,
                last_name=last,
                organisation=demo.records[org_key],
                roles=roles,
                preferred_language=language,
                password=demo.password,
            )
        _ensure_demo_authenticator(user)
        demo.records[key] = user
        demo.logins.append(
            DemoLogin(
                role=", ".join(str(role) for role in roles),
                username=username,
                password=demo.password,
                otpauth_uri=otpauth_uri(
                    username=username,
                    secret=demo_totp_secret(username),
                    issuer=DEMO_TOTP_ISSUER,
                ),
                code_command=f"tirek demo code {username}",
            )
        )


def generate(volume: Volume, demo: DemoData) -> None:
    """Bulk organisations and users of every role, named ``gen-…``.

    Bulk inserts skip the actions' per-row checks on purpose (speed); the
    shapes generated are the ones the actions allow. Idempotent per volume:
    what already exists is not generated again.
    """
    rng = random.Random(volume.seed)  # noqa: S311  repeatable demo data, not secrets
    regions = list(Region)
    password = make_password(demo.password)
    existing = set(
        Organisation.objects.filter(name__startswith="Gen ").values_list("name", flat=True)
    )

    def organisations(prefix: str, kind: str, count: int) -> list[Organisation]:
        wanted = [
            Organisation(name=f"Gen {prefix} {number:05d}", kind=kind, region=rng.choice(regions))
            for number in range(1, count + 1)
        ]
        Organisation.objects.bulk_create([o for o in wanted if o.name not in existing])
        return list(Organisation.objects.filter(name__startswith=f"Gen {prefix} "))

    law_offices = organisations("law office", OrganisationKind.LAW_OFFICE, volume.law_offices)
    providers = organisations("shelter", OrganisationKind.SHELTER, volume.nrm_providers)
    regional = []
    for region in regions:
        name = f"Gen regional office {region.value}"
        office = Organisation.objects.filter(name=name).first() or Organisation.objects.create(
            name=name,
            kind=OrganisationKind.LEGAL_AID_REGIONAL_OFFICE,
            region=region,
            parent=demo["org.las"],
        )
        regional.append(office)

    plan: list[tuple[str, Role, list[Organisation], int]] = [
        ("lawyer", Role.LAWYER, law_offices, volume.lawyers),
        ("caseworker", Role.CASEWORKER, providers, volume.caseworkers),
        ("coordinator", Role.COORDINATOR, regional, volume.coordinators_per_region * len(regional)),
        ("analyst", Role.ANALYST, [demo["org.programme"]], volume.analysts),
        ("trainer", Role.TRAINER, [demo["org.training"]], volume.trainers),
    ]
    taken = set(User.objects.filter(username__startswith="gen-").values_list("username", flat=True))
    for label, role, homes, count in plan:
        users = [
            User(
                username=f"gen-{label}-{number:05d}",
                email=f"gen-{label}-{number:05d}@tirek.invalid",
                first_name=label.capitalize(),
                last_name=f"{number:05d}",
                organisation=homes[number % len(homes)],
                password=password,
            )
            for number in range(1, count + 1)
        ]
        created = User.objects.bulk_create([u for u in users if u.username not in taken])
        RoleGrant.objects.bulk_create([RoleGrant(user=user, role=role) for user in created])


def pass_second_factor_as_demo(client, user) -> None:
    """Mark a test client's session as past the second factor, as a real
    sign-in would leave it, with the user's demo authenticator (made if the
    user has none). For tests and benchmarks only: it needs no code.
    """
    import time

    from django_otp import DEVICE_ID_SESSION_KEY

    from tirek.accounts.sessions import AUTHENTICATED_AT, LAST_ACTIVITY

    device = TotpDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:  # users made outside the hand-written demo
        device = TotpDevice.objects.create(
            user=user, name="Demo authenticator", secret=demo_totp_secret(user.username)
        )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[AUTHENTICATED_AT] = session[LAST_ACTIVITY] = time.time()
    session.save()
