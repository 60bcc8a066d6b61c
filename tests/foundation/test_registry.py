"""The one registration mechanism: duplicates refused, lazy entries resolved and type-checked."""

import pytest

from moneyprinter.registry import DuplicateRegistration, NotRegistered, Registry


class Base:
    pass


class Good(Base):
    pass


def test_duplicate_id_is_refused():
    reg: Registry[type[Base]] = Registry("thing", expected=Base)
    reg.register("good", Good)
    with pytest.raises(DuplicateRegistration, match="thing 'good' is registered twice"):
        reg.register("good", Good)


def test_wrong_type_is_refused_at_registration():
    reg: Registry[type[Base]] = Registry("thing", expected=Base)
    with pytest.raises(TypeError, match="not a Base"):
        reg.register("bad", int)


def test_lazy_entry_is_resolved_and_checked():
    reg: Registry[type[Base]] = Registry("thing", expected=Base)
    reg.register("good", f"{__name__}:Good")
    reg.register("bad", "collections:OrderedDict")
    reg.register("missing", f"{__name__}:Nope")
    assert reg.get("good") is Good
    with pytest.raises(TypeError, match="not a Base"):
        reg.get("bad")
    with pytest.raises(TypeError, match="has no Nope"):
        reg.get("missing")


def test_unknown_id_lists_the_known_ones():
    reg: Registry[type[Base]] = Registry("thing", expected=Base)
    reg.register("good", Good)
    with pytest.raises(NotRegistered) as info:
        reg.get("goood")
    assert info.value.names == ["good"]
