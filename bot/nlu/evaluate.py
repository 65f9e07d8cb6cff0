"""`make eval`: the NLU measured on the held-out evaluation set (nlu_eval/).

Prints one table per language and one overall, our pipeline against the
baselines measured in the same run:
- language: langdetect alone (seeded, its top language if supported, else und);
- intents: Rasa's stock `rasa init` pipeline trained on the same data
  (with our epoch budget, see bot/nlu/baseline_config.yml).
Chinese text written identically in both forms (你好) counts as right with
either Chinese tag, and text with no letters at all (a phone number, an
e-mail address, a referral id) counts as right when `und`, for both systems.
The intent is the classifier's top intent; how often FallbackClassifier
would have asked to rephrase is reported on its own row.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

from bot import languages
from bot.nlu import data_lint, scripts
from bot.nlu.emergency_guard import EMERGENCY, FALLBACK
from bot.nlu.language_identifier import LangdetectScorer


@dataclass
class Prediction:
    gold_language: str
    gold_intent: str
    language: str
    intent: str
    fell_back: bool
    seconds: float


def classifier_intent(result: dict) -> str:
    for entry in result.get("intent_ranking") or [result.get("intent") or {}]:
        if entry.get("name") and entry["name"] != FALLBACK:
            return entry["name"]
    return FALLBACK


def language_correct(text: str, gold: str, predicted: str) -> bool:
    if predicted == gold:
        return True
    profile = scripts.profile(text)
    if profile.total == 0:
        # a phone number, e-mail, date or referral id alone: no language to
        # find, `und` is right (the conversation keeps its language)
        return predicted == languages.UNDETERMINED
    if gold.startswith("zh-") and predicted.startswith("zh-"):
        votes = scripts.han_form_votes(profile.letters)
        return votes["zh-Hans"] == votes["zh-Hant"] == 0
    return False


async def predict(model_path: str, examples: List[data_lint.Example], with_language: bool) -> List[Prediction]:
    from rasa.core.agent import Agent

    agent = Agent.load(model_path)
    await agent.parse_message("warm-up")
    predictions = []
    for ex in examples:
        start = time.perf_counter()
        result = await agent.parse_message(ex.text)
        elapsed = time.perf_counter() - start
        predictions.append(Prediction(
            ex.language, ex.intent, result.get("language", languages.UNDETERMINED) if with_language else "",
            classifier_intent(result), (result.get("intent") or {}).get("name") == FALLBACK, elapsed,
        ))
    return predictions


def macro_f1(gold: List[str], predicted: List[str]) -> float:
    from sklearn.metrics import f1_score

    labels = sorted(set(gold))
    return float(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0))


def intent_metrics(preds: List[Prediction]) -> Dict[str, float]:
    gold = [p.gold_intent for p in preds]
    got = [p.intent for p in preds]
    emergencies = [p for p in preds if p.gold_intent == EMERGENCY]
    others = [p for p in preds if p.gold_intent != EMERGENCY]
    return {
        "intent accuracy": sum(g == p for g, p in zip(gold, got)) / len(preds),
        "intent macro-F1": macro_f1(gold, got),
        "emergency recall": sum(p.intent == EMERGENCY for p in emergencies) / max(1, len(emergencies)),
        "emergency false alarms": sum(p.intent == EMERGENCY for p in others) / max(1, len(others)),
        "fallback rate": sum(p.fell_back for p in preds) / len(preds),
    }


def table(title: str, rows: List[tuple], with_previous: bool) -> str:
    previous_header = f"{'previous':>10}" if with_previous else ""
    lines = [f"\n{title}", f"  {'metric':<26}{'ours':>10}{previous_header}{'baseline':>10}  baseline is"]
    def cell(value) -> str:
        return " " * 10 if value is None else f"{value:10.3f}" if isinstance(value, float) else f"{value:>10}"

    for name, ours, previous, base, what in rows:
        lines.append(f"  {name:<26}{cell(ours)}{cell(previous) if with_previous else ''}{cell(base)}  {what}")
    return "\n".join(lines)


def language_accuracy(examples, preds_or_tags, idx) -> float:
    tags = [p.language if isinstance(p, Prediction) else p for p in preds_or_tags]
    return sum(language_correct(examples[i].text, examples[i].language, tags[i]) for i in idx) / len(idx)


def report(examples, ours: List[Prediction], stock: Optional[List[Prediction]], langdetect_tags: List[str],
           previous: Optional[List[Prediction]] = None) -> dict:
    """`previous`: the model of the configuration before this one (bot/nlu/previous_config.yml), same data."""
    by_language = defaultdict(list)
    for index, ex in enumerate(examples):
        by_language[ex.language].append(index)
    summary = {}
    for tag in list(languages.TAGS) + ["all"]:
        idx = list(range(len(examples))) if tag == "all" else by_language.get(tag, [])
        if not idx:
            continue
        ours_l, base_l = language_accuracy(examples, ours, idx), language_accuracy(examples, langdetect_tags, idx)
        prev_l = language_accuracy(examples, previous, idx) if previous else None
        mine = intent_metrics([ours[i] for i in idx])
        theirs = intent_metrics([stock[i] for i in idx]) if stock else {}
        before = intent_metrics([previous[i] for i in idx]) if previous else {}
        rows = [("language accuracy", ours_l, prev_l, base_l, "langdetect alone")]
        rows += [(name, mine[name], before.get(name), theirs.get(name), "rasa init pipeline" if stock else "(not run)")
                 for name in mine]
        rows.append(("examples", len(idx), len(idx) if previous else None, len(idx), ""))
        print(table(f"== {tag} ==", rows, with_previous=bool(previous)))
        summary[tag] = {"language": ours_l, "language_baseline": base_l, **mine,
                        **{f"{k} (baseline)": v for k, v in theirs.items()},
                        **({"language (previous)": prev_l} if previous else {}),
                        **{f"{k} (previous)": v for k, v in before.items()}}
    runs = (("ours", ours), ("previous configuration", previous or []), ("rasa init pipeline", stock or []))
    for name, preds in runs:
        if not preds:
            continue
        ms = sorted(p.seconds * 1000 for p in preds)
        p50, p99 = statistics.median(ms), ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        print(f"\nparse latency, {name}: p50 {p50:.1f} ms, p99 {p99:.1f} ms over {len(ms)} messages"
              " (Agent.parse_message, in-process)")
        summary[f"latency {name}"] = {"p50_ms": p50, "p99_ms": p99}
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description="NLU evaluation against baselines")
    parser.add_argument("--model", required=True)
    parser.add_argument("--baseline", help="the stock-pipeline model; without it only our numbers are printed")
    parser.add_argument("--previous", help="a model of bot/nlu/previous_config.yml, shown beside ours")
    parser.add_argument("--json", type=Path, default=Path("build/eval.json"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    # Rasa's structlog prints every parse (with the patient-like text) at debug level
    # unless configured, as its CLI does; evaluation texts stay out of the output.
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.ERROR)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

    examples = [ex for tag in languages.TAGS for ex in data_lint.load_evaluation(tag)]
    scorer = LangdetectScorer()
    langdetect_tags = [scorer.best_supported(ex.text) for ex in examples]
    ours = asyncio.run(predict(args.model, examples, with_language=True))
    stock = asyncio.run(predict(args.baseline, examples, with_language=False)) if args.baseline else None
    previous = asyncio.run(predict(args.previous, examples, with_language=True)) if args.previous else None
    summary = report(examples, ours, stock, langdetect_tags, previous)
    summary["confusions"] = confusions(ours)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False))


def confusions(preds: List[Prediction]) -> Dict[str, Dict[str, int]]:
    """Per language, how often each gold intent was taken for another ("gold -> predicted": n).

    Counts only, never the texts: whoever improves the training data sees which intents a
    language mixes up, not the held-out sentences (evaluation data stays out of training).
    """
    counts: Dict[str, Dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for p in preds:
        if p.intent != p.gold_intent:
            counts[p.gold_language][f"{p.gold_intent} -> {p.intent}"] += 1
    return {tag: dict(sorted(pairs.items(), key=lambda kv: -kv[1])) for tag, pairs in counts.items()}


if __name__ == "__main__":
    main()
