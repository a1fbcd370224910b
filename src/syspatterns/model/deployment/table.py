"""``knowledge/deployment.toml`` read once: manifest folders, platforms, monitoring images
and kinds, folders whose files are test data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase, translate
from functools import cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from syspatterns.knowledge import read_table

if TYPE_CHECKING:
    pass




@dataclass(frozen=True)
class DeploymentTable:
    """``knowledge/deployment.toml``."""

    manifest_folders: frozenset[str]
    platforms: tuple[tuple[str, str, str], ...]  # (path glob, name, required text)
    monitoring_images: tuple[tuple[str, str], ...]
    monitoring_kinds: frozenset[str]
    ignored_folders: tuple[str, ...]  # globs over one folder name
    platform_names: re.Pattern[str]  # the file names any platform pattern can match

    def platform_of(self, path: str) -> tuple[str, str] | None:
        """(platform name, required text) of the first ``[[platform]]`` row matching
        ``path``, if any."""
        name = PurePosixPath(path).name
        for pattern, platform, contains in self.platforms:
            if "/" in pattern:
                if fnmatchcase(path, pattern) or fnmatchcase(path, "*/" + pattern):
                    return platform, contains
            elif fnmatchcase(name, pattern):
                return platform, contains
        return None

    def monitoring_image(self, image: str) -> str | None:
        """The monitoring tool an image runs (``prom/prometheus:v2`` -> Prometheus), if any."""
        bare = image.rsplit("@", 1)[0]
        if ":" in bare.rsplit("/", 1)[-1]:
            bare = bare.rsplit(":", 1)[0]
        for pattern, name in self.monitoring_images:
            if fnmatchcase(bare.lower(), pattern):
                return name
        return None


@cache
def load_deployment_table() -> DeploymentTable:
    data = read_table("deployment.toml")
    platforms = tuple((r["pattern"], r["name"], r.get("contains", ""))
                      for r in data.get("platform", []))
    return DeploymentTable(
        manifest_folders=frozenset(data["manifests"]["folders"]),
        platforms=platforms,
        monitoring_images=tuple((r["pattern"], r["name"])
                                for r in data.get("monitoring_image", [])),
        monitoring_kinds=frozenset(data["monitoring"]["kinds"]),
        ignored_folders=tuple(data["ignored"]["folders"]),
        platform_names=re.compile("|".join(
            f"(?:{translate(p.rsplit('/', 1)[-1])})" for p, _, _ in platforms)),
    )
