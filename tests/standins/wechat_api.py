"""A stand-in for the WeChat official-account API: access tokens, user info, customer-service messages.

The real wechatpy client talks to it through API_BASE_URL. It records every
call, counts token fetches, and can fail the next calls (`fail_next`).
"""
from __future__ import annotations

import json
import threading
import time
from typing import Dict, List

from standins import LocalJsonServer

USER_LANGUAGES: Dict[str, str] = {}  # openid -> WeChat language ("zh_CN", "en", "ja")


class WeChatApiStandIn:
    def __init__(self) -> None:
        self.calls: List[Dict] = []
        self.token_fetches = 0
        self.fail_next = 0
        self._lock = threading.Lock()
        self.http = LocalJsonServer(
            lambda method, path, query, raw, _: self._answer(method, path, query, json.loads(raw or b"{}")))

    @property
    def base_url(self) -> str:
        return f"{self.http.root}/cgi-bin/"

    def start(self) -> "WeChatApiStandIn":
        self.http.start()
        return self

    def stop(self) -> None:
        self.http.stop()

    def sent_to(self, openid: str) -> List[str]:
        return [c["body"]["text"]["content"] for c in self.calls
                if c["path"].endswith("/message/custom/send") and c["body"]["touser"] == openid and not c.get("failed")]

    def wait_for_sent(self, openid: str, count: int = 1, timeout: float = 60) -> List[str]:
        deadline = time.time() + timeout
        while time.time() < deadline and len(self.sent_to(openid)) < count:
            time.sleep(0.2)
        return self.sent_to(openid)

    def _answer(self, method: str, path: str, query: Dict, body):
        with self._lock:
            call = {"method": method, "path": path, "query": query, "body": body}
            self.calls.append(call)
            if self.fail_next > 0:
                self.fail_next -= 1
                call["failed"] = True
                return 503, {"errcode": -1, "errmsg": "system busy"}
            if path.endswith("/token"):
                self.token_fetches += 1
                return 200, {"access_token": f"token-{self.token_fetches}", "expires_in": 7200}
            if path.endswith("/user/info"):
                return 200, {"subscribe": 1, "openid": query.get("openid"),
                             "language": USER_LANGUAGES.get(query.get("openid"), "zh_CN")}
            if path.endswith("/message/custom/send"):
                return 200, {"errcode": 0, "errmsg": "ok"}
            return 404, {"errcode": 404, "errmsg": "not found"}
