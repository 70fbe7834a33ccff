"""Exports: the list of evidence (DOCX, PDF) and the signed bundle, and
``tirek evidence verify`` catching every way a bundle can be tampered with."""

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from tirek.audit import keys
from tirek.audit.models import AuditEvent
from tirek.evidence import actions
from tirek.evidence.bundle import build_bundle, verify_bundle
from tirek.evidence.export import list_content, render_list_docx, render_list_pdf
from tirek.evidence.files import EvidenceWriter, evidence_storage, file_add
from tirek.evidence.models import CustodyEvent, CustodyKind, FileState
from tirek.evidence.signing import fingerprint, public_key_pem, signing_key

KYRGYZ_DESCRIPTION = "Жабырлануучунун көрсөтмөсү: иш берүүчү паспортун алып койгон"
CONTRACT = b"Employment contract\nSalary: 800 USD a month\nSigned in Moscow\n" * 50
PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


@pytest.fixture(autouse=True)
def evidence_keys_and_storage(settings, tmp_path):
    """A bundle signing key and an evidence store of the test's own."""
    settings.TIREK_EVIDENCE_SIGNING_KEY = tmp_path / "keys" / "evidence_signing_key"
    settings.TIREK_EVIDENCE_PUBLIC_KEYS = tmp_path / "keys" / "evidence_signing_key.pub"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "evidence"), "base_url": None},
        },
    }
    keys.forget_loaded_keys()
    yield
    keys.forget_loaded_keys()


def store(item, data: bytes, actor, name: str):
    writer = EvidenceWriter()
    writer.write(data)
    return file_add(actor=actor, item=item, stored=writer.finish(), original_name=name)


@pytest.fixture
def case(demo, lawyer):
    """The demo's labour case (the lawyer's own) with three items: a document
    with two files, the victim's statement (submitted) and a bank statement
    not yet obtained."""
    case = demo["case.adult_labour"]
    contract = actions.item_create(
        actor=lawyer,
        case=case,
        kind="document",
        description="Employment contract signed by Demo Recruiter Number-One",
        source="The client",
        obtained_how="Handed over by the client at the first meeting",
        holder="Lawyer's office safe",
        status="obtained",
    )
    store(contract, CONTRACT, lawyer, "contract.txt")
    store(contract, PHOTO, lawyer, "contract-page-1.png")
    actions.element_link(
        actor=lawyer, item=contract, element="means", strength="strong", note="Deception on pay"
    )
    statement = actions.item_create(
        actor=lawyer,
        case=case,
        kind="testimony",
        description=KYRGYZ_DESCRIPTION,
        from_victim=True,
        status="submitted",
        procedural_act="Motion No. 14 of 2 March",
    )
    store(statement, "Менин көрсөтмөм.\n".encode() * 20, lawyer, "statement.txt")
    actions.item_create(
        actor=lawyer, case=case, kind="financial", description="Bank statement of the employer"
    )
    return case


# --- The list --------------------------------------------------------------------------


def test_it_builds_the_list_from_the_items_in_each_language(case):
    content = list_content(case, "en")
    assert content.title == f"List of evidence in case {case.number}"
    assert ("Criminal case number", "DEMO-ERPP-2026-0101") in content.facts
    assert [item.number for item in content.items] == [1, 2, 3]
    contract, statement, bank = content.items
    assert contract.account == "Independent"
    assert statement.account == "The victim's own account"
    assert "Motion No. 14 of 2 March" in statement.status
    assert bank.files == ()
    assert [listed.name.split("-")[:2] for listed in content.files] == [
        ["1", "1"],
        ["1", "2"],
        ["2", "1"],
    ]
    assert content.files[0].sha256 == hashlib.sha256(CONTRACT).hexdigest()
    assert "3 items, of which 2 corroborate" in content.summary
    for language in ("ky", "ru"):
        assert list_content(case, language).items[1].description == KYRGYZ_DESCRIPTION


