"""Fictional demo data, contributed by each bounded context.

An app takes part by having a ``demo`` module with either or both of:

``load(demo: DemoData) -> None``
    The small hand-written demo that ``make run`` serves and the tests use
    as personas. Must be idempotent: loading twice changes nothing.
``generate(volume: Volume, demo: DemoData) -> None``
    Bulk volumes for benchmarks (``tirek demo generate --scale national``).

Apps run in ``INSTALLED_APPS`` order, so a later capability finds the
records of earlier ones in ``demo.records`` (the demo lawyer, the demo
shelter) and adds its own beside them.

Everything here is fictional: organisation names begin with "Demo" and
persons are invented. Nothing in a demo resembles a real case.
"""

import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction

# Published in the README and printed by `make run`; the demo is refused in
# production unless TIREK_DEMO_ALLOWED is set, for that reason.
DEMO_PASSWORD = "tirek-demo-password"


@dataclass
class DemoLogin:
    role: str
    username: str
    password: str
    note: str = ""
    # The second factor: a key URI for any authenticator app (the demo's
    # published key), and the command that prints the current code.
    otpauth_uri: str = ""
    code_command: str = ""


@dataclass
class DemoData:
    password: str = DEMO_PASSWORD
    records: dict[str, Any] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)

    def __getitem__(self, name: str) -> Any:
        return self.records[name]


@dataclass(frozen=True)
class Volume:
    """How much to generate. ``national`` is the scale benchmarks must meet."""

    name: str
    law_offices: int
    lawyers: int
    nrm_providers: int
    caseworkers: int
    coordinators_per_region: int
    analysts: int
    trainers: int
    people: int = 300
    # Legal aid cases (clients drawn from the people) and timeline events per case.
    cases: int = 300
    events_per_case: int = 10
    seed: int = 2026


VOLUMES = {
    "small": Volume("small", 20, 100, 10, 30, 1, 5, 3),
    # About the size of the Kyrgyz advocacy and NRM network, with headroom;
    # far more people and cases than the country sees in a decade.
    "national": Volume(
        "national", 600, 3_000, 150, 1_200, 5, 60, 40, people=100_000, cases=100_000
    ),
}


def _demo_modules() -> Iterator[Any]:
    for config in apps.get_app_configs():
        if not config.name.startswith("tirek."):
            continue
        try:
            yield importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise


@transaction.atomic
def demo_load() -> DemoData:
    demo = DemoData()
    for module in _demo_modules():
        if hasattr(module, "load"):
            module.load(demo)
    return demo


def demo_generate(volume: Volume) -> DemoData:
    demo = demo_load()
    for module in _demo_modules():
        if hasattr(module, "generate"):
            with transaction.atomic():
                module.generate(volume, demo)
    return demo
