"""`make chaos`: faults under load, two Rasa instances on one Redis, over loopback.

Set-up: Redis (AOF on, `appendfsync always`: a restart keeps every conversation),
one action server, two of our Rasa instances with Redis stores and one parse
worker each, all on free 127.0.0.1 ports, logs in a temporary directory.

Load: about 20 messages/s of bench's multilingual five-turn conversations
(scripts/bench.py), each conversation sent to one instance, its "home". A
connection error, a timeout or a 5xx is retried on the other instance, then on
each in turn, as a load balancer would (4 attempts at most); every retry is
recorded. A patient waits for the reply before the next turn.

Faults, in turn, each 15 s, each followed by at least 15 s of recovery (longer
while what was restarted is not yet serving), after a baseline with none:
  (1) kill -9 one Rasa instance, restarted on the same port after the fault
  (2) Redis stopped (SIGTERM) and started again on the same port and data
  (3) kill -9 the action server, restarted after the fault
  (4) kill -9 one instance's parse worker (the server replaces it and parses
      in its own process meanwhile)

Per phase: messages sent, answered, answered with the polite `service_unavailable`
text (any language's, bot/texts), no reply (200 with nothing said, or a 4xx),
lost, duplicates, retried, p99 of the patient's wait during the fault and after
it. Lost: a 200 with nothing said whose message is not in the tracker either,
or no 200 at all after every attempt. Duplicates: the same message recorded
more than once in its conversation's tracker (read from Redis through the HTTP
API once the load has ended). Goal: no message lost, none recorded twice,
every patient answered. Numbers go to build/chaos.json.
"""
from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set, Tuple

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.redis_url import endpoint_env  # noqa: E402
from scripts.bench import (  # noqa: E402
    API_TOKEN,
    CONVERSATIONS,
    Processes,
    children,
    free_port,
    memory,
    server_env,
    start_action_server,
    start_rasa,
)

RATE = 20.0  # messages/s offered, over both instances
PATIENTS = 24  # conversations in flight
BASELINE_SECONDS, FAULT_SECONDS, RECOVERY_SECONDS = 20.0, 15.0, 15.0
ATTEMPT_TIMEOUT, MAX_ATTEMPTS, BACKOFF = 15.0, 4, (0.0, 0.5, 2.0)  # BACKOFF[i]: pause before attempt i + 2
RESTART_LIMIT = 180.0  # longest wait for something restarted to serve again
RUN_LIMIT = 480.0  # the whole run; a fault that would not fit is skipped
FAULTS = ("rasa instance killed", "redis restarted", "action server killed", "parse worker killed")

# A message's fate, from the patient's side
ANSWERED, POLITE, NO_REPLY, FAILED = "answered", "polite", "no reply", "failed"


def polite_texts() -> Set[str]:
    """The `service_unavailable` text of every language."""
    from bot import languages, texts

    return {texts.load(tag)["service_unavailable"].strip() for tag in languages.TAGS}


def classify(status: int, body, polite: Set[str]) -> str:
    """What the patient got from one final HTTP answer (status, parsed JSON body, None if not JSON).

    The REST channel answers 200 with a list of bot messages; a list with the polite retry text
    in it is POLITE, any other non-empty list ANSWERED (buttons or an image say something too)."""
    if status != 200 or not isinstance(body, list) or not body:
        return NO_REPLY
    said = {str(item.get("text") or "").strip() for item in body if isinstance(item, dict)}
    return POLITE if said & polite else ANSWERED


@dataclass
class Sent:
    """One patient message and everything that happened to it."""

    sender: str
    text: str
    phase: str  # the phase it was first sent in
    window: str  # "fault" or "after" (recovery)
    home: int = 0
    # (instance 0/1, "200" / "503" / the error's type, began s after the load's start, ms it took)
    attempts: List[tuple] = field(default_factory=list)
    outcome: str = ""  # ANSWERED, POLITE, NO_REPLY or FAILED
    wait_ms: float = 0.0  # first send to final answer, retries included
    turn: int = 0  # its place in the conversation
    in_flight_at_fault: bool = False  # sent before the fault began, answered after: counted in the fault


