"""The server's side of the parse workers: start them, send them messages, replace them.

A worker that has not loaded its model yet, has died, or gives no answer
within PARSE_WORKER_TIMEOUT_SECONDS is not used: the server parses that
message itself (parse returns None), so no message waits on a worker or is
lost. A dead or stuck worker is replaced, with a growing pause between
attempts so a worker that cannot start does not take the CPU with it.
"""
from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from collections import deque
from pathlib import Path
from typing import Any, Deque, Dict, List, Optional, Text

from bot.parse_worker import frames

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]  # where `python -m bot.parse_worker.worker` imports `bot` from
TIMEOUT_SECONDS = float(os.environ.get("PARSE_WORKER_TIMEOUT_SECONDS", "10"))
# a worker that ran this long before it failed is restarted at once; failing sooner, after a growing pause
STEADY_SECONDS, FIRST_PAUSE, LONGEST_PAUSE = 60.0, 1.0, 300.0


class WorkerUnavailable(Exception):
    """The worker cannot parse this message; the server does."""


class ParseWorker:
    """One worker process and the pipe to it. Answers come back in the order requests were sent."""

    def __init__(self, model_path: Path, model_id: Text) -> None:
        self.model_path, self.model_id = model_path, model_id
        self.process: Optional[asyncio.subprocess.Process] = None
        self.ready = False
        self._waiting: Deque[asyncio.Future] = deque()
        self._reader: Optional[asyncio.Task] = None

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    async def start(self) -> None:
        """Start the process and wait until it has loaded the model; WorkerUnavailable if it cannot."""
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.parse_worker.worker", str(self.model_path),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, cwd=ROOT)
        try:
            kind, model_id = await frames.read_async(self.process.stdout)
        except asyncio.IncompleteReadError:
            raise WorkerUnavailable(f"exited while loading the model (code {await self.process.wait()})") from None
        if (kind, model_id) != ("ready", self.model_id):
            raise WorkerUnavailable("loaded a different model")
        self._reader = asyncio.create_task(self._read_answers())
        self.ready = True

    async def finished(self) -> None:
        """Wait until the worker can no longer answer."""
        if self._reader is not None:
            await asyncio.shield(self._reader)

    async def _read_answers(self) -> None:
        try:
            while True:
                answer = await frames.read_async(self.process.stdout)
                future = self._waiting.popleft()
                if not future.done():  # done: timed out, and the server parsed that one itself
                    future.set_result(answer)
        except asyncio.IncompleteReadError:  # the process ended
            pass
        except Exception as error:  # an answer that cannot be read: this worker is not to be trusted
            logger.warning("parse worker %s: unreadable answer (%s)", self.process.pid, type(error).__name__)
            self.stop()
        finally:
            self.ready = False
            while self._waiting:
                future = self._waiting.popleft()
                if not future.done():
                    future.set_exception(WorkerUnavailable("stopped"))

    async def parse(self, message, only_output_properties: bool) -> Dict[Text, Any]:
        if not self.ready:
            raise WorkerUnavailable("is not ready")
        try:
            request = frames.encode({
                "text": message.text, "sender_id": message.sender_id, "input_channel": message.input_channel,
                "message_id": message.message_id, "metadata": message.metadata,
                "only_output_properties": only_output_properties})
        except Exception as error:  # metadata that cannot be pickled: nothing was sent, nothing to answer
            raise WorkerUnavailable(f"cannot be sent this message ({type(error).__name__})") from error
        future = asyncio.get_running_loop().create_future()
        self._waiting.append(future)  # in the order of the requests on the pipe: the worker answers in it
        try:
            self.process.stdin.write(request)
            await self.process.stdin.drain()
            kind, value = await asyncio.wait_for(asyncio.shield(future), TIMEOUT_SECONDS)
        except asyncio.TimeoutError:
            self.stop()  # stuck: the reader sees the pipe close, and the worker is replaced
            raise WorkerUnavailable("gave no answer in time") from None
        except ConnectionError as error:  # the pipe closed under us
            raise WorkerUnavailable(f"lost its pipe ({type(error).__name__})") from error
        if kind != "parsed":
            raise WorkerUnavailable(f"failed ({value})")
        return value

    def stop(self) -> None:
        self.ready = False
        if self.process is not None and self.process.returncode is None:
            try:
                self.process.kill()
            except ProcessLookupError:  # exited, not yet reaped
                pass

    async def close(self) -> None:
        """Stop the process and wait until it and the answer reader have ended."""
        self.stop()
        if self.process is not None:
            await self.process.wait()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)


class ParseWorkers:
    """COUNT workers kept running for one loaded model."""

    def __init__(self, model_path: Path, model_id: Text, count: int) -> None:
        self.model_path, self.model_id, self.count = model_path, model_id, count
        self.workers: List[ParseWorker] = []
        self.parsed_by_workers = self.parsed_in_server = 0  # for the readiness probe
        self._keepers: List[asyncio.Task] = []

    def start(self) -> None:
        self._keepers = [asyncio.create_task(self._keep_one_running()) for _ in range(self.count)]

    async def close(self) -> None:
        for keeper in self._keepers:
            keeper.cancel()  # each stops its worker on the way out
        await asyncio.gather(*self._keepers, return_exceptions=True)

    async def _keep_one_running(self) -> None:
        pause = FIRST_PAUSE
        while True:
            worker, started = ParseWorker(self.model_path, self.model_id), time.monotonic()
            try:
                await worker.start()
                self.workers.append(worker)
                logger.info("parse worker %s ready", worker.process.pid)
                await worker.finished()
                logger.warning("parse worker %s stopped (exit code %s)", worker.process.pid,
                               await worker.process.wait())
            except (WorkerUnavailable, OSError) as error:
                logger.warning("parse worker could not start: %s", error)
            except Exception as error:  # whatever it was, a new worker is started after the pause
                logger.warning("parse worker failed: %s", type(error).__name__)
            finally:
                await worker.close()
                if worker in self.workers:
                    self.workers.remove(worker)
            pause = FIRST_PAUSE if time.monotonic() - started > STEADY_SECONDS else min(pause * 2, LONGEST_PAUSE)
            await asyncio.sleep(pause)

    async def parse(self, message, only_output_properties: bool) -> Optional[Dict[Text, Any]]:
        """The worker's parse, or None when no worker can give one (the server then parses it)."""
        ready = [worker for worker in self.workers if worker.ready]
        try:
            if not ready:
                raise WorkerUnavailable("is not ready")
            parse_data = await min(ready, key=lambda worker: worker.waiting).parse(message, only_output_properties)
        except WorkerUnavailable as error:
            if ready:
                logger.warning("parsed in the server: the parse worker %s", error)
            self.parsed_in_server += 1
            return None
        self.parsed_by_workers += 1
        return parse_data
