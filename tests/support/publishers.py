"""A publisher id pointed at a module this installation lacks, as before a network is built."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def unbuilt_publisher(publisher_id: str, class_name: str) -> Iterator[None]:
    """While inside, publishing through ``publisher_id`` fails to load; the real entry comes back after."""
    from moneyprinter.publishers.base import PUBLISHERS

    original = PUBLISHERS._entries[publisher_id]
    PUBLISHERS.unregister(publisher_id)
    PUBLISHERS.register(publisher_id, f"moneyprinter.publishers.not_built_here:{class_name}")
    try:
        yield
    finally:
        PUBLISHERS.unregister(publisher_id)
        PUBLISHERS.register(publisher_id, original)
