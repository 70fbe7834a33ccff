"""The administrative regions of the Kyrgyz Republic.

Seven regions (oblast) and the two cities of republican significance. The
Constitution of 2021, art. 14 part 2, names Bishkek and Osh as cities of
republican significance; the seven regions come from the administrative-
territorial division, whose law is not among our verified texts (unverified).
A coordinator's work is scoped to a region, so the codes here are stable
identifiers, never renamed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    BISHKEK = "bishkek", _("Bishkek city")
    OSH_CITY = "osh_city", _("Osh city")
    BATKEN = "batken", _("Batken region")
    JALAL_ABAD = "jalal_abad", _("Jalal-Abad region")
    ISSYK_KUL = "issyk_kul", _("Issyk-Kul region")
    NARYN = "naryn", _("Naryn region")
    OSH = "osh", _("Osh region")
    TALAS = "talas", _("Talas region")
    CHUI = "chui", _("Chui region")
