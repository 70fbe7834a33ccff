"""``tirek law check | show INSTRUMENT ARTICLE [--on DATE] [--lang] | list``"""

import sys
from datetime import date
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from tirek.law.check import check_content
from tirek.law.content import law_content
from tirek.law.model import LANGUAGES
from tirek.law.show import NotInContent, provision_text


def fail(message: str, status: int = 2) -> NoReturn:
    sys.stderr.write(f"tirek law: {message}\n")
    raise SystemExit(status)


class Command(BaseCommand):
    help = "Check the law content, or show a provision as in force on a date."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("check", help="validate all law content")
        actions.add_parser("list", help="list instruments and their articles")
        show = actions.add_parser("show", help="show an article as in force on a date")
        show.add_argument("instrument", metavar="INSTRUMENT", help="e.g. kg-cc-2021")
        show.add_argument("article", metavar="ARTICLE", help="e.g. 166")
        show.add_argument("--on", metavar="DATE", help="YYYY-MM-DD (default: today)")
        show.add_argument("--lang", choices=LANGUAGES, default="en")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "check":
            self._check()
        elif action == "list":
            self._list()
        else:
            self._show(options["instrument"], options["article"], options["on"], options["lang"])

    def _check(self) -> None:
        problems = check_content()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            fail(f"{len(problems)} problem(s) in the law content", status=1)
        law = law_content()
        statuses: dict[str, int] = {}
        for provision in law.provisions.values():
            statuses[provision.verification.status] = (
                statuses.get(provision.verification.status, 0) + 1
            )
        counts = ", ".join(f"{status} {n}" for status, n in sorted(statuses.items()))
        self.stdout.write(
            f"law content is valid: {len(law.instruments)} instruments, "
            f"{len(law.provisions)} provisions ({counts}), {len(law.references)} references"
        )

    def _list(self) -> None:
        law = law_content()
        for instrument in law.instruments.values():
            articles = sorted(
                {law.provision(pid).article for pid in instrument.provisions}, key=_natural
            )
            self.stdout.write(f"{instrument.id}: {', '.join(articles)}")

    def _show(self, instrument: str, article: str, on: str | None, lang: str) -> None:
        try:
            day = date.fromisoformat(on) if on else date.today()
        except ValueError:
            fail(f"--on: {on!r} is not a date; write it as YYYY-MM-DD")
        try:
            lines = provision_text(instrument, article, day, lang)  # type: ignore[arg-type]
        except NotInContent as error:
            fail(str(error))
        self.stdout.write("\n".join(lines))


def _natural(article: str) -> tuple[int, str]:
    return (int(article), "") if article.isdigit() else (10**6, article)
