"""A stand-in for the Telegram Bot API: answers the methods our channel uses and records the calls.

python-telegram-bot's real `Bot` talks to it through `base_url`. `fail_next`
makes the next calls fail with 502, as Telegram does when it is down.
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List
from urllib.parse import parse_qs

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Patient guide", "username": "patient_guide_bot"}


class TelegramApiStandIn:
    def __init__(self) -> None:
        self.calls: List[Dict] = []
        self.fail_next = 0
        self._lock = threading.Lock()
        self._message_id = 0
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                method = self.path.rsplit("/", 1)[-1]
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    params = json.loads(raw or b"{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                status, body = stand_in._answer(method, params)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/bot"

    def start(self) -> "TelegramApiStandIn":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()

    def sent(self, chat_id: int) -> List[Dict]:
        return [c["params"] for c in self.calls if c["method"] == "sendMessage" and str(c["params"].get("chat_id")) == str(chat_id)]

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
                    message["reply_markup"] = json.loads(reply_markup) if isinstance(reply_markup, str) else reply_markup
                return 200, {"ok": True, "result": message}
            if method in ("answerCallbackQuery", "setWebhook", "deleteWebhook"):
                return 200, {"ok": True, "result": True}
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
