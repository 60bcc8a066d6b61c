"""A second pass for capable (cloud) models: the model lists the script's false or unverifiable claims,
and those sentences are removed; a script left too thin is rejected (it goes to review)."""

from __future__ import annotations

import logging

from moneyprinter import errors
from moneyprinter.providers.llm import TextProvider
from moneyprinter.shorts.script import ScriptDraft
from moneyprinter.text.json_answers import parse_json_object
from moneyprinter.text.similarity import similarity

log = logging.getLogger(__name__)

SYSTEM = (
    "You are a careful fact checker. You get the narration of a short video. Answer with JSON only: "
    '{"false_claims": ["<each sentence that is false or cannot be verified, copied exactly>"]}. '
    "An empty list means every sentence is accurate."
)
SCHEMA = {"type": "object", "properties": {"false_claims": {"type": "array", "items": {"type": "string"}}},
          "required": ["false_claims"]}


def fact_check(provider: TextProvider, topic: str, draft: ScriptDraft) -> ScriptDraft:
    """The draft without the sentences the model calls false; rejected when fewer than two body sentences stay."""
    prompt = f"Topic: {topic}\nNarration:\n" + "\n".join(draft.sentences)
    try:
        answer = provider.complete(prompt, system=SYSTEM, max_tokens=400, temperature=0.0, schema=SCHEMA)
    except errors.ServiceError as exc:
        draft.passed = False
        draft.reasons.append(f"fact check: the provider did not answer ({exc.message})")
        return draft
    data = parse_json_object(answer)
    claims = data.get("false_claims") if isinstance(data, dict) else None
    if not isinstance(claims, list):
        draft.passed = False
        draft.reasons.append("fact check: the answer was not a list of claims")
        return draft
    claims = [c for c in claims if isinstance(c, str) and c.strip()]
    false = [s for s in draft.body if any(similarity(s, claim) > 0.8 or claim.strip() in s for claim in claims)]
    if not false:
        return draft
    log.info("fact check removed %d sentence(s): %s", len(false), false)
    draft.body = [s for s in draft.body if s not in false]
    draft.reasons.append("fact check removed: " + " | ".join(false))
    if len(draft.body) < 2:
        draft.passed = False
        draft.reasons.append("fact check: too little is left after removing false claims")
    return draft
