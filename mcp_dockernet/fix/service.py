"""One fix service for every front end (`fix`, `watch`): plan the edits a diagnosis calls for, then apply them.

Plan: the writable suggestions become byte-exact edits (fix/plan.py); Compose files are left out unless
``edit_compose``, whichever option named them; every suggestion without an edit says why. Apply: one
config at a time, in place when a running container pins the file's inode (a single-file bind mount),
else by atomic rename; then the file is read back as each container that mounts it sees it, so a
front end says "fixed" only when the client reads the new URL.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from mcp_dockernet.collectors.client_view import MountSite, View, stale_fix
from mcp_dockernet.fix import apply as fix_apply
from mcp_dockernet.fix.plan import Edit, plan
from mcp_dockernet.model import ConfigFile
from mcp_dockernet.run import Diagnosis, client_views, compose_paths, mounted_in


@dataclass(frozen=True, slots=True)
class FixPlan:
    edits: tuple[Edit, ...]
    notes: tuple[str, ...]  # why a suggestion has no edit ("not changed: ...")

    def of(self, config: ConfigFile) -> list[Edit]:
        return [e for e in self.edits if e.path == config.path]


@dataclass(frozen=True, slots=True)
class Applied:
    """What one write did, and whether the clients that mount the file read it."""

    path: str  # the file written (a symlink's target)
    backup: bool
    pinned: MountSite | None  # written in place for this single-file mount
    seen: tuple[str, ...] = ()  # "the client in container X sees the new content at ..."
    unverified: tuple[str, ...] = ()  # a container whose view could not be read
    unseen: tuple[str, ...] = ()  # a container that still reads the old content, with the fix


def plan_fixes(diagnosis: Diagnosis, *, edit_compose: bool = False) -> FixPlan:
    notes: list[str] = []
    edits = plan(diagnosis.report, diagnosis.configs, notes)
    protected = compose_paths(diagnosis)
    kept: list[Edit] = []
    for config in diagnosis.configs:
        mine = [e for e in edits if e.path == config.path]
        if mine and os.path.realpath(config.path) in protected and not edit_compose:
            notes.append(
                f"{config.path}: a Compose file, not rewritten without --edit-compose (or use --compose-override FILE)"
            )
            continue
        kept += mine
    return FixPlan(tuple(kept), tuple(notes))


def apply_fix(
    config: ConfigFile,
    edits: list[Edit],
    diagnosis: Diagnosis,
    *,
    backup: bool = True,
    read_views: Callable[[Diagnosis, tuple[MountSite, ...]], tuple[View, ...]] = client_views,
) -> Applied:
    """Write one config's edits (FixError when it changed underneath), then read it back from its clients."""
    sites = mounted_in(diagnosis.snapshot, config.path)  # whichever way the client was placed
    pinned = next((s for s in sites if s.single_file), None)
    written = fix_apply.write_config(config, edits, backup=backup, in_place=pinned is not None)
    with open(written, "rb") as f:
        expected = f.read()
    seen, unverified, unseen = [], [], []
    for view in read_views(diagnosis, sites):
        name, inside = view.site.container.name, view.site.inside
        if view.content == expected:
            seen.append(f"the client in container {name} sees the new content at {inside} (read via {view.how})")
        elif view.content is None:
            unverified.append(f"what container {name} reads at {inside}: {view.how}")
        else:
            why = " (its single-file mount holds an older inode: the file was replaced since it started)"
            unseen.append(
                f"container {name} does not see the new content at {inside}{why if view.site.single_file else ''}; "
                + stale_fix(view.site)
            )
    mounted = {s.container.id for s in sites}
    for place in {diagnosis.snapshot.place_of(e) for e in config.entries}:
        if place.container_id and place.container_id not in mounted:
            unverified.append(f"the client {place.name} does not mount {written}; what it reads was not checked")
    return Applied(written, backup or pinned is not None, pinned, tuple(seen), tuple(unverified), tuple(unseen))
