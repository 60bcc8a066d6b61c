"""Health checks of the publishing capability (registered here as it lands)."""
