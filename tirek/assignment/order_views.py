"""The register of assignment orders, and downloading an order.

Coordinators read the register (their region, or the whole country for the
national office) and download orders without the person's identity; the
lawyer who accepted downloads their own order with it. Every download is in
the audit trail. Anything else answers 404 (tirek/assignment/order.py,
``order_for``).
"""

from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from tirek.accounts.roles import Role
from tirek.assignment.order import (
    ORDER_FORMATS,
    ORDER_LANGUAGES,
    order_filename,
    order_for,
    orders_visible_to,
    render_order_docx,
    render_order_pdf,
)
from tirek.audit.log import audit
from tirek.people.actions import person_viewed
from tirek.protection.policy import roles, route_access

RENDERERS = {"docx": render_order_docx, "pdf": render_order_pdf}


@route_access(roles(Role.COORDINATOR))
@require_http_methods(["GET"])
def order_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(orders_visible_to(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "assignment/orders.html",
        {"page": page, "languages": ORDER_LANGUAGES.items(), "formats": list(ORDER_FORMATS)},
    )


@route_access(roles(Role.COORDINATOR, Role.LAWYER))
@require_http_methods(["GET"])
def order_download(request: HttpRequest, pk: int, language: str, file_format: str) -> HttpResponse:
    if language not in ORDER_LANGUAGES or file_format not in ORDER_FORMATS:
        raise Http404
    order, include_identity = order_for(request.user, pk)
    data = RENDERERS[file_format](order, language, include_identity=include_identity)
    target = order.assignment.request
    with transaction.atomic():
        audit(
            actor=request.user,
            action="order.download",
            target=target,
            changes={"format": [None, file_format], "language": [None, language]},
        )
        if include_identity:
            # The lawyer's copy names the person: a read of identity, recorded as such.
            person_viewed(
                actor=request.user,
                person=target.person,
                fields=["full_name", "birth_date"],
            )
    response = HttpResponse(data, content_type=ORDER_FORMATS[file_format])
    name = order_filename(order, language, file_format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
