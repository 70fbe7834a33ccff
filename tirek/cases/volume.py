"""Bulk cases for benchmarks (``tirek demo generate`` / ``tirek bench``).

National scale is 100,000 legal aid cases and about 1,000,000 timeline
events, with criminal cases, parties, deadlines and notes, spread over the
generated lawyers and reusing the generated people as clients. The demo
lawyer holds about one case in a hundred, so a lawyer's pages have a
realistic length; coordinators see their region's share (the national
demo coordinator, all of them).

1. Count the generated cases (numbered ``GEN-…``) and make only the missing
   ones: idempotent in a benchmark database.
2. Work in chunks of ``CHUNK`` cases, each with its criminal cases, events,
   deadlines, parties and notes, so memory stays bounded at any volume.
3. ``bulk_create`` only, no actions: no per-row checks, audit events or
   conflict checks (speed). Encrypted and blind-indexed fields still go
   through their field's ``pre_save``, which ``bulk_create`` calls, so
   nothing is stored in plaintext. Notes are added to SQLite's FTS5 table
   in bulk; PostgreSQL's expression index keeps itself.
4. On PostgreSQL, ANALYZE the tables loaded, as autovacuum would later.
"""

import contextlib
import datetime
import random
from collections.abc import Iterator

from django.db import connection
from django.utils import timezone

from tirek.accounts.models import User
from tirek.cases.models import (
    CaseEvent,
    CaseNote,
    CriminalCase,
    Deadline,
    EventKind,
    LawyerRole,
    LegalAidBasis,
    LegalAidCase,
    Party,
    PartyRole,
    Safety,
)
from tirek.core.demo import DemoData, Volume
from tirek.law import procedure
from tirek.people.models import Person

CHUNK = 2_000
PREFIX = "GEN-"
# The demo lawyer's case with a long timeline, for the workspace benchmark.
LONG_CASE = f"{PREFIX}0000100"
LONG_CASE_EXTRA_EVENTS = 2_000
BENCH_PARTY_NAME = "Gen Accused 0000100"
BENCH_NOTE_WORD = "benchmarkword"
WORDS = [
    "interview",
    "statement",
    "employer",
    "passport",
    "recruiter",
    "salary",
    "debt",
    "shelter",
    "hearing",
    "appeal",
    "investigator",
    "prosecutor",
    "witness",
    "interpreter",
    "psychologist",
    "compensation",
    "transport",
    "border",
    "Moscow",
    "Osh",
    "Bishkek",
    "factory",
    "construction",
    "farm",
    "agency",
    "contract",
    "threat",
    "protection",
    "medical",
]


def generate(volume: Volume, demo: DemoData) -> None:
    existing = LegalAidCase.objects.filter(number__startswith=PREFIX).count()
    if existing < volume.cases:
        _generate(volume, demo, first=existing + 1)
        _analyse()
    long_case = LegalAidCase.objects.filter(number=LONG_CASE).first()
    if long_case is not None:
        demo.records["case.bench_long"] = long_case
        criminal = long_case.criminal_case
        demo.records["case.bench_register_number"] = criminal.register_number if criminal else ""
        demo.records["case.bench_party_name"] = BENCH_PARTY_NAME
        demo.records["case.bench_note_word"] = BENCH_NOTE_WORD


def _generate(volume: Volume, demo: DemoData, *, first: int) -> None:
    rng = random.Random(volume.seed + first)  # noqa: S311  repeatable demo data, not secrets
    lawyers = list(
        User.objects.filter(username__startswith="gen-lawyer-").select_related("organisation")
    ) or [demo["user.lawyer"]]
    clients = list(Person.objects.current().order_by("pk").values_list("pk", flat=True))
    plan = _Plan(
        rng=rng,
        volume=volume,
        demo_lawyer=demo["user.lawyer"],
        lawyers=lawyers,
        clients=clients,
        stages=[stage.code for stage in procedure.stages()],
        decisions=[decision.code for decision in procedure.decisions()] or ["refusal"],
        rules=[rule.id for rule in procedure.deadline_rules()] or ["appeal"],
        now=timezone.now(),
    )
    with _timestamps_as_given():
        for start in range(first, volume.cases + 1, CHUNK):
            plan.chunk(range(start, min(start + CHUNK, volume.cases + 1)))


