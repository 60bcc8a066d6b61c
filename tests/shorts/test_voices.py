"""More voices: an OpenAI-compatible speech server and ElevenLabs (local fakes that speak their APIs),
the shared speech rate (Piper for real), and the health check of each."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from moneyprinter import errors
from moneyprinter.config import Settings
from moneyprinter.http_client import configure_http_client, reset_http_client
from moneyprinter.providers.tts import create_voice_provider
from moneyprinter.settings.core import HttpSettings
from moneyprinter.settings.secrets import Secrets
from tests.support.httpserver import Reply


@pytest.fixture(autouse=True)
def quick_retries():
    configure_http_client(HttpSettings(backoff_base_s=0.01, backoff_max_s=0.02))
    yield
    reset_http_client()


def tone(seconds: float, rate: int) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (np.sin(2 * np.pi * 200 * t) * 9000).astype(np.int16)


def wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return buf.getvalue()


def words_seconds(text: str, speed: float) -> float:
    return len(text.split()) * 0.3 / speed  # the fake speaks 0.3 s a word at speed 1


def openai_speech(server, rate=1.0, key=None):
    settings = Settings.model_validate({"shorts": {
        "voice_provider": "openai_speech", "speech_rate": rate,
        "voice_openai_speech": {"base_url": server.url("/v1"), "voice": "af_heart", "model": "kokoro"}}})
    return create_voice_provider(settings, Secrets(openai_api_key=key) if key else Secrets())


def test_openai_compatible_speech_with_the_speech_rate(server, tmp_path):
    def speech(req):
        body = req.json()
        assert body["model"] == "kokoro" and body["voice"] == "af_heart" and body["response_format"] == "wav"
        return Reply(200, wav_bytes(tone(words_seconds(body["input"], body["speed"]), 24000), 24000),
                     {"Content-Type": "audio/wav"})

    server.route("POST", "/v1/audio/speech", speech)
    sentences = ["One two three four.", "Five six seven eight nine ten eleven twelve."]
    normal = openai_speech(server).synthesize(sentences, tmp_path / "a.wav")
    fast = openai_speech(server, rate=1.5).synthesize(sentences, tmp_path / "b.wav")
    assert server.requests[0].json()["speed"] == 1.0 and server.requests[-1].json()["speed"] == 1.5
    assert abs((normal.sentences[1].end - normal.sentences[1].start) - 2.4) < 0.01
    assert fast.sentences[1].end - fast.sentences[1].start == pytest.approx(1.6, abs=0.01)
    assert server.requests[0].header("Authorization") is None  # a local server needs no key


def test_openai_speech_sends_the_key_when_set_and_reports_a_dead_server(server):
    server.route("GET", "/v1/models", Reply(200, {"data": [{"id": "kokoro"}]}))
    assert openai_speech(server, key="sk-1").health_check().status.value == "PASS"
    assert server.requests[-1].header("Authorization") == "Bearer sk-1"
    server.route("GET", "/v1/models", Reply(404, {"error": "nope"}))
    result = openai_speech(server).health_check()
    assert result.status.value == "FAIL" and "base_url" in result.remediation


def elevenlabs(server, rate=1.0, key="el-key"):
    settings = Settings.model_validate({"shorts": {
        "voice_provider": "elevenlabs", "speech_rate": rate,
        "voice_elevenlabs": {"base_url": server.base_url, "voice_id": "voice123"}}})
    return create_voice_provider(settings, Secrets(elevenlabs_api_key=key) if key else Secrets())


def test_elevenlabs_pcm_voice_with_clamped_speed(server, tmp_path):
    def tts(req):
        assert req.header("xi-api-key") == "el-key" and req.query["output_format"] == ["pcm_24000"]
        body = req.json()
        assert body["model_id"] == "eleven_multilingual_v2"
        return Reply(200, tone(words_seconds(body["text"], body["voice_settings"]["speed"]), 24000).tobytes(),
                     {"Content-Type": "audio/pcm"})

    server.route("POST", "/v1/text-to-speech/voice123", tts)
    speech = elevenlabs(server, rate=2.0).synthesize(["Hello there friend."], tmp_path / "v.wav")
    assert server.requests[-1].json()["voice_settings"]["speed"] == 1.2  # 2.0 is beyond what ElevenLabs takes
    assert speech.sentences[0].end == pytest.approx(0.9 / 1.2, abs=0.01)
    with wave.open(str(speech.wav)) as w:
        assert w.getframerate() == 24000


def test_elevenlabs_health_and_errors(server, tmp_path):
    assert elevenlabs(server, key=None).health_check().status.value == "FAIL"
    server.route("GET", "/v1/voices/voice123", Reply(200, {"voice_id": "voice123", "name": "George"}))
    assert elevenlabs(server).health_check().status.value == "PASS"
    server.route("GET", "/v1/voices/voice123", Reply(401, {"detail": {"status": "invalid_api_key"}}))
    assert elevenlabs(server).health_check().status.value == "FAIL"
    server.route("POST", "/v1/text-to-speech/voice123", Reply(401, {"detail": {"status": "invalid_api_key"}}))
    with pytest.raises(errors.Unauthorized):
        elevenlabs(server).synthesize(["Hi."], tmp_path / "x.wav")
    with pytest.raises(errors.NeedsKey):
        elevenlabs(server, key=None).synthesize(["Hi."], tmp_path / "x.wav")


@pytest.mark.slow
def test_piper_follows_the_speech_rate_unless_its_own_length_scale_is_set(tmp_path):
    sentence = ["Archaeologists found edible honey in tombs that were three thousand years old."]
    normal = create_voice_provider(Settings(), Secrets()).synthesize(sentence, tmp_path / "a.wav")
    fast = create_voice_provider(Settings.model_validate({"shorts": {"speech_rate": 1.5}}), Secrets())
    assert fast.length_scale() == pytest.approx(0.667)
    quick = fast.synthesize(sentence, tmp_path / "b.wav")
    spoken = lambda s: s.sentences[0].end - s.sentences[0].start  # noqa: E731
    assert 0.55 < spoken(quick) / spoken(normal) < 0.8
    own = create_voice_provider(Settings.model_validate({"shorts": {"speech_rate": 1.5, "voice_piper": {"length_scale": 1.0}}}), Secrets())
    assert own.length_scale() == 1.0


def test_a_resumed_remote_voice_does_not_pay_twice_for_a_sentence(server, tmp_path):
    calls = []

    def tts(req):
        text = req.json()["text"]
        calls.append(text)
        if text.startswith("Third") and calls.count(text) == 1:
            return Reply(500, {"detail": "overloaded"})
        return Reply(200, tone(words_seconds(text, 1.0), 24000).tobytes())

    server.route("POST", "/v1/text-to-speech/voice123", tts)
    sentences = ["First one here.", "Second one here.", "Third one here."]
    keep = tmp_path / "kept"
    with pytest.raises(errors.ServiceUnavailable):
        elevenlabs(server).synthesize(sentences, tmp_path / "v.wav", keep=keep)
    speech = elevenlabs(server).synthesize(sentences, tmp_path / "v.wav", keep=keep)
    assert calls == sentences + ["Third one here."]  # the first two were kept, not bought again
    assert len(speech.sentences) == 3
