"""Reading the law content: YAML files, checked against the JSON schema, built
into frozen types, once per process.

1. ``read_documents`` parses every ``*.yaml`` under ``content/`` with dates
   kept as text (the schema checks their shape; PyYAML would otherwise turn
   them into ``date`` objects that JSON Schema cannot see).
2. ``schema_problems`` validates each document against ``schema.json``.
3. ``build`` turns valid documents into ``LawContent``.

``law_content()`` does all three and caches the result; a broken content
directory raises ``ContentError`` listing every problem.
"""

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

import jsonschema  # type: ignore[import-untyped]
import yaml

from tirek.law.model import (
    Accommodation,
    Challenge,
    ChecklistItem,
    Counting,
    CountingRule,
    DeadlineSpec,
    Decision,
    Elements,
    EventKind,
    EvidenceSuggestion,
    Holiday,
    Indicator,
    IndicatorSet,
    Instrument,
    Interviews,
    InterviewTopic,
    Item,
    LawContent,
    NonWorkingWeekday,
    Penalty,
    Period,
    Playbook,
    Provision,
    Question,
    Reference,
    RepeatPolicy,
    Right,
    Role,
    Safeguard,
    Settings,
    Source,
    Stage,
    Step,
    StepWhen,
    Term,
    Text,
    TimeLimit,
    Trigger,
    Verification,
    Vocabulary,
)

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SCHEMA_FILE = CONTENT_DIR / "schema.json"

Document = dict[str, Any]


class ContentError(Exception):
    """The content cannot be loaded; ``problems`` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class _TextDates(yaml.SafeLoader):
    """A safe loader that leaves ``2021-12-01`` as a string."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class SourceFile:
    path: Path
    document: Document

    @property
    def name(self) -> str:
        return str(self.path.relative_to(self.path.parents[1]))


def read_documents(directory: Path = CONTENT_DIR) -> tuple[list[SourceFile], list[str]]:
    files: list[SourceFile] = []
    problems: list[str] = []
    for path in sorted(directory.rglob("*.yaml")):
        try:
            loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDates)  # noqa: S506
        except yaml.YAMLError as error:
            problems.append(f"{path.name}: not valid YAML: {error}")
            continue
        if not isinstance(loaded, dict) or not isinstance(loaded.get("kind"), str):
            problems.append(f"{path.name}: a content file is a mapping with a 'kind'")
            continue
        files.append(SourceFile(path, loaded))
    return files, problems


def schema_problems(files: list[SourceFile], schema_file: Path = SCHEMA_FILE) -> list[str]:
    root = json.loads(schema_file.read_text(encoding="utf-8"))
    problems: list[str] = []
    for file in files:
        kind = file.document["kind"]
        if f"{kind}_file" not in root["$defs"]:
            problems.append(f"{file.name}: unknown kind {kind!r}")
            continue
        schema = {**root, "$ref": f"#/$defs/{kind}_file"}
        validator = jsonschema.Draft202012Validator(schema)
        for error in sorted(validator.iter_errors(file.document), key=_error_path):
            where = "/".join(str(step) for step in error.absolute_path) or "(top)"
            problems.append(f"{file.name}: {where}: {error.message}")
    return problems


def _error_path(error: Any) -> str:
    return "/".join(str(step) for step in error.absolute_path)


@cache
def law_content() -> LawContent:
    """The content shipped with Tirek, validated and built once per process."""
    return load_content(CONTENT_DIR)


def load_content(directory: Path) -> LawContent:
    files, problems = read_documents(directory)
    problems += schema_problems(files)
    if problems:
        raise ContentError(problems)
    try:
        return build(files)
    except (KeyError, ValueError) as error:
        raise ContentError([f"content does not fit together: {error}"]) from error


# --- Building typed content from valid documents --------------------------------


