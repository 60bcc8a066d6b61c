"""moneyprinter: social-media content automation that runs on your own machine."""

__version__ = "0.1.0"
