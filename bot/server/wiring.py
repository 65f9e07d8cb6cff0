"""What the channels share, built once per server and handed to each before Rasa mounts it.

Rasa makes each channel of credentials.yml on its own (`from_credentials`)
and then mounts them all with `rasa.core.channels.channel.register`. That
call is wrapped (wire_before_mounting) so that, first, one Wiring is built
from the settings and given to every channel of ours (`connect`): the
memory-or-Redis choice and the handoff service (queue, console events, audit
trail, the running agent's conversations). The console serves coordinators from that
service and the patient channels' guard (bot/handoff/guard.py) sends each
message through it; nothing reaches it through a module global.

Patient channels without the console: paused conversations would never be
queued and an emergency written during a pause would go unanswered, so the
start stops (HandoffServiceMissing, printed by Rasa, exit 1) before the model
loads, naming the missing credentials.yml entry.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional

from rasa.shared.exceptions import RasaException

from bot.handoff.conversations import Conversations
from bot.handoff.service import HandoffService
from bot.server.settings import ServerSettings
from bot.shared_state import SharedState

CONSOLE_CHANNEL = "bot.handoff.console.CoordinatorConsole"  # its key in credentials.yml


@dataclass(frozen=True)
class Wiring:
    settings: ServerSettings
    shared: SharedState
    handoff: HandoffService


class HandoffServiceMissing(RasaException):
    """Patient channels are mounted without the coordinator console: the server must not start."""


class NotWired(RasaException):
    """A channel of ours was mounted without the wiring (not through Rasa's channel registration)."""


class WiredChannel:
    """Our channels: given the Wiring before Rasa calls their `blueprint`."""

    _wiring: Optional[Wiring] = None
    serves_patients = True  # the console does not

    def connect(self, wiring: Wiring) -> None:
        self._wiring = wiring
        self.connected(wiring)

    def connected(self, wiring: Wiring) -> None:
        """Take what the channel needs from the wiring (retry records, stores)."""

    @property
    def wiring(self) -> Wiring:
        if self._wiring is None:
            raise NotWired(f"the {self.name()} channel was mounted without bot/server's wiring; "  # type: ignore
                           f"mount channels through Rasa (credentials.yml), which bot/server plugs into")
        return self._wiring


def build(agent: Callable[[], Any], settings: ServerSettings) -> Wiring:
    """The Wiring of one server; `agent` gives the running agent (its stores hold the conversations)."""
    shared = SharedState(settings.redis_url)
    handoff = HandoffService(shared.handoff_store(), shared.console_bus(), Conversations(agent),
                             settings.handoff_wait_limit_seconds, audit=shared.audit_trail())
    return Wiring(settings, shared, handoff)


def wire(app, input_channels: Iterable[Any], settings: Optional[ServerSettings] = None) -> Optional[Wiring]:
    ours = [channel for channel in input_channels if isinstance(channel, WiredChannel)]
    if not ours:
        return None
    patient_channels = [channel.name() for channel in ours if channel.serves_patients]
    if len(patient_channels) == len(ours):
        raise HandoffServiceMissing(
            f"the {', '.join(patient_channels)} channel(s) are loaded but the coordinator console is not: "
            f"add `{CONSOLE_CHANNEL}:` to the credentials file. Without it paused conversations are never "
            f"queued and an emergency written during a pause is not answered.")
    wiring = build(lambda: app.ctx.agent, settings or ServerSettings.from_env())
    for channel in ours:
        channel.connect(wiring)
    return wiring


@functools.cache  # once per process: wraps Rasa's original, never itself
def wire_before_mounting() -> None:
    from rasa.core.channels import channel

    register = channel.register

    def register_wired(input_channels, app, route):
        wire(app, input_channels)
        return register(input_channels, app, route)

    # rasa.core.run.configure_app looks it up on the module at each call
    channel.register = register_wired
