"""Our own Compose loader: files -> one merged model -> ComposeProject.

Per file, in compose-go's order (research doc 1.7): parse each YAML document, interpolate it,
apply its ``include`` entries, then its ``extends``, then merge it into what came before.
``include`` loads each entry as its own project (own directory, own ``.env``) and copies its
resources in; a name defined twice differently is an error. ``extends`` takes a service of the
same file or of ``file:`` (relative to the file that says it) and merges this service over it.
"""

from __future__ import annotations

import os
from typing import Any

from mcp_dockernet.compose.dotenv import read_dotenv
from mcp_dockernet.compose.fields import rebase_volume
from mcp_dockernet.compose.interpolate import interpolate_tree
from mcp_dockernet.compose.merge import merge_models, merge_service, strip_tags
from mcp_dockernet.compose.model import ComposeProject
from mcp_dockernet.compose.normalize import build_project, error_at
from mcp_dockernet.compose.options import Options, normalize_project_name
from mcp_dockernet.compose.yaml_nodes import load_documents
from mcp_dockernet.errors import ConfigError

SECTIONS = ("services", "networks", "volumes", "secrets", "configs")


class BuiltinLoader:
    def __init__(self) -> None:
        self.parsed: dict[str, list[dict[str, Any]]] = {}

    def documents(self, path: str) -> list[dict[str, Any]]:
        if path not in self.parsed:
            self.parsed[path] = load_documents(path)[1]
        return self.parsed[path]

    def project_name(self, opts: Options) -> str:
        if opts.explicit_name:
            return opts.explicit_name
        name = ""
        for path in opts.files:
            for doc in self.documents(path):
                if doc.get("name") is not None:
                    name = str(interpolate_tree({"name": doc["name"]}, opts.env, path)["name"])
        name = normalize_project_name(name) or normalize_project_name(os.path.basename(opts.working_dir))
        if not name:
            raise ConfigError(opts.files[0], "the project name is empty; set name: or pass --project-name")
        return name

    def load(self, opts: Options) -> ComposeProject:
        name = self.project_name(opts)
        env = {**opts.env, "COMPOSE_PROJECT_NAME": name}
        model = self.model(opts.files, env, ())
        return build_project(model, name, opts.working_dir, opts.files, env, opts.profiles)

    def model(self, files: tuple[str, ...], env: dict[str, str], stack: tuple[str, ...]) -> dict[str, Any]:
        acc: dict[str, Any] = {}
        for path in files:
            if path in stack:
                raise ConfigError(path, "it includes itself (through " + " -> ".join(stack) + ")")
            for doc in self.documents(path):
                doc = interpolate_tree(doc, env, path)
                doc = self.include(doc, path, env, (*stack, path))
                doc = self.extends(doc, path, env, ())
                acc = merge_models(acc, doc)
        return acc

    def include(self, doc: dict[str, Any], path: str, env: dict[str, str], stack: tuple[str, ...]) -> dict[str, Any]:
        items = doc.get("include")
        if not items:
            return doc
        doc = {k: v for k, v in doc.items() if k != "include"}
        here = os.path.dirname(path)
        for item in items if isinstance(items, list) else [items]:
            spec = item if isinstance(item, dict) else {"path": item}
            raw_paths = spec.get("path")
            paths = tuple(
                os.path.join(here, str(p)) for p in (raw_paths if isinstance(raw_paths, list) else [raw_paths])
            )
            if not paths or raw_paths is None:
                raise error_at(item, path, "an include entry needs a path")
            project_dir = (
                os.path.join(here, str(spec["project_directory"]))
                if spec.get("project_directory")
                else os.path.dirname(paths[0])
            )
            env_files = spec.get("env_file")
            env_paths = (
                [os.path.join(here, str(e)) for e in (env_files if isinstance(env_files, list) else [env_files])]
                if env_files
                else [os.path.join(project_dir, ".env")]
            )
            inc_env = dict(env)
            for env_path in env_paths:
                if env_files or os.path.isfile(env_path):
                    for k, v in read_dotenv(env_path, env).items():
                        inc_env.setdefault(k, v)
            included = self.model(tuple(os.path.normpath(p) for p in paths), inc_env, stack)
            for section in SECTIONS:
                theirs = included.get(section) or {}
                ours = dict(doc.get(section) or {})
                for key, value in theirs.items():
                    value = (
                        rebase_service(value, project_dir)
                        if section == "services" and isinstance(value, dict)
                        else value
                    )
                    if key in ours and strip_tags(ours[key]) != value:
                        raise error_at(key, path, f"{section}.{key} is defined here and in the included {paths[0]}")
                    ours[key] = value
                if ours:
                    doc[section] = ours
        return doc

    def extends(
        self, doc: dict[str, Any], path: str, env: dict[str, str], chain: tuple[tuple[str, str], ...]
    ) -> dict[str, Any]:
        services = doc.get("services")
        if not isinstance(services, dict) or not any(isinstance(s, dict) and "extends" in s for s in services.values()):
            return doc
        done: dict[str, Any] = {}
        keys = {str(k): k for k in services}  # the keys know their line

        def resolve(name: str, chain: tuple[tuple[str, str], ...]) -> Any:
            if name in done:
                return done[name]
            key = keys.get(name, name)
            svc = services[name]
            if not isinstance(svc, dict) or "extends" not in svc:
                return svc
            ext = svc["extends"]
            ext = {"service": ext} if isinstance(ext, str) else ext
            base_name = str(ext.get("service") or "")
            if (path, name) in chain:
                raise error_at(key, path, f"service {name} extends itself (through {base_name})")
            if ext.get("file"):
                other = os.path.normpath(os.path.join(os.path.dirname(path), str(ext["file"])))
                their = self.extended_services(other, env, (*chain, (path, name)))
                if base_name not in their:
                    raise error_at(key, path, f"service {name} extends {base_name}, which {other} does not define")
                base = rebase_service(their[base_name] or {}, os.path.dirname(other))
            else:
                if base_name not in services:
                    raise error_at(key, path, f"service {name} extends {base_name}, which is not defined")
                base = resolve(base_name, (*chain, (path, name)))
            own = {k: v for k, v in svc.items() if k != "extends"}
            done[name] = merge_service(strip_tags({k: v for k, v in (base or {}).items() if k != "extends"}), own)
            return done[name]

        resolved = {name: resolve(name, chain) for name in services}
        return {**doc, "services": resolved}

    def extended_services(self, path: str, env: dict[str, str], chain: tuple[tuple[str, str], ...]) -> dict[str, Any]:
        acc: dict[str, Any] = {}
        for doc in self.documents(path):
            doc = interpolate_tree(doc, env, path)
            doc = self.include(doc, path, env, (path,))
            acc = merge_models(acc, self.extends(doc, path, env, chain))
        services = acc.get("services") or {}
        return services if isinstance(services, dict) else {}


def rebase_service(svc: dict[str, Any], base: str) -> dict[str, Any]:
    """A service from another directory, with its relative bind sources and env files made absolute."""
    out = dict(svc)
    if isinstance(out.get("volumes"), list):
        out["volumes"] = [rebase_volume(v, base) for v in out["volumes"]]
    env_file = out.get("env_file")
    if env_file:
        items = env_file if isinstance(env_file, list) else [env_file]
        out["env_file"] = [_rebase_env_file(e, base) for e in items]
    return out


def _rebase_env_file(item: Any, base: str) -> Any:
    if isinstance(item, dict):
        return {**item, "path": os.path.join(base, str(item.get("path")))}
    return os.path.join(base, str(item))
