"""Health checks of the outreach capability (registered here as it lands)."""
