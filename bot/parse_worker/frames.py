"""Length-prefixed pickle frames between the server and its parse workers.

Pickle is safe here: both ends are our own processes, connected by a pipe
the server created; nothing from the network is unpickled.
"""
from __future__ import annotations

import asyncio
import pickle
import struct
from typing import Any, BinaryIO, Optional

_LENGTH = struct.Struct(">I")


def encode(value: Any) -> bytes:
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(body)) + body


def read(stream: BinaryIO) -> Optional[Any]:
    """The next frame from a blocking stream; None at end of stream."""
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(header)
    body = stream.read(length)
    if len(body) < length:
        return None
    return pickle.loads(body)


async def read_async(reader: asyncio.StreamReader) -> Any:
    """The next frame from an asyncio stream; asyncio.IncompleteReadError at end of stream."""
    (length,) = _LENGTH.unpack(await reader.readexactly(_LENGTH.size))
    return pickle.loads(await reader.readexactly(length))
