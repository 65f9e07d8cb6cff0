"""A stand-in for the Telegram Bot API: answers the methods our channel uses and records the calls.

python-telegram-bot's real `Bot` talks to it through `base_url`. `fail_next`
makes the next calls fail with 502, as Telegram does when it is down.
"""
from __future__ import annotations

import json
import threading
import time
from typing import Dict, List
from urllib.parse import parse_qs

from standins import LocalJsonServer

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Patient guide", "username": "patient_guide_bot"}


class TelegramApiStandIn:
    def __init__(self) -> None:
        self.calls: List[Dict] = []
        self.fail_next = 0
        self._lock = threading.Lock()
        self._message_id = 0
        self.http = LocalJsonServer(self._handle)

    @property
    def base_url(self) -> str:
        return f"{self.http.root}/bot"

    def start(self) -> "TelegramApiStandIn":
        self.http.start()
        return self

    def stop(self) -> None:
        self.http.stop()

    def _handle(self, method: str, path: str, query: Dict, raw: bytes, content_type: str):
        if content_type.startswith("application/json"):
            params = json.loads(raw or b"{}")
        else:
            params = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        return self._answer(path.rsplit("/", 1)[-1], params)

    def sent(self, chat_id: int) -> List[Dict]:
        return [c["params"] for c in self.calls
                if c["method"] == "sendMessage" and str(c["params"].get("chat_id")) == str(chat_id)]

    def wait_for_messages(self, chat_id: int, count: int = 1, timeout: float = 60) -> List[Dict]:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(self.sent(chat_id)) >= count:
                return self.sent(chat_id)
            time.sleep(0.2)
        return self.sent(chat_id)

    def _answer(self, method: str, params: Dict):
        with self._lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                self.calls.append({"method": method, "params": params, "failed": True})
                return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
            self.calls.append({"method": method, "params": params})
            if method == "getMe":
                return 200, {"ok": True, "result": BOT_USER}
            if method in ("sendMessage", "sendPhoto"):
                self._message_id += 1
                reply_markup = params.get("reply_markup")
                message = {"message_id": self._message_id, "date": int(time.time()),
                           "chat": {"id": int(params["chat_id"]), "type": "private"}, "from": BOT_USER,
                           "text": params.get("text", "")}
                if reply_markup:
                    message["reply_markup"] = (json.loads(reply_markup) if isinstance(reply_markup, str)
                                               else reply_markup)
                return 200, {"ok": True, "result": message}
            if method in ("answerCallbackQuery", "setWebhook", "deleteWebhook"):
                return 200, {"ok": True, "result": True}
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
