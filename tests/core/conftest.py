"""Fixtures shared by the core tests."""

from __future__ import annotations

import pytest

from laborstation.model import COUNTY, TOWNSHIP, Area


@pytest.fixture
def township_id(store) -> int:
    """范县 (410926) › 濮城镇 (410926101000), written with the ORM; the township's id."""
    with store.session() as s:
        county = Area(code="410926000000", name="范县", level=COUNTY)
        s.add(county)
        s.flush()
        town = Area(code="410926101000", name="濮城镇", level=TOWNSHIP, parent_id=county.id)
        s.add(town)
        s.flush()
        return town.id


@pytest.fixture
def station(store):
    """范县 城关镇 (410926100000) as the store's unit: the import tests' station (a test
    module may define its own)."""
    from laborstation.services.station import set_station

    return set_station(store, name="城关镇", code="410926100000")
