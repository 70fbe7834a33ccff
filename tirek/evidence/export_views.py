"""Exporting a case's evidence: the list (DOCX or PDF, for a motion to the
investigator) and the signed bundle of its files (a ZIP).

The case's lawyer only (``evidence_case_for``): anyone else, and any format
or language we do not write, gets 404. Every export is in the audit trail;
a bundle also in each item's chain of custody (tirek/evidence/bundle.py).
"""

from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_GET

from tirek.accounts.roles import Role
from tirek.audit.log import audit
from tirek.evidence.bundle import build_bundle
from tirek.evidence.export import (
    LIST_FORMATS,
    LIST_LANGUAGES,
    list_filename,
    render_list_docx,
    render_list_pdf,
)
from tirek.protection.access import evidence_case_for
from tirek.protection.policy import roles, route_access

RENDERERS = {"docx": render_list_docx, "pdf": render_list_pdf}


@route_access(roles(Role.LAWYER))
@require_GET
def evidence_list(request: HttpRequest, number: str, file_format: str) -> HttpResponse:
    # Without ?language= the list is in the language the lawyer reads Tirek in.
    language = request.GET.get("language") or translation.get_language()
    if file_format not in LIST_FORMATS or language not in LIST_LANGUAGES:
        raise Http404
    case = evidence_case_for(request.user, number)
    data = RENDERERS[file_format](case, language)
    with transaction.atomic():
        audit(
            actor=request.user,
            action="evidence.export",
            target=case,
            changes={
                "what": [None, "list"],
                "format": [None, file_format],
                "language": [None, language],
            },
        )
    response = HttpResponse(data, content_type=LIST_FORMATS[file_format])
    name = list_filename(case, language, file_format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@route_access(roles(Role.LAWYER))
@require_GET
def bundle(request: HttpRequest, number: str) -> FileResponse:
    case = evidence_case_for(request.user, number)
    built = build_bundle(case=case, actor=request.user)
    # Open, then remove the temporary folder at once: the open handle keeps
    # the data readable until the response closes it, and nothing is left
    # behind if the download is abandoned half-way (or the worker dies).
    try:
        handle = built.path.open("rb")
    finally:
        built.discard()
    return FileResponse(
        handle, as_attachment=True, filename=built.filename, content_type="application/zip"
    )
