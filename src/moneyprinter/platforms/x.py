"""X: write posts (or threads) for an X account and hand them to its publisher.

A generated post is on the account's topic and in its language, fits X's weighted 280, is
cleaned of the model's wrapping, and differs from the account's recent posts: the last
``history_size`` posts go into the prompt as "do not repeat", and a post too similar to any
of them is written again (at most ``max_attempts`` times, then a clear error).
Explicit text is posted exactly as given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import logging
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from moneyprinter.errors import Conflict, ProviderError, UsageError
from moneyprinter.platforms.text_source import XWriter
from moneyprinter.platforms.x_accounts import language_name, require_topic, x_account
from moneyprinter.publishers import Deliveries, SubmitResult, submit_everywhere
from moneyprinter.store import content, publications
from moneyprinter.store.content import ContentItem
from moneyprinter.store.content_meta import PostMeta
from moneyprinter.text import gate, grounding, suggestions
from moneyprinter.text.cleanup import clean_post, drop_copied_context, drop_repeated_sentences, drop_thread_markers
from moneyprinter.text.sentences import split_sentences
from moneyprinter.text.similarity import echoes, most_similar
from moneyprinter.text.x_length import MAX_WEIGHTED_LENGTH, weighted_length

if TYPE_CHECKING:
    from moneyprinter.app import App

log = logging.getLogger(__name__)

POST_KINDS = ("post", "thread")
THREAD_MIN, THREAD_MAX = 2, 5
SYSTEM = "You write posts for X (Twitter). Reply with the text of the post only: no title, no quotes, no notes."


@dataclass
class Posted:
    item: ContentItem
    result: SubmitResult  # the item's own publication's
    posts: list[str]
    deliveries: Deliveries | None = None  # every destination's outcome, the item's own first


class X(XWriter):
    """Posts and threads for one X account. ``review`` holds why the last written text needs a person's
    reading (the gate's reasons, or that the local model wrote it); ``publish`` sends it to review then."""

    # --- history ------------------------------------------------------------------------

    def recent_posts(self) -> list[str]:
        """The texts of the account's last ``history_size`` posts (each post of a thread counts), newest first."""
        items = content.list_items(self.app.db, account_id=self.account.id, kinds=POST_KINDS,
                                   limit=self.settings.history_size)
        texts: list[str] = []
        for item in items:
            posts = item.metadata.posts or [item.body]
            if item.kind == "thread":  # without our " n/N" markers, which a small model copies from the prompt
                posts = [re.sub(r" \d/\d$", "", post) for post in posts]
            texts.extend(posts)
        return texts[: self.settings.history_size]

    def history(self, limit: int = 50) -> list[ContentItem]:
        """Posts, threads and affiliate pitches, newest first, for the history table."""
        return content.list_items(self.app.db, account_id=self.account.id, kinds=(*POST_KINDS, "pitch"), limit=limit)

    # --- writing ------------------------------------------------------------------------

    def write_post(self) -> str:
        topic = require_topic(self.account)
        avoid = self.recent_posts()
        facts = grounding.facts_for_post(topic, avoid) if self.provider.bundled and \
            self.account.language.startswith("en") else []
        if facts:
            return self._grounded_post(topic, [f.text for f in facts], avoid)
        if self.provider.bundled and self.account.language.startswith("en"):
            return self._suggestion_post(topic, avoid)
        prompt = self._post_prompt(topic, avoid)
        verdict = self._generate(prompt, avoid=avoid, limit=MAX_WEIGHTED_LENGTH, what="post", topic=topic)
        self.review = self._review_reasons([verdict])
        return verdict.text

    def _grounded_post(self, topic: str, facts: list[str], avoid: list[str]) -> str:
        """The local model rephrases curated facts of the niche; if what it wrote says anything else
        (or nothing usable), the facts themselves are posted with the niche's hashtags."""
        prompt = "\n".join([
            f"Write one post for X about {topic} that says these facts in your own words.",
            f"Fact: {' '.join(facts)}",
            f"Keep it under 240 characters, with at most {self.settings.max_hashtags} hashtags.",
        ])
        verdict = None
        try:
            verdict = self._generate(prompt, avoid=avoid, limit=MAX_WEIGHTED_LENGTH, what="post", topic=topic,
                                     facts=facts)
        except ProviderError as exc:
            log.info("no usable rephrasing of the fact: %s", exc.message)
        if verdict is None or not verdict.passed:
            tags = " ".join(grounding.post_hashtags(topic, limit=min(2, self.settings.max_hashtags)))
            verdict = gate.check(f"{' '.join(facts)} {tags}".strip(), gate.Kind.POST,
                                 gate.Context(topic=topic, source=" ".join([topic, *facts]), facts=facts,
                                              local_model=True))
        self.review = self._review_reasons([verdict], grounded=True)
        return verdict.text

    def _suggestion_post(self, topic: str, avoid: list[str]) -> str:
        """A topic no fact set covers, offline: one of the model's suggestions that uses the topic's words,
        then a question to the audience; the question alone when no suggestion is usable. (Its own
        posts on such topics were made-up stories and meta-talk: "I just arrived in Portugal ...")"""
        said = [s for post in avoid for s in split_sentences(post)]
        picked = [s for s in self._suggestions(topic, said) if s.topic_hits]
        ask = next((q for q in suggestions.questions(topic, turn=len(avoid)) if q not in " ".join(avoid)),
                   suggestions.question(topic, len(avoid)))
        tags = " ".join(grounding.post_hashtags(topic, limit=min(2, self.settings.max_hashtags)))
        context = gate.Context(topic=topic, source=topic, local_model=True, language=self.account.language)
        verdicts = []
        for text in [f"{s.text} {ask}" for s in picked] + [ask]:
            verdict = gate.check(f"{text} {tags}".strip(), gate.Kind.POST, context)
            if most_similar(verdict.text, avoid)[0] > self.settings.similarity_threshold:
                continue
            verdicts.append(verdict)
            if verdict.passed:
                break
        verdict = gate.best(verdicts) or gate.check(f"{ask} {tags}".strip(), gate.Kind.POST, context)
        self.review = self._review_reasons([verdict])
        return verdict.text

    def _suggestions(self, topic: str, said: list[str]) -> list[suggestions.Suggestion]:
        """Usable suggestions of the model, at most two calls (a call is about a second offline)."""
        count, written = 3, []
        for attempt in range(2):
            try:
                answer = self.provider.complete(
                    suggestions.prompt(topic, count), system=suggestions.SYSTEM, examples=[suggestions.example(count)],
                    max_tokens=45 * count + 30, temperature=0.6 + 0.2 * attempt, schema=suggestions.schema(count))
            except ProviderError as exc:
                log.info("no suggestions from the model: %s", exc.message)
                break
            written += suggestions.tips_from_answer(answer)
            found = suggestions.best_suggestions(written, topic, count, avoid=said)
            if any(s.topic_hits for s in found):
                return found
        return []

    def write_thread(self, count: int) -> list[str]:
        check_thread_length(count)
        topic = require_topic(self.account)
        avoid = self.recent_posts()
        bodies: list[str] = []  # the posts without our "n/N" markers, which the model would copy
        verdicts = []
        for number in range(1, count + 1):
            marker = f" {number}/{count}"
            prompt = self._thread_prompt(topic, number, count, bodies, avoid)
            verdict = self._generate(
                prompt, avoid=avoid + bodies, limit=MAX_WEIGHTED_LENGTH - weighted_length(marker),
                what=f"post {number} of the thread", topic=topic if number == 1 else "",  # later parts build on it
                prepare=lambda raw: drop_repeated_sentences(drop_thread_markers(raw, count), bodies),
            )
            verdicts.append(verdict)
            bodies.append(verdict.text)
        self.review = self._review_reasons(verdicts)
        return [f"{text} {number}/{count}" for number, text in enumerate(bodies, start=1)]

    def _post_prompt(self, topic: str, avoid: list[str]) -> str:
        lines = [
            f"Write one post for X about: {topic}.",
            f"Write it in {language_name(self.account.language)}.",
            f"Keep it under 240 characters, with at most {self.settings.max_hashtags} hashtags.",
            "Make it specific: one idea, tip or fact, not a slogan.",
        ]
        return "\n".join(lines + self._do_not_repeat(avoid))

    def _thread_prompt(self, topic: str, number: int, count: int, so_far: list[str], avoid: list[str]) -> str:
        if so_far:
            lines = [f"Write the next post of a thread for X about: {topic}.", "The thread so far:"]
            lines += [f"{i}. {text}" for i, text in enumerate(so_far, start=1)]
            lines.append("Add one new point that the earlier posts did not make.")
        else:
            lines = [f"Write the first post of a thread for X about: {topic}.",
                     "Make it a hook that makes people want to read on."]
        lines += [
            f"Write it in {language_name(self.account.language)}.",
            f"Keep it under 230 characters, with at most {self.settings.max_hashtags} hashtags.",
        ]
        return "\n".join(lines + self._do_not_repeat(avoid))

    def _do_not_repeat(self, avoid: list[str]) -> list[str]:
        """The recent posts as a 'do not repeat' list, newest first, within the prompt budget."""
        lines, used = [], 0
        for text in avoid:
            line = "- " + " ".join(text.split())[:120]
            if used + len(line) > self.settings.history_prompt_chars:
                break
            lines.append(line)
            used += len(line)
        return ["Do not repeat any of these earlier posts:", *lines] if lines else []

    def _generate(self, prompt: str, *, avoid: list[str], limit: int, what: str, topic: str,
                  prepare=None, facts: list[str] | None = None) -> gate.Verdict:
        """Ask, clean, compare and check with the gate, up to ``max_attempts`` times; the best candidate.

        An empty, cut-off, parroted or repeated answer is never used; after the last attempt with
        nothing else, a clear error. A candidate that fails the gate may still be the best one: it
        then goes to review with the gate's reasons (see ``_review_reasons``)."""
        problems: list[str] = []
        candidates: list[gate.Verdict] = []
        shown = [line[2:] for line in self._do_not_repeat(avoid)[1:]]  # what the prompt showed, cut short
        context = gate.Context(topic=topic, source=" ".join([topic, *(facts or [])]), limit=limit,
                               instructions=[SYSTEM, *instructions(prompt)], facts=facts or (),
                               local_model=self.provider.bundled, language=self.account.language)
        for attempt in range(1, self.settings.max_attempts + 1):
            raw = self.provider.complete(
                prompt, system=SYSTEM, max_tokens=self.settings.max_tokens, temperature=self.settings.temperature
            )
            cleaned = self._clean(raw, prepare, limit)
            text = drop_copied_context(cleaned, shown)  # the 'do not repeat' list, cut short, copied into the post
            if not text:
                problems.append("too similar to a recent post (copied from the prompt)" if cleaned else
                                "nothing usable (empty, cut off or too long)")
                continue
            if echoes(text, [SYSTEM, *instructions(prompt)], self.settings.similarity_threshold):
                problems.append("it repeated the instructions")
                continue
            score, _ = most_similar(text, avoid)
            if score > self.settings.similarity_threshold:
                problems.append(f"too similar to a recent post ({score:.2f})")
                log.info("attempt %d: %s too similar to a recent post (%.2f); asking again", attempt, what, score)
                continue
            verdict = gate.check(text, gate.Kind.POST if what == "post" else gate.Kind.THREAD_PART, context)
            candidates.append(verdict)
            if verdict.passed:  # flags go with it to review; asking again costs a model call
                break
            problems.append("; ".join(verdict.reasons()))
        if not candidates:
            raise ProviderError(
                f"could not write a new {what} for '{self.account.nickname}' in {self.settings.max_attempts} attempts: "
                + "; ".join(problems),
                hint="try again, make the account's topic more specific, or raise x.similarity_threshold",
            )
        return gate.best(candidates)

    def _clean(self, raw: str, prepare, limit: int) -> str:
        max_hashtags = self.settings.max_hashtags
        text = clean_post(prepare(raw) if prepare else raw, max_hashtags=max_hashtags, limit=limit)
        if prepare and text:  # again: unwrapping quotes may have uncovered more to drop
            text = clean_post(prepare(text), max_hashtags=max_hashtags, limit=limit)
        return text

    def _review_reasons(self, verdicts: list[gate.Verdict], *, grounded: bool = False) -> list[str]:
        """Why a person should read the text first: the gate's problems and flags, and local-model authorship."""
        reasons = [reason for verdict in verdicts for reason in verdict.review_reasons()]
        if self.provider.bundled:
            if self.app.settings.text.local_model_review:
                reasons.append("written by the bundled local model from curated facts: check its wording" if grounded
                               else "written by the bundled local model, which can state falsehoods"
                                    " (the topic matches no curated fact set)")
            else:
                log.warning("text.local_model_review is off: a post of the bundled local model goes out unread")
        return reasons

    # --- posting ------------------------------------------------------------------------

    def make_post(self, *, thread: int | None = None) -> Posted:
        """Write a post (or a thread of ``thread`` posts) and submit it to the account's publisher
        (or to review, when the gate or the local model asks for a person's reading)."""
        if thread:
            return self.publish("thread", self.write_thread(thread), source="generated")
        return self.publish("post", [self.write_post()], source="generated")

    def post_text(self, text: str, *, again: bool = False) -> Posted:
        """Post ``text`` exactly as given: not cleaned, not shortened; refused if X would refuse it."""
        if not text.strip():
            raise UsageError("the post text is empty", hint="pass the text with --text \"...\"")
        length = weighted_length(text)
        if length > MAX_WEIGHTED_LENGTH:
            raise UsageError(
                f"the post is {length} characters as X counts them (URLs 23, CJK and emoji 2); X allows {MAX_WEIGHTED_LENGTH}",
                hint="shorten the text",
            )
        return self.publish("post", [text], source="given", again=again)

    def publish(self, kind: str, posts: list[str], *, source: str, again: bool = False) -> Posted:
        body = posts[0] if kind == "post" else "\n\n".join(posts)
        if not again:
            refuse_rerun(self.app.db, self.account.id, kind, body)
        # The item is stored before the publisher is called: the intent survives a crash.
        item = content.create_item(
            self.app.db,
            self.account.id,
            kind,
            title=" ".join(posts[0].split())[:80],
            body=body,
            metadata=PostMeta(posts=posts, weighted_lengths=[weighted_length(p) for p in posts], source=source),
        )
        done = submit_everywhere(self.app, item, review=self.review if source == "generated" else ())
        result = done.own.result
        stored = content.get_item(self.app.db, item.id)
        stored = content.update_item(self.app.db, item.id, metadata=replace(stored.metadata, location=result.location))
        return Posted(stored, result, posts, done)


def refuse_rerun(db, account_id: int, kind: str, body: str) -> None:
    """A killed run of the same command left this very post unfinished in the last 24 h: refuse to make a
    second one (which X may publish next to the first); the person finishes that item instead."""
    since = (datetime.now(UTC) - timedelta(hours=24)).isoformat(timespec="seconds")
    twin = publications.unfinished_twin(db, account_id, kind, body, since)
    if twin is not None:
        raise Conflict(
            f"item {twin.item_id} with this text is still {twin.status} (started {twin.publishing_at or twin.created_at})",
            hint=f"finish it: moneyprinter publish {twin.item_id} (after checking X: --retry-unknown); "
                 "to make a separate new post anyway, add --again",
        )


def instructions(prompt: str) -> list[str]:
    """The prompt's own lines (not the quoted earlier posts), which a good answer does not repeat."""
    return [line for line in prompt.splitlines()
            if not line.startswith(("- ", "Fact: ", *(f"{n}. " for n in range(1, 6))))]


def check_thread_length(count: int) -> int:
    if not THREAD_MIN <= count <= THREAD_MAX:
        raise UsageError(f"a thread has {THREAD_MIN} to {THREAD_MAX} posts, not {count}", hint="use --thread 2 to 5")
    return count


def scheduled_post(app: App, account_nickname: str) -> str:
    """The scheduler's job: one post (or a thread, if the account's options ask for one)."""
    account = x_account(app, account_nickname)
    thread = account.options.get("thread_length") or None
    posted = X(app, account).make_post(thread=int(thread) if thread else None)
    what = f"thread of {len(posted.posts)} posts" if thread else "post"
    posted.deliveries.raise_if_failed()  # a cross-post deferred or failed: the run says so (and defers)
    return "; ".join([f"{account.nickname}: {what} #{posted.item.id} {posted.result.message}",
                      *(d.line() for d in posted.deliveries.crossed())])
