"""Shared test set-up: personas built from the demo data with real actions.

Every test that needs people asks for them by role: ``lawyer``,
``coordinator``, ``caseworker``, ``trainer``, ``analyst``, ``administrator``,
plus ``outsider`` (an account with no role). They are the demo's users, so
tests and ``make run`` share one picture of the world.
"""

import pytest
from django.test import Client

from tirek.accounts import actions
from tirek.accounts.models import User
from tirek.core.demo import DemoData, demo_load

QUICK_HASHERS = ["tirek.accounts.tests.quick_hasher.QuickArgon2PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_unless_asked(settings):
    # Messages raised by actions outside a request follow the active language;
    # a test reads them in English unless it asks for another.
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    """pytest-django's client, reading pages in English unless a test asks."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    # Argon2 with production costs takes ~0.1 s per hash; the suite would
    # spend most of its time hashing. Same algorithm, smaller parameters.
    settings.PASSWORD_HASHERS = QUICK_HASHERS


@pytest.fixture(autouse=True)
def _evidence_in_a_temporary_directory(settings, tmp_path):
    # Evidence files a test stores never land in the developer's data/.
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "evidence-store")},
        },
    }


@pytest.fixture
def demo(db) -> DemoData:
    return demo_load()


@pytest.fixture
def lawyer(demo) -> User:
    return demo["user.lawyer"]


@pytest.fixture
def coordinator(demo) -> User:
    return demo["user.coordinator"]


@pytest.fixture
def caseworker(demo) -> User:
    return demo["user.caseworker"]


@pytest.fixture
def trainer(demo) -> User:
    return demo["user.trainer"]


@pytest.fixture
def analyst(demo) -> User:
    return demo["user.analyst"]


@pytest.fixture
def administrator(demo) -> User:
    return demo["user.administrator"]


@pytest.fixture
def outsider(demo) -> User:
    """Signed in, but holds no role at all."""
    return actions.user_create(
        actor=None,
        username="outsider",
        email="outsider@tirek.invalid",
        organisation=demo["org.ngo"],
        roles=[],
        password=demo.password,
        send_invitation=False,
    )


def client_for(user: User | None, *, language: str = "en", verified: bool = True) -> Client:
    """A client signed in as ``user``, past the second factor unless ``verified=False``.

    Verified the way a real sign-in leaves the session (django-otp's device
    key, the time of authentication), with the user's demo authenticator.
    """
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
        if verified:
            _pass_second_factor(client, user)
    return client


def _pass_second_factor(client: Client, user: User) -> None:
    from tirek.accounts.demo import pass_second_factor_as_demo

    pass_second_factor_as_demo(client, user)


@pytest.fixture
def as_user():
    """``as_user(persona, language="ky", verified=True)`` gives a signed-in test client."""
    return client_for
