"""The bundled SmolLM2 model for real, through the Shorts writing steps. Structure only, never wording.

One test, so the model loads once; small token budgets keep it quick.
"""

from __future__ import annotations

import pytest

from moneyprinter.shorts import writer as short_writer
from moneyprinter.providers.llm import text_providers
from moneyprinter.text.sentences import normalize, split_sentences

pytestmark = pytest.mark.slow


def test_local_model_writes_a_clean_script_title_and_topic():
    provider = text_providers.create("local", {"seed": 7})
    topic = short_writer.write_topic(provider, "ocean animals")
    assert 3 <= len(topic) <= 120 and "\n" not in topic
    assert normalize(topic) not in {normalize(a) for _, a in short_writer.TOPIC_EXAMPLES}

    script = short_writer.write_script(provider, "why octopuses change colour", sentences=3, max_words=32)
    sentences = split_sentences(script)
    assert len(sentences) == 3
    keys = [normalize(s) for s in sentences]
    assert len(set(keys)) == 3  # no repeated sentence
    for sentence in sentences:
        assert sentence[-1] in ".!?" and len(sentence.split()) <= 32
        assert not sentence.lower().startswith(("write", "here is", "sure", "narrator"))
        assert normalize(sentence) not in normalize(short_writer.SCRIPT_SYSTEM)
        assert all(normalize(sentence) not in normalize(a) for _, a in short_writer.SCRIPT_EXAMPLES)
    assert "**" not in script and "#" not in script and ":" not in script.split(".")[0][:12]

    title = short_writer.write_title(provider, "why octopuses change colour")
    assert 3 <= len(title) <= 90 and "\n" not in title and not title.startswith('"')


def test_local_model_answers_the_script_schema_with_valid_json():
    import json

    from moneyprinter.shorts.formats import FORMATS, script_schema
    from moneyprinter.shorts.script import compose_script

    provider = text_providers.create("local", {"seed": 7})
    raw = provider.complete("Write 3 sentences for a short video about: why honey never spoils. Format: 3 facts.",
                            max_tokens=300, schema=script_schema(3))
    data = json.loads(raw)  # the grammar makes the answer parse: no repair, no retry
    assert set(data) == {"hook", "body", "cta"} and len(data["body"]) == 3
    assert all(15 <= len(s) <= 150 for s in data["body"])
    draft = compose_script(provider, "why honey never spoils", fmt=FORMATS["listicle"], niche="food facts",
                           body_sentences=3, max_words=32, candidates=1, local_model=True)
    assert draft.hook and draft.cta and len(draft.body) >= 2
