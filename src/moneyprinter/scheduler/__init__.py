"""SchedulerService: persisted schedules, the daemon, single runs, run history, cron/systemd setup.

Modules: ``triggers`` (when), ``jobs`` (what), ``store`` (SQLite), ``locks`` (OS file locks),
``runner`` (``moneyprinter run``), ``daemon`` (``moneyprinter scheduler run``), ``install``
(systemd unit, crontab lines), ``status`` (what the status command and health check report).
"""
