"""Health checks of the twitter capability (registered here as it lands)."""
