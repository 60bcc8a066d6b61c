"""Health checks of the scheduler capability (registered here as it lands)."""
