"""Text quality of the real generators with the bundled local model, on a fixed evaluation set.

    python bench/text_quality.py [--limit N] [--out DIR] [--kinds open_shorts,open_posts]

The set (bench/text_quality_data/set.json): 30 Short topics over 6 niches, 10 product pages
(local HTML: JSON-LD, OpenGraph, microdata, Amazon markup) served on a loopback port, 10 post
topics; and, in niches that have no curated fact set (what a user meets with their own niche),
6 Short topics and 10 post topics (``open_shorts``, ``open_posts``). Each goes through the same code as the CLI (script-only drafts, pitch, tweet) in a
temporary data directory, with ``text.local_model_review`` off so the gate alone decides what
would reach the outbox. It reports the gate's pass rate, reviews and template fallbacks, each
defect class in the model's raw answers (before) and in what is kept (after), seconds per item,
and the issue's floors. Every output is saved to DIR (default: bench/text_quality_out/) for reading.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "text_quality_data"
sys.path.insert(0, str(ROOT / "src"))


def serve_pages() -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(DATA / "pages"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class Recorder:
    """Every raw answer of the local model, so the defects before cleanup and the gate can be counted."""

    def __init__(self) -> None:
        from moneyprinter.providers.llm import LocalTextProvider

        self.answers: list[str] = []
        original = LocalTextProvider.complete
        recorder = self

        def complete(provider, prompt, **options):
            answer = original(provider, prompt, **options)
            recorder.answers.append(answer)
            return answer

        LocalTextProvider.complete = complete

    def take(self) -> list[str]:
        taken, self.answers = self.answers, []
        return taken


def raw_text(answer: str) -> str:
    """A raw answer as text: the JSON parts joined (no cleanup), or the answer itself."""
    from moneyprinter.text.json_answers import parse_json_object

    data = parse_json_object(answer)
    if not data:
        return answer.strip()
    parts = []
    for value in data.values():
        parts += value if isinstance(value, list) else [value]
    return " ".join(str(p) for p in parts if p)


def defects(text: str, kind, context) -> list[str]:
    from moneyprinter.text import gate

    return [p.check for p in gate.check(text, kind, context).problems]


def run_scripts(app, niches: dict[str, list[str]], recorder, limit, prefix="niche") -> list[dict]:
    from moneyprinter.terminal.shorts import short_json
    from moneyprinter.platforms.youtube import YouTube
    from moneyprinter.store.accounts import add_account
    from moneyprinter.text import gate

    rows = []
    for n, (niche, topics) in enumerate(niches.items()):
        account = add_account(app.db, "youtube", f"{prefix}{n}", topic=niche)
        for topic in topics[:limit]:
            began = time.monotonic()
            error = None
            try:
                item = YouTube(app, account).draft_script(topic)
                data = short_json(item)
            except Exception as exc:  # noqa: BLE001 - a bench records failures and goes on
                data, error = {}, f"{type(exc).__name__}: {exc}"
            seconds = time.monotonic() - began
            context = gate.Context(topic=topic, source=f"{topic} {curated(niche)}", local_model=True)
            before = [d for a in recorder.take() for d in defects(raw_text(a), gate.Kind.SCRIPT, context)]
            text = " ".join(data.get("sentences", []))
            after = defects(text, gate.Kind.SCRIPT, context) if text else ["empty"]
            grounded = bool(not error and (item.metadata.script or {}).get("grounded"))
            rows.append({"niche": niche, "topic": topic, "seconds": round(seconds, 1), "error": error,
                         "before": before, "after": after, "grounded": grounded, **data})
            print(f"  short  {seconds:5.1f} s  {data.get('title', error)!r}", flush=True)
    return rows


def run_pitches(app, base_url, recorder) -> list[dict]:
    from moneyprinter.platforms.affiliate import AffiliateMarketing, product_source
    from moneyprinter.store.accounts import add_account
    from moneyprinter.store.content import get_item
    from moneyprinter.text import gate

    account = add_account(app.db, "x", "shop", topic="home coffee brewing")
    rows = []
    for page in sorted((DATA / "pages").glob("*.html")):
        began = time.monotonic()
        error, row = None, {}
        try:
            pitched = AffiliateMarketing(app, account).pitch_link(f"{base_url}/{page.name}")
            item = get_item(app.db, pitched.item.id)
            row = {"text": pitched.text, "product": pitched.product.title, "price": pitched.product.price,
                   "currency": pitched.product.currency, "status": item.status,
                   "template": item.metadata.get("template"), "review_reasons": item.metadata.get("review_reasons", [])}
            context = gate.Context(source=product_source(pitched.product), local_model=True,
                                   required=[app.settings.x.disclosure, pitched.product.title])
        except Exception as exc:  # noqa: BLE001
            error, context = f"{type(exc).__name__}: {exc}", gate.Context(local_model=True)
        seconds = time.monotonic() - began
        before = [d for a in recorder.take() for d in defects(a, gate.Kind.POST, context)]
        after = defects(row["text"], gate.Kind.PITCH, context) if row else ["empty"]
        rows.append({"page": page.name, "seconds": round(seconds, 1), "error": error, "before": before, "after": after,
                     **row})
        print(f"  pitch  {seconds:5.1f} s  {row.get('text', error)!r}", flush=True)
    return rows


def run_posts(app, topics: list[str], recorder, prefix="poster") -> list[dict]:
    from moneyprinter.platforms.x import X
    from moneyprinter.store.accounts import add_account
    from moneyprinter.store.content import get_item
    from moneyprinter.text import gate

    rows = []
    for n, topic in enumerate(topics):
        account = add_account(app.db, "x", f"{prefix}{n}", topic=topic)
        began = time.monotonic()
        error, row = None, {}
        try:
            posted = X(app, account).make_post()
            item = get_item(app.db, posted.item.id)
            row = {"text": posted.posts[0], "status": item.status, "review_reasons": item.metadata.get("review_reasons", []),
                   "grounded": grounded_post(posted.posts[0], topic)}
        except Exception as exc:  # noqa: BLE001
            error = f"{type(exc).__name__}: {exc}"
        seconds = time.monotonic() - began
        context = gate.Context(topic=topic, source=f"{topic} {curated(topic)}", local_model=True)
        before = [d for a in recorder.take() for d in defects(a, gate.Kind.POST, context)]
        after = defects(row["text"], gate.Kind.POST, context) if row else ["empty"]
        rows.append({"topic": topic, "seconds": round(seconds, 1), "error": error, "before": before, "after": after,
                     **row})
        print(f"  post   {seconds:5.1f} s  {row.get('text', error)!r}", flush=True)
    return rows


def curated(niche: str) -> str:
    """The curated facts of the niche: numbers and names in them are not made up."""
    from moneyprinter.text.grounding import fact_set_for

    fact_set = fact_set_for(niche)
    return " ".join(f.text for f in fact_set.facts) if fact_set else ""


def grounded_post(text: str, niche: str) -> bool:
    """Every sentence of the post says a curated fact of the niche."""
    import re

    from moneyprinter.text.grounding import fact_set_for, supporting_fact
    from moneyprinter.text.sentences import split_sentences

    fact_set = fact_set_for(niche)
    facts = [f.text for f in fact_set.facts] if fact_set else []
    parts = split_sentences(re.sub(r"(?:\s*#\w+)+\s*$", "", text))
    return bool(facts and parts) and all(supporting_fact(p, facts) for p in parts)


BAD_FOR_OUTBOX = {"meta_talk", "prompt_echo"}
BLOCKING = {"meta_talk", "prompt_echo", "fabricated_event", "repeated_sentence", "incomplete_sentence", "too_long",
            "too_short", "off_topic", "stopword_tag", "title_fragment", "missing_required", "mangled_name",
            "invented_price", "no_benefit", "empty", "first_person_story", "unsupported_sentence"}


def kind_summary(rows, reached) -> dict:
    done = [r for r in rows if not r["error"]]
    before, kept, outbox = Counter(), Counter(), Counter()
    for r in rows:
        before.update(r["before"])
        kept.update(r["after"])
        if r in reached:
            outbox.update(r["after"])
    return {
        "items": len(rows), "errors": len(rows) - len(done),
        "gate_passed": sum(1 for r in done if not BLOCKING & set(r["after"])),
        "to_outbox": len(reached), "to_review": len(done) - len(reached),
        "seconds_per_item": round(sum(r["seconds"] for r in rows) / max(1, len(rows)), 1),
        "max_seconds": max((r["seconds"] for r in rows), default=0),
        "defects_in_raw_answers": dict(before.most_common()), "defects_in_kept_outputs": dict(kept.most_common()),
        "defects_reaching_outbox": dict(outbox.most_common()),
        "grounded_in_curated_facts": sum(1 for r in done if r.get("grounded")),
    }


def summary(scripts, pitches, posts, open_scripts=(), open_posts=()) -> dict:
    from moneyprinter.text.keywords import is_stopword
    from moneyprinter.text.titles import TITLE_LIMIT, ends_on_fragment

    def reached_by_gate(rows):
        return [r for r in rows if not r["error"] and not r.get("review_reasons")]

    def in_outbox(rows):
        return [r for r in rows if r.get("status") == "outbox"]

    all_scripts, all_posts = [*scripts, *open_scripts], [*posts, *open_posts]
    titles = [r["title"] for r in all_scripts if r.get("title")]
    tags = [t for r in all_scripts for t in r.get("tags", [])]
    hashtags = [w for r in all_posts for w in r.get("text", "").split() if w.startswith("#")]
    outbox = reached_by_gate(all_scripts) + in_outbox(all_posts) + in_outbox(pitches)
    return {
        "shorts": kind_summary(scripts, reached_by_gate(scripts)),
        "pitches": {**kind_summary(pitches, in_outbox(pitches)),
                    "template_fallbacks": sum(1 for r in pitches if r.get("template"))},
        "posts": kind_summary(posts, in_outbox(posts)),
        # Topics of niches with no curated fact set: what a user meets on a first run with their own niche.
        "open_shorts": kind_summary(list(open_scripts), reached_by_gate(open_scripts)),
        "open_posts": kind_summary(list(open_posts), in_outbox(open_posts)),
        "floors": {
            "meta_talk_or_echo_in_outbox": sum(1 for r in outbox if BAD_FOR_OUTBOX & set(r["after"])),
            "pitches_with_exact_name": f"{sum(1 for r in pitches if r.get('product') and r['product'] in r['text'])}"
                                       f"/{len(pitches)}",
            "stopword_tags": sum(1 for t in tags + hashtags if all(is_stopword(w) for w in t.lstrip('#').split())),
            "titles_within_60_at_word_boundary": f"{sum(1 for t in titles if len(t) <= TITLE_LIMIT and not ends_on_fragment(t))}"
                                                 f"/{len(titles)}",
        },
    }


def write_outputs(out: Path, parts: dict[str, list[dict]], result) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in parts.items():
        (out / f"{name}.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")
    (out / "summary.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    lines = ["# Text quality outputs", ""]
    for r in parts["shorts"] + parts["open_shorts"]:
        lines += [f"## Short: {r['topic']} ({r['niche']}{', grounded' if r.get('grounded') else ''})",
                  f"**{r.get('title', '')}**", "",
                  " ".join(r.get("sentences", [])) or r["error"] or "", "", f"tags: {', '.join(r.get('tags', []))}",
                  f"review: {'; '.join(r.get('review_reasons', [])) or '-'}", ""]
    for r in parts["posts"] + parts["open_posts"]:
        lines += [f"## Post: {r['topic']} [{r.get('status', r['error'])}{', grounded' if r.get('grounded') else ''}]",
                  r.get("text", ""),
                  f"review: {'; '.join(r.get('review_reasons', [])) or '-'}", ""]
    for r in parts["pitches"]:
        lines += [f"## Pitch: {r['page']} [{r.get('status', r['error'])}{', template' if r.get('template') else ''}]",
                  r.get("text", ""), f"review: {'; '.join(r.get('review_reasons', [])) or '-'}", ""]
    (out / "outputs.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=5, help="topics per niche (5 = the whole set)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "text_quality_out")
    parser.add_argument("--kinds", default="shorts,pitches,posts,open_shorts,open_posts",
                        help="which parts to run (comma-separated; open_* are niches without curated facts)")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="mp-text-bench-"))
    os.environ["MONEYPRINTER_HOME"] = str(home)
    os.environ["MONEYPRINTER_TEXT__LOCAL_MODEL_REVIEW"] = "false"  # the gate alone decides what reaches the outbox
    os.environ["MONEYPRINTER_X__ALLOW_PRIVATE_ADDRESSES"] = "true"  # the product pages are served on loopback
    evaluation = json.loads((DATA / "set.json").read_text(encoding="utf-8"))

    from moneyprinter.app import App

    server, base_url = serve_pages()
    recorder = Recorder()
    app = App()
    try:
        began = time.monotonic()
        print("Shorts (script-only drafts):", flush=True)
        kinds = set(args.kinds.split(","))
        scripts = run_scripts(app, evaluation["shorts"], recorder, args.limit) if "shorts" in kinds else []
        print("Pitches:", flush=True)
        pitches = run_pitches(app, base_url, recorder) if "pitches" in kinds else []
        print("Posts:", flush=True)
        posts = run_posts(app, evaluation["posts"], recorder) if "posts" in kinds else []
        print("Shorts in niches without curated facts:", flush=True)
        open_scripts = (run_scripts(app, evaluation["open_shorts"], recorder, args.limit, prefix="open")
                        if "open_shorts" in kinds else [])
        print("Posts in niches without curated facts:", flush=True)
        open_posts = run_posts(app, evaluation["open_posts"], recorder, prefix="openposter") if "open_posts" in kinds else []
        result = summary(scripts, pitches, posts, open_scripts, open_posts)
        result["total_seconds"] = round(time.monotonic() - began, 1)
        result["candidates_per_short"] = app.settings.text.candidates
        write_outputs(args.out, {"shorts": scripts, "pitches": pitches, "posts": posts, "open_shorts": open_scripts,
                                 "open_posts": open_posts}, result)
    finally:
        app.close()
        server.shutdown()
        shutil.rmtree(home, ignore_errors=True)
    print(json.dumps(result, indent=2))
    print(f"outputs: {args.out / 'outputs.md'}")
    floors = result["floors"]
    ok = (floors["meta_talk_or_echo_in_outbox"] == 0 and floors["stopword_tags"] == 0
          and floors["pitches_with_exact_name"].split("/")[0] == floors["pitches_with_exact_name"].split("/")[1]
          and floors["titles_within_60_at_word_boundary"].split("/")[0] == floors["titles_within_60_at_word_boundary"].split("/")[1])
    print("floors:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
