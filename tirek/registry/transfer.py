"""Import and export of the register as CSV or XLSX.

A file is read whole and every row validated before anything is written;
a file with any error is rejected as a whole with every bad row reported
(row number as the spreadsheet shows it, column, what is wrong — in the
user's language). Only then do the rows go to ``actions.entries_import``,
in one transaction.

Columns (the README documents them for the people who fill the files):
``user`` (user name or e-mail of an existing lawyer account — the importer
never creates accounts), ``licence_number``, ``region``, ``districts``,
``languages``, ``gender``, ``specialisations``, ``tip_certified_on``,
``tip_certificate_expires_on``, ``capacity``, ``availability``,
``on_leave_until``, ``availability_reason``, ``availability_changed_on``.
Lists are separated by ``;``, dates are ``YYYY-MM-DD``.
"""

import csv
import dataclasses
import datetime
import io
import zipfile
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from tirek.accounts.models import User
from tirek.registry.actions import (
    EntryValues,
    entry_problems,
    lawyer_problems,
    region_problems,
)
from tirek.registry.models import RegisterEntry

COLUMNS = [
    "user",
    "licence_number",
    "region",
    "districts",
    "languages",
    "gender",
    "specialisations",
    "tip_certified_on",
    "tip_certificate_expires_on",
    "capacity",
    "availability",
    "on_leave_until",
    "availability_reason",
    "availability_changed_on",
]
REQUIRED = frozenset({"user", "licence_number", "region", "languages"})
LIST_COLUMNS = frozenset({"districts", "languages", "specialisations"})
DATE_COLUMNS = frozenset(
    {"tip_certified_on", "tip_certificate_expires_on", "on_leave_until", "availability_changed_on"}
)
MAX_ROWS = 10_000
# Cells a spreadsheet would run as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclasses.dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class FileRejected(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def max_bytes() -> int:
    return settings.TIREK_REGISTER_IMPORT_MAX_BYTES


# --- Reading ---------------------------------------------------------------------


