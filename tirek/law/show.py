"""``tirek law show``: one article as in force on a day, for a person to read."""

from datetime import date

from tirek.law.content import law_content
from tirek.law.model import Lang, LawContent, Provision, Verification
from tirek.law.render import Renderer


class NotInContent(LookupError):
    """No such article, or none in force on the day; the message says which."""


def provision_text(
    instrument_id: str,
    article: str,
    on: date,
    lang: Lang,
    content: LawContent | None = None,
) -> list[str]:
    law = content or law_content()
    if instrument_id not in law.instruments:
        raise NotInContent(
            f"unknown instrument {instrument_id!r}; known: {', '.join(sorted(law.instruments))}"
        )
    provision = law.find(instrument_id, article, on)
    if provision is None:
        articles = sorted(
            {p.article for p in law.provisions.values() if p.instrument_id == instrument_id}
        )
        raise NotInContent(
            f"{instrument_id} has no article {article!r} in force on {on.isoformat()}; "
            f"articles in the content: {', '.join(articles)}"
        )
    return _lines(provision, law, lang)


def _lines(provision: Provision, law: LawContent, lang: Lang) -> list[str]:
    renderer = Renderer(law, lang)
    instrument = law.instrument_of(provision)
    lines = [
        f"{renderer.ref(provision.id)} — {provision.title.in_(lang)}",
        instrument.title.in_(lang),
        f"source: {provision.source.citation}"
        + (f" <{provision.source.url}>" if provision.source.url else ""),
        f"in force: {_day(provision.in_force_from or instrument.in_force_from)}"
        f" — {_day(provision.in_force_to)}",
        *_verification("verification", provision.verification, lang),
    ]
    if instrument.dates_verification is not None:
        lines += _verification("dates", instrument.dates_verification, lang)
    lines += ["", provision.summary.in_(lang)]
    penalty = renderer.penalty(provision.penalty)
    if penalty:
        lines.append(f"  [{penalty}]")
    for part in law.parts_of(provision):
        lines += ["", f"{renderer.ref(part.id)}: {part.summary.in_(lang)}"]
        part_penalty = renderer.penalty(part.penalty)
        if part_penalty:
            lines.append(f"  [{part_penalty}]")
        for item in part.items:
            code = item.circumstance or item.purpose or ("age" if item.victim_under_age else "—")
            lines.append(f"  {item.number}) {item.label.in_(lang)}  ({code})")
        if part.verification != provision.verification:
            lines += _verification("  verification", part.verification, lang)
    return lines


def _verification(label: str, v: Verification, lang: Lang) -> list[str]:
    lines = [f"{label}: {v.status} — {v.note.in_(lang)}"]
    if v.confirmed_by:
        on = v.confirmed_on.isoformat() if v.confirmed_on else "?"
        lines.append(
            f"{label}: confirmed by {v.confirmed_by} on {on} against {v.confirmed_against}"
        )
    return lines


def _day(day: date | None) -> str:
    return day.isoformat() if day else "…"
