"""How long the X text checks take per post, and (with --model) one post from the local model.

    python bench/x_text.py            # weighted length, cleanup, similarity vs 50 posts
    python bench/x_text.py --model    # also: local model load and one post, end to end
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from moneyprinter.text.cleanup import clean_post  # noqa: E402
from moneyprinter.text.similarity import most_similar  # noqa: E402
from moneyprinter.text.x_length import weighted_length  # noqa: E402

WORDS = "coffee grind bloom water kettle filter roast beans extraction pour brew cup aroma acidity".split()


def sample_post(rng: random.Random) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 40)))
    return f'Here\'s a tweet:\n"{words.capitalize()}. https://example.com/p/{rng.randint(1, 999)} #coffee #brew #x"'


def per_call_us(func, items, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            func(item)
        best = min(best, (time.perf_counter() - start) / len(items))
    return best * 1e6


def main() -> None:
    rng = random.Random(1)
    posts = [sample_post(rng) for _ in range(500)]
    history = [clean_post(sample_post(rng), max_hashtags=2, limit=280) for _ in range(50)]
    rows = [
        ("weighted_length", per_call_us(weighted_length, posts)),
        ("clean_post", per_call_us(lambda p: clean_post(p, max_hashtags=2, limit=280), posts)),
        ("similarity vs 50 posts", per_call_us(lambda p: most_similar(p, history), posts[:100])),
    ]
    if "--model" in sys.argv:
        from moneyprinter.providers.llm import text_providers

        provider = text_providers.create("local", {"seed": 1})
        start = time.perf_counter()
        provider.complete("Say hi", max_tokens=1)
        rows.append(("local model load (+1 token)", (time.perf_counter() - start) * 1e6))
        start = time.perf_counter()
        provider.complete("Write one post for X about home coffee brewing.", max_tokens=120, temperature=0.8)
        rows.append(("local model: one post (120 tokens max)", (time.perf_counter() - start) * 1e6))
    print(f"{'step':42} {'time per post':>16}")
    for name, us in rows:
        shown = f"{us:,.0f} us" if us < 100_000 else f"{us / 1e6:,.2f} s"
        print(f"{name:42} {shown:>16}")


if __name__ == "__main__":
    main()
