"""Pushes "something changed" to the coordinator consoles (Server-Sent Events).

Only the fact of a change travels ("queue", or "conversation" with its id);
consoles fetch the details through the authenticated API, so nothing personal
sits in a broadcast. With REDIS_URL set, changes go through Redis pub/sub so a
console on one server instance hears about patients on another.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
from typing import Dict, Optional, Set

logger = logging.getLogger(__name__)

CHANNEL = "patient_guide:handoff:events"


class ConsoleBus:
    def __init__(self) -> None:
        self._subscribers: Set[asyncio.Queue] = set()

    def subscribe(self) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue(maxsize=100)
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue) -> None:
        self._subscribers.discard(queue)

    async def publish(self, event: str, data: Optional[Dict] = None) -> None:
        self._deliver(event, data or {})

    def _deliver(self, event: str, data: Dict) -> None:
        for queue in list(self._subscribers):
            if queue.full():  # a console that stopped reading: it refetches everything on reconnect
                continue
            queue.put_nowait((event, data))

    async def start(self) -> None:
        """Nothing to start for one process."""


class RedisConsoleBus(ConsoleBus):
    def __init__(self, url: str) -> None:
        super().__init__()
        import redis.asyncio as redis_asyncio

        self.redis = redis_asyncio.from_url(url, decode_responses=True)
        self._listener: Optional[asyncio.Task] = None

    async def publish(self, event: str, data: Optional[Dict] = None) -> None:
        try:
            await self.redis.publish(CHANNEL, json.dumps({"event": event, "data": data or {}}))
        except Exception as error:  # noqa: BLE001 - Redis down: local consoles still hear it
            logger.warning("console event not shared through Redis: %s", type(error).__name__)
            self._deliver(event, data or {})

    async def start(self) -> None:
        if self._listener is None:
            self._listener = asyncio.ensure_future(self._listen())

    async def _listen(self) -> None:
        while True:
            try:
                pubsub = self.redis.pubsub()
                await pubsub.subscribe(CHANNEL)
                async for item in pubsub.listen():
                    if item.get("type") == "message":
                        message = json.loads(item["data"])
                        self._deliver(message["event"], message["data"])
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - Redis restarts: listen again
                logger.warning("console events from Redis interrupted: %s", type(error).__name__)
                await asyncio.sleep(1)


def create_bus() -> ConsoleBus:
    url = os.environ.get("REDIS_URL")
    return RedisConsoleBus(url) if url else ConsoleBus()
