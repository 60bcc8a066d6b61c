"""Providers: one module per capability (text, voice, images, speech-to-text), each a small registry."""
