from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO (YYYY-MM-DD): a date
    formatted for the page's language (30.11.2026) would leave it empty."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or "%Y-%m-%d")
