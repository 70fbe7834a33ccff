from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def attach_errors(form, error: ValidationError) -> None:
    """Put an action's errors on the form: under their field when the form has
    it, else at the top. (``form.add_error(None, error)`` raises for a key the
    form lacks — an action may name a field the page does not show.)"""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        known = field in form.fields and field != NON_FIELD_ERRORS
        form.add_error(field if known else None, errors)
