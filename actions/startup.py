"""The database opened as the action server starts, not by the first patient.

Opening it creates the tables, loads the directory file and reads the
in-memory directory: about 240 ms, which the first directory question of a
just-started server paid (and every message queued behind it). rasa-sdk has
no start-up hook of its own besides installed plugins, but it creates its
Sanic app ("rasa_sdk") before it imports this package, so a listener can be
added to it here. Imported anywhere else (tests, tools), nothing happens.
"""
from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def open_database_when_serving() -> None:
    from sanic import Sanic
    from sanic.exceptions import SanicException

    try:
        app = Sanic.get_app("rasa_sdk")
    except SanicException:
        return

    @app.listener("before_server_start")
    async def open_database(app, loop) -> None:
        from actions.db import database

        database().directory.search()  # the in-memory directory too
        # the names patients use (bot/entity_names.py): read from the training data once, here
        from bot import entity_names

        for entity in ("hospital", "department", "target_language"):
            entity_names.known_names(entity)
        logger.info("database open")
