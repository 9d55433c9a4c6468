"""A pushed batch is frozen on every path, not only in the services: saving or deleting the batch
or one of its items raises (P12: who, when and which projects stay as they were pushed)."""

import pytest

from renewal.finance.models import FrozenError

from .batch_data import pushed, world  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db


def test_a_pushed_batch_cannot_be_saved_or_deleted(world):  # noqa: F811
    batch = pushed(world, "2024年第一批", ["NH-E1"])
    batch.note = "改动"
    with pytest.raises(FrozenError):
        batch.save()
    with pytest.raises(FrozenError):
        batch.delete()


def test_an_item_of_a_pushed_batch_cannot_be_changed_or_removed(world):  # noqa: F811
    batch = pushed(world, "2024年第一批", ["NH-E1"])
    item = batch.items.first()
    item.bank = "ccb"
    with pytest.raises(FrozenError):
        item.save()
    with pytest.raises(FrozenError):
        item.delete()
