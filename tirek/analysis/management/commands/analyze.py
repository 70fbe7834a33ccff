"""``tirek analyze FILE|- [--lang ky|ru|en]``: the legal analysis of facts as JSON.

Malformed input never shows a traceback: one line on standard error that
names the problem and what is allowed, and exit status 2.
"""

import json
import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from tirek.law import FactsError, analyse, facts_from_json, law_content, render
from tirek.law.model import LANGUAGES

USAGE_ERROR = 2


def fail(message: str) -> NoReturn:
    sys.stderr.write(f"tirek analyze: {message}\n")
    raise SystemExit(USAGE_ERROR)


def usage_error(message: str) -> NoReturn:
    # argparse prints usage and the message on two lines; say it in one.
    fail(f"{message}; usage: tirek analyze FILE|- [--lang {'|'.join(LANGUAGES)}]")


class Command(BaseCommand):
    help = "Analyse the facts of a case (JSON from FILE, or - for standard input)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = usage_error  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="a JSON file of facts, or - for stdin")
        parser.add_argument(
            "--lang", choices=LANGUAGES, default="en", help="language of the reasons"
        )

    def handle(self, *args: Any, file: str, lang: str, **options: Any) -> None:
        data = _read_json(file)
        try:
            facts = facts_from_json(data, law_content().vocabulary)
        except FactsError as error:
            fail(str(error))
        answer = render(analyse(facts), lang)  # type: ignore[arg-type]
        self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))


def _read_json(file: str) -> Any:
    try:
        if file == "-":
            text = sys.stdin.read()
        else:
            with open(file, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as error:
        fail(f"cannot read {file}: {error.strerror}")
    except UnicodeDecodeError:
        fail(f"{file} is not UTF-8 text")
    if not text.strip():
        fail("the input is empty; give a JSON object of facts")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        fail(
            f"the input is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        )
    except ValueError as error:
        fail(str(error))


def _no_constant(name: str) -> NoReturn:
    # NaN and Infinity are not JSON, whatever Python's parser tolerates.
    raise ValueError(f"the input is not valid JSON: {name} is not a JSON value")
