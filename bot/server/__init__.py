"""The one place that plugs this project into Rasa 3.6.

Rasa builds its server from the command line and credentials.yml, and has no
hook between "the channels are made" and "the channels are mounted". So:

- patches.py lists every replacement of Rasa code, checks that the installed
  Rasa is the version they were written for (else the start stops, naming
  them) and applies them in order;
- wiring.py builds what the channels share, once per server, from settings
  read once (settings.py): the memory-or-Redis choice (bot/shared_state.py)
  and the handoff service, and hands them to the console and to every patient
  channel explicitly, before Rasa mounts them. Without the console among the
  channels the start stops with the reason.

`plug_in()` does both; bot/channels/__init__.py calls it, and every server
loads its channels from there (credentials.yml), so a plain `rasa run` is
plugged in as `make run` is. Processes that load no channels (training, the
parse workers) apply the patches they need through patches.apply().
"""
from __future__ import annotations

import functools


@functools.cache  # once per process
def plug_in() -> None:
    from bot.server import patches, wiring

    patches.apply_server_patches()
    wiring.wire_before_mounting()
