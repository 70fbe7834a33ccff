"""The assignment order: its number, its documents, the register, the downloads.

Who gets what: a coordinator downloads the order without the person's
identity, the lawyer who accepted gets it with the identity, anyone else a
404; every download is in the audit trail.
"""

import datetime
import io
import shutil
import subprocess
from unittest import mock

import docx
import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tirek.assignment import order as orders
from tirek.assignment.models import Assignment, AssignmentOrder, LegalAidRequest
from tirek.assignment.order import (
    issue_order,
    order_content,
    orders_visible_to,
    render_order_docx,
    render_order_pdf,
)
from tirek.audit.models import AuditEvent
from tirek.cases.actions import case_open
from tirek.nrm.models import StatusDecision
from tirek.people.actions import consent_record, person_register

PERSON_NAME = "Айгүл Өмүрбекова"
TITLE = "Order on assigning a lawyer to provide state-guaranteed legal aid"


def _request_for(demo, *, coordinator, lawyer, caseworker, number, region="bishkek", **extra):
    """A person, their consent, an open case, a request and an accepted assignment."""
    person = person_register(
        actor=caseworker, full_name=PERSON_NAME, birth_date=datetime.date(1999, 3, 4)
    )
    consent_record(
        actor=caseworker,
        person=person,
        purpose="legal_representation",
        given_on=timezone.localdate(),
        explained_in="ky",
    )
    case = case_open(
        actor=coordinator,
        client=person,
        lawyer=lawyer,
        lawyer_role="victim_representative",
        legal_aid_basis="nrm_victim_status",
    )
    now = timezone.now()
    values = {
        "basis": "legal_aid_law",
        "languages": ["ky", "uz"],
        "interpreter_needed": True,
        "criminal_case_number": "CC-2026-0042",
        **extra,
    }
    request = LegalAidRequest.objects.create(
        number=number,
        person=person,
        from_organisation=caseworker.organisation,
        requested_by=caseworker,
        legal_aid_office=demo["org.las"],
        region=region,
        lawyer_role="victim_representative",
        state="assigned",
        received_at=now - datetime.timedelta(days=2),
        case=case,
        **values,
    )
    return Assignment.objects.create(
        request=request,
        lawyer=lawyer,
        chosen_by=coordinator,
        rank=1,
        state="accepted",
        offered_at=now - datetime.timedelta(days=1),
        respond_by=now + datetime.timedelta(days=1),
        answered_at=now,
    )


@pytest.fixture
def assignment(demo, coordinator, lawyer, caseworker):
    return _request_for(
        demo, coordinator=coordinator, lawyer=lawyer, caseworker=caseworker, number="RQ-T-000001"
    )


@pytest.fixture
def order(assignment, coordinator):
    return issue_order(assignment=assignment, issued_by=coordinator)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def pdf_fonts(data: bytes) -> set[str]:
    """The embedded fonts' names, without the subset prefix."""
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor, "the font is embedded"
            names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    return names


# --- Issuing: numbered per year, unique, registered, audited ---------------------------


def test_it_numbers_orders_in_sequence_within_the_year(
    demo, assignment, coordinator, lawyer, caseworker
):
    first = issue_order(assignment=assignment, issued_by=coordinator)
    other = _request_for(
        demo, coordinator=coordinator, lawyer=lawyer, caseworker=caseworker, number="RQ-T-2"
    )
    second = issue_order(assignment=other, issued_by=coordinator)
    year = timezone.localdate().year
    assert (first.year, second.year) == (year, year)
    assert second.sequence == first.sequence + 1
    assert first.number == f"LA-{year}-{first.sequence:06d}"
    assert second.number != first.number
    assert first.issued_on == timezone.localdate()
    assert first.legal_aid_office == demo["org.las"]
    assert first.issued_by == coordinator


def test_it_issues_one_order_per_assignment(assignment, coordinator):
    first = issue_order(assignment=assignment, issued_by=coordinator)
    assert issue_order(assignment=assignment, issued_by=coordinator) == first
    assert AssignmentOrder.objects.filter(assignment=assignment).count() == 1


