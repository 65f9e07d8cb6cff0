"""Exponential back-off for calls to a messaging platform that may be down or rate-limiting."""
from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Optional, Tuple, Type


async def with_backoff(call: Callable[[], Awaitable[Any]], retry_on: Tuple[Type[BaseException], ...],
                       attempts: int = 5, first_delay: float = 0.5,
                       requested_delay: Callable[[BaseException], Optional[float]] = lambda error: None) -> Any:
    """Awaits `call`, retrying on `retry_on` errors with doubling delays (or the delay the platform asks for);
    the last attempt's error is raised."""
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except retry_on as error:
            if attempt == attempts:
                raise
            wait = requested_delay(error)
            if wait is None:
                wait, delay = delay, delay * 2
            await asyncio.sleep(wait)
