"""Downloaded stock clips, kept by provider and id under a size cap (least recently used go first).

A clip that two Shorts use is downloaded once. Using a clip touches it, so eviction removes the
clips that have not been used for longest. A Short links its clips into its own folder, so an
evicted clip never breaks a Short that is being made or resumed.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)


class ClipCache:
    def __init__(self, folder: Path, cap_bytes: int) -> None:
        self.folder = folder
        self.cap_bytes = cap_bytes

    def path_for(self, provider: str, clip_id: str, suffix: str = ".mp4") -> Path:
        safe = "".join(c for c in str(clip_id) if c.isalnum() or c in "-_")
        return self.folder / f"{provider}-{safe}{suffix}"

    def get(self, provider: str, clip_id: str, fetch: Callable[[], bytes]) -> Path:
        """The cached file of ``provider``'s clip ``clip_id``; ``fetch`` downloads it on a miss."""
        target = self.path_for(provider, clip_id)
        if target.exists() and target.stat().st_size > 0:
            os.utime(target)  # used now: last to be evicted
            return target
        self.folder.mkdir(parents=True, exist_ok=True)
        data = fetch()
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(target)
        self.evict(keep=target)
        return target

    def files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return [p for p in self.folder.iterdir() if p.is_file() and not p.name.endswith(".part")]

    def size(self) -> int:
        return sum(p.stat().st_size for p in self.files())

    def evict(self, keep: Path | None = None) -> list[Path]:
        """Remove the least recently used clips until the cache fits its cap; never ``keep``."""
        files = sorted(self.files(), key=lambda p: p.stat().st_mtime)
        total = sum(p.stat().st_size for p in files)
        removed = []
        for path in files:
            if total <= self.cap_bytes:
                break
            if keep is not None and path == keep:
                continue
            total -= path.stat().st_size
            path.unlink(missing_ok=True)
            removed.append(path)
        if removed:
            log.info("clip cache: removed %d clips to stay under %d MB", len(removed), self.cap_bytes // 2**20)
        return removed


def link_into(source: Path, target: Path) -> Path:
    """``target`` as a hard link to ``source`` (no copy), or a copy across file systems."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
    return target