def attempt_path(message: Sent) -> str:
    """`instance 1 ServerDisconnectedError at 62.1 s (3 ms) > instance 2 200 at 62.1 s (40 ms)`."""
    return " > ".join(f"instance {instance + 1} {what} at {at:.1f} s ({took:.0f} ms)"
                      for instance, what, at, took in message.attempts)


def recorded_texts(tracker: dict) -> Counter:
    """How many times each user text is recorded in a tracker (GET /conversations/<id>/tracker)."""
    return Counter(event.get("text") for event in tracker.get("events") or [] if event.get("event") == "user")


def p99(values: List[float]) -> Optional[float]:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[98], 1)


def tally(messages: Iterable[Sent], recorded: Dict[str, Counter], phases: List[str]) -> List[dict]:
    """One row per phase: sent, answered, polite, no reply, lost, duplicates, retried, unrecorded, p99s.

    A message is lost if no attempt got a 200, or if it got a 200 with nothing said and is not in the
    tracker. Duplicates: recordings of a conversation's text beyond the number of times it was sent,
    counted in the phase of that text's first sending. `unrecorded`: answered, yet not in the tracker.
    """
    groups: Dict[Tuple[str, str], List[Sent]] = defaultdict(list)
    for message in messages:
        groups[(message.sender, message.text)].append(message)
    rows = {phase: {"phase": phase, "sent": 0, ANSWERED: 0, POLITE: 0, NO_REPLY: 0, "lost": 0, "duplicates": 0,
                    "retried": 0, "unrecorded": 0, "waits": {"fault": [], "after": []}} for phase in phases}
    for (sender, text), group in groups.items():
        times = recorded.get(sender, Counter()).get(text, 0)
        if group[0].phase in rows:
            rows[group[0].phase]["duplicates"] += max(0, times - len(group))
        for index, message in enumerate(group):
            row = rows.get(message.phase)
            if row is None:
                continue
            in_tracker = index < times
            row["sent"] += 1
            row["retried"] += len(message.attempts) > 1
            row["waits"][message.window].append(message.wait_ms)
            if message.outcome == FAILED or (message.outcome == NO_REPLY and not in_tracker):
                row["lost"] += 1
            else:
                row[message.outcome] += 1
            row["unrecorded"] += message.outcome == ANSWERED and not in_tracker
    result = []
    for row in rows.values():
        waits = row.pop("waits")
        row["p99 ms during"], row["p99 ms after"] = p99(waits["fault"]), p99(waits["after"])
        row["max ms"] = round(max(waits["fault"] + waits["after"]), 1) if waits["fault"] + waits["after"] else None
        result.append(row)
    return result


def notable(messages: Iterable[Sent], recorded: Dict[str, Counter], slow_ms: float = 5000) -> List[dict]:
    """Messages lost, recorded twice or slower than `slow_ms`, without their text: conversation, turn,
    phase, what each attempt got, and how often the tracker has the text."""
    found = []
    for message in messages:
        times = recorded.get(message.sender, Counter()).get(message.text, 0)
        lost = message.outcome == FAILED or (message.outcome == NO_REPLY and times == 0)
        if lost or times > 1 or message.wait_ms > slow_ms:
            found.append({"conversation": message.sender, "turn": message.turn + 1, "phase": message.phase,
                          "window": message.window, "in flight as the fault began": message.in_flight_at_fault,
                          "outcome": "lost" if lost else message.outcome, "wait ms": round(message.wait_ms),
                          "recorded times": times, "attempts": attempt_path(message)})
    return found


# --- the load ---------------------------------------------------------------


class Pacer:
    """Message slots at RATE per second at most; a stall is not made up for with a burst."""

    def __init__(self, rate: float) -> None:
        self.interval, self.next, self.lock, self.stopped = 1 / rate, time.monotonic(), asyncio.Lock(), False

    async def slot(self) -> bool:
        async with self.lock:
            now = time.monotonic()
            self.next = max(self.next + self.interval, now)
            at = self.next
        await asyncio.sleep(at - now)
        return not self.stopped


