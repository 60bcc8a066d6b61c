"""Health checks of the shorts capability (registered here as it lands)."""
