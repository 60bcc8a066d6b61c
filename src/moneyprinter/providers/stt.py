"""Speech-to-text for word-timed subtitles: ``assemblyai`` (the official SDK: upload, transcript, poll).

The default subtitles need no STT: they come from the TTS sentence timings (``media.cues``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import ClassVar

from moneyprinter import errors
from moneyprinter.http_client import error_for_status
from moneyprinter.media.draft import Word
from moneyprinter.providers.base import Provider, ProviderRegistry
from moneyprinter.settings.shorts import AssemblyAIOptions

log = logging.getLogger(__name__)


class SpeechToText(Provider):
    def transcribe(self, wav: Path) -> list[Word]:
        raise NotImplementedError


stt_providers: ProviderRegistry[SpeechToText] = ProviderRegistry("subtitle")


@stt_providers.register
class VoiceTimings(SpeechToText):
    """The default: cues from the voice's own sentence timings (``media.cues``), exact and offline.
    Registered so that it is a valid choice everywhere a subtitle provider is named; the pipeline
    takes its cues from the voice directly and never asks it to transcribe."""

    id: ClassVar[str] = "tts"


def _translate(exc: Exception) -> errors.ServiceError:
    status = getattr(exc, "status_code", None)
    reason = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else exc.__class__.__name__
    return error_for_status("AssemblyAI", status, reason, hint="check ASSEMBLYAI_API_KEY" if status in (401, 403) else None)


@stt_providers.register
class AssemblyAISTT(SpeechToText):
    """Word-level timestamps from AssemblyAI. Each upload is paid: the caller records it first."""

    id: ClassVar[str] = "assemblyai"
    needs_key = True
    key_env_var = "ASSEMBLYAI_API_KEY"
    Options = AssemblyAIOptions

    def _transcriber(self):
        import assemblyai as aai

        settings = aai.Settings(
            api_key=self.key(),
            base_url=self.options.base_url.rstrip("/"),
            polling_interval=self.options.poll_interval_s,
            http_timeout=60.0,
        )
        client = aai.Client(settings=settings)
        return aai, aai.Transcriber(client=client, config=aai.TranscriptionConfig(punctuate=True, format_text=True))

    def transcribe(self, wav: Path) -> list[Word]:
        import httpx

        aai, transcriber = self._transcriber()
        try:
            transcript = transcriber.transcribe(wav.read_bytes(), poll_timeout=self.options.timeout_s)
        except aai.types.AssemblyAIError as exc:
            raise _translate(exc) from None
        except httpx.HTTPError as exc:
            raise errors.ServiceUnavailable("AssemblyAI", f"no response ({exc.__class__.__name__})") from None
        except TimeoutError:
            raise errors.RequestTimeout("AssemblyAI", f"no transcript after {self.options.timeout_s:.0f} s") from None
        if transcript.status == aai.TranscriptStatus.error:
            raise errors.ServiceUnavailable("AssemblyAI", f"transcription failed: {transcript.error}")
        words = [Word(w.start / 1000.0, w.end / 1000.0, w.text) for w in (transcript.words or [])]
        if not words:
            raise errors.ServiceUnavailable("AssemblyAI", "the transcript has no words")
        return words


def create_stt_provider(settings, secrets) -> SpeechToText:
    name = settings.shorts.subtitle_provider
    return stt_providers.create(name, settings.shorts.options_for("stt", name), secrets, settings.services)
