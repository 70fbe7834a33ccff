"""The analysis page: tick the facts, read the explained answer."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from tirek.analysis.access import ANALYSIS_USERS
from tirek.analysis.forms import AnalysisForm
from tirek.analysis.services import analysis_answer
from tirek.protection.policy import route_access


@route_access(ANALYSIS_USERS)
@require_http_methods(["GET", "POST"])
def analysis_page(request: HttpRequest) -> HttpResponse:
    # POST, not GET: the facts of a case do not belong in URLs and access logs.
    form = AnalysisForm(request.POST if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = analysis_answer(form.as_facts_json())
    # Errors answer 200 like the other forms, so that htmx swaps them in.
    return render(request, "analysis/page.html", {"form": form, "result": result})