def build(files: list[SourceFile]) -> LawContent:
    by_kind: dict[str, list[Document]] = {}
    for file in files:
        by_kind.setdefault(file.document["kind"], []).append(file.document)
    instruments: dict[str, Instrument] = {}
    provisions: dict[str, Provision] = {}
    for document in by_kind.get("instrument", []):
        instrument, own = _instrument(document)
        _add_unique(instruments, instrument.id, instrument)
        for provision in own:
            _add_unique(provisions, provision.id, provision)
    references: dict[str, Reference] = {}
    for document in by_kind.get("references", []):
        for entry in document["references"]:
            _add_unique(references, entry["id"], _reference(entry))
    reasons_doc = _single(by_kind, "reasons")
    procedure_doc = _single(by_kind, "procedure")
    sources = _SourceIndex(instruments, provisions, references)
    return LawContent(
        instruments=MappingProxyType(instruments),
        provisions=MappingProxyType(provisions),
        references=MappingProxyType(references),
        vocabulary=_vocabulary(_single(by_kind, "vocabulary")),
        indicator_sets=tuple(
            _indicator_set(entry)
            for document in by_kind.get("indicators", [])
            for entry in document["sets"]
        ),
        evidence=tuple(
            _evidence(entry)
            for document in by_kind.get("evidence", [])
            for entry in document["suggestions"]
        ),
        rights=tuple(
            _right(entry) for document in by_kind.get("rights", []) for entry in document["rights"]
        ),
        time_limits=tuple(
            _time_limit(entry)
            for document in by_kind.get("time_limits", [])
            for entry in document["limits"]
        ),
        roles=tuple(_described(Role, entry, sources) for entry in procedure_doc["roles"]),
        event_kinds=tuple(
            EventKind(entry["code"], _text(entry["label"]))
            for entry in procedure_doc["event_kinds"]
        ),
        stages=tuple(_described(Stage, entry, sources) for entry in procedure_doc["stages"]),
        decisions=tuple(_decision(entry, sources) for entry in procedure_doc["decisions"]),
        counting=_counting(_single(by_kind, "counting")),
        playbook=_playbook(_single(by_kind, "playbook"), sources),
        formats=_texts(reasons_doc["formats"]),
        reasons=_texts(reasons_doc["reasons"]),
        settings=_settings(_single(by_kind, "analysis")),
        interviews=_interviews(_single(by_kind, "interviews")),
    )


def _single(by_kind: Mapping[str, list[Document]], kind: str) -> Document:
    documents = by_kind.get(kind, [])
    if len(documents) != 1:
        raise ValueError(f"expected exactly one {kind!r} file, found {len(documents)}")
    return documents[0]


def _add_unique[T](into: dict[str, T], key: str, value: T) -> None:
    if key in into:
        raise ValueError(f"duplicate id {key!r}")
    into[key] = value


def _text(raw: Mapping[str, str]) -> Text:
    return Text(ky=raw["ky"], ru=raw["ru"], en=raw["en"])


def _maybe_text(raw: Mapping[str, str] | None) -> Text | None:
    return None if raw is None else _text(raw)


def _texts(raw: Mapping[str, Mapping[str, str]]) -> Mapping[str, Text]:
    return MappingProxyType({key: _text(value) for key, value in raw.items()})


def _date(raw: str | None) -> date | None:
    return None if raw is None else date.fromisoformat(raw)


def _verification(raw: Mapping[str, Any]) -> Verification:
    confirmed = raw.get("confirmed") or {}
    return Verification(
        status=raw["status"],
        note=_text(raw["note"]),
        confirmed_by=confirmed.get("by"),
        confirmed_on=_date(confirmed.get("on")),
        confirmed_against=confirmed.get("against"),
    )


def _source(raw: Mapping[str, str]) -> Source:
    return Source(citation=raw["citation"], url=raw.get("url"), edition=raw.get("edition"))


def _penalty(raw: Mapping[str, Any] | None) -> Penalty | None:
    if raw is None:
        return None
    return Penalty(raw["min_years"], raw["max_years"], bool(raw.get("other_sanctions", False)))


def _codes(raw: list[str] | None) -> frozenset[str]:
    return frozenset(raw or ())


def _trigger(raw: Mapping[str, Any] | None) -> Trigger | None:
    if raw is None:
        return None
    return Trigger(
        acts=_codes(raw.get("acts")),
        means=_codes(raw.get("means")),
        purposes=_codes(raw.get("purposes")),
        circumstances=_codes(raw.get("circumstances")),
        child=raw.get("child"),
        always=bool(raw.get("always", False)),
    )


def _elements(raw: Mapping[str, Any] | None) -> Elements | None:
    if raw is None:
        return None
    return Elements(
        acts=_codes(raw["acts"]),
        means=_codes(raw["means"]),
        means_required=raw["means_required"],
        purposes=_codes(raw["purposes"]),
        arguable_purposes=_codes(raw["arguable_purposes"]),
        victim=raw["victim"],
        mapping_note=_maybe_text(raw.get("mapping_note")),
    )


