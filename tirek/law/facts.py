"""The facts of a case as the engine takes them, and how JSON becomes facts.

``facts_from_json`` is the one parser behind ``tirek analyze``; it refuses
anything it does not understand with one sentence that names the problem
and what is allowed, so that a person can correct the input.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from tirek.law.model import CATEGORIES, Category, Vocabulary

# A sanity bound on a human age, not a legal figure.
OLDEST_AGE = 130

INPUT_KEYS = (
    "offence_date",
    "victim_age",
    "victim_birth_date",
    "acts",
    "means",
    "purposes",
    "circumstances",
    "victim_consented",
)


@dataclass(frozen=True)
class Facts:
    """What is known of a case, as codes of the vocabulary.

    ``victim_age`` is the age at the time of the offence. ``None`` means
    unknown, never "no".
    """

    offence_date: date | None = None
    victim_age: int | None = None
    victim_birth_date: date | None = None
    acts: frozenset[str] = frozenset()
    means: frozenset[str] = frozenset()
    purposes: frozenset[str] = frozenset()
    circumstances: frozenset[str] = frozenset()
    victim_consented: bool | None = None

    def codes(self, category: Category) -> frozenset[str]:
        codes: frozenset[str] = getattr(self, category)
        return codes


class FactsError(ValueError):
    """The input cannot be read as facts; the message is one line for a person.

    ``key`` names the input key at fault (one of ``INPUT_KEYS``), or is ``None``
    when the input as a whole is wrong, so that a form can put the error on
    its field; ``code`` says which problem it is ("invalid", or
    "birth_after_offence"), so that a page can say it in the reader's language.
    """

    def __init__(self, message: str, *, key: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.key = key
        self.code = code


def facts_from_json(data: Any, vocabulary: Vocabulary) -> Facts:
    if not isinstance(data, dict):
        raise FactsError(
            f"the input must be a JSON object with some of the keys: {', '.join(INPUT_KEYS)}"
        )
    unknown = sorted(set(data) - set(INPUT_KEYS))
    if unknown:
        raise FactsError(f"unknown key {unknown[0]!r}; allowed keys: {', '.join(INPUT_KEYS)}")
    facts = Facts(
        offence_date=_date(data, "offence_date"),
        victim_age=_age(data),
        victim_birth_date=_date(data, "victim_birth_date"),
        victim_consented=_consent(data),
        **{category: _codes(data, category, vocabulary) for category in CATEGORIES},
    )
    check_dates(facts)
    return facts


def check_dates(facts: Facts) -> None:
    if (
        facts.victim_birth_date is not None
        and facts.offence_date is not None
        and facts.victim_birth_date > facts.offence_date
    ):
        raise FactsError(
            "victim_birth_date is after offence_date; the victim must be born before the offence",
            key="victim_birth_date",
            code="birth_after_offence",
        )


def _date(data: dict[str, Any], key: str) -> date | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise FactsError(
            f'{key} must be a date written as "YYYY-MM-DD" or null, not {value!r}', key=key
        )
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or len(value) != len("YYYY-MM-DD"):
        raise FactsError(
            f"{key}: {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2022-03-15", key=key
        )
    return parsed


def _age(data: dict[str, Any]) -> int | None:
    value = data.get("victim_age")
    if value is None:
        return None
    # bool is an int in Python; true is not an age.
    if isinstance(value, bool) or not isinstance(value, int):
        raise FactsError(
            f"victim_age must be a whole number of years or null, not {value!r}", key="victim_age"
        )
    if not 0 <= value <= OLDEST_AGE:
        raise FactsError(
            f"victim_age must be between 0 and {OLDEST_AGE}, not {value}", key="victim_age"
        )
    return value


def _consent(data: dict[str, Any]) -> bool | None:
    value = data.get("victim_consented")
    if value is not None and not isinstance(value, bool):
        raise FactsError(
            f"victim_consented must be true, false or null, not {value!r}", key="victim_consented"
        )
    return value


def _codes(data: dict[str, Any], category: Category, vocabulary: Vocabulary) -> frozenset[str]:
    value = data.get(category)
    if value is None:
        return frozenset()
    allowed = vocabulary.codes(category)
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise FactsError(
            f'{category} must be a list of codes, e.g. ["{allowed[0]}"]; allowed: '
            + ", ".join(allowed),
            key=category,
        )
    for code in value:
        if code not in allowed:
            raise FactsError(
                f"{category}: unknown code {code!r}; allowed: {', '.join(allowed)}", key=category
            )
    return frozenset(value)


def facts_to_json(facts: Facts, vocabulary: Vocabulary) -> dict[str, Any]:
    """The facts as they were understood, codes in vocabulary order."""
    return {
        "offence_date": _iso(facts.offence_date),
        "victim_age": facts.victim_age,
        "victim_birth_date": _iso(facts.victim_birth_date),
        **{
            category: [code for code in vocabulary.codes(category) if code in facts.codes(category)]
            for category in CATEGORIES
        },
        "victim_consented": facts.victim_consented,
    }


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
