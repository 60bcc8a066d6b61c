"""AssemblyAI through its SDK against a local server: upload, create transcript, poll; 401, 429, 5xx."""

from __future__ import annotations

import pytest

from moneyprinter import errors
from moneyprinter.providers.stt import stt_providers
from moneyprinter.settings.secrets import Secrets
from tests.support.httpserver import Reply

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the SDK uses pydantic v1 APIs

WORDS = [
    {"text": "Honey", "start": 120, "end": 480, "confidence": 0.98, "speaker": None},
    {"text": "never", "start": 500, "end": 760, "confidence": 0.97, "speaker": None},
    {"text": "spoils.", "start": 780, "end": 1300, "confidence": 0.99, "speaker": None},
]


def transcript(status, **extra):
    return {"id": "tr-1", "status": status, "audio_url": "https://cdn.example/upload/abc", "language_code": "en_us",
            "text": "Honey never spoils." if status == "completed" else None,
            "words": WORDS if status == "completed" else None, **extra}


def provider(server, key="aai-key-1"):
    options = {"base_url": server.base_url, "poll_interval_s": 0.05, "timeout_s": 10}
    return stt_providers.create("assemblyai", options, Secrets(assemblyai_api_key=key))


def test_upload_transcribe_and_poll_give_word_timings(server, tmp_path):
    wav = tmp_path / "voice.wav"
    wav.write_bytes(b"RIFF....WAVEfmt fake audio bytes")
    server.route("POST", "/v2/upload", Reply(200, {"upload_url": "https://cdn.example/upload/abc"}))
    server.route("POST", "/v2/transcript", Reply(200, transcript("queued")))
    server.route("GET", "/v2/transcript/tr-1", [Reply(200, transcript("processing")), Reply(200, transcript("completed"))])
    words = provider(server).transcribe(wav)
    assert [(w.text, w.start, w.end) for w in words] == [("Honey", 0.12, 0.48), ("never", 0.5, 0.76), ("spoils.", 0.78, 1.3)]
    upload = server.requests[0]
    assert upload.body == wav.read_bytes() and upload.header("Authorization") == "aai-key-1"
    assert server.requests[1].json()["audio_url"] == "https://cdn.example/upload/abc"
    assert server.count("GET", "/v2/transcript/tr-1") == 2


@pytest.mark.parametrize("status, error", [(401, errors.Unauthorized), (429, errors.RateLimited), (500, errors.ServiceUnavailable)])
def test_upload_errors_are_translated(server, tmp_path, status, error):
    wav = tmp_path / "voice.wav"
    wav.write_bytes(b"audio")
    server.route("POST", "/v2/upload", Reply(status, {"error": "Authentication error, API token missing/invalid"}))
    with pytest.raises(error) as info:
        provider(server).transcribe(wav)
    assert "aai-key-1" not in str(info.value)


def test_transcript_creation_error(server, tmp_path):
    wav = tmp_path / "voice.wav"
    wav.write_bytes(b"audio")
    server.route("POST", "/v2/upload", Reply(200, {"upload_url": "https://cdn.example/upload/abc"}))
    server.route("POST", "/v2/transcript", Reply(503, {"error": "Service Unavailable"}))
    with pytest.raises(errors.ServiceUnavailable):
        provider(server).transcribe(wav)


def test_failed_transcription_is_reported(server, tmp_path):
    wav = tmp_path / "voice.wav"
    wav.write_bytes(b"audio")
    server.route("POST", "/v2/upload", Reply(200, {"upload_url": "https://cdn.example/upload/abc"}))
    server.route("POST", "/v2/transcript", Reply(200, transcript("queued")))
    server.route("GET", "/v2/transcript/tr-1", Reply(200, transcript("error", error="Audio file is empty")))
    with pytest.raises(errors.ServiceUnavailable, match="Audio file is empty"):
        provider(server).transcribe(wav)
