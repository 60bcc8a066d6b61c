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


# Every kind of registration in the program goes through a Registry, so each refuses a duplicate id.


def test_a_second_text_provider_with_a_taken_id_is_refused():
    from moneyprinter.providers.llm import TextProvider, text_providers

    class Impostor(TextProvider):
        id = "local"

    with pytest.raises(DuplicateRegistration, match="text provider 'local' is registered twice"):
        text_providers.register(Impostor)
    assert text_providers.get_class("local") is not Impostor


def test_a_provider_registered_by_a_test_can_be_removed_again():
    from moneyprinter.errors import ConfigError
    from moneyprinter.providers.tts import VoiceProvider, voice_providers

    class Double(VoiceProvider):
        id = "double"

    voice_providers.register(Double)
    try:
        assert voice_providers.get_class("double") is Double
    finally:
        voice_providers.unregister("double")
    with pytest.raises(ConfigError, match="unknown voice provider 'double'"):
        voice_providers.get_class("double")


def test_a_second_publisher_with_a_taken_id_is_refused_and_a_wrong_class_is_named():
    from moneyprinter.publishers.base import PUBLISHERS

    with pytest.raises(DuplicateRegistration, match="publisher 'outbox' is registered twice"):
        PUBLISHERS.register("outbox", "moneyprinter.publishers.outbox:OutboxPublisher")
    with pytest.raises(TypeError, match="not a Publisher"):
        PUBLISHERS.register("bogus", Good)


def test_a_second_job_kind_with_a_taken_name_is_refused():
    from moneyprinter.scheduler.jobs import KINDS, JobKind, register

    with pytest.raises(DuplicateRegistration, match="job kind 'twitter.post' is registered twice"):
        register(JobKind("twitter.post", "moneyprinter.scheduler.testjobs:echo", "account", None, "again"))
    assert KINDS.get("twitter.post").entry == "moneyprinter.platforms.x:scheduled_post"


def test_a_second_health_check_with_a_taken_name_is_refused():
    from moneyprinter.health.registry import CHECK_MODULES, CheckResult, health_check, load_checks

    taken = load_checks()[0].name
    with pytest.raises(DuplicateRegistration, match=f"health check '{taken}' is registered twice"):
        health_check(taken)(lambda ctx: CheckResult.ok("again"))
    with pytest.raises(DuplicateRegistration, match="health check module 'core' is registered twice"):
        CHECK_MODULES.register("core", "moneyprinter.health.checks_core")


def test_a_second_command_module_or_command_with_a_taken_name_is_refused():
    import click

    from moneyprinter.cli import COMMAND_MODULES, main

    with pytest.raises(DuplicateRegistration, match="command module 'x' is registered twice"):
        COMMAND_MODULES.register("x", "moneyprinter.cli.x_cmd:register")
    tweet = main.get_command(click.Context(main), "tweet")
    with pytest.raises(DuplicateRegistration, match="command 'tweet' is registered twice"):
        main.add_command(click.Command("tweet"))
    assert main.commands["tweet"] is tweet and tweet.callback.__module__ == "moneyprinter.cli.x_cmd"


def test_every_command_module_adds_exactly_the_commands_it_is_listed_for():
    """Command modules are imported when one of their commands runs, found by ``COMMAND_OWNERS``:
    the list must say the truth, or a command would be missing (or loaded from the wrong module)."""
    from moneyprinter.cli import COMMAND_MODULES, COMMAND_OWNERS, MoneyPrinterGroup

    for capability, register in COMMAND_MODULES.items():
        group = MoneyPrinterGroup("probe")
        register(group)
        listed = {name for name, owner in COMMAND_OWNERS.items() if owner == capability}
        assert set(group.commands) == listed, capability


def test_a_command_imports_only_its_own_module():
    import subprocess
    import sys

    from tests.conftest import subprocess_env

    code = ("import sys\nfrom click.testing import CliRunner\nfrom moneyprinter.cli import main\n"
            "CliRunner().invoke(main, ['schedule', 'list'])\n"
            "print(sorted(m for m in sys.modules if m.startswith('moneyprinter.cli.') and m.endswith('_cmd')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=subprocess_env(), check=True)
    assert out.stdout.strip() == "['moneyprinter.cli.scheduler_cmd']", out.stdout + out.stderr


def test_a_module_path_loads_the_module():
    import collections

    reg: Registry[object] = Registry("module")
    reg.register("collections", "collections")
    assert reg.get("collections") is collections
