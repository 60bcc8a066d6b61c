"""Checks of the machine and the installation: data directory, database, disk, config, ffmpeg."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile

from moneyprinter.config import check_env_file_permissions
from moneyprinter.errors import MoneyPrinterError
from moneyprinter.health.registry import CheckResult, HealthContext, health_check


@health_check("data directory", group="core")
def data_dir_writable(ctx: HealthContext) -> CheckResult:
    try:
        ctx.data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=ctx.data_dir, prefix=".probe-"):
            pass
    except OSError as exc:
        return CheckResult.fail(f"{ctx.data_dir} is not writable ({exc.strerror})", "fix its permissions or set MONEYPRINTER_HOME")
    return CheckResult.ok(f"{ctx.data_dir} is writable")


@health_check("database", group="core")
def database_migrated(ctx: HealthContext) -> CheckResult:
    from moneyprinter.store import open_database
    from moneyprinter.store.migrations import applied, discover

    try:
        with open_database(ctx.data_dir / "moneyprinter.db") as db:
            done = applied(db)
            expected = [name for _, name, _ in discover()]
            integrity = db.integrity_problem() or "ok"
    except MoneyPrinterError as exc:
        return CheckResult.fail(str(exc), "check the data directory")
    missing = [n for n in expected if n not in done]
    if missing:
        return CheckResult.fail(f"migrations not applied: {', '.join(missing)}", "run any moneyprinter command to migrate")
    if integrity != "ok":
        return CheckResult.fail(f"database integrity check failed: {integrity}", "restore moneyprinter.db from a backup")
    return CheckResult.ok(f"schema up to date ({len(done)} migrations)")


@health_check("disk space", group="core")
def disk_space(ctx: HealthContext) -> CheckResult:
    target = ctx.data_dir if ctx.data_dir.exists() else ctx.data_dir.parent
    free_mb = shutil.disk_usage(target).free // (1024 * 1024)
    floor = ctx.config.settings.general.min_free_disk_mb
    if free_mb < 100:
        return CheckResult.fail(f"only {free_mb} MB free", "free disk space; renders need several hundred MB")
    if free_mb < floor:
        return CheckResult.warn(f"{free_mb} MB free (below {floor} MB)", "free disk space before rendering videos")
    return CheckResult.ok(f"{free_mb / 1024:.1f} GB free")


@health_check("config", group="core")
def config_readable(ctx: HealthContext) -> CheckResult:
    if ctx.config_error:
        return CheckResult.fail(ctx.config_error, "fix the file, or run 'moneyprinter config validate'")
    cfg = ctx.config
    if cfg.env_file.exists():
        try:
            check_env_file_permissions(cfg.env_file)
        except MoneyPrinterError as exc:
            return CheckResult.fail(exc.message, exc.hint or "")
    source = str(cfg.config_file) if cfg.config_file_exists else "defaults (no config.toml yet)"
    secrets = len(cfg.secrets.configured())
    return CheckResult.ok(f"{source}; {secrets} secret(s) set")


@health_check("ffmpeg", group="core")
def ffmpeg_present(ctx: HealthContext) -> CheckResult:
    try:
        import imageio_ffmpeg

        exe = imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        exe = shutil.which("ffmpeg")
    if not exe:
        return CheckResult.fail("ffmpeg not found", "reinstall with 'make setup' (imageio-ffmpeg ships it) or install ffmpeg")
    try:
        out = subprocess.run([exe, "-hide_banner", "-version"], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        return CheckResult.fail(f"{exe} does not run ({exc.__class__.__name__})", "reinstall with 'make setup'")
    match = re.search(r"ffmpeg version (\S+)", out)
    version = match.group(1) if match else "unknown version"
    if "--enable-libass" not in out and "libass" not in out:
        return CheckResult.warn(f"ffmpeg {version} has no libass", "subtitles need an ffmpeg built with libass")
    return CheckResult.ok(f"ffmpeg {version} ({exe})")
