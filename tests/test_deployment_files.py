"""The deployment files a hospital's IT team runs (deploy/): Kubernetes manifests, the compose
file, the Containerfile, the env example and the entry point. Fast: no model, no server.

The manifests are validated against Kubernetes 1.28's API schemas (kubernetes-validate,
strict: an unknown or misspelt field fails). The rest checks what matters when they run:
who can reach the action server and Redis, that probes point at paths the server answers,
memory at least what was measured (README "Production"), that every secret a pod reads
exists in the Secret template and that no template holds a real-looking secret.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
ENV_EXAMPLE = DEPLOY / "patient-guide.env.example"
KUBERNETES_VERSION = "1.28.0"

# Resident memory measured by `make bench` (README "Production"), in MB.
SERVER_MB, PARSE_WORKER_MB, ACTIONS_MB, REDIS_MB = 1000, 960, 140, 44
MB = 1024 * 1024  # read as MiB: the stricter of the two readings

# The probes' paths: Rasa's hello (liveness), the REST channel's readiness (bot/channels/rest.py),
# rasa-sdk's health.
LIVENESS_PATH, READINESS_PATH, ACTIONS_HEALTH_PATH = "/", "/webhooks/rest/ready", "/health"
RASA_PORT, ACTIONS_PORT, REDIS_PORT = 5005, 5055, 6379

PLACEHOLDER = "CHANGE-ME"


def manifest_files():
    return sorted(path for path in K8S.glob("*.yaml") if path.name != "kustomization.yaml")


def k8s_objects():
    return [(path.name, doc) for path in manifest_files() for doc in yaml.safe_load_all(path.read_text()) if doc]


def objects(kind):
    return [doc for _, doc in k8s_objects() if doc["kind"] == kind]


def component(kind, name):
    found = [doc for doc in objects(kind) if doc["spec"].get("template", doc)["metadata"]["labels"].get(
        "app.kubernetes.io/component") == name]
    assert len(found) == 1, f"expected one {kind} for {name}, found {len(found)}"
    return found[0]


def pod_labels(name):
    kind = "StatefulSet" if name == "redis" else "Deployment"
    return component(kind, name)["spec"]["template"]["metadata"]["labels"]


def selects(selector: dict, labels: dict) -> bool:
    """A matchLabels selector (the only form these manifests use) selects these labels."""
    assert set(selector) <= {"matchLabels"}, "only matchLabels selectors are checked here"
    return all(labels.get(key) == value for key, value in selector.get("matchLabels", {}).items())


def container(workload):
    containers = workload["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def quantity_bytes(quantity: str) -> float:
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 1e3, "M": 1e6, "G": 1e9}
    match = re.fullmatch(r"([0-9.]+)([KMG]i?)?", str(quantity))
    assert match, f"unexpected quantity {quantity}"
    return float(match.group(1)) * units.get(match.group(2) or "", 1)


def probe_port(probe, workload_container) -> int:
    port = probe["httpGet"]["port"]
    if isinstance(port, int):
        return port
    return next(p["containerPort"] for p in workload_container["ports"] if p.get("name") == port)


# --- Kubernetes ----------------------------------------------------------------------


@pytest.mark.parametrize("name,doc", [pytest.param(name, doc, id=f"{name}:{doc['kind']}/{doc['metadata']['name']}")
                                      for name, doc in k8s_objects()])
def test_manifest_is_valid_kubernetes_1_28(name, doc):
    with warnings.catch_warnings():  # its pkg_resources and distutils calls, not our manifests
        warnings.simplefilter("ignore", DeprecationWarning)
        import kubernetes_validate

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        path = ".".join(str(part) for part in error.path)
        pytest.fail(f"{name}: {doc['kind']}/{doc['metadata']['name']}: {path}: {error.message}")
    except kubernetes_validate.SchemaNotFoundError as error:  # a misspelt kind or apiVersion
        pytest.fail(f"{name}: {error.message}")


def test_kustomization_lists_every_manifest():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert sorted(kustomization["resources"]) == [path.name for path in manifest_files()]


def test_every_object_is_in_the_namespace():
    namespace = objects("Namespace")[0]["metadata"]["name"]
    for name, doc in k8s_objects():
        if doc["kind"] != "Namespace":
            assert doc["metadata"].get("namespace") == namespace, f"{name}: {doc['kind']}/{doc['metadata']['name']}"


def test_action_server_is_reachable_only_inside_the_cluster():
    actions = pod_labels("actions")
    services = [svc for svc in objects("Service") if selects({"matchLabels": svc["spec"]["selector"]}, actions)]
    assert services, "no Service selects the action server"
    for service in services:
        assert service["spec"].get("type") == "ClusterIP", "the action server must not be exposed outside the cluster"
        assert [port["port"] for port in service["spec"]["ports"]] == [ACTIONS_PORT]
    # the Rasa pods reach it by the Service's name
    settings = objects("ConfigMap")[0]["data"]
    assert settings["ACTION_SERVER_URL"] == f"http://{services[0]['metadata']['name']}:{ACTIONS_PORT}/webhook"


@pytest.mark.parametrize("target,port", [("actions", ACTIONS_PORT), ("redis", REDIS_PORT)])
def test_network_policy_admits_only_rasa(target, port):
    policies = [policy for policy in objects("NetworkPolicy")
                if selects(policy["spec"]["podSelector"], pod_labels(target))]
    assert len(policies) == 1, f"one NetworkPolicy must select the {target} pods"
    spec = policies[0]["spec"]
    assert "Ingress" in spec["policyTypes"]
    assert spec["ingress"], "an empty ingress list admits nobody, and then Rasa cannot reach it either"
    for rule in spec["ingress"]:
        assert rule.get("from"), "a rule without `from` admits every pod and address"
        for peer in rule["from"]:
            assert set(peer) == {"podSelector"}, f"only pods of this namespace, by label: {peer}"
            assert selects(peer["podSelector"], pod_labels("rasa"))
            assert not selects(peer["podSelector"], pod_labels("actions"))
            assert not selects(peer["podSelector"], pod_labels("redis"))
        assert [(p.get("protocol", "TCP"), p["port"]) for p in rule["ports"]] == [("TCP", port)]


def test_rasa_runs_two_replicas_that_survive_a_drain():
    rasa = component("Deployment", "rasa")
    assert rasa["spec"]["replicas"] >= 2
    budgets = [pdb for pdb in objects("PodDisruptionBudget") if selects(pdb["spec"]["selector"], pod_labels("rasa"))]
    assert len(budgets) == 1 and budgets[0]["spec"]["minAvailable"] >= 1
    # the settings that let any replica take any message are in place
    settings = objects("ConfigMap")[0]["data"]
    assert settings["REDIS_URL"].startswith("redis://")
    secret_env = {env["name"] for env in container(rasa)["env"] if "valueFrom" in env}
    assert {"RASA_AUTH_TOKEN", "COORDINATOR_SESSION_SECRET", "WIDGET_SESSION_SECRET"} <= secret_env


def test_rasa_probes_use_the_real_paths_and_port():
    rasa = container(component("Deployment", "rasa"))
    assert rasa["args"] == ["server"]
    for kind, path in [("readinessProbe", READINESS_PATH), ("livenessProbe", LIVENESS_PATH),
                       ("startupProbe", LIVENESS_PATH)]:
        probe = rasa[kind]
        assert probe["httpGet"]["path"] == path, kind
        assert probe_port(probe, rasa) == RASA_PORT, kind
    # loading the model takes about a minute: the startup probe must allow several
    startup = rasa["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 180


def test_action_server_probes_and_command():
    actions = container(component("Deployment", "actions"))
    assert actions["args"] == ["actions"]
    for kind in ("readinessProbe", "livenessProbe"):
        assert actions[kind]["httpGet"]["path"] == ACTIONS_HEALTH_PATH
        assert probe_port(actions[kind], actions) == ACTIONS_PORT


def test_readiness_path_is_the_one_the_rest_channel_serves():
    source = (ROOT / "bot" / "channels" / "rest.py").read_text()
    assert '@blueprint.route("/ready"' in source and "GuardedRestInput" in (ROOT / "credentials.yml").read_text()
    assert READINESS_PATH == "/webhooks/rest/ready"


def test_memory_requests_cover_what_was_measured():
    settings = objects("ConfigMap")[0]["data"]
    workers = int(settings.get("NLU_WORKER_PROCESSES", "1"))
    needed = {"rasa": SERVER_MB + PARSE_WORKER_MB * workers, "actions": ACTIONS_MB, "redis": REDIS_MB}
    for name, megabytes in needed.items():
        kind = "StatefulSet" if name == "redis" else "Deployment"
        resources = container(component(kind, name))["resources"]
        request = quantity_bytes(resources["requests"]["memory"])
        assert request >= megabytes * MB, f"{name}: request {resources['requests']['memory']} < measured {megabytes} MB"
        assert quantity_bytes(resources["limits"]["memory"]) >= request


def test_pods_run_as_a_non_root_user_with_a_read_only_root():
    for kind, name in [("Deployment", "rasa"), ("Deployment", "actions"), ("StatefulSet", "redis")]:
        workload = component(kind, name)
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] != 0
        security = container(workload)["securityContext"]
        assert security["allowPrivilegeEscalation"] is False
        assert security["readOnlyRootFilesystem"] is True


def test_redis_keeps_its_data():
    redis = component("StatefulSet", "redis")
    args = container(redis)["args"]
    assert args[args.index("--appendonly") + 1] == "yes"
    claims = {claim["metadata"]["name"] for claim in redis["spec"]["volumeClaimTemplates"]}
    mounts = {mount["name"]: mount["mountPath"] for mount in container(redis)["volumeMounts"]}
    assert mounts.get(next(iter(claims))) == args[args.index("--dir") + 1] == "/data"


def secret_template():
    secrets = objects("Secret")
    assert len(secrets) == 1
    return secrets[0]


def test_every_secret_a_pod_reads_is_in_the_template():
    secret = secret_template()
    keys = set(secret["stringData"])
    read = set()
    for workload in objects("Deployment") + objects("StatefulSet"):
        for env in container(workload).get("env", []):
            ref = env.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                assert ref["name"] == secret["metadata"]["name"], env["name"]
                assert ref["key"] in keys, f"{env['name']} reads {ref['key']}, which the Secret template lacks"
                read.add(ref["key"])
        for source in container(workload).get("envFrom", []):
            assert "secretRef" not in source, "secrets by name, so a pod gets only those it needs"
    assert read == keys, f"in the template but read by no pod: {keys - read}"
    # and the entry point refuses each one's placeholder (deploy/entrypoint.sh's require / no_placeholder)
    entrypoint = (DEPLOY / "entrypoint.sh").read_text()
    assert not [key for key in keys if not re.search(rf"\b{key}\b", entrypoint)]


def looks_real(value: str) -> bool:
    """A value that could be a real secret or a real person's phone number."""
    phone = re.search(r"\+?\d[\d \-()]{7,}\d", value)
    random_looking = re.search(r"[A-Za-z0-9_\-+/=]{16,}", value) and re.search(r"\d", value) and \
        re.search(r"[A-Za-z]", value)
    return bool(phone or random_looking)


