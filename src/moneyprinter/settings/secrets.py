"""API keys and passwords: from the environment or ``.env`` in the data directory, never from config.toml."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Secrets(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    mistral_api_key: SecretStr | None = None
    assemblyai_api_key: SecretStr | None = None
    venice_api_key: SecretStr | None = None
    pexels_api_key: SecretStr | None = None
    pixabay_api_key: SecretStr | None = None
    elevenlabs_api_key: SecretStr | None = None
    cloudflare_api_token: SecretStr | None = None
    openai_api_key: SecretStr | None = None
    smtp_password: SecretStr | None = None
    imap_password: SecretStr | None = None
    youtube_client_id: SecretStr | None = None
    youtube_client_secret: SecretStr | None = None
    x_api_key: SecretStr | None = None
    x_api_secret: SecretStr | None = None
    bluesky_app_password: SecretStr | None = None
    tiktok_client_key: SecretStr | None = None
    tiktok_client_secret: SecretStr | None = None
    instagram_app_id: SecretStr | None = None
    instagram_app_secret: SecretStr | None = None
    threads_app_id: SecretStr | None = None
    threads_app_secret: SecretStr | None = None

    def get(self, env_var: str) -> str | None:
        """The plain value of a secret named by its environment variable, or None."""
        value = getattr(self, env_var.lower(), None)
        return value.get_secret_value() if value else None

    def configured(self) -> list[str]:
        return [name.upper() for name, value in self if value is not None]