def _item(raw: Mapping[str, Any]) -> Item:
    return Item(
        number=raw["item"],
        label=_text(raw["label"]),
        circumstance=raw.get("circumstance"),
        purpose=raw.get("purpose"),
        victim_under_age=raw.get("victim_under_age"),
        mapping_note=_maybe_text(raw.get("mapping_note")),
    )


def _instrument(raw: Document) -> tuple[Instrument, list[Provision]]:
    provisions: list[Provision] = []
    for article_raw in raw["provisions"]:
        provisions.extend(_article(raw["id"], article_raw))
    instrument = Instrument(
        id=raw["id"],
        type=raw["type"],
        title=_text(raw["title"]),
        short_title=_text(raw["short_title"]),
        source=_source(raw["source"]),
        adopted=_date(raw["adopted"]),
        in_force_from=_date(raw["in_force_from"]),
        in_force_to=_date(raw["in_force_to"]),
        dates_verification=(
            _verification(raw["dates_verification"]) if "dates_verification" in raw else None
        ),
        verification=_verification(raw["verification"]),
        summary=_text(raw["summary"]),
        provisions=tuple(p.id for p in provisions),
    )
    return instrument, provisions


def _article(instrument_id: str, raw: Document) -> Iterator[Provision]:
    """The article itself, then each part, which inherits what it omits."""
    child_rule = raw.get("child_means_required")
    article = Provision(
        id=raw["id"],
        instrument_id=instrument_id,
        article=raw["article"],
        part=None,
        kind="article",
        role=raw.get("role"),
        title=_text(raw["title"]),
        ref=_maybe_text(raw.get("ref")),
        source=_source(raw["source"]),
        adopted=_date(raw.get("adopted")),
        in_force_from=_date(raw["in_force_from"]),
        in_force_to=_date(raw["in_force_to"]),
        verification=_verification(raw["verification"]),
        summary=_text(raw["summary"]),
        penalty=_penalty(raw.get("penalty")),
        elements=_elements(raw.get("elements")),
        parts=tuple(part["id"] for part in raw.get("parts", [])),
        consider_when=_trigger(raw.get("consider_when")),
        child_means_required=None if child_rule is None else child_rule["value"],
        child_means_verification=(
            None if child_rule is None else _verification(child_rule["verification"])
        ),
    )
    yield article
    for part in raw.get("parts", []):
        yield _part(article, part)


def _part(article: Provision, raw: Document) -> Provision:
    return Provision(
        id=raw["id"],
        instrument_id=article.instrument_id,
        article=article.article,
        part=raw["part"],
        kind=raw["kind"],
        role=None,
        title=_text(raw["title"]) if "title" in raw else article.title,
        ref=_maybe_text(raw.get("ref")),
        source=_source(raw["source"]) if "source" in raw else article.source,
        adopted=article.adopted,
        in_force_from=_date(raw["in_force_from"])
        if "in_force_from" in raw
        else article.in_force_from,
        in_force_to=_date(raw["in_force_to"]) if "in_force_to" in raw else article.in_force_to,
        verification=(
            _verification(raw["verification"]) if "verification" in raw else article.verification
        ),
        summary=_text(raw["summary"]),
        penalty=_penalty(raw.get("penalty")),
        elements=_elements(raw.get("elements")),
        items=tuple(_item(item) for item in raw.get("items", [])),
        qualifies=raw.get("qualifies"),
    )


def _reference(raw: Document) -> Reference:
    return Reference(
        id=raw["id"],
        title=_text(raw["title"]),
        source=_source(raw["source"]),
        verification=_verification(raw["verification"]),
    )


def _vocabulary(raw: Document) -> Vocabulary:
    def terms(category: str) -> tuple[Term, ...]:
        return tuple(Term(entry["code"], _text(entry["label"])) for entry in raw[category])

    return Vocabulary(
        acts=terms("acts"),
        means=terms("means"),
        purposes=terms("purposes"),
        circumstances=terms("circumstances"),
    )


def _indicator_set(raw: Document) -> IndicatorSet:
    return IndicatorSet(
        id=raw["id"],
        title=_text(raw["title"]),
        summary=_text(raw["summary"]),
        sources=tuple(raw["sources"]),
        verification=_verification(raw["verification"]),
        screen_when=cast(Trigger, _trigger(raw["screen_when"])),
        indicators=tuple(
            Indicator(entry["id"], _text(entry["label"]), _trigger(entry.get("points_to")))
            for entry in raw["indicators"]
        ),
    )


