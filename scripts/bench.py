"""`make bench`: the REST channel's capacity, over loopback, in six set-ups.

    (a) ours, in-memory stores; (a0) the same without a parse worker (parsed in the server's process)
    (b) ours, Redis stores; (c) two of our instances on one Redis
    ours with Rasa's stock `rasa init` NLU pipeline (all our server fixes, stock NLU)
    baseline: Rasa 3.6 as shipped: plain `rasa run` with the stock pipeline, Rasa's own REST
      channel and none of our code in the server (same domain, rules and action server)

A short asyncio client (aiohttp, which Rasa already brings) plays realistic
conversations in the 12 languages: each conversation sends its messages one
after another, waiting for each reply; many conversations run at once, and a
pacer holds the whole to the offered rate. For each set-up the offered rate is
stepped up (x1.5 from 10 msgs/s, then two bisections) while a bounded run
sustains it: p99 <= 150 ms, no errors, no lost message, and at least 95 % of
the offered rate delivered. The capacity is the highest rate sustained.
"lost" = messages answered 200 that are missing from the conversation's
tracker afterwards. Resident memory (VmRSS) of every process is read after
each search. Then, on each single-instance set-up, eight "hello"s are sent at
once, ten rounds, alone and beside one message of 2,000 emoji (issue 23: one
hostile message may delay the others' replies by at most 100 ms). Numbers are
printed as measured.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
RASA = Path(sys.executable).parent / "rasa"
sys.path.insert(0, str(ROOT))

from bot.parse_worker.probe import wait_for_parse_workers  # noqa: E402
from bot.redis_url import endpoint_env  # noqa: E402

# Written for the benchmark (not taken from the evaluation set): what patients ask most.
CONVERSATIONS: Dict[str, List[str]] = {
    "en": ["Hi there", "Is there a hospital in Pudong with English-speaking doctors?", "How do I get to Renji?",
           "When is it open?", "great, thank you"],
    "zh-Hans": ["你好呀", "浦东哪家医院有会说英语的医生", "仁济医院怎么去", "周末开门吗", "好的谢谢"],
    "zh-Hant": ["你好", "羅湖口岸附近有冇眼科", "點樣去希瑪", "幾點開門", "唔該晒"],
    "ja": ["こんにちは", "英語が通じる病院はありますか", "仁済病院への行き方を教えてください", "何時まで開いていますか",
           "ありがとうございます"],
    "ko": ["안녕하세요", "영어 가능한 병원이 있나요", "인제병원 가는 길 알려주세요", "토요일에도 진료하나요", "감사합니다"],
    "ru": ["Здравствуйте", "Где в Шанхае больница с англоговорящими врачами?", "Как добраться до больницы Жэньцзи?",
           "Во сколько она открывается?", "Спасибо большое"],
    "ar": ["مرحبا", "هل يوجد مستشفى في بودونغ فيه أطباء يتكلمون الإنجليزية؟", "كيف أصل إلى مستشفى رنجي؟",
           "ما هي ساعات العمل؟", "شكرا لك"],
    "fr": ["Bonjour", "Y a-t-il un hôpital à Pudong avec des médecins anglophones ?", "Comment aller à l'hôpital Renji ?",
           "Quels sont les horaires ?", "merci beaucoup"],
    "de": ["Hallo", "Gibt es in Pudong ein Krankenhaus mit englischsprachigen Ärzten?", "Wie komme ich zum Renji?",
           "Wann hat es geöffnet?", "Danke schön"],
    "es": ["Hola", "¿Hay algún hospital en Pudong con médicos que hablen inglés?", "¿Cómo llego al hospital Renji?",
           "¿Cuál es el horario?", "muchas gracias"],
    "vi": ["Xin chào", "Ở Phố Đông có bệnh viện nào có bác sĩ nói tiếng Anh không?", "Đi đến bệnh viện Nhân Tế thế nào?",
           "Mấy giờ mở cửa?", "cảm ơn nhiều"],
    "th": ["สวัสดีค่ะ", "มีโรงพยาบาลในผู่ตงที่หมอพูดภาษาอังกฤษได้ไหม", "ไปโรงพยาบาลเหรินจี้ยังไง", "เปิดกี่โมง",
           "ขอบคุณมากค่ะ"],
}


# what "sustains a rate" means
P99_LIMIT_MS = 150
DELIVERED_SHARE = 0.95
# the search: from START_RATE up by STEP_FACTOR while sustained, then BISECTIONS between pass and fail
START_RATE, STEP_FACTOR, BISECTIONS, MAX_RATE = 10.0, 1.5, 2, 400.0
# the HTTP API's token for our servers (bot/api_token.py); stock Rasa runs without one and ignores it
API_TOKEN = f"bench-{uuid.uuid4().hex}"
STOCK_CREDENTIALS = "rest:\n"  # Rasa's own REST channel only: none of our modules is imported


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 400) -> None:
    import urllib.request

    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url} exited:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"{url} did not come up")


class Processes:
    def __init__(self, workdir: Path) -> None:
        self.workdir, self.running = workdir, []

    def start(self, name: str, command: List[str], env: Dict[str, str], ready_url: Optional[str] = None):
        log = self.workdir / f"{name}.log"
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        self.running.append(process)
        if ready_url:
            wait_until_up(ready_url, process, log)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.running):
            process.terminate()
        for process in self.running:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.running = []


def start_rasa(processes: Processes, name: str, model: Path, env: Dict[str, str], endpoints: str,
               credentials: str = "credentials.yml", ours: bool = True, port: Optional[int] = None,
               wait: bool = True) -> Tuple[str, subprocess.Popen]:
    """Starts a Rasa server (on `port`, else a free one); with `wait`, returns once it and its parse workers serve."""
    port = port or free_port()
    # ours starts as `make run` starts it; stock Rasa as its own `rasa` command
    command = [sys.executable, "-m", "bot.rasa_command"] if ours else [str(RASA)]
    process = processes.start(name, [*command, "run", "--model", str(model), "--interface", "127.0.0.1",
                                     "--port", str(port), "--enable-api", "--credentials", credentials,
                                     "--endpoints", endpoints], env,
                              f"http://127.0.0.1:{port}/status?token={API_TOKEN}" if wait else None)
    if ours and wait:  # measured as it serves once started, not while its workers load
        wait_for_parse_workers(f"http://127.0.0.1:{port}")
    return f"http://127.0.0.1:{port}", process


def server_env(workdir: Path, actions_port: int) -> Dict[str, str]:
    """The environment of the action server and our Rasa servers (in-memory stores; Redis adds endpoint_env)."""
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "RASA_AUTH_TOKEN": API_TOKEN,
            "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook",
            "PATIENT_GUIDE_DB_URL": f"sqlite:///{workdir / 'guide.sqlite'}", "LOG_LEVEL": "WARNING",
            "SANIC_HOST": "127.0.0.1"}


def start_action_server(processes: Processes, port: int, env: Dict[str, str], name: str = "actions",
                        wait: bool = True) -> subprocess.Popen:
    return processes.start(name, [str(RASA), "run", "actions", "--actions", "actions", "--port", str(port)], env,
                           f"http://127.0.0.1:{port}/health" if wait else None)


def rss_mb(pid: int) -> Optional[float]:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return None


def children(pid: int) -> List[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def memory(servers: List[subprocess.Popen], others: Dict[str, subprocess.Popen]) -> Dict[str, float]:
    """Resident MB of each Rasa server, each of its child processes (parse workers) and the others."""
    found = {}
    for index, server in enumerate(servers, 1):
        found[f"server {index}"] = rss_mb(server.pid)
        for number, child in enumerate(children(server.pid), 1):
            found[f"server {index} worker {number}"] = rss_mb(child)
    found.update({name: rss_mb(process.pid) for name, process in others.items()})
    return {name: round(mb) for name, mb in found.items() if mb is not None}


async def run_load(servers: List[str], rate: float, seconds: float, concurrency: int) -> Dict[str, float]:
    total = int(rate * seconds)
    latencies: List[float] = []
    errors = 0
    answered: Dict[str, int] = {}
    languages = list(CONVERSATIONS)
    sent = 0
    start = time.perf_counter()
    lock = asyncio.Lock()

    async def next_slot() -> Optional[int]:
        nonlocal sent
        async with lock:
            if sent >= total:
                return None
            index = sent
            sent += 1
        delay = start + index / rate - time.perf_counter()  # the pacer: message i leaves at i / rate
        if delay > 0:
            await asyncio.sleep(delay)
        return index

    async def patient(http: aiohttp.ClientSession, worker: int) -> None:
        nonlocal errors
        conversation = 0
        while True:
            sender = f"bench-{uuid.uuid4().hex[:12]}"
            messages = CONVERSATIONS[languages[(worker + conversation) % len(languages)]]
            conversation += 1
            for turn, text in enumerate(messages):
                index = await next_slot()
                if index is None:
                    return
                server = servers[(index + turn) % len(servers)]  # alternate instances within a conversation
                began = time.perf_counter()
                try:
                    async with http.post(f"{server}/webhooks/rest/webhook",
                                         json={"sender": sender, "message": text}) as response:
                        body = await response.json()
                        ok = response.status == 200 and isinstance(body, list) and len(body) > 0
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                    ok = False
                latencies.append((time.perf_counter() - began) * 1000)
                if ok:
                    answered[sender] = answered.get(sender, 0) + 1
                else:
                    errors += 1

    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as http:
        await asyncio.gather(*(patient(http, worker) for worker in range(concurrency)))
        elapsed = time.perf_counter() - start
        lost = 0
        for sender, count in answered.items():
            async with http.get(f"{servers[0]}/conversations/{sender}/tracker?token={API_TOKEN}") as response:
                events = (await response.json()).get("events", [])
            lost += max(0, count - sum(1 for event in events if event.get("event") == "user"))
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {"messages": len(latencies), "messages/s": len(latencies) / elapsed, "p50 ms": quantiles[49],
            "p95 ms": quantiles[94], "p99 ms": quantiles[98], "errors": errors, "lost": lost}


# Issue 23: one hostile message must not hold up everyone else's replies.
def hostile_text(round_number: int) -> str:
    """2,000 emoji, a different string each round: an attacker varies it, and spaCy's tokenizer
    caches the identical text (the same string again measured only its first parse)."""
    return "".join(chr(0x1F600 + (i * 7 + round_number) % 80) for i in range(2000))


HELLOS_IN_FLIGHT, HELLO_ROUNDS, EXTRA_DELAY_LIMIT_MS = 8, 10, 100


async def hello_latencies(server: str, beside_hostile: bool) -> List[float]:
    """Latencies of HELLOS_IN_FLIGHT concurrent "hello"s from new conversations, HELLO_ROUNDS times,
    each round alone or sent together with one message of 2,000 emoji."""
    latencies: List[float] = []

    async def post(http: aiohttp.ClientSession, text: str) -> float:
        began = time.perf_counter()
        async with http.post(f"{server}/webhooks/rest/webhook",
                             json={"sender": f"bench-{uuid.uuid4().hex[:12]}", "message": text}) as response:
            await response.read()
        return (time.perf_counter() - began) * 1000

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
        for round_number in range(HELLO_ROUNDS):
            hostile = [asyncio.ensure_future(post(http, hostile_text(round_number)))] if beside_hostile else []
            latencies += await asyncio.gather(*(post(http, "hello") for _ in range(HELLOS_IN_FLIGHT)))
            await asyncio.gather(*hostile)
    return latencies


def hostile_message_delay(server: str) -> Dict[str, float]:
    """How much later the hellos are answered beside a 2,000-emoji message than alone (same server, same run)."""
    alone = asyncio.run(hello_latencies(server, beside_hostile=False))
    beside = asyncio.run(hello_latencies(server, beside_hostile=True))
    return {"alone p50 ms": statistics.median(alone), "alone max ms": max(alone),
            "beside p50 ms": statistics.median(beside), "beside max ms": max(beside),
            "extra p50 ms": statistics.median(beside) - statistics.median(alone),
            "extra max ms": max(beside) - max(alone)}


def sustained(result: Dict[str, float], rate: float) -> bool:
    return (result["p99 ms"] <= P99_LIMIT_MS and result["errors"] == 0 and result["lost"] == 0
            and result["messages/s"] >= DELIVERED_SHARE * rate)


def find_capacity(servers: List[str], seconds: float, concurrency: int, max_steps: int) -> List[tuple]:
    """Every step of the search as (offered rate, result, sustained)."""
    steps, best, failed, rate = [], None, None, START_RATE
    while len(steps) < max_steps and rate <= MAX_RATE:
        result = asyncio.run(run_load(servers, rate, seconds, concurrency))
        ok = sustained(result, rate)
        steps.append((rate, result, ok))
        print(f"  {rate:7.1f} msgs/s offered: {result['messages/s']:6.1f} delivered, p99 {result['p99 ms']:7.1f} ms, "
              f"errors {result['errors']}, lost {result['lost']} -> {'sustained' if ok else 'not sustained'}",
              flush=True)
        if not ok:
            failed = rate
            break
        best, rate = rate, rate * STEP_FACTOR
    for _ in range(BISECTIONS):
        if best is None or failed is None or len(steps) >= max_steps:
            break
        rate = round((best + failed) / 2, 1)
        result = asyncio.run(run_load(servers, rate, seconds, concurrency))
        ok = sustained(result, rate)
        steps.append((rate, result, ok))
        print(f"  {rate:7.1f} msgs/s offered: {result['messages/s']:6.1f} delivered, p99 {result['p99 ms']:7.1f} ms "
              f"-> {'sustained' if ok else 'not sustained'}", flush=True)
        best, failed = (rate, failed) if ok else (best, rate)
    return steps


def capacity_of(steps: List[tuple]) -> Optional[tuple]:
    passed = [(rate, result) for rate, result, ok in steps if ok]
    return max(passed, key=lambda step: step[0]) if passed else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "patient-guide.tar.gz"))
    parser.add_argument("--baseline-model", default=str(ROOT / "models" / "bench-stock.tar.gz"))
    parser.add_argument("--step-seconds", type=float, default=12, help="length of each step of the search")
    parser.add_argument("--max-steps", type=int, default=10, help="steps per set-up at most")
    parser.add_argument("--concurrency", type=int, default=48, help="conversations in flight")
    parser.add_argument("--only", help="run only the set-ups whose title contains this")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    processes = Processes(workdir)
    actions_port, redis_port = free_port(), free_port()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    env = server_env(workdir, actions_port)
    redis_env = {**env, "REDIS_URL": redis_url, **endpoint_env(redis_url)}
    stock_credentials = workdir / "stock-credentials.yml"
    stock_credentials.write_text(STOCK_CREDENTIALS)
    ours = dict(credentials="credentials.yml", ours=True)
    setups = [
        ("(a) in-memory stores", [("a", args.model, env, "endpoints.yml", ours)]),
        ("(a0) without a parse worker", [("a0", args.model, {**env, "NLU_WORKER_PROCESSES": "0"}, "endpoints.yml", ours)]),
        ("(b) Redis stores", [("b", args.model, redis_env, "endpoints-redis.yml", ours)]),
        ("(c) two instances, one Redis", [("c1", args.model, redis_env, "endpoints-redis.yml", ours),
                                          ("c2", args.model, redis_env, "endpoints-redis.yml", ours)]),
        ("ours with the stock NLU pipeline", [("ours-stock", args.baseline_model, env, "endpoints.yml", ours)]),
        ("stock Rasa 3.6 as shipped", [("stock", args.baseline_model, env, "endpoints.yml",
                                        dict(credentials=str(stock_credentials), ours=False))]),
    ]
    setups = [setup for setup in setups if not args.only or args.only in setup[0]]
    results, hostile = [], {}
    try:
        shared = {
            "action server": start_action_server(processes, actions_port, env),
            "redis": processes.start("redis", ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
                                               "--save", "", "--appendonly", "no"], env),
        }
        for title, instances in setups:
            rasa = Processes(workdir)
            try:
                started = [start_rasa(rasa, name, Path(model), setup_env, endpoints, **how)
                           for name, model, setup_env, endpoints, how in instances]
                servers = [url for url, _ in started]
                # warm-up, not counted: every language's conversation once (first calls trace TF functions)
                asyncio.run(run_load(servers, rate=len(CONVERSATIONS), seconds=5, concurrency=len(CONVERSATIONS)))
                print(f"searching the capacity of {title} ({args.step_seconds:g} s a step) …", flush=True)
                steps = find_capacity(servers, args.step_seconds, args.concurrency, args.max_steps)
                results.append((title, capacity_of(steps), memory([p for _, p in started], shared), steps))
                if len(servers) == 1:
                    hostile[title] = hostile_message_delay(servers[0])
            finally:
                rasa.stop_all()
    finally:
        processes.stop_all()
    print_table(results)
    print_hostile_table(hostile)
    out = ROOT / "build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps([{"set-up": title, "capacity": best[1] if best else None,
                                "capacity offered": best[0] if best else None, "rss_mb": rss,
                                "steps": [{"offered": rate, **result, "sustained": ok} for rate, result, ok in steps]}
                               for title, best, rss, steps in results]
                              + [{"hostile message": title, **delays} for title, delays in hostile.items()], indent=2))
    print(f"\n(also in {out.relative_to(ROOT)}; server logs in {workdir})")


def print_table(results: List[tuple]) -> None:
    stock = next((best[1]["messages/s"] for title, best, _, _ in results if "as shipped" in title and best), None)
    print(f"\ncapacity: the highest rate with p99 <= {P99_LIMIT_MS} ms, no errors, no lost message; "
          "ratio to stock Rasa 3.6 as shipped; resident MB of each process after the search")
    columns = ["msgs/s", "x stock", "p50 ms", "p95 ms", "p99 ms", "errors", "lost"]
    print(f"{'set-up':36}" + "".join(f"{c:>9}" for c in columns) + "  resident MB")
    for title, best, rss, _ in results:
        if best is None:
            cells = [f"<{START_RATE:g}"] + ["-"] * 6
        else:
            row = best[1]
            cells = [f"{row['messages/s']:.1f}", f"{row['messages/s'] / stock:.2f}" if stock else "-",
                     f"{row['p50 ms']:.1f}", f"{row['p95 ms']:.1f}", f"{row['p99 ms']:.1f}", str(row["errors"]),
                     str(row["lost"])]
        memory_cells = ", ".join(f"{name} {mb}" for name, mb in rss.items())
        print(f"{title:36}" + "".join(f"{c:>9}" for c in cells) + f"  {memory_cells}")


def print_hostile_table(hostile: Dict[str, Dict[str, float]]) -> None:
    print(f"\n{HELLOS_IN_FLIGHT} hellos in flight, {HELLO_ROUNDS} rounds, alone and beside one message of 2,000 emoji "
          f"(issue 23: at most {EXTRA_DELAY_LIMIT_MS} ms later)")
    columns = ["alone p50 ms", "alone max ms", "beside p50 ms", "beside max ms", "extra p50 ms", "extra max ms"]
    print(f"{'set-up':36}" + "".join(f"{c:>15}" for c in columns))
    for title, delays in hostile.items():
        print(f"{title:36}" + "".join(f"{delays[c]:15.1f}" for c in columns))


if __name__ == "__main__":
    main()