def test_it_refuses_an_assignment_not_accepted(assignment, coordinator):
    from django.core.exceptions import ValidationError

    Assignment.objects.filter(pk=assignment.pk).update(state="offered")
    assignment.refresh_from_db()
    with pytest.raises(ValidationError):
        issue_order(assignment=assignment, issued_by=coordinator)


def test_it_takes_the_next_number_when_a_concurrent_issue_took_it(
    demo, assignment, coordinator, lawyer, caseworker
):
    first = issue_order(assignment=assignment, issued_by=coordinator)
    other = _request_for(
        demo, coordinator=coordinator, lawyer=lawyer, caseworker=caseworker, number="RQ-T-2"
    )
    # The race: another transaction read the same last number and inserted first.
    stale = iter([first.sequence, first.sequence + 1])
    with mock.patch.object(orders, "_next_sequence", lambda year: next(stale)):
        second = issue_order(assignment=other, issued_by=coordinator)
    assert second.sequence == first.sequence + 1
    assert AssignmentOrder.objects.filter(year=first.year).count() == 2


def test_it_records_the_issue_in_the_audit_trail(order, coordinator):
    event = AuditEvent.objects.get(action="order.issue")
    assert event.actor_id == coordinator.pk
    assert event.target_type == "assignment.legalaidrequest"
    assert event.target_id == str(order.assignment.request_id)
    assert event.changes == {"number": [None, order.number]}


# --- What the order says --------------------------------------------------------------


def test_it_cites_the_legal_aid_law_with_its_verification_status(order):
    content = order_content(order, "en", include_identity=False)
    basis = dict(content.sections[0][1])["Basis of entitlement"]
    assert "Legal Aid Law 2022 — the victims category" in basis
    assert "Unverified — check the official text" in basis


def test_it_cites_the_status_decision_for_a_recognised_victim(
    demo, coordinator, lawyer, caseworker
):
    assignment = _request_for(
        demo, coordinator=coordinator, lawyer=lawyer, caseworker=caseworker, number="RQ-T-3"
    )
    request = assignment.request
    decision = StatusDecision.objects.create(
        person=request.person,
        outcome="recognised",
        decided_on=datetime.date(2026, 2, 3),
        authority="Interagency Commission",
        decision_maker="Chair",
        document_number="SD-17",
        grounds="-",
        recorded_by=caseworker,
    )
    LegalAidRequest.objects.filter(pk=request.pk).update(
        basis="victim_status", status_decision=decision
    )
    assignment.request.refresh_from_db()
    order = issue_order(assignment=assignment, issued_by=coordinator)
    basis = dict(order_content(order, "en", include_identity=False).sections[0][1])[
        "Basis of entitlement"
    ]
    assert "Interagency Commission" in basis and "SD-17" in basis and "2026" in basis


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_the_docx_names_the_lawyer_and_never_the_person_without_identity(order, language):
    data = render_order_docx(order, language, include_identity=False)
    text = docx_text(data)
    assert order.number in text
    assert "Nurlan Demo" in text and "DEMO-0001" in text
    assert "Demo Law Office «Ak Jol»" in text
    assert order.assignment.request.number in text
    assert order.assignment.request.case.number in text
    assert "CC-2026-0042" in text
    assert PERSON_NAME not in text and "1999" not in text


def test_the_docx_is_written_in_the_language_asked(order):
    from django.utils import translation

    # The law content's own words in each language, and the translated title.
    cited = {
        "ky": "Юридикалык жардам жөнүндө мыйзам (2022)",
        "ru": "ГГЮП (2022) — категория жертв",
        "en": "Legal Aid Law 2022",
    }
    for language, reference in cited.items():
        with translation.override(language):
            title = translation.gettext(TITLE)
        text = docx_text(render_order_docx(order, language, include_identity=False))
        assert title in text and reference in text


def test_the_lawyers_docx_names_the_person(order):
    text = docx_text(render_order_docx(order, "ky", include_identity=True))
    assert PERSON_NAME in text