def _evidence(raw: Document) -> EvidenceSuggestion:
    return EvidenceSuggestion(
        id=raw["id"],
        targets=tuple(raw["for"]),
        type=raw["type"],
        text=_text(raw["text"]),
        sources=tuple(raw["sources"]),
        verification=_verification(raw["verification"]),
    )


def _right(raw: Document) -> Right:
    return Right(
        id=raw["id"],
        title=_text(raw["title"]),
        summary=_text(raw["summary"]),
        sources=tuple(raw["sources"]),
        verification=_verification(raw["verification"]),
        when=_trigger(raw.get("when")),
    )


def _time_limit(raw: Document) -> TimeLimit:
    period = raw["period"]
    deadline = raw.get("deadline")
    return TimeLimit(
        id=raw["id"],
        title=_text(raw["title"]),
        period=None if period is None else Period(period["value"], period["unit"]),
        summary=_text(raw["summary"]),
        sources=tuple(raw["sources"]),
        verification=_verification(raw["verification"]),
        deadline=None
        if deadline is None
        else DeadlineSpec(
            counted_from=deadline["counted_from"],
            party=deadline["party"],
            roles=_codes(deadline["roles"]),
            on_kinds=_codes(deadline.get("on_kinds")),
            custody=bool(deadline.get("custody", False)),
        ),
        in_analysis=bool(raw.get("in_analysis", True)),
    )


# --- The procedure ----------------------------------------------------------------


@dataclass(frozen=True)
class _SourceIndex:
    """Turns cited ids into their sources; an unknown id is left to ``law check``."""

    instruments: Mapping[str, Instrument]
    provisions: Mapping[str, Provision]
    references: Mapping[str, Reference]

    def basis(self, ids: list[str]) -> tuple[Source, ...]:
        found: list[Source] = []
        for source_id in ids:
            entry = (
                self.provisions.get(source_id)
                or self.instruments.get(source_id)
                or self.references.get(source_id)
            )
            if entry is not None:
                found.append(entry.source)
        return tuple(found)


def _described[T: (Role, Stage)](kind: type[T], raw: Document, sources: _SourceIndex) -> T:
    """A role or a stage: the same shape of content (code, label, summary, sources)."""
    return kind(
        code=raw["code"],
        label=_text(raw["label"]),
        summary=_text(raw["summary"]),
        sources=tuple(raw["sources"]),
        basis=sources.basis(raw["sources"]),
        verification=_verification(raw["verification"]),
    )


def _decision(raw: Document, sources: _SourceIndex) -> Decision:
    return Decision(
        code=raw["code"],
        label=_text(raw["label"]),
        made_by=_text(raw["made_by"]),
        from_stages=tuple(raw["from_stages"]),
        moves_to=raw["moves_to"],
        challenges=tuple(
            Challenge(
                roles=_codes(entry["roles"]),
                route=_text(entry["route"]),
                sources=tuple(entry["sources"]),
                basis=sources.basis(entry["sources"]),
            )
            for entry in raw.get("challenge", [])
        ),
        starts=tuple(raw.get("starts", [])),
        sources=tuple(raw["sources"]),
        basis=sources.basis(raw["sources"]),
        verification=_verification(raw["verification"]),
    )


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _counting(raw: Document) -> Counting:
    holidays = raw["holidays"]
    return Counting(
        rules=tuple(
            CountingRule(
                code=entry["code"],
                summary=_text(entry["summary"]),
                sources=tuple(entry["sources"]),
                verification=_verification(entry["verification"]),
            )
            for entry in raw["rules"]
        ),
        weekdays=tuple(
            NonWorkingWeekday(
                weekday=_WEEKDAYS.index(entry["weekday"]),
                label=_text(entry["label"]),
                sources=tuple(entry["sources"]),
                verification=_verification(entry["verification"]),
            )
            for entry in raw["non_working_weekdays"]
        ),
        holidays=tuple(
            Holiday(month=entry["month"], day=day, label=_text(entry["label"]))
            for entry in holidays["days"]
            for day in entry["days"]
        ),
        holiday_sources=tuple(holidays["sources"]),
        holiday_verification=_verification(holidays["verification"]),
        notes=_texts(raw["notes"]),
    )


def _playbook(raw: Document, sources: _SourceIndex) -> Playbook:
    return Playbook(
        version=raw["version"],
        adopted=date.fromisoformat(raw["adopted"]),
        steps=tuple(_step(entry, sources) for entry in raw["steps"]),
    )


