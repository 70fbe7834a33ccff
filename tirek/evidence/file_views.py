"""Uploading and downloading an item's files (the case's lawyer only).

Upload streams the body through ``EvidenceUploadHandler`` (encrypting as it
arrives); download verifies the whole file before the first byte is sent
(``files.open_verified``). Both are recorded in the chain of custody and the
audit trail. The original file name is never used: downloads are named
from numbers (``TK-2026-000123-E3-17.pdf``).
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from tirek.accounts.roles import Role
from tirek.evidence import files
from tirek.evidence.upload import FIELD, EvidenceUploadHandler
from tirek.protection.access import evidence_file_for, evidence_item_for
from tirek.protection.policy import roles, route_access

# Room for the multipart framing and the form's other fields around the file.
MULTIPART_OVERHEAD = 1024 * 1024


# csrf_exempt then csrf_protect: the upload handler must be installed before the
# CSRF check reads request.POST (Django's documented pattern). The check still
# runs, on the whole request, before anything is recorded; a file stored by a
# request that then fails it is removed in ``finally``.
@route_access(roles(Role.LAWYER))
@csrf_exempt
@require_POST
def upload(request: HttpRequest, number: str, item: int) -> HttpResponse:
    case, evidence_item = evidence_item_for(request.user, number, item)
    back = redirect("evidence:item", number=case.number, item=evidence_item.number)
    if _declared_length(request) > settings.TIREK_EVIDENCE_MAX_BYTES + MULTIPART_OVERHEAD:
        # Refused before reading a byte of it.
        messages.error(request, files.refusal_message("too_large"))
        return back
    handler = EvidenceUploadHandler(request)
    request.upload_handlers = [handler]
    try:
        return _upload(request, item=evidence_item, handler=handler, back=back)
    finally:
        handler.discard()


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django's parser refuses it


@csrf_protect
def _upload(request, *, item, handler: EvidenceUploadHandler, back) -> HttpResponse:
    uploaded = request.FILES.get(FIELD)
    if handler.refusal or uploaded is None:
        messages.error(request, files.refusal_message(handler.refusal or "no_file"))
        return back
    files.file_add(
        actor=request.user, item=item, stored=handler.claim(), original_name=uploaded.name
    )
    messages.success(request, _("The file is stored, encrypted, with its SHA-256."))
    return back


@route_access(roles(Role.LAWYER))
@require_GET
def download(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    case, evidence_file = evidence_file_for(request.user, number, pk)
    try:
        chunks = files.open_verified(evidence_file, actor=request.user)
    except files.Quarantined:
        return _quarantined(request, case, evidence_file)
    files.file_viewed(actor=request.user, evidence_file=evidence_file)
    content_type = evidence_file.content_type
    if content_type == files.TEXT:
        content_type = "text/plain; charset=utf-8"
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Length"] = str(evidence_file.size)
    response["Content-Disposition"] = content_disposition_header(
        True, files.download_name(evidence_file)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _quarantined(request, case, evidence_file) -> HttpResponse:
    recipients = files.quarantine_recipients(evidence_file)
    context = {
        "case": case,
        "item": evidence_file.item,
        "evidence_file": evidence_file,
        "lawyer_told": case.lawyer in recipients,
        "administrators_told": sum(1 for user in recipients if user.pk != case.lawyer_id),
    }
    return render(request, "evidence/quarantined.html", context, status=404)
