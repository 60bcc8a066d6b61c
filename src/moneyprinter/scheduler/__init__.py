"""SchedulerService: persisted schedules, the daemon, single runs, run history, cron/systemd setup.

Modules: ``triggers`` (when), ``jobs`` (what), ``schedules`` (adding one, claiming due slots; the
rows are ``store/schedules.py``'s), ``locks`` (lock names and process checks),
``runner`` (``moneyprinter run``), ``daemon`` (``moneyprinter scheduler run``), ``install``
(systemd unit, crontab lines), ``status`` (what the status command and health check report).
"""