class Load:
    def __init__(self, urls: List[str], polite: Set[str], rate: float, patients: int) -> None:
        self.urls, self.polite, self.patients = urls, polite, patients
        self.pacer = Pacer(rate)
        self.phase, self.window = "warm-up", "fault"
        self.sent: List[Sent] = []
        self.in_flight: Dict[int, Sent] = {}
        self.began = time.monotonic()

    def enter(self, phase: str, window: str) -> None:
        """From now on messages are sent in `phase`; one still in flight as a fault begins is counted in the fault."""
        self.phase, self.window = phase, window
        if window == "fault" and phase in FAULTS:
            for message in self.in_flight.values():
                message.phase, message.window, message.in_flight_at_fault = phase, "fault", True

    async def run(self) -> None:
        self.began = self.pacer.next = time.monotonic()
        timeout = aiohttp.ClientTimeout(total=ATTEMPT_TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as http:
            await asyncio.gather(*(self._patient(http, number) for number in range(self.patients)))

    async def _patient(self, http: aiohttp.ClientSession, number: int) -> None:
        languages = list(CONVERSATIONS)
        for conversation in range(10_000):
            sender = f"chaos-{uuid.uuid4().hex[:12]}"
            home = number % len(self.urls)
            for turn, text in enumerate(CONVERSATIONS[languages[(number + conversation) % len(languages)]]):
                if not await self.pacer.slot():
                    return
                message = Sent(sender, text, self.phase, self.window, home, turn=turn)
                self.sent.append(message)
                self.in_flight[id(message)] = message
                try:
                    await self._send(http, message)
                finally:
                    del self.in_flight[id(message)]

    async def _send(self, http: aiohttp.ClientSession, message: Sent) -> None:
        began = time.monotonic()
        for attempt in range(MAX_ATTEMPTS):
            if attempt:
                await asyncio.sleep(BACKOFF[attempt - 1])
            instance = (message.home + attempt) % len(self.urls)
            at = time.monotonic()
            try:
                async with http.post(f"{self.urls[instance]}/webhooks/rest/webhook",
                                     json={"sender": message.sender, "message": message.text}) as response:
                    status, raw = response.status, await response.read()
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                message.attempts.append(self._attempt(instance, type(error).__name__, at))
                continue
            message.attempts.append(self._attempt(instance, str(status), at))
            if status >= 500:
                continue
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            message.outcome = classify(status, body, self.polite)
            break
        else:
            message.outcome = FAILED
        message.wait_ms = (time.monotonic() - began) * 1000

    def _attempt(self, instance: int, what: str, at: float) -> tuple:
        return instance, what, round(at - self.began, 2), round((time.monotonic() - at) * 1000, 1)


# --- the cluster and its faults ---------------------------------------------------


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


class Cluster:
    def __init__(self, workdir: Path, model: Path) -> None:
        self.workdir, self.model = workdir, model
        self.processes = Processes(workdir)
        self.actions_port, self.redis_port = free_port(), free_port()
        redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.env = server_env(workdir, self.actions_port)
        self.rasa_env = {**self.env, "REDIS_URL": redis_url, **endpoint_env(redis_url), "NLU_WORKER_PROCESSES": "1"}
        self.ports = [free_port(), free_port()]
        self.urls = [f"http://127.0.0.1:{port}" for port in self.ports]
        self.servers: List[Optional[subprocess.Popen]] = [None, None]
        self.actions: Optional[subprocess.Popen] = None
        self.redis: Optional[subprocess.Popen] = None
        self.killed: Set[int] = set()  # pids we ended on purpose
        self.orphans: Set[int] = set()  # parse workers of a killed instance (they end when their pipe closes)
        self.starts = 0

    # starting
    def start_redis(self) -> None:
        data = self.workdir / "redis"
        data.mkdir(exist_ok=True)
        self.starts += 1
        self.redis = self.processes.start(f"redis-{self.starts}", [
            "redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--dir", str(data), "--save", "",
            "--appendonly", "yes", "--appendfsync", "always"], self.env)

    def start_actions(self, wait: bool) -> None:
        self.starts += 1
        self.actions = start_action_server(self.processes, self.actions_port, self.env, f"actions-{self.starts}", wait)

    def start_instance(self, index: int) -> None:
        self.starts += 1
        _, self.servers[index] = start_rasa(self.processes, f"rasa{index + 1}-{self.starts}", self.model, self.rasa_env,
                                            "endpoints-redis.yml", port=self.ports[index], wait=False)

    async def redis_ready(self, limit: float = 30) -> float:
        import redis.asyncio as aioredis

        began = time.monotonic()
        client = aioredis.Redis(port=self.redis_port)
        try:
            while time.monotonic() - began < limit:
                try:
                    await client.ping()
                    return time.monotonic() - began
                except (aioredis.ConnectionError, OSError):
                    await asyncio.sleep(0.2)
        finally:
            await client.close()
        raise RuntimeError("redis-server did not start")

    async def serving(self, http: aiohttp.ClientSession, index: int, limit: float = RESTART_LIMIT,
                      workers: bool = True) -> Optional[float]:
        """Seconds until the instance answers /webhooks/rest/ready (and, with `workers`, its parse worker serves);
        None if not within `limit` or if it exited."""
        began = time.monotonic()
        while time.monotonic() - began < limit:
            if self.servers[index].poll() is not None:
                return None
            try:
                async with http.get(f"{self.urls[index]}/webhooks/rest/ready",
                                    timeout=aiohttp.ClientTimeout(total=2)) as response:
                    state = await response.json(content_type=None) if response.status == 200 else None
                counts = (state or {}).get("parse_workers", {})
                if state and (not workers or counts.get("ready") == counts.get("started")):
                    return time.monotonic() - began
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                pass
            await asyncio.sleep(0.5)
        return None

    async def action_server_serving(self, http: aiohttp.ClientSession, limit: float = 60) -> Optional[float]:
        began = time.monotonic()
        while time.monotonic() - began < limit and self.actions.poll() is None:
            try:
                async with http.get(f"http://127.0.0.1:{self.actions_port}/health",
                                    timeout=aiohttp.ClientTimeout(total=2)) as response:
                    if response.status == 200:
                        return time.monotonic() - began
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
            await asyncio.sleep(0.3)
        return None

    # faults
    def kill(self, process: subprocess.Popen) -> None:
        self.killed.add(process.pid)
        process.kill()
        process.wait()

    def parse_worker_of(self, index: int) -> Optional[int]:
        for pid in children(self.servers[index].pid):
            try:
                if b"bot.parse_worker.worker" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    return pid
            except OSError:
                continue
        return None

    def crashed(self) -> List[str]:
        """Processes that exited without being told to."""
        found = []
        for name, process in [("rasa 1", self.servers[0]), ("rasa 2", self.servers[1]), ("action server", self.actions),
                              ("redis", self.redis)]:
            if process is not None and process.poll() is not None and process.pid not in self.killed:
                found.append(f"{name} (pid {process.pid}, exit code {process.returncode})")
        return found

    def stop(self) -> None:
        """Every process started, their parse workers and a killed instance's orphaned worker."""
        leftover = set(self.orphans)
        for process in self.processes.running:
            if process.poll() is None:
                leftover.update(children(process.pid))
        self.processes.stop_all()
        deadline = time.time() + 10
        for pid in leftover:
            while time.time() < deadline and Path(f"/proc/{pid}").exists():
                time.sleep(0.2)
            try:
                if b"bot.parse_worker" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def seconds_since(moment: float, waited: Optional[float]) -> Optional[float]:
    """Seconds from `moment` to now, if the wait that just ended succeeded (`waited` is not None)."""
    return round(time.monotonic() - moment, 1) if waited is not None else None


async def chaos(cluster: Cluster, load: Load, started: float) -> Dict[str, dict]:
    """Runs the load through the baseline and the faults; what happened in each fault."""
    notes: Dict[str, dict] = {}
    drain_limit = MAX_ATTEMPTS * ATTEMPT_TIMEOUT + sum(BACKOFF) + 5
    load_task = asyncio.create_task(load.run())

    def left() -> float:  # seconds the faults may still take, the drain and the tracker reading kept aside
        return RUN_LIMIT - (time.monotonic() - started) - drain_limit - 20

    def enter(phase: str, window: str) -> None:
        load.enter(phase, window)
        log(f"{phase}{': recovery' if window == 'after' else ''} ({time.monotonic() - load.began:.1f} s into the load)")

    async with aiohttp.ClientSession() as http:
        await asyncio.sleep(5)  # a few conversations before measuring (first calls trace TF functions)
        enter("baseline", "fault")
        await asyncio.sleep(BASELINE_SECONDS)
        for number, fault in enumerate(FAULTS, 1):
            if left() < FAULT_SECONDS + RECOVERY_SECONDS:
                log(f"{fault}: skipped, it would not end within {RUN_LIMIT:g} s")
                notes[fault] = {"skipped": True}
                continue
            note: Dict[str, object] = {}
            enter(fault, "fault")
            began = time.monotonic()
            if number == 1:  # kill -9 instance 1; its clients move to instance 2
                cluster.orphans.update(children(cluster.servers[0].pid))
                cluster.kill(cluster.servers[0])
            elif number == 2:  # Redis stopped; its AOF keeps what it acknowledged
                cluster.killed.add(cluster.redis.pid)
                cluster.redis.terminate()
                await asyncio.to_thread(cluster.redis.wait)
            elif number == 3:
                cluster.kill(cluster.actions)
            else:  # instance 2's parse worker: its server replaces it
                worker = cluster.parse_worker_of(1)
                note["parse worker found"] = worker is not None
                if worker is not None:
                    os.kill(worker, signal.SIGKILL)
            await asyncio.sleep(max(0.0, began + FAULT_SECONDS - time.monotonic()))
            restarted = time.monotonic()
            if number == 1:
                cluster.start_instance(0)
            elif number == 2:
                cluster.start_redis()
            elif number == 3:
                cluster.start_actions(wait=False)
            enter(fault, "after")
            limit = max(RECOVERY_SECONDS, min(RESTART_LIMIT, left() - FAULT_SECONDS))
            since_restart = functools.partial(seconds_since, restarted)
            if number == 1:
                note["restarted instance serving after s"] = since_restart(
                    await cluster.serving(http, 0, limit, workers=False))
                note["its parse worker serving after s"] = since_restart(await cluster.serving(http, 0, limit))
            elif number == 2:
                note["redis serving after s"] = since_restart(await cluster.redis_ready())
            elif number == 3:
                note["action server serving after s"] = since_restart(await cluster.action_server_serving(http))
            else:
                note["new parse worker serving after s"] = since_restart(await cluster.serving(http, 1, limit))
            await asyncio.sleep(max(0.0, restarted + RECOVERY_SECONDS - time.monotonic()))
            note["recovery s"] = round(time.monotonic() - restarted, 1)
            crashed = cluster.crashed()
            if crashed:
                note["exited unasked"] = crashed
                log(f"{fault}: exited unasked: {', '.join(crashed)}")
            notes[fault] = note
        load.phase = "drain"
        load.pacer.stopped = True
        log("load stopped; waiting for the messages in flight")
        try:
            await asyncio.wait_for(load_task, drain_limit)
        except asyncio.TimeoutError:
            log("messages still in flight were cut off")
        for message in load.sent:
            if not message.outcome:
                message.outcome = FAILED
                message.attempts.append((-1, "cut off", round(time.monotonic() - load.began, 2), 0.0))
    return notes


async def read_trackers(urls: List[str], senders: Iterable[str]) -> Tuple[Dict[str, Counter], List[str]]:
    """Each conversation's recorded user texts, from whichever instance answers."""
    recorded: Dict[str, Counter] = {}
    unreadable: List[str] = []
    gate = asyncio.Semaphore(8)

    async def read(http: aiohttp.ClientSession, sender: str) -> None:
        async with gate:
            for url in urls:
                try:
                    async with http.get(f"{url}/conversations/{sender}/tracker?token={API_TOKEN}") as response:
                        if response.status == 200:
                            recorded[sender] = recorded_texts(await response.json())
                            return
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                    continue
            unreadable.append(sender)

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
        await asyncio.gather(*(read(http, sender) for sender in set(senders)))
    return recorded, unreadable


LOG_LINE = re.compile(r"\b(ERROR|WARNING|CRITICAL)\b")
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Interrupt)\b")  # a traceback's last line


