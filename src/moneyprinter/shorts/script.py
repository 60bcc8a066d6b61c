"""A Short's script: up to N structured candidates (hook, body, call to action), checked by the
quality gate.

Up to N candidates are written; the first that passes every blocking check of the gate wins (its
flags, numbers or events the local model may have made up, go with it to review). When none
passes, the best is still kept (so a person can edit it) with the gate's reasons, and the Short
then waits in review instead of being published.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from moneyprinter.providers.llm import TextProvider
from moneyprinter.shorts import writer
from moneyprinter.shorts.formats import Format, is_call_to_action, script_schema, template_cta, template_hook
from moneyprinter.text import gate, suggestions
from moneyprinter.text.grounding import Grounding, near_copy, supporting_fact
from moneyprinter.text.chatter import clean_sentences
from moneyprinter.text.json_answers import parse_json_object
from moneyprinter.text.sentences import normalize, split_sentences

log = logging.getLogger(__name__)

SYSTEM = (
    "You write the narration of short vertical videos as JSON with the keys hook, body and cta. "
    "hook: one sentence that makes people stay. body: plain, complete, true sentences about the topic. "
    "cta: one short call to action. No lists, labels, emoji, links or hashtags."
)


@dataclass
class ScriptDraft:
    hook: str
    body: list[str]
    cta: str
    format: str
    reasons: list[str] = field(default_factory=list)  # why it did not pass, or what to check
    passed: bool = True
    sources: list[str] = field(default_factory=list)  # where the curated facts it says come from
    grounded: bool = False  # every body sentence says one of the curated facts

    @property
    def sentences(self) -> list[str]:
        return [s for s in (self.hook, *self.body, self.cta) if s]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    def to_json(self) -> dict:
        return {"hook": self.hook, "body": self.body, "cta": self.cta, "format": self.format,
                "passed": self.passed, "reasons": self.reasons, "grounded": self.grounded, "sources": self.sources}


def prompt_for(fmt: Format, topic: str, body_sentences: int, language: str) -> str:
    return (f"Write {body_sentences} sentences for a short video about: {topic}. "
            f"Format: {fmt.ask(body_sentences)}.{writer._language_note(language)}")


def compose_script(
    provider: TextProvider, topic: str, *, fmt: Format, niche: str, body_sentences: int, max_words: int,
    candidates: int = 1, language: str = "en", local_model: bool = False, grounding: Grounding | None = None,
) -> ScriptDraft:
    """The best of ``candidates`` structured scripts about ``topic`` (see the module docstring).

    With ``grounding`` (curated facts about the topic), the model is given the facts to rephrase; for
    the local model each body sentence must say one of them, and a fact it dropped or changed is used
    as written (``compose_grounded``)."""
    if grounding is not None:
        return compose_grounded(provider, topic, fmt=fmt, niche=niche, body_sentences=body_sentences,
                                max_words=max_words, candidates=candidates, language=language,
                                local_model=local_model, grounding=grounding)
    if local_model and language.startswith("en"):
        return compose_suggestions(provider, topic, niche=niche, body_sentences=body_sentences, candidates=candidates)
    prompt = prompt_for(fmt, topic, body_sentences, language)
    example = (prompt_for(fmt, fmt.example_topic, body_sentences, "en"), fmt.example_answer(body_sentences))
    echoes = [prompt, SYSTEM, *fmt.example["body"], fmt.example["hook"], fmt.example["cta"]]  # copies of the example
    context = gate.Context(topic=topic, source=topic, instructions=[prompt, SYSTEM], local_model=local_model,
                           language=language)
    verdicts: list[tuple[gate.Verdict, ScriptDraft]] = []
    for i in range(max(1, candidates)):
        answer = writer.with_attempts("script", provider, lambda attempt: provider.complete(
            prompt, system=SYSTEM, examples=[example], max_tokens=60 * (body_sentences + 2) + 40,
            temperature=min(1.1, 0.6 + 0.15 * (i + attempt)), schema=script_schema(body_sentences)))
        draft = draft_from_answer(answer, fmt, topic=topic, niche=niche, body_sentences=body_sentences,
                                  max_words=max_words, echoes=echoes)
        verdict = gate.check(draft.text, gate.Kind.SCRIPT, context)
        verdicts.append((verdict, draft))
        log.info("script candidate %d: %s", i + 1, "passed" if verdict.passed else "; ".join(verdict.reasons()))
        if verdict.passed:  # flags (numbers to check) go to review; another call rarely has fewer, and costs ~5 s
            break
    verdict, draft = min(verdicts, key=lambda pair: pair[0].rank())
    if 2 <= len(draft.body) < body_sentences:  # cleanup dropped some: one more call tops the body up
        draft.body += _more_sentences(provider, topic, draft, body_sentences - len(draft.body), max_words, echoes)
        verdict = gate.check(draft.text, gate.Kind.SCRIPT, context)
    if len(draft.body) < 2:  # nothing structured came back: the sentence collector asks until it has enough
        body = writer.write_script(provider, topic, sentences=body_sentences, max_words=max_words, language=language)
        draft = ScriptDraft(template_hook(fmt, topic), split_sentences(body), template_cta(fmt, niche), fmt.id)
        verdict = gate.check(draft.text, gate.Kind.SCRIPT, context)
    draft.passed, draft.reasons = verdict.passed, verdict.reasons()
    return draft


SUGGESTIONS_FORMAT = "suggestions"


def compose_suggestions(provider: TextProvider, topic: str, *, niche: str, body_sentences: int,
                        candidates: int) -> ScriptDraft:
    """A topic no curated fact set covers, with the local model: suggestions, not claims.

    Its own scripts on such topics were made up ("a brand called The Grip", "Your first game is about
    a cat"). The hook comes from the topic's words, the body from the model's suggestions that pass
    alone (``text.suggestions``) and use the topic's or the niche's words, pooled over up to ``candidates`` + 1 calls;
    general suggestions fill a body left under three; the call to action asks the audience."""
    count = body_sentences + 1  # a few are always unusable
    hook = suggestions.hook(topic)
    about = f"{topic}, {niche}"  # a tip on 'Lisbon on a budget' may use the niche's words: 'travel', 'Portugal'
    written: list[str] = []
    found: list[suggestions.Suggestion] = []
    for i in range(max(1, candidates) + 1):
        answer = writer.with_attempts("script", provider, lambda attempt: provider.complete(
            suggestions.prompt(topic, count), system=suggestions.SYSTEM, examples=[suggestions.example(count)],
            max_tokens=45 * count + 30, temperature=min(1.1, 0.6 + 0.15 * (i + attempt)),
            schema=suggestions.schema(count)))
        written += suggestions.tips_from_answer(answer)
        found = [s for s in suggestions.best_suggestions(written, about, body_sentences, avoid=[hook]) if s.topic_hits]
        log.info("suggestions call %d: %d usable", i + 1, len(found))
        if len(found) >= body_sentences:
            break
    body = [s.text for s in found]
    body += suggestions.general(body, max(0, 3 - len(body)))
    draft = ScriptDraft(hook, body, suggestions.CTA, SUGGESTIONS_FORMAT)
    context = gate.Context(topic=topic, source=topic, local_model=True)
    verdict = gate.check(draft.text, gate.Kind.SCRIPT, context)
    draft.passed, draft.reasons = verdict.passed, verdict.reasons()
    return draft


def grounded_prompt(fmt: Format, topic: str, facts: list[str], language: str) -> str:
    lines = "\n".join(f"{i}. {fact}" for i, fact in enumerate(facts, start=1))
    return (f"{prompt_for(fmt, topic, len(facts), language)}\n"
            f"Say only these facts, one sentence each, in this order:\n{lines}")


def compose_grounded(
    provider: TextProvider, topic: str, *, fmt: Format, niche: str, body_sentences: int, max_words: int,
    candidates: int, language: str, local_model: bool, grounding: Grounding,
) -> ScriptDraft:
    """A script that says the curated facts: the model's rephrasing where it still says a fact, the fact
    itself where it does not. A cloud model gets the facts as context and is checked as any script."""
    myth = grounding.subject.myth if grounding.subject and fmt.id == "myth_fact" else ""
    facts = grounding.texts[: body_sentences - (1 if myth else 0)]
    prompt = grounded_prompt(fmt, topic, facts, language)
    example_facts = fmt.example["body"][: len(facts)]
    example = (grounded_prompt(fmt, fmt.example_topic, example_facts, "en"), fmt.example_answer(len(facts)))
    echoes = [SYSTEM, *fmt.example["body"], fmt.example["hook"], fmt.example["cta"]]
    subject_hook = grounding.subject.hook if grounding.subject else ""
    cta = template_cta(fmt, niche)
    best: tuple[gate.Verdict, ScriptDraft] | None = None
    for i in range(max(1, candidates)):
        answer = writer.with_attempts("script", provider, lambda attempt: provider.complete(
            prompt, system=SYSTEM, examples=[example], max_tokens=60 * (len(facts) + 2) + 40,
            temperature=min(1.1, 0.4 + 0.15 * (i + attempt)), schema=script_schema(len(facts), max_chars=200)))
        written = draft_from_answer(answer, fmt, topic=topic, niche=niche, body_sentences=len(facts),
                                    max_words=max_words, echoes=echoes)
        body = grounded_body(written.body, facts) if local_model else written.body
        hook = subject_hook or (written.hook if supporting_fact(written.hook, facts) else template_hook(fmt, topic))
        if not local_model:
            hook, cta = written.hook, written.cta
        draft = ScriptDraft(hook, [myth, *body] if myth else body, cta, fmt.id, sources=grounding.sources)
        context = gate.Context(
            topic=topic, source=" ".join([topic, *grounding.texts, *grounding.extra]), local_model=local_model,
            instructions=[SYSTEM], language=language, facts=grounding.texts if local_model else (),
            allowed=[hook, cta, myth],
        )
        verdict = gate.check(draft.text, gate.Kind.SCRIPT, context)
        log.info("grounded script candidate %d: %s", i + 1, "passed" if verdict.passed else "; ".join(verdict.reasons()))
        if best is None or verdict.rank() < best[0].rank():
            best = (verdict, draft)
        if verdict.passed:
            break
    verdict, draft = best
    if local_model and not verdict.passed:  # the rephrasings clash (a near-repeat): the facts as written
        draft = ScriptDraft(subject_hook or template_hook(fmt, topic), [myth, *facts] if myth else list(facts), cta,
                            fmt.id, sources=grounding.sources)
        verdict = gate.check(draft.text, gate.Kind.SCRIPT, context)
    draft.passed, draft.reasons = verdict.passed, verdict.reasons()
    draft.grounded = local_model and verdict.passed
    return draft


def grounded_body(written: list[str], facts: list[str]) -> list[str]:
    """One sentence per fact, in the facts' order: the model's sentence that says it, else the fact."""
    said: dict[str, str] = {}
    for sentence in written:
        fact = supporting_fact(sentence, facts)
        if fact is not None and fact not in said:
            said[fact] = fact if near_copy(sentence, fact) else sentence
    return [said.get(fact, fact) for fact in facts]


def _more_sentences(provider: TextProvider, topic: str, draft: ScriptDraft, missing: int, max_words: int,
                    echoes: list[str]) -> list[str]:
    """Up to ``missing`` new sentences that continue the body (shown back as the model's own answer)."""
    first = f"Write {len(draft.body) + missing} sentences for a short video about: {topic}"
    prompt = f"Write {missing} more sentence{'s' if missing > 1 else ''} about {topic} that continue it."
    try:
        answer = provider.complete(prompt, system=writer.SCRIPT_SYSTEM, examples=[(first, " ".join(draft.body))],
                                   max_tokens=45 * missing + 20, temperature=0.7)
    except Exception as exc:  # noqa: BLE001 - a top-up is optional: the draft stands without it
        log.info("script top-up failed: %s", exc)
        return []
    seen = {normalize(s) for s in draft.sentences}
    return clean_sentences(answer, prompts=[prompt, *echoes], max_words=max_words, seen=seen)[:missing]


def draft_from_answer(answer: str, fmt: Format, *, topic: str, niche: str, body_sentences: int, max_words: int,
                      echoes: list[str]) -> ScriptDraft:
    """A draft from a JSON answer, or from plain prose when the provider ignored JSON mode.

    Each part is cleaned like any narration; a missing or unusable hook or call to action comes
    from the format's template."""
    data = parse_json_object(answer) or {}
    seen: set[str] = set()

    def clean(value) -> list[str]:
        texts = value if isinstance(value, list) else [value]
        found = []
        for text in texts:
            if isinstance(text, str) and text.strip():
                found += clean_sentences(text, prompts=echoes, max_words=max_words, seen=seen)
        return found

    if data:
        hook, body, cta = clean(data.get("hook"))[:1], clean(data.get("body")), clean(data.get("cta"))[-1:]
    else:
        sentences = clean(answer)
        hook, body, cta = sentences[:1], sentences[1:], []
        if body and is_call_to_action(body[-1]):
            cta = [body.pop()]
    if body and cta and normalize(cta[0]) == normalize(body[-1]):
        body.pop()
    if not cta or not is_call_to_action(cta[0]):
        body += [c for c in cta if not is_call_to_action(c)]
        cta = [template_cta(fmt, niche)]
    if not hook:
        hook = [template_hook(fmt, topic)]
    return ScriptDraft(hook[0], renumber_steps(body[:body_sentences]), cta[0], fmt.id)


_ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth")
_CARDINALS = ("One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten")
_STEP = re.compile(rf"^(?:{'|'.join(_ORDINALS + _CARDINALS)}|Next|Then|Finally|Lastly)\b\s*[,:]\s*|"
                   rf"^(?:{'|'.join(_ORDINALS)}|Next|Then|Finally|Lastly)\b\s*", re.I)


def renumber_steps(body: list[str]) -> list[str]:
    """Steps in order: the model skips ordinals ('First ... Third ... Sixth ... Eighth')."""
    steps = [i for i, s in enumerate(body) if _STEP.match(s)]
    if len(steps) < 2:
        return body
    body = list(body)
    for n, i in enumerate(steps):
        rest = _STEP.sub("", body[i])
        word = "Finally" if n == len(steps) - 1 and n >= 2 else _ORDINALS[min(n, len(_ORDINALS) - 1)]
        body[i] = f"{word}, {rest[:1].lower()}{rest[1:]}" if rest else body[i]
    return body
