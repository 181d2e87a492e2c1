"""Typed errors that services raise; views and the middleware turn them into messages a person understands."""

from django.core.exceptions import PermissionDenied


class WorkflowError(Exception):
    """The act is not allowed now (wrong status, missing prerequisite, invalid data)."""

    def __init__(self, message, *, field_errors=None):
        super().__init__(message)
        self.message = message
        # Optional {field: [messages]} so a form can show the problem next to what was typed.
        self.field_errors = field_errors or {}


class NotAllowed(PermissionDenied):
    """The person may not do this act (wrong role or not their case)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