def log_summary(workdir: Path, limit: int = 40) -> Dict[str, List[Tuple[str, int]]]:
    """Each log's warnings, errors and tracebacks' exceptions, timestamps, conversation ids and
    numbers masked, most frequent first."""
    summary = {}
    for path in sorted(workdir.glob("*.log")):
        lines = Counter()
        for line in path.read_text(errors="replace").splitlines():
            line = re.sub(r"\x1b\[[0-9;]*m", "", line)  # colours
            if "DeprecationWarning" in line or "MovedIn20Warning" in line:
                continue
            if EXCEPTION_LINE.match(line):
                line = f"traceback: {line}"
            elif LOG_LINE.search(line):
                line = re.sub(r"^\S+ \S+\s+", "", line)  # the timestamp
            else:
                continue
            line = re.sub(r"chaos-[0-9a-f]{12}", "<conversation>", line)
            lines[re.sub(r"\d+(\.\d+)?", "N", line)[:200]] += 1
        if lines:
            summary[path.stem] = lines.most_common(limit)
    return summary


def print_table(rows: List[dict]) -> None:
    columns = ["sent", ANSWERED, POLITE, NO_REPLY, "lost", "duplicates", "retried", "p99 ms during", "p99 ms after",
               "max ms"]
    print(f"\n{'phase':22}" + "".join(f"{column:>14}" for column in columns))
    for row in rows:
        cells = [f"{row[c]:.0f}" if isinstance(row[c], (int, float)) else "-" for c in columns]
        print(f"{row['phase']:22}" + "".join(f"{cell:>14}" for cell in cells))


