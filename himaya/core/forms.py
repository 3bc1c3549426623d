"""Small form helpers shared by the apps' pages."""

from django.core.exceptions import ValidationError


def add_service_errors(form, exc: ValidationError) -> None:
    """A service's validation errors onto the form: each on its field when the form has it,
    the others above the form. The form keeps what was typed."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
