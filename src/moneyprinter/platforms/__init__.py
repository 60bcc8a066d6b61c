"""The domain objects the menu, the CLI and the scheduler drive: YouTube, X, AffiliateMarketing, Outreach."""