def interrupted(signum, frame) -> None:
    raise KeyboardInterrupt  # so that `finally` stops every process on SIGTERM as on Ctrl-C


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "patient-guide.tar.gz"))
    parser.add_argument("--keep-workdir", action="store_true",
                        help="keep Redis's data and the model's copy too (the logs are always kept)")
    args = parser.parse_args()

    started = time.monotonic()
    signal.signal(signal.SIGTERM, interrupted)
    workdir = Path(tempfile.mkdtemp(prefix="chaos-"))
    model = workdir / "model.tar.gz"  # a copy: a training run may replace the original meanwhile
    shutil.copy(args.model, model)
    cluster = Cluster(workdir, model)
    load = Load(cluster.urls, polite_texts(), RATE, PATIENTS)
    notes: Dict[str, dict] = {}
    try:
        log(f"starting Redis, the action server and two Rasa instances (logs in {workdir})")
        cluster.start_redis()
        asyncio.run(cluster.redis_ready())
        cluster.start_actions(wait=True)
        cluster.start_instance(0)
        cluster.start_instance(1)

        async def both_serving() -> List[Optional[float]]:
            async with aiohttp.ClientSession() as http:
                return await asyncio.gather(cluster.serving(http, 0, 400), cluster.serving(http, 1, 400))

        startup = asyncio.run(both_serving())
        if None in startup:
            raise SystemExit(f"a Rasa instance did not start; see {workdir}")
        log(f"both instances serve with their parse workers ({time.monotonic() - started:.0f} s after the start)")
        notes = asyncio.run(chaos(cluster, load, started))
        log("reading the trackers")
        recorded, unreadable = asyncio.run(read_trackers(cluster.urls[::-1], (m.sender for m in load.sent)))
        rss = memory([server for server in cluster.servers if server.poll() is None],
                     {"action server": cluster.actions, "redis": cluster.redis})
        crashed = cluster.crashed()
    except KeyboardInterrupt:
        log("interrupted")
        raise SystemExit(130) from None
    finally:
        log("stopping every process")
        cluster.stop()

    rows = tally(load.sent, recorded, ["baseline", *FAULTS])
    details = notable(load.sent, recorded)
    logs = log_summary(workdir)
    retry_paths = Counter(" > ".join(f"instance {attempt[0] + 1} {attempt[1]}" for attempt in m.attempts)
                          for m in load.sent if len(m.attempts) > 1)
    out = ROOT / "build" / "chaos.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({
        "settings": {"rate msgs/s": RATE, "conversations in flight": PATIENTS, "baseline s": BASELINE_SECONDS,
                     "fault s": FAULT_SECONDS, "recovery s (at least)": RECOVERY_SECONDS,
                     "attempt timeout s": ATTEMPT_TIMEOUT, "attempts": MAX_ATTEMPTS,
                     "redis keeps data": True, "parse workers per instance": 1},
        "rows": rows, "faults": notes, "crashed": crashed, "trackers unreadable": len(unreadable),
        "lost, duplicated or slower than 5 s": details, "retry paths": dict(retry_paths.most_common()),
        "rss_mb": rss, "run seconds": round(time.monotonic() - started), "logs": str(workdir),
        "log summary": logs}, indent=2, ensure_ascii=False))

    print_table(rows)
    total = {key: sum(row[key] for row in rows) for key in ("lost", "duplicates", NO_REPLY, "unrecorded")}
    print(f"\ngoal: zero lost, zero duplicates, every patient answered (an answer or the polite retry text). "
          f"This run: {total['lost']} lost, {total['duplicates']} duplicates, {total[NO_REPLY]} without any reply "
          f"({total['unrecorded']} answered but missing from the tracker).")
    print("lost = no 200 after every attempt, or a 200 with nothing said and nothing recorded; "
          "duplicates = a message recorded twice in its tracker; p99/max = the patient's wait, retries included; "
          "a message in flight as a fault began is counted in the fault.")
    print(f"Redis keeps its data across the restart (AOF, appendfsync always). {RATE:g} msgs/s offered, "
          f"{PATIENTS} conversations in flight, {FAULT_SECONDS:g} s a fault, at least {RECOVERY_SECONDS:g} s after; "
          f"{MAX_ATTEMPTS} attempts of at most {ATTEMPT_TIMEOUT:g} s a message.")
    for fault, note in notes.items():
        print(f"  {fault}: " + ", ".join(f"{key} {value}" for key, value in note.items()))
    if unreadable:
        print(f"  trackers that could not be read: {len(unreadable)}")
    if crashed:
        print(f"  exited unasked: {', '.join(crashed)}")
    print(f"\nmessages lost, recorded twice or slower than 5 s ({len(details)}; times from the load's start):")
    for item in details[:20]:
        print(f"  {item['phase']} ({item['window']}), {item['conversation']} turn {item['turn']}: {item['outcome']}, "
              f"waited {item['wait ms']} ms, recorded {item['recorded times']}x; {item['attempts']}")
    print("\nwarnings, errors and tracebacks in the logs (conversation ids and numbers masked):")
    for name, lines in logs.items():
        print(f"  {name}:")
        for line, count in lines:
            print(f"    {count:5d} x {line}")
    print(f"\n(also in {out.relative_to(ROOT)}; run took {time.monotonic() - started:.0f} s; logs in {workdir})")
    if not args.keep_workdir:  # the logs stay
        shutil.rmtree(workdir / "redis", ignore_errors=True)
        model.unlink()


if __name__ == "__main__":
    main()