def _step(raw: Document, sources: _SourceIndex) -> Step:
    when = raw.get("when") or {}
    return Step(
        code=raw["code"],
        title=_text(raw["title"]),
        explanation=_text(raw["explanation"]),
        roles=_codes(raw["roles"]),
        stages=_codes(raw["stages"]),
        when=StepWhen(
            child=when.get("child"),
            child_unknown=bool(when.get("child_unknown", False)),
            threatened=when.get("threatened"),
            interpreter=when.get("interpreter"),
            civil_claim_filed=when.get("civil_claim_filed"),
            last_decisions=_codes(when.get("last_decision")),
        ),
        sources=tuple(raw["sources"]),
        basis=sources.basis(raw["sources"]),
        verification=_verification(raw["verification"]),
        due_rule=raw.get("due"),
    )


def _settings(raw: Document) -> Settings:
    return Settings(
        international_definition=raw["international_definition"],
        child_under=raw["child_age"]["under"],
        child_age_sources=tuple(raw["child_age"]["sources"]),
        consent_basis=tuple(raw["consent_basis"]),
        time_basis=tuple(raw["time_basis"]),
        child_rule_basis=tuple(raw.get("child_rule_basis", ())),
        retroactivity_basis=tuple(raw["retroactivity_basis"]),
        qualification_basis=tuple(raw["qualification_basis"]),
        trafficking_role=raw["trafficking_role"],
        child_trafficking_role=raw["child_trafficking_role"],
    )


# --- Interviews -------------------------------------------------------------------


def _interviews(raw: Document) -> Interviews:
    return Interviews(
        version=raw["version"],
        child_under=raw["child_age"]["under"],
        child_age_sources=tuple(raw["child_age"]["sources"]),
        phases=tuple((entry["code"], _text(entry["label"])) for entry in raw["phases"]),
        audiences=tuple((entry["code"], _text(entry["label"])) for entry in raw["audiences"]),
        accommodations=tuple(
            Accommodation(
                code=entry["code"],
                label=_text(entry["label"]),
                summary=_text(entry["summary"]),
                person=entry["person"],
                sources=tuple(entry["sources"]),
            )
            for entry in raw["accommodations"]
        ),
        topics=tuple(
            InterviewTopic(entry["code"], _text(entry["label"]), tuple(entry["elements"]))
            for entry in raw["topics"]
        ),
        safeguards=tuple(_safeguard(entry) for entry in raw["safeguards"]),
        repeat=RepeatPolicy(
            warn_from_adult=raw["repeat"]["warn_from"]["adult"],
            warn_from_child=raw["repeat"]["warn_from"]["child"],
            sources=tuple(raw["repeat"]["sources"]),
            verification=_verification(raw["repeat"]["verification"]),
        ),
        confrontation_sources=tuple(raw["confrontation"]["sources"]),
        confrontation_child_sources=tuple(raw["confrontation"]["child_sources"]),
        questions=tuple(
            Question(
                id=entry["id"],
                phase=entry["phase"],
                audiences=frozenset(entry["audiences"]),
                topic=entry["topic"],
                open=entry["open"],
                text=_text(entry["text"]),
                note=_maybe_text(entry.get("note")),
                sources=tuple(entry["sources"]),
            )
            for entry in raw["questions"]
        ),
        checklist=tuple(
            ChecklistItem(
                id=entry["id"],
                moment=entry["moment"],
                children_only=entry["children_only"],
                text=_text(entry["text"]),
                sources=tuple(entry["sources"]),
            )
            for entry in raw["checklist"]
        ),
    )


def _safeguard(raw: Document) -> Safeguard:
    return Safeguard(
        id=raw["id"],
        title=_text(raw["title"]),
        summary=_text(raw["summary"]),
        children=raw["children"],
        age_under=raw.get("age_under"),
        when_needed=raw.get("when_needed"),
        when_present=raw.get("when_present"),
        requires_any=tuple(tuple(group) for group in raw.get("requires_any", [])),
        max_continuous_minutes=raw.get("max_continuous_minutes"),
        max_day_minutes=raw.get("max_day_minutes"),
        figure_from=raw.get("figure_from"),
        enforcement=raw["enforcement"],
        sources=tuple(raw["sources"]),
        in_force_from=_date(raw["in_force_from"]),
        in_force_to=_date(raw["in_force_to"]),
        verification=_verification(raw["verification"]),
    )