class _Plan:
    def __init__(
        self, *, rng, volume, demo_lawyer, lawyers, clients, stages, decisions, rules, now
    ) -> None:
        self.rng = rng
        self.volume = volume
        self.demo_lawyer = demo_lawyer
        self.lawyers = lawyers
        self.clients = clients
        self.stages = stages
        self.decisions = decisions
        self.rules = rules
        self.now = now

    def lawyer_for(self, number: int) -> User:
        if number % 100 == 0:
            return self.demo_lawyer
        return self.lawyers[number % len(self.lawyers)]

    def chunk(self, numbers: range) -> None:
        rng = self.rng
        criminal_by_number = {
            number: CriminalCase(
                register_number=f"{PREFIX}UR-{number:07d}",
                investigating_body="Gen investigative department",
                charges=[{"instrument": "kg-cc-2021", "article": "166", "part": "2"}],
                charge_codes="kg-cc-2021 166.2",
                offence_date=(self.now - datetime.timedelta(days=400 + number % 1500)).date(),
                created_at=self.now,
            )
            for number in numbers
            if number % 10 < 7  # seven cases in ten have reached a criminal case
        }
        CriminalCase.objects.bulk_create(criminal_by_number.values())
        cases = []
        for number in numbers:
            lawyer = self.lawyer_for(number)
            cases.append(
                LegalAidCase(
                    number=f"{PREFIX}{number:07d}",
                    client_id=self.clients[number % len(self.clients)],
                    lawyer=lawyer,
                    law_office_id=lawyer.organisation_id,
                    region=lawyer.organisation.region or "bishkek",
                    lawyer_role=LawyerRole.VICTIM_REPRESENTATIVE
                    if number % 20
                    else LawyerRole.CIVIL_CLAIMANT_REPRESENTATIVE,
                    legal_aid_basis=rng.choice(LegalAidBasis.values),
                    client_languages=["ky", "ru"] if number % 3 else ["uz"],
                    interpreter_needed=number % 3 == 0,
                    safety=Safety.THREATENED if number % 7 == 0 else Safety.NO_KNOWN_THREAT,
                    criminal_case=criminal_by_number.get(number),
                    stage=rng.choice(self.stages) if self.stages else "registration",
                    # Distinct times: lists page in a stable order.
                    opened_at=self.now
                    - datetime.timedelta(days=(number * 7919) % 1500, microseconds=number),
                    closed_at=self.now if number % 25 == 0 else None,
                    updated_by=lawyer,
                )
            )
        LegalAidCase.objects.bulk_create(cases)
        self.events_and_deadlines(cases)
        self.parties(cases)
        self.notes(cases)

    def events_and_deadlines(self, cases: list[LegalAidCase]) -> None:
        rng = self.rng
        events: list[CaseEvent] = []
        starts_deadline: set[int] = set()  # positions in ``events``
        for case in cases:
            opened = case.opened_at.date()
            span = max(1, (self.now.date() - opened).days)
            count = self.volume.events_per_case
            if case.number == LONG_CASE:
                count += LONG_CASE_EXTRA_EVENTS
            for index in range(count):
                decided = index % 4 == 3
                occurred = opened + datetime.timedelta(days=rng.randrange(span))
                if index == 3:  # the case's first decision starts its one deadline
                    starts_deadline.add(len(events))
                events.append(
                    CaseEvent(
                        case=case,
                        kind=EventKind.DECISION if decided else rng.choice(EventKind.values),
                        decision=rng.choice(self.decisions) if decided else "",
                        occurred_on=occurred,
                        received_on=occurred + datetime.timedelta(days=2) if decided else None,
                        summary=f"Gen event {index + 1} of {case.number}",
                        recorded_by_id=case.lawyer_id,
                        recorded_at=self.now,
                    )
                )
        for batch in _batches(events, 5_000):
            CaseEvent.objects.bulk_create(batch)
        deadlines = [
            Deadline(
                case=event.case,
                event=event,
                rule=rng.choice(self.rules),
                due_on=event.received_on + datetime.timedelta(days=15),
                basis="Gen basis",
                verification="unverified",
                responsible_id=event.case.lawyer_id,
                # Three in ten done; the rest are open, many of them overdue.
                done_at=self.now if int(event.case.number[-1]) < 3 else None,
            )
            for position, event in enumerate(events)
            if position in starts_deadline
        ]
        Deadline.objects.bulk_create(deadlines, batch_size=5_000)

    def parties(self, cases: list[LegalAidCase]) -> None:
        parties = [
            Party(
                criminal_case=case.criminal_case,
                role=role,
                full_name=f"Gen {label} {case.number.removeprefix(PREFIX)}",
                document_number=f"GENP{case.number.removeprefix(PREFIX)}{label[0]}",
                added_by_id=case.lawyer_id,
                added_at=self.now,
            )
            for case in cases
            if case.criminal_case is not None and int(case.number.removeprefix(PREFIX)) % 5 == 0
            for role, label in ((PartyRole.ACCUSED, "Accused"), (PartyRole.WITNESS, "Witness"))
        ]
        Party.objects.bulk_create(parties, batch_size=2_000)

    def notes(self, cases: list[LegalAidCase]) -> None:
        rng = self.rng
        notes = []
        for case in cases:
            number = int(case.number.removeprefix(PREFIX))
            if number % 2:
                continue  # every other case has a note
            words = rng.sample(WORDS, 12)
            if number % 100 == 0 and number % 300 == 0:
                words.append(BENCH_NOTE_WORD)
            notes.append(
                CaseNote(
                    case=case,
                    title=f"Gen note on {case.number}",
                    body=" ".join(words).capitalize() + ".",
                    author_id=case.lawyer_id,
                    updated_by_id=case.lawyer_id,
                    created_at=self.now,
                )
            )
        CaseNote.objects.bulk_create(notes, batch_size=2_000)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO cases_note_fts (rowid, title, body) VALUES (%s, %s, %s)",
                    [(note.pk, note.title, note.body) for note in notes],
                )


def _analyse() -> None:
    """Refresh PostgreSQL's statistics after the bulk load, as autovacuum would
    in time: without them it plans as for empty tables (ten times slower pages)."""
    if connection.vendor != "postgresql":
        return
    models = (LegalAidCase, CriminalCase, CaseEvent, Deadline, Party, CaseNote, Person)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(model._meta.db_table for model in models))


def _batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextlib.contextmanager
def _timestamps_as_given() -> Iterator[None]:
    """Let generated rows carry spread-out creation times (auto_now_add would
    stamp them all with this second). Generation runs alone in its process."""
    fields = [
        LegalAidCase._meta.get_field("opened_at"),
        CaseEvent._meta.get_field("recorded_at"),
        CaseNote._meta.get_field("created_at"),
        CriminalCase._meta.get_field("created_at"),
        Party._meta.get_field("added_at"),
    ]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True