def test_it_reads_the_list_in_the_same_number_of_queries_however_long(
    case, lawyer, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as three_items:
        list_content(case, "en")
    for number in range(3):
        item = actions.item_create(
            actor=lawyer, case=case, kind="document", description=f"Receipt {number}"
        )
        store(item, f"Receipt {number}\n".encode(), lawyer, "receipt.txt")
    with django_assert_num_queries(len(three_items.captured_queries)):
        assert len(list_content(case, "en").items) == 6


def test_it_names_the_bundle_key_on_the_list(case):
    printed = list_content(case, "en").key_note.replace(" ", "")
    assert fingerprint(signing_key().public_key()) in printed


def test_it_never_lists_admissibility_notes(case, lawyer):
    item = case.evidence.get(number=1)
    actions.item_update(
        actor=lawyer,
        item=item,
        expected_version=item.version,
        admissibility_notes="Weak: the client signed it under pressure",
    )
    assert "under pressure" not in str(list_content(case, "en"))


def test_the_docx_opens_and_lists_every_item_and_hash(case):
    document = Document(io.BytesIO(render_list_docx(case, "ru")))
    text = "\n".join(
        [paragraph.text for paragraph in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    assert case.number in text
    assert "Employment contract signed by Demo Recruiter Number-One" in text
    assert KYRGYZ_DESCRIPTION in text
    assert "Bank statement of the employer" in text
    assert hashlib.sha256(CONTRACT).hexdigest() in text
    assert hashlib.sha256(PHOTO).hexdigest() in text


def test_the_pdf_lists_the_items_with_kyrgyz_letters(case):
    reader = PdfReader(io.BytesIO(render_list_pdf(case, "ky")))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert case.number in text
    text = " ".join(text.split())  # a table cell wraps anywhere between words
    assert "Жабырлануучунун" in text and "паспортун" in text  # Kyrgyz letters, not tofu
    assert "Bank statement of the employer" in text
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts == {"Tirek-Sans", "Tirek-Sans-Bold"}  # the shipped DejaVu, embedded


@pytest.mark.parametrize("file_format", ["docx", "pdf"])
def test_the_lawyer_downloads_the_list_and_it_is_audited(case, lawyer, as_user, file_format):
    url = reverse("evidence:export", args=[case.number, file_format])
    response = as_user(lawyer).get(url, {"language": "ky"})
    assert response.status_code == 200
    assert f"evidence-{case.number}-ky.{file_format}" in response["Content-Disposition"]
    event = AuditEvent.objects.filter(action="evidence.export").latest("sequence")
    assert event.target_id == str(case.pk)
    assert event.changes["format"] == [None, file_format]
    assert event.changes["language"] == [None, "ky"]


def test_without_a_language_the_list_is_in_the_readers_language(case, lawyer, as_user):
    url = reverse("evidence:export", args=[case.number, "docx"])
    response = as_user(lawyer, language="ru").get(url)
    assert response.status_code == 200
    assert f"evidence-{case.number}-ru.docx" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("file_format", "language"), [("odt", "ky"), ("pdf", "fr"), ("pdf", "KY"), ("PDF", "en")]
)
def test_it_answers_404_for_a_format_or_language_it_does_not_write(
    case, lawyer, as_user, file_format, language
):
    url = reverse("evidence:export", args=[case.number, file_format])
    assert as_user(lawyer).get(url, {"language": language}).status_code == 404


@pytest.mark.parametrize("persona", ["user.lawyer_osh", "user.coordinator", "user.caseworker"])
def test_nobody_but_the_cases_lawyer_gets_either_export(case, demo, as_user, persona):
    client = as_user(demo[persona])
    list_url = reverse("evidence:export", args=[case.number, "pdf"])
    assert client.get(list_url, {"language": "en"}).status_code == 404
    assert client.get(reverse("evidence:bundle", args=[case.number])).status_code == 404
    assert not AuditEvent.objects.filter(action="evidence.export").exists()
    assert not CustodyEvent.objects.filter(kind=CustodyKind.EXPORTED).exists()


# --- The bundle ------------------------------------------------------------------------


@pytest.fixture
def bundle_path(case, lawyer):
    built = build_bundle(case=case, actor=lawyer)
    yield built.path
    built.discard()


def verify(path, *options) -> tuple[int, str]:
    """``tirek evidence verify`` → (exit status, output)."""
    out = io.StringIO()
    try:
        call_command("evidence", "verify", str(path), *options, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def rewrite(source: Path, target: Path, *, change=None, drop=(), add=None) -> Path:
    """A copy of a bundle with members changed (``change(name, data)``), dropped
    or added, written properly (the ZIP's own checksums consistent)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            data = old.read(info)
            if change is not None:
                data = change(info.filename, data)
            new.writestr(info, data)
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return target


def members(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def test_the_bundle_holds_the_originals_a_manifest_and_its_signature(bundle_path, case):
    names = members(bundle_path)
    contract, photo, statement = sorted(name for name in names if name.startswith("files/"))
    assert contract == f"files/1-1-{hashlib.sha256(CONTRACT).hexdigest()[:12]}.txt"
    assert photo == f"files/1-2-{hashlib.sha256(PHOTO).hexdigest()[:12]}.png"
    assert statement.startswith("files/2-1-")
    assert {"manifest.json", "manifest.sig", "public_key.pem", "README.txt"} <= set(names)
    with zipfile.ZipFile(bundle_path) as archive:
        assert archive.read(contract) == CONTRACT
        assert archive.read(photo) == PHOTO
        manifest = json.loads(archive.read("manifest.json"))
        pem = archive.read("public_key.pem")
    assert pem == public_key_pem(signing_key().public_key())
    assert manifest["case"] == {
        "number": case.number,
        "criminal_case_number": "DEMO-ERPP-2026-0101",
    }
    assert manifest["signing_key"]["fingerprint_sha256"] == fingerprint(signing_key().public_key())
    first = manifest["items"][0]
    assert first["files"][0]["sha256"] == hashlib.sha256(CONTRACT).hexdigest()
    assert first["files"][0]["zip_path"] == contract
    assert first["files"][1]["content_type"] == "image/png"
    assert [link["element"] for link in first["element_links"]] == ["means"]
    assert [change["status"] for change in manifest["items"][1]["status_history"]] == ["submitted"]
    # The chain it carries includes this very export.
    kinds = [event["kind"] for event in first["custody"]]
    assert kinds == ["uploaded", "uploaded", "exported", "exported"]
    assert "admissibility_notes" not in first
    assert manifest["totals"] == {
        "items": 3,
        "files": 3,
        "files_included": 3,
        "files_not_included": 0,
    }


def test_an_intact_bundle_verifies(bundle_path):
    status, output = verify(bundle_path)
    assert status == 0, output
    assert "The bundle is intact" in output
    assert "4 files checked" in output  # three originals and the README
    assert "Signed with the trusted key" in output


def test_the_signature_checks_with_openssl_alone(bundle_path, tmp_path):
    with zipfile.ZipFile(bundle_path) as archive:
        archive.extractall(tmp_path / "out", ["manifest.json", "manifest.sig", "public_key.pem"])
    result = subprocess.run(
        [
            "openssl",
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "public_key.pem",
            "-rawin",
            "-in",
            "manifest.json",
            "-sigfile",
            "manifest.sig",
        ],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Signature Verified Successfully" in result.stdout


def test_without_a_trusted_key_it_proves_integrity_only_and_prints_the_fingerprint(bundle_path):
    status, output = verify(bundle_path, "--embedded-key")
    assert status == 0, output
    assert "NOT who made it" in output
    printed = fingerprint(signing_key().public_key())
    assert printed[:4] + " " + printed[4:8] in output
    report = verify_bundle(bundle_path)
    assert report.ok and report.signature_valid and not report.origin_proven


def test_a_byte_changed_in_a_file_is_named(bundle_path, tmp_path):
    def one_byte(name, data):
        if name.startswith("files/1-1-"):
            return data[:10] + bytes([data[10] ^ 1]) + data[11:]
        return data

    tampered = rewrite(bundle_path, tmp_path / "tampered.zip", change=one_byte)
    status, output = verify(tampered)
    assert status == 1
    [line] = [line for line in output.splitlines() if line.startswith("ALTERED")]
    assert "files/1-1-" in line and "SHA-256" in line


def test_a_byte_changed_in_place_in_the_zip_is_named(bundle_path, tmp_path):
    data = bytearray(bundle_path.read_bytes())
    offset = bytes(data).index(CONTRACT[:40]) + 5  # inside the stored contract
    data[offset] ^= 1
    tampered = tmp_path / "flipped.zip"
    tampered.write_bytes(bytes(data))
    status, output = verify(tampered)
    assert status == 1
    assert any(line.startswith("ALTERED: files/1-1-") for line in output.splitlines()), output


def test_a_removed_file_is_named(bundle_path, tmp_path):
    photo = next(name for name in members(bundle_path) if name.startswith("files/1-2-"))
    status, output = verify(rewrite(bundle_path, tmp_path / "less.zip", drop={photo}))
    assert status == 1
    assert f"MISSING: {photo}:" in output


def test_an_added_file_is_named(bundle_path, tmp_path):
    extra = {"files/1-3-000000000000.pdf": b"%PDF-1.4 planted"}
    status, output = verify(rewrite(bundle_path, tmp_path / "more.zip", add=extra))
    assert status == 1
    assert "EXTRA: files/1-3-000000000000.pdf:" in output


def test_a_second_copy_under_the_same_name_is_named(bundle_path, tmp_path):
    contract = next(name for name in members(bundle_path) if name.startswith("files/1-1-"))
    tampered = tmp_path / "twice.zip"
    tampered.write_bytes(bundle_path.read_bytes())
    with (
        pytest.warns(UserWarning, match="Duplicate name"),
        zipfile.ZipFile(tampered, "a") as archive,
    ):
        archive.writestr(contract, b"another contract")
    status, output = verify(tampered)
    assert status == 1
    assert f"EXTRA: {contract}: appears more than once" in output


def test_an_edited_manifest_fails_the_signature(bundle_path, tmp_path):
    def edit(name, data):
        if name == "manifest.json":
            return data.replace(b"Lawyer's office safe", b"Returned to the accused")
        return data

    status, output = verify(rewrite(bundle_path, tmp_path / "edited.zip", change=edit))
    assert status == 1
    assert "SIGNATURE: manifest.sig:" in output
    status, output = verify(
        rewrite(bundle_path, tmp_path / "edited2.zip", change=edit), "--embedded-key"
    )
    assert status == 1
    assert "the manifest has been changed" in output


def test_a_bundle_re_signed_by_someone_else_passes_only_as_integrity(bundle_path, tmp_path):
    """Swap a file, fix its hash in the manifest, re-sign with a key of one's
    own and put that key in: consistent, but not from the lawyer's office."""
    forger = Ed25519PrivateKey.generate()
    contract = next(name for name in members(bundle_path) if name.startswith("files/1-1-"))
    real = hashlib.sha256(CONTRACT).hexdigest().encode()
    forged_contract = CONTRACT.replace(b"800", b"900")
    forged = hashlib.sha256(forged_contract).hexdigest().encode()
    real_fingerprint = fingerprint(signing_key().public_key()).encode()
    with zipfile.ZipFile(bundle_path) as archive:
        manifest = (
            archive.read("manifest.json")
            .replace(real, forged)
            .replace(real_fingerprint, fingerprint(forger.public_key()).encode())
        )

    def forge(name, data):
        return {
            contract: forged_contract,
            "manifest.json": manifest,
            "manifest.sig": forger.sign(manifest),
            "public_key.pem": public_key_pem(forger.public_key()),
        }.get(name, data)

    forgery = rewrite(bundle_path, tmp_path / "forged.zip", change=forge)
    status, output = verify(forgery, "--embedded-key")
    assert status == 0  # consistent with itself …
    assert "NOT who made it" in output
    assert fingerprint(forger.public_key())[:4] in output  # … under a key that is not ours
    real_key = tmp_path / "office.pem"
    real_key.write_bytes(public_key_pem(signing_key().public_key()))
    status, output = verify(forgery, "--public-key", str(real_key))
    assert status == 1
    assert "which is not a trusted key" in output
    status, output = verify(forgery)  # the configured keys by default
    assert status == 1


def test_a_bundle_signed_by_another_key_fails_with_public_key(bundle_path, tmp_path):
    other = tmp_path / "other.pem"
    other.write_bytes(public_key_pem(Ed25519PrivateKey.generate().public_key()))
    status, output = verify(bundle_path, "--public-key", str(other))
    assert status == 1
    assert "SIGNATURE: manifest.sig:" in output
    assert "not a trusted key" in output


def test_it_accepts_a_public_keys_file_as_the_trusted_key(bundle_path, settings):
    status, output = verify(bundle_path, "--public-key", str(settings.TIREK_EVIDENCE_PUBLIC_KEYS))
    assert status == 0, output


def test_it_shows_the_public_key_to_hand_to_investigators():
    out = io.StringIO()
    call_command("evidence", "key", stdout=out)
    public = signing_key().public_key()
    assert public_key_pem(public).decode().strip() in out.getvalue()
    assert fingerprint(public)[:4] in out.getvalue()


@pytest.mark.parametrize("kind", ["missing", "not_zip"])
def test_it_exits_2_on_what_is_not_a_bundle(tmp_path, kind):
    path = tmp_path / "bundle.zip"
    if kind == "not_zip":
        path.write_text("not a zip")
    with pytest.raises(CommandError) as raised:
        call_command("evidence", "verify", str(path))
    assert raised.value.returncode == 2


def test_the_command_says_one_line_and_exits_2_without_a_traceback(tmp_path):
    path = tmp_path / "bundle.zip"
    path.write_text("not a zip")
    environment = os.environ | {
        "TIREK_EVIDENCE_PUBLIC_KEYS": str(tmp_path / "none.pub"),
        "TIREK_DATA_DIR": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "tirek", "evidence", "verify", str(path)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    # One line, in the server's language (Kyrgyz by default).
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"CommandError: {path} ") and "ZIP" in line


def test_a_quarantined_file_is_left_out_with_the_reason(case, lawyer):
    photo = case.evidence.get(number=1).files.get(content_type="image/png")
    location = Path(evidence_storage().path(photo.storage_name))
    data = bytearray(location.read_bytes())
    data[-20] ^= 1
    location.write_bytes(bytes(data))
    built = build_bundle(case=case, actor=lawyer)
    try:
        photo.refresh_from_db()
        assert photo.state == FileState.QUARANTINED
        assert not any(name.startswith("files/1-2-") for name in members(built.path))
        with zipfile.ZipFile(built.path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
        left_out = manifest["items"][0]["files"][1]
        assert left_out["zip_path"] is None
        assert left_out["not_included"].startswith("Quarantined")
        assert left_out["sha256"] == hashlib.sha256(PHOTO).hexdigest()
        status, output = verify(built.path)
        assert status == 0, output
        assert "NOT INCLUDED when the bundle was made: file 1-2: Quarantined" in output
        assert not photo.custody.filter(kind=CustodyKind.EXPORTED).exists()
    finally:
        built.discard()


def test_downloading_the_bundle_records_custody_and_audit(case, lawyer, as_user, tmp_path):
    response = as_user(lawyer).get(reverse("evidence:bundle", args=[case.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"evidence-{case.number}-" in response["Content-Disposition"]
    # Consuming the stream closes the response (the test client does, the way
    # a server would); closing it again would end the test's database session.
    data = b"".join(response.streaming_content)
    downloaded = tmp_path / "downloaded.zip"
    downloaded.write_bytes(data)
    assert verify(downloaded)[0] == 0

    exported = CustodyEvent.objects.filter(kind=CustodyKind.EXPORTED).select_related("file")
    with_files = [event for event in exported if event.file_id]
    assert len(with_files) == 3
    for event in with_files:
        assert event.sha256_verified == event.file.sha256
        assert event.hash_matched is True
        assert event.recorded_by == lawyer
    [bank] = [event for event in exported if not event.file_id]
    assert bank.item.number == 3

    event = AuditEvent.objects.filter(action="evidence.export").latest("sequence")
    assert event.target_id == str(case.pk)
    with zipfile.ZipFile(downloaded) as archive:
        manifest = archive.read("manifest.json")
    assert event.changes["manifest_sha256"] == [None, hashlib.sha256(manifest).hexdigest()]
    assert event.changes["files"] == [None, 3]


def test_the_temporary_bundle_is_gone_once_sent(case, lawyer, as_user, tmp_path, monkeypatch):
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    response = as_user(lawyer).get(reverse("evidence:bundle", args=[case.number]))
    assert list(scratch.iterdir()) == []  # removed before the first byte is sent
    assert zipfile.is_zipfile(io.BytesIO(b"".join(response.streaming_content)))