def test_the_docx_is_set_in_a_font_with_the_kyrgyz_letters(order):
    from docx.oxml.ns import qn

    from tirek.documents.docx import DOCX_FONT

    document = docx.Document(io.BytesIO(render_order_docx(order, "ky", include_identity=False)))
    defaults = document.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert {fonts.get(qn(slot)) for slot in ("w:ascii", "w:hAnsi", "w:cs")} == {DOCX_FONT}
    assert fonts.get(qn("w:hAnsiTheme")) is None
    assert document.core_properties.language == "ky-KG"
    for style in document.styles:
        rpr = style.element.find(qn("w:rPr"))
        named = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if named is not None:
            assert named.get(qn("w:hAnsi")) == DOCX_FONT, style.name


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_pdf_carries_kyrgyz_letters_and_the_number_in_our_font(order, language):
    data = render_order_pdf(order, language, include_identity=True)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert order.number in text
    assert PERSON_NAME in text  # extracted back as written
    assert "\u04e8" in text and "\u04af" in text  # Kyrgyz capital O-bar, straight u
    assert pdf_fonts(data) <= {"Tirek-Sans", "Tirek-Sans-Bold"}


def test_the_pdf_without_identity_does_not_name_the_person(order):
    text = pdf_text(render_order_pdf(order, "ru", include_identity=False))
    assert "Nurlan Demo" in text and "DEMO-0001" in text
    assert PERSON_NAME not in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (soffice)")
def test_libreoffice_opens_the_docx(order, tmp_path):
    source = tmp_path / "order.docx"
    source.write_bytes(render_order_docx(order, "ky", include_identity=True))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = pdf_text((tmp_path / "order.pdf").read_bytes())
    assert order.number in text and "Nurlan Demo" in text
    # Where the substituted font lacks a Kyrgyz letter, LibreOffice draws it from
    # another font, and the text comes back in pieces: each letter is there.
    assert set(PERSON_NAME) <= set(text)


# --- The register ---------------------------------------------------------------------


def test_the_register_shows_each_coordinator_their_regions_orders(
    demo, order, coordinator, lawyer, caseworker
):
    osh = _request_for(
        demo,
        coordinator=coordinator,
        lawyer=lawyer,
        caseworker=caseworker,
        number="RQ-T-OSH",
        region="osh",
    )
    osh_order = issue_order(assignment=osh, issued_by=coordinator)
    assert set(orders_visible_to(coordinator)) == {order, osh_order}
    assert set(orders_visible_to(demo["user.coordinator_osh"])) == {osh_order}
    assert not orders_visible_to(lawyer).exists()
    assert not orders_visible_to(caseworker).exists()


def test_the_register_page_costs_the_same_queries_however_many_orders(
    demo, order, coordinator, lawyer, caseworker, as_user, django_assert_num_queries
):
    client = as_user(coordinator)
    url = reverse("assignment:orders")
    client.get(url)  # warm the session

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    few = queries()
    for number in range(2, 5):
        extra = _request_for(
            demo,
            coordinator=coordinator,
            lawyer=lawyer,
            caseworker=caseworker,
            number=f"RQ-T-{number}",
        )
        issue_order(assignment=extra, issued_by=coordinator)
    assert queries() == few
    list(orders_visible_to(coordinator)[:1])  # the coordinator's roles and office, read once
    with django_assert_num_queries(1):
        rows = list(orders_visible_to(coordinator)[:50])
        shown = [  # everything the page shows, with no query per row
            (
                row.assignment.request.case.number,
                row.assignment.lawyer.register_entry.licence_number,
                str(row.assignment.lawyer.organisation),
                row.issued_by.get_full_name(),
            )
            for row in rows
        ]
    assert len(shown) == 4


def test_the_register_page_lists_orders_without_identity(order, coordinator, as_user):
    page = as_user(coordinator).get(reverse("assignment:orders")).content.decode()
    assert order.number in page and order.assignment.request.number in page
    assert "DEMO-0001" in page
    assert PERSON_NAME not in page
    assert reverse("assignment:order-download", args=[order.pk, "ky", "pdf"]) in page


