"""Text helpers shared by capabilities."""
