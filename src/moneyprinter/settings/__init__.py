"""Typed configuration sections. Each capability owns one module here; ``config.Settings`` composes them."""
