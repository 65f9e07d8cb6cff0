"""`make eval`'s journey table: every journey of tests/journeys/ played through a real server, per language.

    .venv/bin/python scripts/journey_eval.py --model M [--baseline B] [--json build/journeys.json]

For each model in turn: an action server with its own fresh SQLite database and the calendar pinned
(as the tests start it: lock-out journeys lock referral ids for every conversation of a database, and
bookings stay), then a Rasa server as the tests start it (tests/conftest.py). Every journey of every
language is played once, one after another, each as its own conversation (tests/journey_player.py).
A journey completes when every step's expectations hold and no question is asked more than four
times in a row; after a failed step the patient goes on with the journey's next messages, so re-asks
are counted over whole conversations. Printed per language, for the model and the baseline side by
side: journeys completed of those played, mean patient turns per completed booking journey, mean
re-asks per journey (the same form slot requested again right after: consecutive equal
`requested_slot` events) and the share of steps whose expectations held; every journey in the JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bot.languages import TAGS  # noqa: E402
from conftest import free_port, rasa_env, start_action_server, start_rasa, stop  # noqa: E402
from journey_player import JourneyResult, Patient, load_journeys, play, summarise  # noqa: E402


def own_children() -> List[int]:
    """Processes this script started and still running (direct children), from /proc."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():
                children.append(int(entry.name))
    return children


def end_children() -> None:
    """Ends any server of ours a failed or interrupted start left behind (by pid)."""
    for pid in own_children():
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.time() + 20
    while own_children() and time.time() < deadline:
        for pid in own_children():
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
        time.sleep(0.2)
    for pid in own_children():
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def play_all(label: str, model: Path, workdir: Path) -> Dict[str, Any]:
    """Starts the servers for `model`, plays every journey, stops them; results and wall time."""
    from standins.telegram_api import TelegramApiStandIn
    from standins.wechat_api import WeChatApiStandIn

    workdir.mkdir(parents=True)
    started = time.monotonic()
    actions_port = free_port()
    processes: List[subprocess.Popen] = []
    telegram, wechat = TelegramApiStandIn().start(), WeChatApiStandIn().start()
    try:
        processes.append(start_action_server(workdir, actions_port))
        env = rasa_env(f"http://127.0.0.1:{actions_port}/webhook", telegram, wechat)
        server, rasa = start_rasa(model, env, workdir / "rasa.log")
        processes.append(rasa)
        up = time.monotonic() - started
        print(f"{label}: servers up in {up:.0f} s ({model}; logs in {workdir})", flush=True)
        results: List[JourneyResult] = []
        journeys = load_journeys()
        for language in TAGS:
            began = time.monotonic()
            for number, (tag, journey) in enumerate(journeys):
                if tag != language:
                    continue
                results.append(play(Patient(server, language, f"eval-{label}-{language}-{number}"), journey))
                if rasa.poll() is not None:
                    raise SystemExit(f"{label}: the Rasa server exited (log: {workdir / 'rasa.log'})")
            mine = [r for r in results if r.language == language]
            print(f"  {language:<8}{sum(r.completed for r in mine):>3}/{len(mine):<3} completed"
                  f"  {time.monotonic() - began:5.1f} s", flush=True)
        return {"model": str(model), "results": results, "startup_seconds": up,
                "seconds": time.monotonic() - started}
    finally:
        for process in reversed(processes):
            stop(process)
        telegram.stop()
        wechat.stop()


def cell(value: Optional[float], digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def table(runs: Dict[str, Dict[str, Any]]) -> str:
    labels = list(runs)
    summaries = {label: run["summary"] for label, run in runs.items()}
    width = 8
    span = width * len(labels)
    head = "".join(f"{label:>{width}}" for label in labels)
    lines = ["", "== journeys (tests/journeys/), played through the REST channel ==",
             *(f"  {label}: {run['model']}" for label, run in runs.items()),
             f"  {'':<10}{'completed':>{span}}  {'turns/booking':>{span}}  {'re-asks':>{span}}  {'steps held':>{span}}",
             f"  {'language':<10}{head}  {head}  {head}  {head}"]
    for language in [*TAGS, "all"]:
        if language not in summaries[labels[0]]:
            continue
        rows = [summaries[label][language] for label in labels]
        completed = "".join(f"{str(row['completed']) + '/' + str(row['played']):>{width}}" for row in rows)
        turns = "".join(f"{cell(row['booking_turns'], 1):>{width}}" for row in rows)
        reasks = "".join(f"{cell(row['re_asks'], 2):>{width}}" for row in rows)
        held = "".join(f"{cell(100 * row['steps_held'], 0) + ' %':>{width}}" for row in rows)
        lines.append(f"  {language:<10}{completed}  {turns}  {reasks}  {held}")
    lines += ["  completed: journeys whose every step's expectations held, no question asked more than 4 times",
              "    in a row (of those played); turns/booking: patient turns per completed booking journey;",
              "    re-asks: per journey, the same form slot requested again right after (requested_slot events);",
              "    steps held: share of all steps whose expectations held (a journey goes on after a failed step)"]
    for label, run in runs.items():
        lines.append(f"  {label}: {run['seconds']:.0f} s wall time ({run['startup_seconds']:.0f} s of it starting)")
    return "\n".join(lines)


def failures(label: str, results: List[JourneyResult], listed: int = 10) -> str:
    """The journeys not completed: each with its first failure when few, else counted by kind of failure."""
    failed = [r for r in results if not r.completed]
    lines = [f"\n{label}: {len(failed)} of {len(results)} journeys not completed" + (":" if failed else "")]
    if len(failed) <= listed:
        lines += [f"  {r.language}-{r.name} (step {r.failed_step or '-'} of {r.steps}): {(r.failure or '')[:160]}"
                  for r in failed]
        return "\n".join(lines)
    kinds = Counter(f"step {r.failed_step or '-'}: {(r.failure or '').split(' after ')[0][:80]}" for r in failed)
    lines.append("  first failures, by kind:")
    lines += [f"  {count:4}  {what}" for what, count in kinds.most_common(12)]
    if len(kinds) > 12:
        lines.append(f"        ... {len(kinds) - 12} other kinds (every journey in the JSON)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, type=Path)
    parser.add_argument("--baseline", type=Path, help="our domain, rules and action server with Rasa's stock NLU")
    parser.add_argument("--json", type=Path, default=Path("build/journeys.json"))
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a plain kill stops the servers too
    workdir = Path(tempfile.mkdtemp(prefix="journey-eval-"))
    models = {"ours": args.model, **({"stock": args.baseline} if args.baseline else {})}
    started = time.monotonic()
    runs: Dict[str, Dict[str, Any]] = {}
    try:
        for label, model in models.items():
            runs[label] = play_all(label, model.resolve(), workdir / label)
            runs[label]["summary"] = summarise(runs[label]["results"], TAGS)
    finally:
        end_children()
    print(table(runs))
    for label, run in runs.items():
        print(failures(label, run["results"]))
    total = time.monotonic() - started
    print(f"\njourney evaluation: {total:.0f} s in all")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"seconds": total, **{label: {
        "model": run["model"], "seconds": run["seconds"], "startup_seconds": run["startup_seconds"],
        "summary": run["summary"], "journeys": [r.as_dict() for r in run["results"]]}
        for label, run in runs.items()}}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
