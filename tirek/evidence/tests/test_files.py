"""Evidence files: streamed upload, encryption at rest, type from content, size
limit, verification before every download, quarantine on tampering, access."""

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tirek.audit.models import AuditEvent
from tirek.cases.actions import case_open
from tirek.cases.models import LegalAidCase
from tirek.evidence import files
from tirek.evidence.actions import item_create
from tirek.evidence.models import CustodyEvent, CustodyKind, EvidenceFile, FileState

CANARY = b"CANARY-PAYSLIP-Kanaryeva-Nurzhamal-"
ORIGINAL_NAME = "Kanaryeva payslip March.pdf"


def pdf(size: int = 200_000) -> bytes:
    body = (CANARY * (size // len(CANARY) + 1))[: size - 20]
    return b"%PDF-1.7\n" + body + b"\n%%EOF\n"


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path) -> Path:
    location = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    return location


@pytest.fixture
def case(demo, lawyer, coordinator):
    existing = LegalAidCase.objects.filter(lawyer=lawyer).first()
    if existing is not None:
        return existing
    return case_open(
        actor=coordinator,
        client=demo["person.adult_labour"],
        lawyer=lawyer,
        lawyer_role="victim_representative",
        legal_aid_basis="nrm_victim_status",
    )


@pytest.fixture
def item(case, lawyer):
    return item_create(actor=lawyer, case=case, kind="document", description="Payslips")


def upload_url(item) -> str:
    return reverse("evidence:upload", kwargs={"number": item.case.number, "item": item.number})


def download_url(evidence_file) -> str:
    return reverse(
        "evidence:download",
        kwargs={"number": evidence_file.item.case.number, "pk": evidence_file.pk},
    )


def upload(client, item, data: bytes, name: str = ORIGINAL_NAME):
    return client.post(upload_url(item), {"file": _named(data, name)})


def _named(data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def stored_files(location: Path) -> list[Path]:
    return [path for path in location.rglob("*") if path.is_file()] if location.exists() else []


def page_messages(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


def download(client, evidence_file) -> tuple[int, bytes]:
    response = client.get(download_url(evidence_file))
    if getattr(response, "streaming", False):
        return response.status_code, b"".join(response.streaming_content)
    return response.status_code, response.content


def docx_bytes(*, extra: dict[str, bytes] | None = None) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Record of wages withheld")
    buffer = io.BytesIO()
    document.save(buffer)
    if not extra:
        return buffer.getvalue()
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(rebuilt, "w") as target:
        for entry in source.infolist():
            target.writestr(entry, source.read(entry))
        for name, data in extra.items():
            target.writestr(name, data)
    return rebuilt.getvalue()


# --- Round trip -------------------------------------------------------------------


def test_it_stores_encrypted_and_serves_the_same_bytes(
    as_user, lawyer, item, evidence_dir, django_capture_on_commit_callbacks
):
    data = pdf(300_001)  # several chunks and a partial last one
    client = as_user(lawyer)
    response = upload(client, item, data)

    assert response.status_code == 302
    assert response["Location"].endswith(f"/evidence/{item.number}/")
    stored = EvidenceFile.objects.get(item=item)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert stored.content_type == "application/pdf"
    assert stored.state == FileState.STORED
    assert stored.wrapped_key.startswith("v1:")
    [path] = stored_files(evidence_dir)
    ciphertext = path.read_bytes()
    assert CANARY not in ciphertext and b"%PDF" not in ciphertext
    assert ciphertext.startswith(files.MAGIC)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    # The original name is kept, encrypted, as data only.
    raw_name = EvidenceFile.objects.filter(pk=stored.pk).values_list("original_name", flat=True)
    assert "payslip" not in raw_name[0].text
    assert stored.original_name == ORIGINAL_NAME

    response = client.get(download_url(stored))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(len(data))
    disposition = response["Content-Disposition"]
    assert disposition == (
        f'attachment; filename="{item.case.number}-E{item.number}-{stored.pk}.pdf"'
    )

    custody = list(CustodyEvent.objects.filter(file=stored).order_by("pk"))
    assert [event.kind for event in custody] == [CustodyKind.UPLOADED, CustodyKind.VIEWED]
    assert custody[0].sha256_verified == stored.sha256 and custody[0].hash_matched is None
    assert custody[1].sha256_verified == stored.sha256 and custody[1].hash_matched is True
    actions = list(
        AuditEvent.objects.filter(target_id=str(stored.pk), target_type="evidence.evidencefile")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == ["evidence.upload", "evidence.download"]
    for event in AuditEvent.objects.all():
        assert "payslip" not in str(event.changes).lower()
        assert "kanaryeva" not in str(event.changes).lower()


def test_it_detects_the_type_from_content_not_the_name(as_user, lawyer, item):
    upload(as_user(lawyer), item, pdf(), name="photo.jpg")
    assert EvidenceFile.objects.get(item=item).content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("scan.pdf", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 5000, "image/jpeg"),
        ("wages.csv", "Дата,Сумма\n2026-03-01,15000\n".encode() * 5000, "text/plain"),
        (
            "contract.docx",
            None,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_it_accepts_allowed_types(as_user, lawyer, item, name, data, content_type):
    response = upload(as_user(lawyer), item, data if data is not None else docx_bytes(), name)
    assert response.status_code == 302
    assert EvidenceFile.objects.get(item=item).content_type == content_type


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("payslip.pdf", b"MZ\x90\x00\x03" + b"\x00" * 70_000),  # Windows executable
        ("payslip.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 500),  # Linux executable
        ("payslip.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("photo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        ("notes.txt", "caf\xe9 latin-1 bytes".encode("latin-1") * 10),
        ("notes.txt", b"text " * 20_000 + b"\x00binary tail"),
        ("archive.docx", None),  # a plain ZIP is not a document
        ("macro.docx", "macros"),
    ],
)
def test_it_refuses_disallowed_types_and_keeps_nothing(
    as_user, lawyer, item, evidence_dir, name, data
):
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("tool.exe", b"MZ" + b"\x00" * 100)
        data = buffer.getvalue()
    elif data == "macros":
        data = docx_bytes(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    response = upload(as_user(lawyer), item, data, name)

    assert response.status_code == 302
    assert response["Location"].endswith(f"/evidence/{item.number}/")
    [message] = page_messages(response)
    assert "not accepted" in message
    assert not EvidenceFile.objects.filter(item=item).exists()
    assert stored_files(evidence_dir) == []


def test_it_refuses_an_empty_file(as_user, lawyer, item, evidence_dir):
    response = upload(as_user(lawyer), item, b"")
    assert page_messages(response) == ["The file is empty."]
    assert not EvidenceFile.objects.exists() and stored_files(evidence_dir) == []


def test_it_refuses_a_file_over_the_limit_while_streaming(
    settings, as_user, lawyer, item, evidence_dir
):
    settings.TIREK_EVIDENCE_MAX_BYTES = 150_000
    response = upload(as_user(lawyer), item, pdf(300_000))
    [message] = page_messages(response)
    assert "too large" in message
    assert not EvidenceFile.objects.exists() and stored_files(evidence_dir) == []


def test_it_refuses_a_declared_oversize_body_before_reading_it(
    settings, as_user, lawyer, item, evidence_dir
):
    settings.TIREK_EVIDENCE_MAX_BYTES = 1000
    response = upload(as_user(lawyer), item, pdf(1_200_000))
    assert "too large" in page_messages(response)[0]
    assert not EvidenceFile.objects.exists() and stored_files(evidence_dir) == []


def test_a_forged_cross_site_upload_keeps_nothing(lawyer, item, evidence_dir):
    from tirek.accounts.demo import pass_second_factor_as_demo

    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(lawyer)
    pass_second_factor_as_demo(client, lawyer)
    response = upload(client, item, pdf())
    assert response.status_code == 403
    assert not EvidenceFile.objects.exists() and stored_files(evidence_dir) == []


def test_the_writer_holds_at_most_one_chunk(tmp_path):
    from django.core.files.storage import FileSystemStorage

    writer = files.EvidenceWriter(storage=FileSystemStorage(location=tmp_path))
    data = pdf(3 * 1024 * 1024 + 17)
    position = 0
    for size in (1, 7, 65_536, 65_537, 100_000, 3, 131_072) * 40:
        writer.write(data[position : position + size])
        position += size
    writer.write(data[position:])
    stored = writer.finish()
    assert writer.largest_buffer <= files.CHUNK_SIZE
    assert stored.sha256 == hashlib.sha256(data).hexdigest()


# --- Tampering --------------------------------------------------------------------


@pytest.fixture
def uploaded(as_user, lawyer, item):
    upload(as_user(lawyer), item, pdf(300_001))
    return EvidenceFile.objects.get(item=item)


def stored_path(evidence_file) -> Path:
    return Path(files.evidence_storage().path(evidence_file.storage_name))


def assert_quarantined(client, evidence_file, *, reason: str) -> None:
    status, body = download(client, evidence_file)
    assert status == 404
    assert b"quarantined" in body
    assert CANARY not in body
    evidence_file.refresh_from_db()
    assert evidence_file.state == FileState.QUARANTINED
    assert evidence_file.quarantined_at is not None
    event = CustodyEvent.objects.get(file=evidence_file, kind=CustodyKind.QUARANTINED)
    assert event.hash_matched is False
    assert not CustodyEvent.objects.filter(file=evidence_file, kind=CustodyKind.VIEWED).exists()
    audit_event = AuditEvent.objects.get(
        action="evidence.quarantine", target_id=str(evidence_file.pk)
    )
    assert audit_event.changes["reason"] == [None, reason]


def test_a_flipped_byte_quarantines_the_file_and_tells_people(
    as_user, lawyer, administrator, uploaded, django_capture_on_commit_callbacks
):
    path = stored_path(uploaded)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    client = as_user(lawyer)

    with django_capture_on_commit_callbacks(execute=True):
        assert_quarantined(client, uploaded, reason="altered")

    [message] = mail.outbox
    assert lawyer.email in message.to and administrator.email in message.to
    assert uploaded.item.case.number in message.body and str(uploaded.pk) in message.body
    text = (message.subject + message.body).lower()
    assert "payslip" not in text and "kanaryeva" not in text
    client_name = str(uploaded.item.case.client.full_name).lower()
    assert client_name not in text

    # Never served again, and told only once.
    with django_capture_on_commit_callbacks(execute=True):
        status, _body = download(client, uploaded)
    assert status == 404
    assert len(mail.outbox) == 1
    assert CustodyEvent.objects.filter(file=uploaded, kind=CustodyKind.QUARANTINED).count() == 1


def test_a_file_cut_at_a_chunk_boundary_is_detected(as_user, lawyer, uploaded):
    path = stored_path(uploaded)
    data = path.read_bytes()
    path.write_bytes(data[: files.HEADER.size + files.CHUNK_SIZE + files.TAG_BYTES])
    assert_quarantined(as_user(lawyer), uploaded, reason="altered")


def test_a_file_cut_inside_a_chunk_is_detected(as_user, lawyer, uploaded):
    path = stored_path(uploaded)
    path.write_bytes(path.read_bytes()[:-100])
    assert_quarantined(as_user(lawyer), uploaded, reason="altered")


def test_reordered_chunks_are_detected(as_user, lawyer, uploaded):
    path = stored_path(uploaded)
    data = path.read_bytes()
    block = files.CHUNK_SIZE + files.TAG_BYTES
    header, first, second = (
        data[: files.HEADER.size],
        data[files.HEADER.size : files.HEADER.size + block],
        data[files.HEADER.size + block : files.HEADER.size + 2 * block],
    )
    path.write_bytes(header + second + first + data[files.HEADER.size + 2 * block :])
    assert_quarantined(as_user(lawyer), uploaded, reason="altered")


def test_swapped_files_are_detected(as_user, lawyer, item):
    client = as_user(lawyer)
    upload(client, item, pdf(100_000))
    upload(client, item, pdf(120_000))
    first, second = EvidenceFile.objects.filter(item=item).order_by("pk")
    first_path, second_path = stored_path(first), stored_path(second)
    first_data, second_data = first_path.read_bytes(), second_path.read_bytes()
    first_path.write_bytes(second_data)
    second_path.write_bytes(first_data)
    # Each row's key opens, but the other file's chunks fail under it.
    assert_quarantined(client, first, reason="altered")
    assert_quarantined(client, second, reason="altered")


def test_swapped_wrapped_keys_are_detected(as_user, lawyer, item):
    client = as_user(lawyer)
    upload(client, item, pdf(100_000))
    upload(client, item, pdf(120_000))
    first, second = EvidenceFile.objects.filter(item=item).order_by("pk")
    EvidenceFile.objects.filter(pk=first.pk).update(wrapped_key=second.wrapped_key)
    first.refresh_from_db()
    assert_quarantined(client, first, reason="key")


def test_a_hash_that_no_longer_matches_quarantines(as_user, lawyer, uploaded):
    EvidenceFile.objects.filter(pk=uploaded.pk).update(sha256="0" * 64)
    uploaded.refresh_from_db()
    assert_quarantined(as_user(lawyer), uploaded, reason="hash_mismatch")
    event = CustodyEvent.objects.get(file=uploaded, kind=CustodyKind.QUARANTINED)
    assert event.sha256_verified == hashlib.sha256(pdf(300_001)).hexdigest()


def test_a_missing_file_quarantines(as_user, lawyer, uploaded):
    os.unlink(stored_path(uploaded))
    assert_quarantined(as_user(lawyer), uploaded, reason="missing")


def test_rewrap_changes_only_the_wrapped_key(as_user, lawyer, uploaded, settings):
    from tirek.protection.keys import keyring

    before = stored_path(uploaded).read_bytes()
    # A rotated key ring from the environment: the key file in data/ is not touched.
    settings.TIREK_KEYRING = keyring().with_new_primary().to_json()
    assert files.rewrap(uploaded) is True
    uploaded.refresh_from_db()
    assert uploaded.wrapped_key.split(":")[1] == keyring().primary
    assert stored_path(uploaded).read_bytes() == before
    status, body = download(as_user(lawyer), uploaded)
    assert status == 200 and body == pdf(300_001)


# --- Access -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["user.lawyer_osh", "user.coordinator", "user.caseworker"])
def test_others_cannot_upload_or_download(demo, as_user, item, uploaded, evidence_dir, persona):
    client = as_user(demo[persona])
    assert upload(client, item, pdf()).status_code == 404
    assert download(client, uploaded)[0] == 404
    assert EvidenceFile.objects.count() == 1
    assert len(stored_files(evidence_dir)) == 1
    assert not CustodyEvent.objects.filter(kind=CustodyKind.VIEWED).exists()


def test_download_needs_get_and_upload_post(as_user, lawyer, item, uploaded):
    client = as_user(lawyer)
    assert client.get(upload_url(item)).status_code == 405
    assert client.post(download_url(uploaded)).status_code == 405
