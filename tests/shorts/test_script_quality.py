"""Structured scripts, formats with a hook and a call to action, best of N by the gate, the fact check."""

from __future__ import annotations

import json

from moneyprinter import errors
from moneyprinter.providers.llm import TextProvider
from moneyprinter.shorts.fact_check import fact_check
from moneyprinter.shorts.formats import FORMATS, choose_format, is_call_to_action
from moneyprinter.shorts.script import ScriptDraft, compose_script

BODY = ["Octopuses change colour with cells called chromatophores.", "Muscles stretch each cell to show its pigment.",
        "Deeper cells reflect light to make blues and greens.", "An octopus uses the trick to hide from sharks."]


class Scripted(TextProvider):
    id = "scripted"

    def __init__(self, answers, bundled=False):
        super().__init__()
        self.answers, self.calls, self.bundled = list(answers), [], bundled

    def complete(self, prompt, **options):
        self.calls.append((prompt, options))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def answer(hook, body, cta):
    return json.dumps({"hook": hook, "body": body, "cta": cta})


def compose(provider, candidates=2, **kw):
    return compose_script(provider, "How octopuses change colour", fmt=FORMATS["listicle"], niche="ocean animals",
                          body_sentences=4, max_words=30, candidates=candidates, **kw)


def test_the_script_is_asked_as_json_with_a_schema_and_has_hook_body_and_call_to_action():
    provider = Scripted([answer("Octopuses can vanish in a blink.", BODY, "Follow for more ocean facts.")])
    draft = compose(provider, candidates=1)
    assert draft.sentences == ["Octopuses can vanish in a blink.", *BODY, "Follow for more ocean facts."]
    assert draft.passed and draft.format == "listicle"
    schema = provider.calls[0][1]["schema"]
    assert schema["required"] == ["hook", "body", "cta"] and schema["properties"]["body"]["minItems"] == 4


OFF_TOPIC = answer("Stocks rose sharply on Monday.", ["Bonds fell in the morning session.",
                   "Traders watched the central bank.", "Oil prices moved sideways.", "Gold held steady all day."],
                   "Follow for more market news.")


def test_chatter_is_cleaned_out_of_a_candidate_and_the_template_fills_the_hook():
    chatty = answer("Sure! Here is your script about octopuses.", BODY + ["I'm thrilled to announce my webinar!"],
                    "Follow for more ocean facts.")
    draft = compose(Scripted([chatty]), candidates=1)
    assert draft.passed and draft.body == BODY and "webinar" not in draft.text
    assert draft.hook == "Here are a few things most people never learn about how octopuses change colour."


def test_best_of_n_keeps_the_candidate_that_passes_the_gate():
    good = answer("Octopuses can vanish in a blink.", BODY, "Follow for more ocean facts.")
    provider = Scripted([OFF_TOPIC, good])
    draft = compose(provider)
    assert draft.hook == "Octopuses can vanish in a blink." and draft.passed and len(provider.calls) == 2


def test_no_passing_candidate_keeps_the_best_with_the_reasons():
    draft = compose(Scripted([OFF_TOPIC, OFF_TOPIC]))
    assert not draft.passed and any("off topic" in r for r in draft.reasons)


def test_a_missing_call_to_action_comes_from_the_format():
    provider = Scripted([answer("Octopuses can vanish in a blink.", BODY[:3], "Octopuses are clever animals indeed.")])
    draft = compose(provider, candidates=1)
    assert draft.cta == "Follow for more about ocean animals." and is_call_to_action(draft.cta)
    assert draft.body[-1] == "Octopuses are clever animals indeed."  # kept as content, not lost


def test_formats_by_niche():
    assert choose_format("personal finance tips").id == "how_to"
    assert choose_format("world history stories").id == "twist_story"
    assert choose_format("nutrition and health").id == "myth_fact"
    assert choose_format("surprising science facts").id == "listicle"
    assert choose_format("anything", "myth_fact").id == "myth_fact"


def test_fact_check_removes_false_claims_and_rejects_a_thin_script():
    draft = ScriptDraft("Octopuses can vanish in a blink.", list(BODY), "Follow for more.", "listicle")
    provider = Scripted([json.dumps({"false_claims": [BODY[3]]})])
    checked = fact_check(provider, "octopuses", draft)
    assert checked.body == BODY[:3] and checked.passed and "fact check removed" in checked.reasons[0]
    provider = Scripted([json.dumps({"false_claims": BODY[:3]})])
    assert not fact_check(provider, "octopuses", checked).passed


def test_fact_check_that_cannot_run_sends_the_script_to_review():
    draft = ScriptDraft("Hook.", list(BODY), "Follow for more.", "listicle")
    provider = Scripted([errors.ServiceUnavailable("Mistral", "server error (HTTP 503)")])
    checked = fact_check(provider, "octopuses", draft)
    assert not checked.passed and "did not answer" in checked.reasons[0]


def test_copied_example_call_to_action_labels_and_fragments_are_cleaned():
    copied_cta = FORMATS["listicle"].example["cta"]  # "Follow for more animal facts.", copied by the small model
    provider = Scripted([answer("Octopuses can vanish in a blink.",
                                ["Tail: Octopuses change colour with special skin cells.",
                                 "Which involves having cells drawn from one side.",
                                 "//The twist is that they are colour-blind.", *BODY[1:3]], copied_cta)])
    draft = compose(provider, candidates=1)
    assert draft.body[:2] == ["Octopuses change colour with special skin cells.", "The twist is that they are colour-blind."]
    assert draft.cta == "Follow for more about ocean animals."


def test_how_to_steps_are_numbered_in_order():
    from moneyprinter.shorts.script import renumber_steps

    steps = ["First, set money aside.", "Third, choose a savings account.", "Sixth: pay off debt.", "It adds up."]
    assert renumber_steps(steps) == ["First, set money aside.", "Second, choose a savings account.",
                                     "Finally, pay off debt.", "It adds up."]


def test_clause_fragments_are_dropped_and_cardinal_steps_renumbered():
    from moneyprinter.shorts.script import renumber_steps
    from moneyprinter.text.chatter import clean_sentences

    raw = ("Budgets help. And long term ones. Once you have decided how much is left over from last month. "
           "When you save early, interest does the work.")
    kept = clean_sentences(raw, prompts=[], max_words=30)
    assert "And long term ones." not in kept and not any(s.startswith("Once") for s in kept)
    assert "When you save early, interest does the work." in kept
    assert renumber_steps(["One, set goals.", "Two, save.", "Four, invest."]) == \
        ["First, set goals.", "Second, save.", "Finally, invest."]


def test_a_format_per_niche_overrides_auto():
    formats = {"cooking": "myth_fact", "space": "twist_story"}
    assert choose_format("cooking tips", "auto", formats).id == "myth_fact"
    assert choose_format("Space and astronomy", "auto", formats).id == "twist_story"
    assert choose_format("personal finance", "auto", formats).id == "how_to"  # not listed: by the niche's words
    assert choose_format("cooking tips", "listicle", formats).id == "myth_fact"  # the niche's own setting wins


def test_a_bad_format_per_niche_names_the_valid_formats(tmp_path):
    import pytest

    from moneyprinter.config import load_config
    from moneyprinter.errors import ConfigError

    config = tmp_path / "config.toml"
    config.write_text('[text]\nformats = { "cooking" = "recipe" }\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config_file=config, env_file=tmp_path / ".env")
    message = f"{caught.value.message} {caught.value.hint}"
    assert "text.formats.cooking" in message and "recipe" in message
    assert all(name in message for name in ("listicle", "how_to", "myth_fact", "twist_story"))
