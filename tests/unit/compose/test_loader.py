"""The builtin loader on the fixtures under tests/fixtures/compose (one small case per feature)."""

from __future__ import annotations

from pathlib import Path

from mcp_dockernet.compose.model import ComposeNetwork, ComposePort, ComposeService, EnvVar, Mount, ServiceNetwork
from tests.unit.compose.conftest import FIXTURES, load

P = ComposePort


def svc(case: str, name: str, **kw: object) -> ComposeService:
    found = load(case, **kw).service(name)  # type: ignore[arg-type]
    assert found is not None
    return found


def env(service: ComposeService) -> dict[str, str | None]:
    return {v.name: v.value for v in service.environment}


def test_ports_every_form() -> None:
    web = svc("ports", "web")
    assert web.ports == (
        P(3000, None, None, "tcp"),
        P(3001, None, None, "tcp"),
        P(3002, None, None, "tcp"),
        P(22, "22", None, "tcp"),
        P(8000, "8000", None, "tcp"),
        P(8080, "9090", None, "tcp"),
        P(8081, "9091", None, "tcp"),
        P(80, "8000-9000", None, "tcp"),
        P(8001, "8001", "127.0.0.1", "tcp"),
        P(5000, "5000", "127.0.0.1", "tcp"),
        P(5001, "5001", "127.0.0.1", "tcp"),
        P(6000, "6000", "::1", "tcp"),
        P(6001, "6001", "::1", "tcp"),
        P(6060, "6060", None, "udp"),
        P(7070, "7070", None, "sctp"),
        P(7171, None, "127.0.0.1", "tcp"),
        P(81, "8081", "0.0.0.0", "udp", "host"),
        P(82, None, None, "tcp"),
    )


def test_expose() -> None:
    assert svc("expose", "api").expose == (3000, 4000, 5000, 5001, 5002)


def test_networks_forms_names_and_default() -> None:
    project = load("networks")
    assert project.name == "netproj"
    assert project.service("proxy").networks == (ServiceNetwork("back"), ServiceNetwork("front"))  # type: ignore[union-attr]
    assert project.service("api").networks == (  # type: ignore[union-attr]
        ServiceNetwork("named", priority=10),
        ServiceNetwork("back", ("api.internal", "backend"), ipv4_address="172.28.0.10"),
        ServiceNetwork("shared"),
    )
    assert project.service("plain").networks == (ServiceNetwork("default"),)  # type: ignore[union-attr]
    assert project.service("empty-list").networks == (ServiceNetwork("default"),)  # type: ignore[union-attr]
    assert project.networks == (  # only the networks a service uses
        ComposeNetwork("back", "netproj_back", internal=True),
        ComposeNetwork("default", "netproj_default"),
        ComposeNetwork("front", "netproj_front", driver="bridge"),
        ComposeNetwork("named", "my-explicit-net"),
        ComposeNetwork("shared", "shared", external=True),
    )


def test_network_mode() -> None:
    project = load("network-mode")
    modes = {s.name: (s.network_mode, s.networks) for s in project.services}
    assert modes == {
        "hostnet": ("host", ()),
        "isolated": ("none", ()),
        "sidecar": ("service:hostnet", ()),
        "joined": ("container:some-container", ()),
        "bridged": ("bridge", ()),
    }
    assert project.networks == ()


def test_extra_hosts_list_and_map() -> None:
    assert svc("extra-hosts", "listform").extra_hosts == (
        ("db", "10.0.0.5"),
        ("host.docker.internal", "host-gateway"),
        ("multi", "10.0.0.1"),
        ("multi", "10.0.0.2"),
        ("v6", "::1"),
        ("v6b", "fe80::1"),
    )
    assert svc("extra-hosts", "mapform").extra_hosts == (
        ("host.docker.internal", "host-gateway"),
        ("lb", "10.1.0.1"),
        ("lb", "10.1.0.2"),
        ("solo", "192.168.1.9"),
    )


def test_links_hostname_container_name() -> None:
    project = load("links-names")
    db, app = project.service("db"), project.service("app")
    assert db is not None and app is not None
    assert (db.container_name, db.hostname) == ("my-db", "database")
    assert app.links == ("db", "db:database") and app.hostname == "app.local"
    assert app.file == str(FIXTURES / "links-names" / "compose.yaml") and app.line == 6


