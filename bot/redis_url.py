"""REDIS_URL → the variables endpoints-redis.yml reads (Rasa's Redis stores take host/port/db, not a URL).

    eval "$(python -m bot.redis_url)"   # what `make run` does when REDIS_URL is set

`masked` is the URL as a log line or an error may show it: without its password.
"""
from __future__ import annotations

import os
import shlex
from typing import Dict
from urllib.parse import urlparse

DEFAULT_RETENTION_SECONDS = 30 * 24 * 3600  # conversations are kept 30 days after their last message


def endpoint_env(url: str) -> Dict[str, str]:
    parsed = urlparse(url)
    if parsed.scheme not in ("redis", "rediss"):
        raise ValueError("REDIS_URL must look like redis://[:password@]host[:port][/db]")
    return {
        "REDIS_HOST": parsed.hostname or "localhost",
        "REDIS_PORT": str(parsed.port or 6379),
        "REDIS_DB": (parsed.path or "/0").lstrip("/") or "0",
        "REDIS_PASSWORD": parsed.password or "",
        "CONVERSATION_RETENTION_SECONDS": os.environ.get("CONVERSATION_RETENTION_SECONDS",
                                                         str(DEFAULT_RETENTION_SECONDS)),
    }


def masked(url: str) -> str:
    """The URL with any password replaced by ***, for messages (a Redis password is never logged)."""
    parsed = urlparse(url)
    if not parsed.password:
        return url
    user = parsed.username or ""
    host_and_port = parsed.netloc.rpartition("@")[2]
    return parsed._replace(netloc=f"{user}:***@{host_and_port}").geturl()


if __name__ == "__main__":
    for name, value in endpoint_env(os.environ["REDIS_URL"]).items():
        print(f"export {name}={shlex.quote(value)}")
