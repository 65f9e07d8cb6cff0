"""The dialogue data: consistent for Rasa, and every action the domain names exists on the action server."""
import subprocess
import sys
from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

ROOT = Path(__file__).resolve().parents[1]


def test_rasa_validates_domain_stories_and_rules():
    subprocess.run(["make", "-s", "build/domain/.built"], cwd=ROOT, check=True)
    # Rasa's `rasa data validate`, with the schema checks made once (bot/rasa_command.py)
    result = subprocess.run([sys.executable, "-m", "bot.rasa_command", "data", "validate", "--domain",
                             "build/domain", "--data", "data", "nlu_data"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    output = (result.stdout + result.stderr).lower()
    assert "story structure conflict" not in output.replace("no story structure conflicts", "")


def test_domain_actions_are_exactly_the_action_servers():
    executor = ActionExecutor()
    executor.register_package("actions")
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert set(domain["actions"]) == set(executor.actions)


def test_every_form_slot_has_a_question():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    from bot import texts

    for form in domain["forms"].values():
        for slot in form["required_slots"]:
            assert f"action_ask_{slot}" in domain["actions"] or f"utter_ask_{slot}" in texts.keys(), slot