def test_profiles() -> None:
    assert [s.name for s in load("profiles").services] == ["always"]
    assert load("profiles").disabled == ("debug", "extra", "tools")
    assert [s.name for s in load("profiles", profiles=["debug"]).services] == ["always", "debug", "tools"]
    from_env = load("profiles", environ={"COMPOSE_PROFILES": "extra, tools"})
    assert [s.name for s in from_env.services] == ["always", "extra", "tools"]
    assert [n.key for n in from_env.networks] == ["default", "side"]
    assert len(load("profiles", profiles=["*"]).services) == 4


def test_extends_same_file() -> None:
    project = load("extends-same")
    child, grand = project.service("child"), project.service("grandchild")
    assert child is not None and grand is not None
    assert child.ports == (P(80, "8080", None, "tcp"), P(90, "9090", None, "tcp"))
    assert child.extra_hosts == (("host.docker.internal", "host-gateway"),)
    assert env(child) == {"KEEP": "kept", "LEVEL": "child"}
    assert child.networks == (ServiceNetwork("back", ("one", "two")),)
    assert grand.hostname == "gc" and grand.ports == child.ports and grand.image == "base"


def test_extends_other_file_rebases_paths_and_keeps_positions() -> None:
    app = svc("extends-file", "app")
    base_file = FIXTURES / "extends-file" / "base" / "common.yaml"
    assert app.image == "mcp-server" and app.container_name == "app"
    assert app.ports == (P(8000, "8000", "127.0.0.1", "tcp"),)
    assert app.volumes == (Mount("bind", str(base_file.parent / "data"), "/data", True),)
    url = next(v for v in app.environment if v.name == "MCP_URL")
    assert url.file == str(base_file) and url.line == 8 and url.span is not None
    assert base_file.read_text()[url.span[0] : url.span[1]] == "http://localhost:8000/mcp"


def test_include_is_its_own_project() -> None:
    project = load("include")
    gateway = project.service("gateway")
    assert gateway is not None
    assert gateway.image == "gateway:1.2"  # from include/sub/.env
    assert gateway.ports == (P(9011, "9100", None, "tcp"),)
    assert gateway.volumes == (Mount("bind", str(FIXTURES / "include" / "sub" / "config"), "/config"),)
    assert [n.name for n in project.networks] == ["include_mesh"]


def test_merge_with_discovered_override() -> None:
    project = load("merge-override")
    assert project.files == (
        str(FIXTURES / "merge-override" / "compose.yaml"),
        str(FIXTURES / "merge-override" / "compose.override.yaml"),
    )
    web, db = project.service("web"), project.service("db")
    assert web is not None and db is not None
    assert web.image == "web:2" and db.hostname == "db-host"
    assert web.ports == (P(80, "8080", None, "tcp"), P(443, "8443", None, "tcp"), P(80, "8080", "127.0.0.1", "tcp"))
    assert web.expose == (3000, 4000)
    assert web.extra_hosts == (("example.com", "1.2.3.4"), ("example.com", "4.3.2.1"))
    assert web.networks == (ServiceNetwork("back"), ServiceNetwork("front", ("web-a", "web-b")))
    assert web.volumes == (Mount("bind", str(FIXTURES / "merge-override" / "b"), "/data"),)
    mode = next(v for v in web.environment if v.name == "MODE")
    assert mode.value == "override" and mode.file is not None and mode.file.endswith("compose.override.yaml")
    assert env(web)["URL"] == "http://localhost:8000/mcp"


def test_reset_and_override_tags() -> None:
    d = FIXTURES / "reset-override"
    web = svc("reset-override", "web", files=[str(d / "compose.yaml"), str(d / "override.yaml")], project_dir=None)
    assert web.ports == (P(80, "9090", None, "tcp"),)
    assert web.extra_hosts == () and web.hostname is None
    assert env(web) == {"A": "1", "C": "3"}


def test_interpolation_values() -> None:
    app = svc("interpolation", "app")
    assert app.image == "app:1.0" and app.container_name == "proj-app"
    assert app.ports == (
        P(8000, "8123", None, "tcp"),
        P(7001, "7001", None, "tcp"),
        P(7002, None, None, "tcp"),
        P(9000, "7003", None, "tcp"),
    )
    assert app.extra_hosts == (("host.docker.internal", "host-gateway"),)
    assert env(app) == {
        "ALT_EMPTY_COLON": "",
        "ALT_EMPTY_PLUS": "alt",
        "ALT_SET": "alt",
        "ALT_UNSET": "",
        "BARE": "value",
        "BRACED": "value",
        "DEF_EMPTY_COLON": "def",
        "DEF_EMPTY_DASH": "",
        "DEF_UNSET": "def",
        "ESCAPED": "$SET and ${SET}",
        "FIRST_OP": "a:-b",
        "JSON": '{"json":1}',
        "LITERAL": "a $ b, ^x$, $1, $}",
        "MISSING": "[]",
        "NESTED": "value",
        "NOT_KEYS_$SET": "keys are not interpolated",
        "REQ_EMPTY_OK": "",
        "REQ_OK": "value",
        "SUFFIX": "value-x",
        "URL": "http://localhost:8123/mcp",
    }