def test_the_secret_template_holds_placeholders_only():
    for key, value in secret_template()["stringData"].items():
        assert value == "" or value.startswith(PLACEHOLDER), f"{key} holds a value, not a placeholder"
        assert not looks_real(value), key
    assert "data" not in secret_template(), "base64 `data` hides what is in it: stringData only"


def test_placeholder_check_would_catch_real_values():
    assert looks_real("wx0123456789abcdef")
    assert looks_real("+86 138 0013 8000")
    assert looks_real("5jF0q2Zx9kL1mN8pQ4rS")
    assert not looks_real("CHANGE-ME") and not looks_real("")


# --- The env example ------------------------------------------------------------------


def env_example() -> dict:
    """NAME -> value for `NAME=value` lines and, as None, for commented-out `# NAME=default` ones."""
    entries = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.fullmatch(r"(#\s*)?([A-Z][A-Z0-9_]+)=(.*)", line.strip())
        if match:
            entries[match.group(2)] = None if match.group(1) else match.group(3)
    return entries


def is_env_mapping(node: ast.AST) -> bool:
    """`os.environ`, `environ` or a parameter named `env` (the code passes os.environ as `env`)."""
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or \
        (isinstance(node, ast.Name) and node.id in ("environ", "env"))


class EnvReads(ast.NodeVisitor):
    """The environment variable names a module reads: os.environ.get/[...], os.getenv, env.get,
    a module constant naming one (ENV_NAME = "..."), and f"PREFIX_{key.upper()}" inside a helper
    whose string-argument calls name the keys (bot/channels/wechat.py's `setting`)."""

    def __init__(self, tree: ast.Module) -> None:
        self.names = set()
        self.constants = {target.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
                          for target in node.targets if isinstance(target, ast.Name)
                          and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}
        self.templates = {}  # helper function name -> prefix
        self.functions = []
        self.calls = []  # (function name, first string argument)
        self.visit(tree)
        for function, argument in self.calls:
            if function in self.templates:
                self.names.add(self.templates[function] + argument.upper())

    def visit_FunctionDef(self, node):
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def read(self, key: ast.AST) -> None:
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            self.names.add(key.value)
        elif isinstance(key, ast.Name) and key.id in self.constants:
            self.names.add(self.constants[key.id])
        elif isinstance(key, ast.JoinedStr) and isinstance(key.values[0], ast.Constant) and self.functions:
            self.templates[self.functions[-1]] = key.values[0].value

    def visit_Call(self, node):
        func = node.func
        if node.args and isinstance(func, ast.Attribute) and func.attr == "get" and is_env_mapping(func.value):
            self.read(node.args[0])
        elif node.args and isinstance(func, ast.Attribute) and func.attr == "getenv":
            self.read(node.args[0])
        if isinstance(func, ast.Name) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            self.calls.append((func.id, node.args[0].value))
        self.generic_visit(node)

    def visit_Subscript(self, node):
        if is_env_mapping(node.value) and isinstance(node.ctx, ast.Load):
            self.read(node.slice)
        self.generic_visit(node)


