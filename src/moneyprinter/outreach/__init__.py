"""Outreach: discover local businesses, find their contact email, send compliant cold email once.

Modules: ``campaigns`` (the campaign record), ``businesses`` (normalized, deduplicated table),
``discovery`` (gosom CSV/JSON, the scraper binary, Overpass, user CSV), ``emails`` (website
crawl and extraction), ``templates`` (Jinja2), ``suppression``, ``sending`` (SMTP ledger),
``inbox`` (IMAP unsubscribe replies and bounces).
"""
