"""Every replacement of Rasa 3.6 code in this project, applied in one order after one version check.

Each was written against Rasa 3.6.21's own code (the module named in each
entry's docstring says why, and its test compares it with Rasa's path). On
another Rasa version a replaced function may have changed, and a patch would
silently undo the change or break; so the start stops instead, naming them.
One replacement is per channel rather than per process, and made by the channel
from the wiring: the web widget's socket.io manager (bot/channels/widget.py).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from importlib import metadata
from typing import Tuple

from rasa.shared.exceptions import RasaException

PATCHED_RASA_VERSION = "3.6.21"


@dataclass(frozen=True)
class Patch:
    module: str
    function: str
    what: str

    def apply(self) -> None:
        getattr(importlib.import_module(self.module), self.function)()


# Before Rasa's CLI imports anything (bot/rasa_command.py): JAX never imported, the
# training data's schema checks made once per schema.
BEFORE_RASA = (
    Patch("bot.lean_imports", "apply", "JAX kept out of every process"),
    Patch("bot.rasa_speedups.schema_checks", "apply", "training data's JSON schema validator built once"),
)
# In the server, in this order, before Rasa mounts the channels.
SERVER = (
    Patch("bot.log_hygiene", "apply", "logs without the patients' words"),
    Patch("bot.rasa_speedups", "apply", "speed fixes (bot/rasa_speedups/__init__.py lists them)"),
    Patch("bot.parse_worker", "apply", "messages parsed in worker processes"),
    # after the parse workers' wrapper: it needs the tracker, they do not
    Patch("bot.form_interruptions", "apply", "form answers the model took for an interruption"),
    Patch("bot.language_slot", "apply", "the language slot's rules"),
    Patch("bot.handoff.guard", "observe_saved_trackers", "the tracker Rasa saved, seen by the handoff guard"),
    Patch("bot.tracker_store_outage", "apply", "a tracker store outage fails the message, no in-memory copy"),
)


# A parse worker (bot/parse_worker/worker.py) parses as the server does: the same graph runner and DIET call.
PARSE_WORKER = (
    BEFORE_RASA[0],
    SERVER[0],
    SERVER[1],
)


class UnsupportedRasaVersion(RasaException):
    """The installed Rasa is not the one our replacements of its code were written for."""


def check_rasa_version(patches: Tuple[Patch, ...], installed: str = "") -> None:
    installed = installed or metadata.version("rasa")
    if installed != PATCHED_RASA_VERSION:
        names = ", ".join(f"{patch.module}.{patch.function} ({patch.what})" for patch in patches)
        raise UnsupportedRasaVersion(
            f"Rasa {installed} is installed, but these replacements of Rasa code were written for Rasa "
            f"{PATCHED_RASA_VERSION}: {names}. Install requirements.lock (make install), or check each "
            f"against the new Rasa and raise PATCHED_RASA_VERSION in bot/server/patches.py.")


def apply(patches: Tuple[Patch, ...]) -> None:
    check_rasa_version(patches)
    for patch in patches:
        patch.apply()


def apply_server_patches() -> None:
    apply(SERVER)
