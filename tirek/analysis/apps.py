from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    """The Django glue around tirek.law: command line, API and page."""

    name = "tirek.analysis"
    label = "analysis"
    verbose_name = _("Legal analysis")
