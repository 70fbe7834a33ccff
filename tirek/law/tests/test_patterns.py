"""The fact patterns in patterns/*.yaml: the law as a lawyer would state it."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from tirek.law import analyse, facts_from_json, law_content, render

PATTERNS = Path(__file__).resolve().parent / "patterns"
LAW_KEYS = ("instrument", "article", "part", "made_out", "verification")


def load_patterns() -> list[Any]:
    cases = []
    for path in sorted(PATTERNS.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return cases


def answer_for(facts: dict[str, Any]) -> dict[str, Any]:
    return render(analyse(facts_from_json(facts, law_content().vocabulary)), "en")


def test_it_has_at_least_forty_patterns_each_with_a_reason() -> None:
    cases = load_patterns()
    assert len(cases) >= 40
    for param in cases:
        case = param.values[0]
        assert case["why"].strip() and case["expect"], case["name"]


@pytest.mark.parametrize("case", load_patterns())
def test_it_concludes_as_the_law_says(case: dict[str, Any]) -> None:
    answer = answer_for(case["facts"])
    for key, expected in case["expect"].items():
        assert observed(answer, key, expected) == expected, (
            f"{case['name']}: {key} — {case['why']}\n{answer_reasons(answer)}"
        )


def observed(answer: dict[str, Any], key: str, expected: Any) -> Any:
    law = answer["law"]
    simple = {
        "trafficking": answer["trafficking"],
        "child_victim": answer["child_victim"],
        "consent_relevant": answer["consent_relevant"],
        "means_required": answer["elements"]["means"]["required"],
        "warnings": len(answer["warnings"]),
    }
    if key in simple:
        return simple[key]
    if key == "law":
        return None if law is None else {k: law[k] for k in expected}
    if key == "aggravating":
        found = [f"{a['provision']}#{a['item']}" for a in answer["aggravating"]]
        return expected if set(expected) <= set(found) and (expected or not found) else found
    if key == "not_recognised":
        return [n["circumstance"] for n in answer["not_recognised"]]
    if key == "missing":
        return _contains([m["item"] for m in answer["missing"]], expected)
    if key == "alternatives":
        return _contains([a["provision"] for a in (law or {}).get("alternatives", [])], expected)
    if key == "alternative_parts":
        parts = [f"{a['provision']}/{a['part']}" for a in (law or {}).get("alternatives", [])]
        return _contains(parts, expected)
    if key == "related":
        return _contains([r["provision"] for r in answer["related_offences"]], expected)
    if key == "rights":
        return _contains([r["id"] for r in answer["victim_rights"]], expected)
    if key == "later":
        return [later["comparison"] for later in (law or {}).get("later_laws", [])]
    if key == "divergence":
        return _divergence(answer)
    raise AssertionError(f"unknown expectation {key!r}")


def _contains(found: list[str], expected: list[str]) -> list[str]:
    return expected if set(expected) <= set(found) else found


def _divergence(answer: dict[str, Any]) -> str:
    reason = answer["divergence"]
    if reason is None:
        return "none"
    texts = {
        key.removeprefix("divergence."): text.en
        for key, text in law_content().reasons.items()
        if key.startswith("divergence.")
    }
    for name, template in texts.items():
        if reason["text"].startswith(template.split("{")[0]) and template.split("{")[0]:
            return name
    return "national_only"


def answer_reasons(answer: dict[str, Any]) -> str:
    law = answer["law"] or {}
    lines = [answer["trafficking_reason"]["text"], answer["law_reason"]["text"]]
    lines += [law.get("reason", {}).get("text", "")]
    return "\n".join(lines)
