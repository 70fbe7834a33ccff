"""Import and export of the register: a file is taken whole or not at all."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from tirek.audit.models import AuditEvent
from tirek.registry import transfer
from tirek.registry.models import RegisterEntry
from tirek.registry.tests.conftest import HEADER, csv_file

GOOD = (
    "reg-lawyer-1,KG-101,chui,Sokuluk;Alamudun,ky;ru,female,trafficking;criminal,"
    "2026-01-10,2028-01-10,8,available,,,",
    # Matched by e-mail, whatever its case; a leave with its return date.
    "reg.lawyer.2@TIREK.invalid,KG-102,naryn,,ky,male,labour,2025-05-01,2027-05-01,5,"
    "on_leave,2026-12-31,,",
)


def _import(data: bytes, *, name: str = "register.csv", dry_run: bool = False, actor=None):
    return transfer.import_file(actor=actor, name=name, data=data, dry_run=dry_run)


def test_it_imports_a_valid_file_and_audits_each_entry(new_lawyers):
    result = _import(csv_file(*GOOD))

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    first = RegisterEntry.objects.get(licence_number="KG-101")
    assert first.lawyer == new_lawyers[0]
    assert first.districts == ["Sokuluk", "Alamudun"]
    assert first.languages == ["ky", "ru"]
    assert first.tip_certificate_expires_on == datetime.date(2028, 1, 10)
    second = RegisterEntry.objects.get(licence_number="KG-102")
    assert second.lawyer == new_lawyers[1]
    assert second.on_leave_until == datetime.date(2026, 12, 31)
    created = AuditEvent.objects.filter(action="register.entry_create", target_id=first.pk).get()
    assert created.changes["licence_number"] == [None, "KG-101"]
    assert "districts" not in created.changes  # free text is named, never valued
    assert AuditEvent.objects.filter(action="register.import").exists()


def test_it_updates_entries_on_a_second_import_and_counts_the_unchanged(new_lawyers):
    _import(csv_file(*GOOD))
    changed = GOOD[0].replace(",8,available", ",9,available")
    result = _import(csv_file(changed, GOOD[1]))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert RegisterEntry.objects.get(licence_number="KG-101").capacity == 9


def test_it_rejects_the_whole_file_with_every_bad_row(new_lawyers, demo):
    rows = (
        GOOD[0],
        "nobody-at-all,KG-201,chui,,ky,,,,,5,available,,,",  # unknown user
        "demo-caseworker,KG-202,chui,,ky,,,,,5,available,,,",  # not a lawyer
        "reg-lawyer-2,KG-101,atlantis,,xx,other,,2026-02-30,,lots,resting,,,",  # many
        "reg-lawyer-3,DEMO-0001,chui,,ky,,,,,5,suspended,,,",  # taken licence; no reason
    )
    with pytest.raises(transfer.FileRejected) as rejected:
        _import(csv_file(*rows))

    report = {(error.row, error.column) for error in rejected.value.errors}
    assert (3, "user") in report
    assert (4, "user") in report
    assert {(5, "licence_number"), (5, "tip_certified_on"), (5, "capacity")} <= report
    assert {(5, "region"), (5, "languages"), (5, "gender"), (5, "availability")} <= report
    assert {(6, "licence_number"), (6, "availability_reason")} <= report
    assert (6, "availability_changed_on") in report
    assert not any(error.row == 2 for error in rejected.value.errors)
    messages = [str(error) for error in rejected.value.errors]
    assert "Row 3, column “user”: No user has this user name or e-mail." in messages[0]
    # Nothing half-imported: the good first row was not written either.
    assert not RegisterEntry.objects.filter(licence_number="KG-101").exists()


def test_it_reports_value_errors_of_a_row_that_parses(new_lawyers):
    row = "reg-lawyer-1,KG-301,atlantis,,ky;xx,other,magic,,2027-01-01,5,available,,,"
    with pytest.raises(transfer.FileRejected) as rejected:
        _import(csv_file(row))
    columns = {error.column for error in rejected.value.errors}
    assert columns == {
        "region",
        "languages",
        "gender",
        "specialisations",
        "tip_certificate_expires_on",
    }


def test_it_rejects_a_file_naming_one_lawyer_or_licence_twice(new_lawyers):
    twice = GOOD[0].replace("KG-101", "KG-199")
    with pytest.raises(transfer.FileRejected) as rejected:
        _import(csv_file(GOOD[0], twice, GOOD[1].replace("KG-102", "KG-101")))
    assert {(3, "user"), (4, "licence_number")} <= {
        (error.row, error.column) for error in rejected.value.errors
    }


def test_it_rejects_bad_headers_and_reports_in_the_users_language(new_lawyers):
    with pytest.raises(transfer.FileRejected) as rejected:
        _import(csv_file("x,y", header="user,licence,region,languages,colour"))
    assert {(error.row, error.column) for error in rejected.value.errors} == {
        (1, "licence"),
        (1, "colour"),
        (1, "licence_number"),
    }
    with translation.override("ru"), pytest.raises(transfer.FileRejected) as russian:
        _import(csv_file("nobody,KG-1,chui,,ky,,,,,5,available,,,"))
    assert russian.value.errors[0].message  # translated once the catalogue has it


def test_it_reads_utf8_with_a_byte_order_mark_and_semicolons(new_lawyers):
    semicolons = csv_file(
        'reg-lawyer-1;KG-401;chui;"Сокулук;Аламүдүн";ky;female;trafficking;'
        "2026-01-10;2028-01-10;8;available;;;",
        header=HEADER.replace(",", ";"),
    )
    _import(b"\xef\xbb\xbf" + semicolons)
    assert RegisterEntry.objects.get(licence_number="KG-401").districts == [
        "Сокулук",
        "Аламүдүн",
    ]


def test_it_refuses_text_that_is_not_utf8(new_lawyers):
    with pytest.raises(transfer.FileRejected) as rejected:
        _import(csv_file(GOOD[0]).replace(b"chui", "Чуй".encode("cp1251")))
    assert "UTF-8" in rejected.value.errors[0].message


def test_it_refuses_an_oversized_file(settings, new_lawyers):
    settings.TIREK_REGISTER_IMPORT_MAX_BYTES = 1024
    with pytest.raises(transfer.FileRejected) as rejected:
        _import(csv_file(*GOOD * 20))
    assert "larger than" in rejected.value.errors[0].message


def test_it_writes_nothing_on_a_dry_run(new_lawyers):
    before = AuditEvent.objects.count()
    result = _import(csv_file(*GOOD), dry_run=True)
    assert result.created == 2 and result.dry_run
    assert not RegisterEntry.objects.filter(licence_number__startswith="KG-").exists()
    assert AuditEvent.objects.count() == before


def test_it_round_trips_csv_and_xlsx(new_lawyers):
    _import(csv_file(*GOOD))
    entries = RegisterEntry.objects.select_related("lawyer").order_by("licence_number")
    snapshot = [(e.lawyer_id, e.licence_number, e.districts, e.languages) for e in entries]
    for name in ("register.csv", "register.xlsx"):
        data = transfer.export(entries, name)
        result = _import(data, name=name)
        assert result.created == 0 and result.updated == 0
        assert result.unchanged == len(snapshot)
    assert [
        (e.lawyer_id, e.licence_number, e.districts, e.languages) for e in entries.all()
    ] == snapshot


def test_it_reads_xlsx_dates_and_numbers_as_cells(new_lawyers):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(
        [
            "reg-lawyer-3",
            "KG-501",
            "talas",
            None,
            "ky",
            None,
            None,
            datetime.datetime(2026, 3, 1),
            datetime.datetime(2028, 3, 1),
            7,
            "available",
        ]
    )
    out = io.BytesIO()
    workbook.save(out)
    _import(out.getvalue(), name="register.xlsx")
    entry = RegisterEntry.objects.get(licence_number="KG-501")
    assert (entry.capacity, entry.tip_certified_on) == (7, datetime.date(2026, 3, 1))


def test_it_guards_exported_cells_against_formulas(new_lawyers, demo):
    from tirek.registry import actions

    entry = demo["entry.lawyer"]
    values = actions.EntryValues.of(entry)
    import dataclasses

    actions.entry_update(
        actor=None,
        entry=entry,
        values=dataclasses.replace(
            values,
            districts=('=HYPERLINK("http://evil")', "+1", "-2", "@SUM(A1)"),
            availability="suspended",
            availability_reason="=1+1",
            availability_changed_on=datetime.date(2026, 1, 1),
        ),
    )
    entries = RegisterEntry.objects.select_related("lawyer").filter(pk=entry.pk)
    table = transfer.export_rows(entries)
    row = dict(zip(table[0], table[1], strict=True))
    assert row["availability_reason"] == "'=1+1"
    assert row["districts"].startswith("'=")
    sheet = load_workbook(io.BytesIO(transfer.export(entries, "r.xlsx"))).active
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line), (
        "no cell may be a formula"
    )
    # And an exported file imports back to the same values.
    assert _import(transfer.as_csv(table)).unchanged == 1


def test_the_command_exits_non_zero_when_it_rejects_a_file(tmp_path, new_lawyers):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file(GOOD[0], "nobody,KG-9,chui,,ky,,,,,5,available,,,"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="rejected: 1 errors"):
        call_command("register", "import", str(bad), stderr=err)
    assert "Row 3, column “user”" in err.getvalue()
    assert not RegisterEntry.objects.filter(licence_number="KG-101").exists()

    good = tmp_path / "good.csv"
    good.write_bytes(csv_file(*GOOD))
    out = io.StringIO()
    call_command("register", "import", str(good), "--dry-run", stdout=out)
    assert "dry run" in out.getvalue()
    assert not RegisterEntry.objects.filter(licence_number="KG-101").exists()
    call_command("register", "import", str(good), stdout=io.StringIO())
    assert RegisterEntry.objects.filter(licence_number="KG-101").exists()


def test_the_command_exports_both_formats(tmp_path, demo):
    for name in ("out.csv", "out.xlsx"):
        call_command("register", "export", str(tmp_path / name), stdout=io.StringIO())
        assert (tmp_path / name).stat().st_size > 0
    text = (tmp_path / "out.csv").read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0] == HEADER
    assert "DEMO-0001" in text and "DEMO-0002" in text


def test_the_command_line_exits_with_status_1_when_it_rejects(tmp_path, demo, capsys):
    from django.core.management import ManagementUtility

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file("nobody,KG-9,chui,,ky,,,,,5,available,,,"))
    # As `tirek register import bad.csv` runs it (in-process, on the test database).
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["tirek", "register", "import", str(bad), "--dry-run"]).execute()
    assert exited.value.code == 1
    assert "Row 2, column “user”" in capsys.readouterr().err


def test_the_import_page_rejects_with_a_report_and_imports(as_user, coordinator, new_lawyers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user(coordinator)
    url = reverse("registry:import")
    assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("r.csv", csv_file(GOOD[0], "nobody,KG-9,chui,,ky,,,,,5,available,,,"))
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "No user has this user name or e-mail" in response.content.decode()
    dry = SimpleUploadedFile("r.csv", csv_file(*GOOD))
    response = client.post(url, {"file": dry, "dry_run": "on"})
    assert "Nothing was written (dry run)" in response.content.decode()
    assert not RegisterEntry.objects.filter(licence_number="KG-101").exists()
    real = SimpleUploadedFile("r.csv", csv_file(*GOOD))
    assert client.post(url, {"file": real}).status_code == 200
    assert RegisterEntry.objects.filter(licence_number__in=["KG-101", "KG-102"]).count() == 2


def test_the_import_page_refuses_an_oversized_upload(as_user, coordinator, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.TIREK_REGISTER_IMPORT_MAX_BYTES = 100
    response = as_user(coordinator).post(
        reverse("registry:import"), {"file": SimpleUploadedFile("r.csv", b"x" * 200)}
    )
    assert "larger than" in response.content.decode()


def test_a_regional_coordinator_imports_their_region_only(coordinator_osh, new_lawyers):
    with pytest.raises(transfer.FileRejected) as rejected:
        _import(csv_file(*GOOD), actor=coordinator_osh)
    assert {error.column for error in rejected.value.errors} == {"region"}


def test_a_regional_coordinator_cannot_take_over_another_regions_entry(coordinator_osh, demo):
    row = "demo-lawyer,DEMO-0001,osh,,ky,,,,,5,available,,,"
    with pytest.raises(transfer.FileRejected) as rejected:
        _import(csv_file(row), actor=coordinator_osh)
    assert [(e.row, e.column) for e in rejected.value.errors] == [(2, "region")]
    assert RegisterEntry.objects.get(licence_number="DEMO-0001").region == "bishkek"