def variables_read_by_the_code() -> set:
    from bot.redis_url import endpoint_env

    names = set()
    for path in sorted((ROOT / "bot").rglob("*.py")) + sorted((ROOT / "actions").rglob("*.py")):
        names |= EnvReads(ast.parse(path.read_text(), str(path))).names
    # ${NAME} in the files Rasa reads, less those the entry point derives from REDIS_URL
    derived = set(endpoint_env("redis://localhost")) - names
    for config in ("credentials.yml", "endpoints.yml", "endpoints-redis.yml"):
        names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", (ROOT / config).read_text())) - derived
    # set for the process by the Makefile or the entry point, not by a hospital
    names -= {"TF_CPP_MIN_LOG_LEVEL"}
    return names


def test_the_code_reading_finder_finds_what_it_must():
    """Guards the next test: a finder that found nothing would pass it."""
    assert {"RASA_AUTH_TOKEN", "WECHAT_APP_SECRET", "WECHAT_ENCODING_AES_KEY", "BOOKING_OWNER_SECRET",
            "PATIENT_GUIDE_DB_URL", "COORDINATOR_LOGIN_WINDOW_MINUTES", "NLU_WORKER_PROCESSES", "REDIS_URL",
            "ACTION_SERVER_URL", "CONVERSATION_RETENTION_SECONDS"} <= variables_read_by_the_code()


