"""Rows that two requests may create at the same moment (issue 20): the database decides, and the
loser gets a 409 with a Chinese message, never a server error."""

from contextlib import contextmanager

from django.db import IntegrityError, transaction

from renewal.lib.errors import Conflict


@contextmanager
def created_once(message: str):
    """Insert a row whose key another request may be inserting at the same moment: both looked and
    found nothing, the database lets one in and refuses the other with a unique violation, which
    becomes a ``Conflict`` (409) with ``message`` instead of a server error. The savepoint keeps
    the caller's transaction usable."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise Conflict(message) from None
