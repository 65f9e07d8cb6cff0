"""The README's first command, `make run`, as a hospital's IT team starts it."""
import os
import signal
import subprocess
import uuid

import psutil
import pytest
import requests

from conftest import API_TOKEN, free_port, start, tracker_of


def listening_addresses(root: psutil.Process, port: int) -> set:
    found = set()
    for process in [root, *root.children(recursive=True)]:
        try:
            for conn in process.net_connections(kind="inet"):
                if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port:
                    found.add(conn.laddr.ip)
        except psutil.NoSuchProcess:
            pass
    return found


@pytest.fixture(scope="module")
def make_run(trained_model, tmp_path_factory):
    rasa_port, actions_port = free_port(), free_port()
    workdir = tmp_path_factory.mktemp("make-run")
    env = {**os.environ, "RASA_PORT": str(rasa_port), "ACTIONS_PORT": str(actions_port),
           "PATIENT_GUIDE_DB_URL": f"sqlite:///{workdir / 'guide.sqlite'}", "NLU_WORKER_PROCESSES": "0",
           "RASA_AUTH_TOKEN": API_TOKEN}
    env.pop("REDIS_URL", None)
    env.pop("ACTION_SERVER_URL", None)
    server = f"http://127.0.0.1:{rasa_port}"
    # its own process group, so the action server and Rasa stop with it
    process = start(["make", "--no-print-directory", "run"], env, workdir / "make-run.log",
                    f"{server}/webhooks/rest/ready", timeout=240, start_new_session=True)
    yield server, process, actions_port, workdir / "make-run.log"
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def test_make_run_answers_a_patient_with_the_action_server(make_run):
    server, *_ = make_run
    sender = f"test-{uuid.uuid4()}"
    replies = requests.post(f"{server}/webhooks/rest/webhook",
                            json={"sender": sender, "message": "Which hospitals in Shanghai have a dentist?"},
                            timeout=60).json()
    assert replies and not any("went wrong" in r.get("text", "") for r in replies)
    tracker = tracker_of(server, sender)
    assert "action_find_hospital" in [e.get("name") for e in tracker["events"] if e["event"] == "action"]


def test_http_api_needs_the_token(make_run):
    """Without `?token=` every API route is refused; the patient channels and the health probes are not."""
    server, *_ = make_run
    for method, path in (("GET", "/status"), ("GET", "/conversations/anyone/tracker"), ("POST", "/model/parse"),
                         ("POST", "/conversations/anyone/tracker/events"), ("PUT", "/model")):
        assert requests.request(method, f"{server}{path}", json={"text": "hi"}, timeout=30).status_code == 401, path
        assert requests.request(method, f"{server}{path}?token=wrong-{API_TOKEN}", json={"text": "hi"},
                                timeout=30).status_code == 401, path
    assert requests.get(f"{server}/status?token={API_TOKEN}", timeout=30).ok
    assert requests.get(f"{server}/", timeout=30).ok  # Rasa's hello: the liveness probe
    assert requests.get(f"{server}/webhooks/rest/ready", timeout=30).ok


def test_the_api_token_is_not_logged_or_on_the_command_line(make_run):
    _, process, _, log_file = make_run
    log = log_file.read_text()
    assert API_TOKEN not in log
    for each in [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]:
        assert API_TOKEN not in " ".join(each.cmdline())


def test_action_server_listens_on_loopback_only(make_run):
    """rasa-sdk binds every interface by default; its /webhook runs any action on any conversation."""
    _, process, actions_port, _ = make_run
    assert listening_addresses(psutil.Process(process.pid), actions_port) == {"127.0.0.1"}