def test_the_env_example_lists_every_variable_the_code_reads():
    listed = set(env_example())
    missing = variables_read_by_the_code() - listed
    assert not missing, f"read by the code, missing from {ENV_EXAMPLE.name}: {sorted(missing)}"
    entrypoint_reads = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", (DEPLOY / "entrypoint.sh").read_text()))
    stale = listed - variables_read_by_the_code() - entrypoint_reads
    assert not stale, f"listed in {ENV_EXAMPLE.name} but read by nothing: {sorted(stale)}"


def test_the_env_example_holds_no_secret():
    secrets = set(secret_template()["stringData"])
    entries = env_example()
    assert secrets <= set(entries), "every secret of the Kubernetes template is in the env example"
    for name, value in entries.items():
        if value is None:
            continue
        if name in secrets:
            assert value == "", f"{name}: secrets are empty in the example"
        assert not looks_real(value), name
    # a set value overrides a default even when empty (int("") fails): settings stay commented out
    assert {name for name, value in entries.items() if value is not None} <= secrets


# --- Compose --------------------------------------------------------------------------


def compose():
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_services_and_published_ports():
    services = compose()["services"]
    assert set(services) == {"rasa", "actions", "redis"}
    assert [name for name, service in services.items() if service.get("ports")] == ["rasa"]
    assert [str(port).rsplit(":", 1)[-1] for port in services["rasa"]["ports"]] == [str(RASA_PORT)]


