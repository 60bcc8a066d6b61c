"""Plain-text helpers shared by the capabilities (X's weighted length, cleanup of model output, similarity)."""