def read_rows(name: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) for every non-empty row, or ``FileRejected``."""
    if len(data) > max_bytes():
        raise FileRejected(
            [
                RowError(
                    0,
                    "",
                    _("The file is larger than %(size)d MB. Split it into smaller files.")
                    % {"size": max_bytes() // (1024 * 1024)},
                )
            ]
        )
    lower = name.lower()
    if lower.endswith(".xlsx"):
        table = _xlsx_table(data)
    elif lower.endswith(".csv"):
        table = _csv_table(data)
    else:
        raise FileRejected([RowError(0, "", _("Give a .csv or .xlsx file."))])
    return _rows(table)


def _csv_table(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected(
            [RowError(0, "", _("The file is not UTF-8 text. Save it as CSV UTF-8 and try again."))]
        ) from None
    first = text.split("\n", 1)[0]
    # Spreadsheets set to Russian or Kyrgyz save CSV with semicolons.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as error:
        raise FileRejected([RowError(0, "", _("The file is not valid CSV: %s") % error)]) from None


def _xlsx_table(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise FileRejected([RowError(0, "", _("The file is not a valid XLSX workbook."))]) from None
    try:
        sheet = workbook.worksheets[0]
        return [
            [_cell_text(value) for value in row]
            for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)
        ]
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows(table: list[list[str]]) -> list[tuple[int, dict[str, str]]]:
    if not table:
        raise FileRejected([RowError(1, "", _("The file is empty."))])
    header = [cell.strip().lower() for cell in table[0]]
    errors = [
        RowError(1, column, _("Unknown column."))
        for column in header
        if column and column not in COLUMNS
    ]
    errors += [
        RowError(1, column, _("This column is missing."))
        for column in COLUMNS
        if column in REQUIRED and column not in header
    ]
    errors += [
        RowError(1, column, _("This column appears more than once."))
        for column, count in Counter(header).items()
        if column and count > 1
    ]
    if errors:
        raise FileRejected(errors)
    if len(table) - 1 > MAX_ROWS:
        raise FileRejected(
            [RowError(0, "", _("At most %(count)d rows per file.") % {"count": MAX_ROWS})]
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {
            column: _unneutralised(cells[index].strip() if index < len(cells) else "")
            for index, column in enumerate(header)
            if column
        }
        if any(values.values()):
            rows.append((number, values))
    if not rows:
        raise FileRejected([RowError(2, "", _("The file has no rows under the header."))])
    return rows


# --- Validating --------------------------------------------------------------------


def validate(rows: list[tuple[int, dict[str, str]]], *, actor) -> list[tuple[User, EntryValues]]:
    """Every row checked; ``FileRejected`` with every error, or the rows to write.

    Users and licence numbers are looked up for the whole file at once (two
    queries), not row by row.
    """
    keys = {row["user"].strip().lower() for _n, row in rows if row.get("user")}
    users = _users(keys)
    licences = {
        entry.licence_number.lower(): entry.lawyer_id
        for entry in RegisterEntry.objects.filter(
            licence_number__in=[row.get("licence_number", "") for _n, row in rows]
        ).only("licence_number", "lawyer_id")
    }
    # A regional coordinator may not take over another region's entry either.
    held_in = dict(
        RegisterEntry.objects.filter(
            lawyer__in=[user.pk for matched in users.values() for user in matched]
        ).values_list("lawyer_id", "region")
    )
    user_rows: dict[int, int] = {}
    licence_rows: dict[str, int] = {}
    errors: list[RowError] = []
    accepted: list[tuple[User, EntryValues]] = []
    for number, row in rows:
        found: list[RowError] = []
        lawyer = _lawyer(number, row.get("user", ""), users, found)
        values = _values(number, row, found)
        if lawyer is not None:
            if lawyer.pk in user_rows:
                found.append(
                    RowError(
                        number,
                        "user",
                        _("The same lawyer is already in row %(row)d.")
                        % {"row": user_rows[lawyer.pk]},
                    )
                )
            user_rows.setdefault(lawyer.pk, number)
        licence = row.get("licence_number", "").strip().lower()
        if licence:
            if licence in licence_rows:
                found.append(
                    RowError(
                        number,
                        "licence_number",
                        _("The same licence number is already in row %(row)d.")
                        % {"row": licence_rows[licence]},
                    )
                )
            licence_rows.setdefault(licence, number)
            holder = licences.get(licence)
            if holder is not None and (lawyer is None or holder != lawyer.pk):
                found.append(
                    RowError(
                        number,
                        "licence_number",
                        _("Another lawyer's entry has this licence number."),
                    )
                )
        if values is not None:
            regions = {values.region, held_in.get(lawyer.pk if lawyer else None, values.region)}
            for message in {m for region in regions for m in region_problems(actor, region)}:
                found.append(RowError(number, "region", message))
        errors += found
        if not found and lawyer is not None and values is not None:
            accepted.append((lawyer, values))
    if errors:
        raise FileRejected(errors)
    return accepted


def _users(keys: set[str]) -> dict[str, list[User]]:
    if not keys:
        return {}
    matches: dict[str, list[User]] = {}
    found = (
        User.objects.annotate(username_lower=Lower("username"), email_lower=Lower("email"))
        .filter(Q(username_lower__in=keys) | Q(email_lower__in=keys))
        .prefetch_related("role_grants")
        .order_by("pk")
    )
    for user in found:
        for key in {user.username.lower(), user.email.lower()} & keys:
            matches.setdefault(key, []).append(user)
    return matches


def _lawyer(number: int, key: str, users: dict[str, list[User]], found: list[RowError]):
    key = key.strip().lower()
    if not key:
        found.append(RowError(number, "user", _("Give the lawyer's user name or e-mail.")))
        return None
    candidates = users.get(key, [])
    if not candidates:
        found.append(
            RowError(
                number,
                "user",
                _("No user has this user name or e-mail. Create the account first."),
            )
        )
        return None
    if len(candidates) > 1:
        found.append(
            RowError(number, "user", _("Several users match; give the user name instead."))
        )
        return None
    lawyer = candidates[0]
    for message in lawyer_problems(lawyer):
        found.append(RowError(number, "user", message))
    return None if any(error.column == "user" for error in found) else lawyer


def _values(number: int, row: dict[str, str], found: list[RowError]) -> EntryValues | None:
    """The row's values, every problem of the row added to ``found``.

    A cell that does not parse is reported once; the rules are still checked
    on the other cells, so one pass reports everything wrong with the row.
    """
    parsed: dict[str, object] = {}
    unparsed: set[str] = set()
    for column in COLUMNS[1:]:
        text = row.get(column, "")
        if column in REQUIRED and not text:
            found.append(RowError(number, column, _("This column is required.")))
            unparsed.add(column)
            text = ""
        if column in LIST_COLUMNS:
            parsed[column] = tuple(part.strip() for part in text.split(";") if part.strip())
        elif column in DATE_COLUMNS:
            parsed[column] = _date(number, column, text, found, unparsed)
        elif column == "capacity":
            parsed[column] = _whole_number(number, text, found, unparsed)
        elif column in ("gender", "region", "availability"):
            parsed[column] = text.lower()
        else:
            parsed[column] = text
    if not parsed.get("availability"):
        parsed.pop("availability", None)
    values = EntryValues(**parsed)
    dates_unsure = bool(unparsed & DATE_COLUMNS)
    for field, messages in entry_problems(values).items():
        if field in unparsed or (dates_unsure and field in DATE_COLUMNS):
            continue
        found.extend(RowError(number, field, message) for message in messages)
    return None if unparsed else values


def _date(number: int, column: str, text: str, found: list[RowError], unparsed: set[str]):
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        found.append(RowError(number, column, _("Not a date; write it as YYYY-MM-DD.")))
        unparsed.add(column)
        return None


def _whole_number(number: int, text: str, found: list[RowError], unparsed: set[str]) -> int:
    if not text:
        return 10
    try:
        return int(text)
    except ValueError:
        found.append(RowError(number, "capacity", _("Not a whole number.")))
        unparsed.add("capacity")
        return 0


# --- Writing -------------------------------------------------------------------------


def export_rows(entries: Iterable[RegisterEntry]) -> list[list[str]]:
    """The header and one row per entry, in the import's columns (a round trip)."""
    table = [list(COLUMNS)]
    for entry in entries:
        table.append(
            [
                entry.lawyer.username,
                *(_export_cell(getattr(entry, column)) for column in COLUMNS[1:]),
            ]
        )
    return [[_neutralised(cell) for cell in row] for row in table]


def _export_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _unneutralised(cell: str) -> str:
    """Undo the export's guard, so that an exported file imports unchanged."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def _neutralised(cell: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading quote."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def as_csv(table: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(table)
    # With a byte-order mark, Excel opens UTF-8 (Cyrillic) correctly.
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(table: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("register")
    for row in table:
        sheet.append(row)  # strings stay strings: never read as formulas
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export(entries: Iterable[RegisterEntry], name: str) -> bytes:
    table = export_rows(entries)
    return as_xlsx(table) if name.lower().endswith(".xlsx") else as_csv(table)


def import_file(*, actor, name: str, data: bytes, dry_run: bool):
    """Read, validate whole, then write in one transaction (or roll back: dry run)."""
    from tirek.registry.actions import entries_import

    rows = validate(read_rows(name, data), actor=actor)
    return entries_import(actor=actor, rows=rows, dry_run=dry_run)
