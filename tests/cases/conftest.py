import pytest


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run a service and deliver what it queued for after commit (notifications)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run