def test_compose_keeps_actions_and_redis_on_internal_networks():
    spec = compose()
    networks = spec["networks"]
    for name in ("actions", "redis"):
        joined = spec["services"][name]["networks"]
        assert joined, name
        for network in joined:
            assert (networks[network] or {}).get("internal") is True, f"{name} joins {network}, which is not internal"
            members = [svc for svc, service in spec["services"].items() if network in service.get("networks", [])]
            assert sorted(members) == sorted(["rasa", name]), f"{network}: only Rasa and {name}"


def test_compose_health_checks():
    services = compose()["services"]
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
    assert f"127.0.0.1:{RASA_PORT}{READINESS_PATH}" in " ".join(services["rasa"]["healthcheck"]["test"])
    assert f"127.0.0.1:{ACTIONS_PORT}{ACTIONS_HEALTH_PATH}" in " ".join(services["actions"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]
    assert services["rasa"]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_compose_redis_appends_to_a_named_volume():
    spec = compose()
    redis = spec["services"]["redis"]
    command = redis["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    volume, _, path = redis["volumes"][0].partition(":")
    assert volume in spec["volumes"] and path == "/data"


def test_compose_reads_the_env_file_and_the_example_is_beside_it():
    spec = compose()
    for name in ("rasa", "actions"):
        service = spec["services"][name]
        assert service["env_file"] == "patient-guide.env"  # relative to deploy/, as Compose resolves it
        assert service["command"] == (["server"] if name == "rasa" else ["actions"])
        assert service["image"] == spec["services"]["rasa"]["image"], "one image for both"
    assert "env_file" not in spec["services"]["redis"], "Redis needs none of the secrets"
    assert ENV_EXAMPLE.exists()
    assert "patient-guide.env" in (DEPLOY / ".gitignore").read_text().split()
    assert "deploy/patient-guide.env" in (ROOT / ".dockerignore").read_text().split()


# --- The image ------------------------------------------------------------------------


def instructions():
    text = (DEPLOY / "Containerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_containerfile():
    steps = instructions()
    assert steps[0] == ("FROM", "python:3.10-slim")
    runs = " ".join(argument for instruction, argument in steps if instruction == "RUN")
    assert "pip install --no-deps -r requirements.lock" in runs and "pip check" in runs
    user = [argument for instruction, argument in steps if instruction == "USER"][-1]
    assert user.split(":")[0] not in ("root", "0"), "the image must run as a non-root user"
    assert ("EXPOSE", "5005") in steps
    assert ("CMD", '["server"]') in steps
    assert ("ENTRYPOINT", '["/app/deploy/entrypoint.sh"]') in steps
    # the uid the Kubernetes manifests run as
    assert int(user.split(":")[0]) == component("Deployment", "rasa")["spec"]["template"]["spec"][
        "securityContext"]["runAsUser"]


def test_build_context_keeps_out_local_state_but_not_the_model():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".venv", "build", ".git", "**/node_modules", "models/*"):
        assert entry in ignored, entry
    assert "!models/patient-guide.tar.gz" in ignored


# --- The entry point ------------------------------------------------------------------

SERVER_SECRETS = {"RASA_AUTH_TOKEN": "t" * 32, "COORDINATOR_SESSION_SECRET": "s", "WIDGET_SESSION_SECRET": "w"}


def run_entrypoint(tmp_path, args, env):
    """deploy/entrypoint.sh with `python` and `rasa` stand-ins that print what they were asked to
    run (bot.redis_url runs for real)."""
    stub = tmp_path / "bin"
    stub.mkdir(exist_ok=True)
    real_python = Path(sys.executable)
    (stub / "python").write_text(
        "#!/bin/sh\n"
        f'if [ "$1 $2" = "-m bot.redis_url" ]; then exec {real_python} "$@"; fi\n'
        'echo "python $*"; echo "REDIS=$REDIS_HOST:$REDIS_PORT/$REDIS_DB"\n')
    (stub / "rasa").write_text('#!/bin/sh\necho "rasa $*"; echo "SANIC_HOST=$SANIC_HOST DB=$PATIENT_GUIDE_DB_URL"\n')
    for name in ("python", "rasa"):
        (stub / name).chmod(0o755)
    return subprocess.run([str(DEPLOY / "entrypoint.sh"), *args], capture_output=True, text=True, timeout=30,
                          env={"PATH": f"{stub}:/usr/bin:/bin", **env})


def test_entrypoint_starts_the_server_as_make_run_does(tmp_path):
    plain = run_entrypoint(tmp_path, ["server"], SERVER_SECRETS)
    assert plain.returncode == 0, plain.stderr
    assert "--endpoints endpoints.yml" in plain.stdout
    assert "-m bot.rasa_command run --model models/patient-guide.tar.gz --enable-api --interface 0.0.0.0 " \
           "--port 5005 --credentials credentials.yml" in plain.stdout
    with_redis = run_entrypoint(tmp_path, ["server"], {**SERVER_SECRETS, "REDIS_URL": "redis://:pw@redis:6380/2"})
    assert with_redis.returncode == 0, with_redis.stderr
    assert "--endpoints endpoints-redis.yml" in with_redis.stdout and "REDIS=redis:6380/2" in with_redis.stdout


def test_entrypoint_starts_the_action_server_on_the_data_volume(tmp_path):
    result = run_entrypoint(tmp_path, ["actions"], {"BOOKING_OWNER_SECRET": "b"})
    assert result.returncode == 0, result.stderr
    assert "rasa run actions --actions actions --port 5055" in result.stdout
    assert "SANIC_HOST=0.0.0.0 DB=sqlite:////data/patient-guide.sqlite" in result.stdout


@pytest.mark.parametrize("missing", sorted(SERVER_SECRETS))
def test_entrypoint_refuses_to_start_without_a_shared_secret(tmp_path, missing):
    for value in (None, "", "CHANGE-ME"):
        env = {name: val for name, val in SERVER_SECRETS.items() if name != missing}
        if value is not None:
            env[missing] = value
        result = run_entrypoint(tmp_path, ["server"], env)
        assert result.returncode != 0 and missing in result.stderr
        assert "python" not in result.stdout, "nothing may start"


def test_entrypoint_refuses_the_templates_placeholder_for_optional_secrets(tmp_path):
    result = run_entrypoint(tmp_path, ["server"], {**SERVER_SECRETS, "TELEGRAM_TOKEN": "CHANGE-ME"})
    assert result.returncode != 0 and "TELEGRAM_TOKEN" in result.stderr
    actions = run_entrypoint(tmp_path, ["actions"], {})
    assert actions.returncode != 0 and "BOOKING_OWNER_SECRET" in actions.stderr