def test_environment_overrides_dotenv() -> None:
    app = svc("interpolation", "app", environ={"HOST_PORT": "9999", "SERVER_HOST": "gateway"})
    assert env(app)["URL"] == "http://gateway:9999/mcp"


def test_url_span_and_raw_for_an_edit() -> None:
    app = svc("interpolation", "app")
    url = next(v for v in app.environment if v.name == "URL")
    text = (FIXTURES / "interpolation" / "compose.yaml").read_text()
    assert url.raw == "http://${SERVER_HOST:-localhost}:${HOST_PORT:-8000}/mcp"
    assert url.span is not None and text[url.span[0] : url.span[1]] == url.raw
    assert text.count("\n", 0, url.span[0]) + 1 == url.line


def test_dotenv_file() -> None:
    assert env(svc("dotenv", "app", environ={"OVERRIDDEN": "os", "PASSED": "through"})) == {
        "COLON": "colon-separated",
        "DOUBLE": "line1\nline2 plain value",
        "EXPORTED": "yes",
        "HASH": "no#comment",
        "INTERP": "plain value-and-more",
        "OVERRIDDEN": "os",
        "PASSED": "through",
        "PLAIN": "plain value",
        "QUOTED_HASH": "a # b",
        "SINGLE": "literal ${PLAIN} \\n",
        "SPACED": "trimmed",
    }


def test_env_file_and_list_form_spans() -> None:
    app = svc("env-file", "app")
    values = {v.name: v for v in app.environment}
    assert {k: v.value for k, v in values.items()} == {
        "BOTH": "compose-wins",
        "ESCAPED": "tab\there",
        "EXPANDED": "from-dotenv/x",
        "FROM_COMPOSE": "compose",
        "FROM_FILE": "file",
        "QUOTED": "http://gateway:9011/mcp",
        "SET_HERE": "from-dotenv",
        "UNSET_HERE": None,
    }
    text = (FIXTURES / "env-file" / "compose.yaml").read_text()
    quoted = values["QUOTED"]
    assert quoted.span is not None and text[quoted.span[0] : quoted.span[1]] == "http://gateway:9011/mcp"
    assert values["ESCAPED"].span is None and values["ESCAPED"].line == 12  # escapes: no byte-exact span
    assert values["FROM_FILE"].file is None and values["SET_HERE"].file is None


def test_anchors_merge_keys_and_x_fields() -> None:
    project = load("anchors")
    one, two = project.service("one"), project.service("two")
    assert one is not None and two is not None
    assert one.ports == (P(80, "8080", None, "tcp"),)
    assert one.extra_hosts == two.extra_hosts == (("host.docker.internal", "host-gateway"),)
    assert env(two) == {"OWN": "2", "SHARED": "1"}
    assert project.service("x-not-an-extension") is not None


def test_project_name_rules(tmp_path: Path) -> None:
    assert load("project-name").name == "my_projectname"
    assert load("project-name", environ={"PREFIX": "Other"}).name == "other_projectname"
    assert load("project-name", environ={"COMPOSE_PROJECT_NAME": "from-env"}).name == "from-env"
    assert load("project-name", project_name="given").name == "given"
    assert load("project-dir/My App_").name == "myapp_"
    assert load("networks", project_name="x").networks[0].name == "x_back"


def test_yaml12_scalars_in_compose() -> None:
    app = svc("yaml12", "app")
    assert app.ports == (P(30, "1", None, "tcp"), P(59, "59", None, "tcp"))
    assert env(app) == {
        "FLOAT": "1.1",
        "HEX": "31",
        "INT": "8080",
        "NULL_VALUE": None,
        "OCTAL": "15",
        "OFF": "off",
        "ON": "on",
        "TILDE": None,
        "TRUE_VALUE": "true",
        "YES": "yes",
    }


def test_multi_document_file() -> None:
    app = svc("multi-doc", "app")
    assert app.ports == (P(80, "8080", None, "tcp"), P(90, "9090", None, "tcp")) and app.hostname == "second-doc"


def test_environment_order_and_values_are_env_vars() -> None:
    app = svc("merge-override", "web")
    assert all(isinstance(v, EnvVar) for v in app.environment)
    assert [v.name for v in app.environment] == sorted(v.name for v in app.environment)
