"""The coordinator's board (tirek/assignment/board.py has the queries).

A regional coordinator always sees their own region; the national Legal Aid
Service sees the whole country and may narrow it to one region. Filters
come in the query string and are validated like any form: a bad value is
shown as an error on the page and ignored, never a server error.
"""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from tirek.accounts.regions import Region
from tirek.accounts.roles import Role
from tirek.assignment import board as queries
from tirek.protection.policy import roles, route_access


class BoardFilters(forms.Form):
    region = forms.ChoiceField(
        label=_("Region"), choices=[("", _("All regions")), *Region.choices], required=False
    )
    age = forms.ChoiceField(
        label=_("Waiting"),
        choices=[("", _("Any time")), *((b.code, b.label) for b in queries.AGE_BUCKETS)],
        required=False,
    )

    def __init__(self, *args, own_region: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.own_region = own_region
        if own_region:
            # Offered: their region only. Accepted as input: any region, so a
            # stale link gets a clear message below instead of "not a choice".
            self.fields["region"].widget.choices = [(own_region, Region(own_region).label)]

    def clean_region(self) -> str:
        region = self.cleaned_data["region"]
        if self.own_region and region not in ("", self.own_region):
            raise forms.ValidationError(
                _("You coordinate %(region)s: the board shows that region only."),
                code="other_region",
                params={"region": Region(self.own_region).label},
            )
        return self.own_region or region


@route_access(roles(Role.COORDINATOR))
@require_http_methods(["GET"])
def board(request: HttpRequest) -> HttpResponse:
    own_region = queries.coordinator_region(request.user)
    if own_region is None:  # a coordinator with no organisation coordinates nothing
        raise Http404
    form = BoardFilters(request.GET or None, own_region=own_region)
    chosen = _valid_filters(form)
    region = chosen.get("region", own_region)
    bucket = queries.BUCKETS_BY_CODE.get(chosen.get("age", ""))
    shown = queries.board_for(request.user, region=region, now=timezone.now(), bucket=bucket)
    return render(
        request,
        "assignment/board.html",
        {
            "board": shown,
            "filters": form,
            "bucket": bucket,
            "region_label": Region(region).label if region else _("All regions"),
            # Links keep the region shown, not a refused one from the query string.
            "region_param": region or None,
        },
    )


def _valid_filters(form: BoardFilters) -> dict:
    """The filters that passed: an invalid one is reported on the page and ignored."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data