@pytest.mark.parametrize("persona", ["lawyer", "caseworker", "trainer", "analyst"])
def test_the_register_is_for_coordinators_only(order, as_user, persona, request):
    user = request.getfixturevalue(persona)
    assert as_user(user).get(reverse("assignment:orders")).status_code == 404


# --- Downloads ------------------------------------------------------------------------


def _download(client, order, language="ky", file_format="pdf"):
    return client.get(reverse("assignment:order-download", args=[order.pk, language, file_format]))


def test_a_coordinator_downloads_the_order_without_identity(order, coordinator, as_user):
    response = _download(as_user(coordinator), order, "ru", "docx")
    assert response.status_code == 200
    assert response["Content-Type"] == orders.ORDER_FORMATS["docx"]
    assert response["Content-Disposition"] == f'attachment; filename="{order.number}-ru.docx"'
    text = docx_text(response.content)
    assert "Nurlan Demo" in text and PERSON_NAME not in text
    event = AuditEvent.objects.get(action="order.download")
    assert event.actor_id == coordinator.pk
    assert event.target_id == str(order.assignment.request_id)
    assert event.changes == {"format": [None, "docx"], "language": [None, "ru"]}
    assert not AuditEvent.objects.filter(action="person.view", actor_id=coordinator.pk).exists()


def test_the_accepted_lawyer_downloads_the_order_with_identity(order, lawyer, as_user):
    response = _download(as_user(lawyer), order, "ky", "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{order.number}-ky.pdf"'
    assert PERSON_NAME in pdf_text(response.content)
    assert AuditEvent.objects.filter(action="order.download", actor_id=lawyer.pk).count() == 1
    viewed = AuditEvent.objects.get(action="person.view", actor_id=lawyer.pk)
    assert viewed.target_id == str(order.assignment.request.person_id)


def test_every_download_is_audited(order, coordinator, as_user):
    client = as_user(coordinator)
    for language, file_format in (("ky", "pdf"), ("ky", "pdf"), ("en", "docx")):
        assert _download(client, order, language, file_format).status_code == 200
    assert AuditEvent.objects.filter(action="order.download").count() == 3


@pytest.mark.parametrize("persona", ["caseworker", "trainer", "administrator", "outsider"])
def test_others_get_404_and_leave_no_download_in_the_trail(order, as_user, persona, request):
    user = request.getfixturevalue(persona)
    assert _download(as_user(user), order).status_code == 404
    assert not AuditEvent.objects.filter(action="order.download").exists()


def test_another_lawyer_gets_404(order, demo, as_user):
    assert _download(as_user(demo["user.lawyer_osh"]), order).status_code == 404


def test_the_lawyer_of_a_declined_assignment_gets_404(order, lawyer, as_user):
    Assignment.objects.filter(pk=order.assignment_id).update(state="declined")
    assert _download(as_user(lawyer), order).status_code == 404


def test_a_coordinator_of_another_region_gets_404(order, demo, as_user):
    assert _download(as_user(demo["user.coordinator_osh"]), order).status_code == 404


@pytest.mark.parametrize(("language", "file_format"), [("de", "pdf"), ("ky", "odt"), ("KY", "pdf")])
def test_an_unknown_language_or_format_is_404(order, coordinator, as_user, language, file_format):
    assert _download(as_user(coordinator), order, language, file_format).status_code == 404


def test_an_order_that_does_not_exist_is_404(order, coordinator, as_user):
    url = reverse("assignment:order-download", args=[order.pk + 1000, "ky", "pdf"])
    assert as_user(coordinator).get(url).status_code == 404


def test_the_register_page_says_when_there_is_no_order_yet(order, demo, as_user):
    page = as_user(demo["user.coordinator_osh"]).get(reverse("assignment:orders"))
    assert page.status_code == 200
    assert "No order yet." in page.content.decode()
    assert order.number not in page.content.decode()
