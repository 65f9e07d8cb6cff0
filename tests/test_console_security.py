"""The coordinator console's logins and sessions against an attacker.

Each test runs the real console (bot/handoff/console.py, as Rasa mounts it at
/coordinator) on a Sanic server on a free loopback port, configured through
the environment as in production. Clients connect from different loopback
addresses (127.0.0.1, 127.0.0.2, ...: Linux routes all of 127/8 to lo), so
each is a different peer to the server. 127.0.0.3 plays a trusted TLS proxy.
"""
import asyncio
import contextlib
import logging
import statistics
import threading
import time
from typing import Dict, List, Optional

import aiohttp
import bcrypt

from conftest import COORDINATORS, coordinator_accounts
from console_server import serving

CONSOLE_HEADERS = {"X-Requested-With": "patient-guide-console"}
COOKIE = "pg_coordinator"
ATTACKER, COORDINATOR, PROXY = "127.0.0.1", "127.0.0.2", "127.0.0.3"
ACCOUNTS = coordinator_accounts()  # bcrypt cost 4: fast tests
SESSION_SECRET = "console-security-tests-" + "0123456789" * 2  # 32+ bytes, as PyJWT recommends for HS256


def run(scenario):
    asyncio.run(scenario)  # a fresh loop per test; the console's background tasks are cancelled with it


@contextlib.asynccontextmanager
async def console(monkeypatch, **env: str):
    """The console on a real server; `env` (plus test accounts) is its environment, read when it is created."""
    from bot.handoff.console import CoordinatorConsole
    from bot.server import wiring
    from bot.server.settings import ServerSettings

    for name, value in {"COORDINATOR_ACCOUNTS": ACCOUNTS, "COORDINATOR_SESSION_SECRET": SESSION_SECRET, **env}.items():
        monkeypatch.setenv(name, value)
    channel = CoordinatorConsole()
    channel.connect(wiring.build(lambda: None, ServerSettings.from_env()))
    async with serving(channel, monkeypatch) as api:
        yield api


class Reply:
    def __init__(self, status: int, body: Dict, headers) -> None:
        self.status, self.body, self.headers = status, body, headers

    @property
    def set_cookie(self) -> str:
        return "; ".join(self.headers.getall("Set-Cookie", []))


class Client:
    """One browser: its own source address and its own session cookie (kept by hand: a test may replay it)."""

    def __init__(self, api: str, source: str = ATTACKER) -> None:
        self.api, self.source, self.token = api, source, None

    async def __aenter__(self) -> "Client":
        self.http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(self.source, 0)),
                                          cookie_jar=aiohttp.DummyCookieJar())
        return self

    async def __aexit__(self, *_) -> None:
        await self.http.close()

    async def request(self, method: str, path: str, json: Optional[Dict] = None, **headers: str) -> Reply:
        if self.token:
            headers["Cookie"] = f"{COOKIE}={self.token}"
        if method == "POST":
            headers.update(CONSOLE_HEADERS)
        async with self.http.request(method, self.api + path, json=json, headers=headers,
                                     timeout=aiohttp.ClientTimeout(total=60)) as response:
            try:
                body = await response.json(content_type=None)
            except ValueError:
                body = {}
            return Reply(response.status, body, response.headers)

    async def login(self, username: str, password: Optional[str] = None, **headers: str) -> Reply:
        reply = await self.request("POST", "login", {"username": username,
                                                     "password": password or COORDINATORS[username]}, **headers)
        if reply.status == 200:
            self.token = response_cookie(reply)
        return reply

    async def get(self, path: str) -> Reply:
        return await self.request("GET", path)

    async def post(self, path: str, **body) -> Reply:
        return await self.request("POST", path, body)


def response_cookie(reply: Reply) -> str:
    return reply.set_cookie.split(f"{COOKIE}=", 1)[1].split(";", 1)[0]


def statuses(replies: List[Reply]) -> List[int]:
    return [reply.status for reply in replies]


def test_a_flood_of_wrong_passwords_throttles_that_client_not_the_coordinator(monkeypatch):
    async def scenario():
        async with console(monkeypatch) as api, Client(api, ATTACKER) as attacker, \
                Client(api, COORDINATOR) as alice:
            flood = await asyncio.gather(*(attacker.login("alice", f"guess-{i}") for i in range(30)))
            assert statuses(flood).count(401) == 5 and statuses(flood).count(429) == 25
            assert (await alice.login("alice")).status == 200  # from her own desk: not locked out
            assert (await alice.get("me")).body == {"username": "alice"}
            # the attacker's address stays throttled, even with the right password
            again = await attacker.login("alice")
            assert again.status == 429 and again.body["error"] == "too_many_attempts"
            assert 0 < int(again.headers["Retry-After"]) <= 15 * 60
            assert attacker.token is None

    run(scenario())


def test_attempts_still_inside_bcrypt_count_against_the_limit(monkeypatch):
    """Five wrong passwords are held inside bcrypt; every request arriving meanwhile is refused at once."""
    real_checkpw, inside, release = bcrypt.checkpw, [], threading.Event()

    def held_checkpw(password, hashed):
        inside.append(1)
        release.wait(timeout=30)
        return real_checkpw(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", held_checkpw)

    async def scenario():
        async with console(monkeypatch) as api, Client(api) as attacker:
            held = [asyncio.ensure_future(attacker.login("bob", f"guess-{i}")) for i in range(5)]
            try:
                while len(inside) < 5:
                    await asyncio.sleep(0.01)
                meanwhile = await asyncio.wait_for(
                    asyncio.gather(*(attacker.login("bob", f"more-{i}") for i in range(25))), timeout=10)
                assert statuses(meanwhile) == [429] * 25 and len(inside) == 5
            finally:
                release.set()
            assert statuses(await asyncio.gather(*held)) == [401] * 5

    run(scenario())


def test_logout_ends_the_session_for_good(monkeypatch):
    async def scenario():
        async with console(monkeypatch) as api, Client(api) as alice, Client(api) as thief:
            assert (await alice.login("alice")).status == 200
            thief.token = alice.token  # a copy of the cookie, e.g. from a shared computer
            assert (await thief.get("me")).status == 200
            logout = await alice.post("logout")
            assert logout.status == 200 and "Max-Age=0" in logout.set_cookie
            replay = await thief.get("me")
            assert replay.status == 401 and replay.body == {"error": "not_logged_in"}
            assert (await thief.get("queue")).status == 401

    run(scenario())


def test_ending_all_sessions_ends_every_session_of_the_account(monkeypatch):
    async def scenario():
        async with console(monkeypatch) as api, Client(api) as laptop, Client(api, COORDINATOR) as phone, \
                Client(api) as bob:
            for client, name in ((laptop, "alice"), (phone, "alice"), (bob, "bob")):
                assert (await client.login(name)).status == 200
            ended = await laptop.post("sessions/end-all")
            assert ended.status == 200 and ended.body == {"ended": 2}
            assert (await phone.get("me")).status == 401 and (await laptop.get("me")).status == 401
            assert (await bob.get("me")).status == 200  # another account's session goes on
            # the endpoint itself needs a live session
            assert (await phone.post("sessions/end-all")).status == 401

    run(scenario())


def test_a_session_unused_for_the_idle_limit_ends(monkeypatch):
    async def scenario():
        async with console(monkeypatch, COORDINATOR_IDLE_MINUTES="0.04") as api, Client(api) as alice:  # 2.4 s
            assert (await alice.login("alice")).status == 200
            for _ in range(3):  # used every second: alive well past the idle limit
                await asyncio.sleep(1)
                assert (await alice.get("me")).status == 200
            await asyncio.sleep(3)
            idle = await alice.get("me")
            assert idle.status == 401 and idle.body == {"error": "not_logged_in"}

    run(scenario())


def test_an_unknown_name_takes_as_long_as_a_known_one(monkeypatch):
    """Same bcrypt cost (10) for the real account and the unknown-name check; no throttle in the way."""
    alice_hash = bcrypt.hashpw(COORDINATORS["alice"].encode(), bcrypt.gensalt(rounds=10)).decode()

    async def scenario():
        async with console(monkeypatch, COORDINATOR_ACCOUNTS=f"alice:{alice_hash}",
                           COORDINATOR_LOGIN_MAX_FAILURES="1000",
                           COORDINATOR_LOGIN_MAX_FAILURES_PER_CLIENT="1000") as api, Client(api) as prober:
            async def timed(username: str) -> float:
                started = time.perf_counter()
                reply = await prober.login(username, "not-the-password")
                assert reply.status == 401
                return time.perf_counter() - started

            await timed("alice")  # warm-up
            await timed("nobody-here")
            known, unknown = [], []
            for i in range(20):  # interleaved, so a busy moment on the machine hits both alike
                known.append(await timed("alice"))
                unknown.append(await timed(f"nobody-{i}"))
            ratio = statistics.median(known) / statistics.median(unknown)
            assert 0.8 <= ratio <= 1.2, (statistics.median(known), statistics.median(unknown))

    run(scenario())


def test_the_cookie_is_secure_behind_a_trusted_tls_proxy_only(monkeypatch):
    async def scenario():
        async with console(monkeypatch, COORDINATOR_TRUSTED_PROXIES=PROXY) as api, Client(api, PROXY) as proxy, \
                Client(api, ATTACKER) as direct:
            behind_tls = await proxy.login("alice", **{"X-Forwarded-Proto": "https"})
            assert behind_tls.status == 200
            attributes = [part.strip().lower() for part in behind_tls.set_cookie.split(";")]
            assert {"secure", "httponly", "samesite=strict", "path=/coordinator"} <= set(attributes)
            # the same header from anyone else proves nothing; plain http through the proxy neither
            for client, headers in ((direct, {"X-Forwarded-Proto": "https"}), (proxy, {})):
                reply = await client.login("bob", **headers)
                assert reply.status == 200 and "secure" not in reply.set_cookie.lower()
                assert "httponly" in reply.set_cookie.lower() and "samesite=strict" in reply.set_cookie.lower()

    run(scenario())


def test_the_cookie_secure_setting_overrides_auto(monkeypatch):
    async def scenario():
        for setting, forwarded_proto, secure in (("always", "http", True), ("never", "https", False)):
            async with console(monkeypatch, COORDINATOR_COOKIE_SECURE=setting,
                               COORDINATOR_TRUSTED_PROXIES=PROXY) as api, Client(api, PROXY) as proxy:
                reply = await proxy.login("alice", **{"X-Forwarded-Proto": forwarded_proto})
                assert reply.status == 200 and ("secure" in reply.set_cookie.lower()) is secure, setting

    run(scenario())


def test_forwarded_for_names_the_client_only_from_a_trusted_proxy(monkeypatch):
    async def scenario():
        async with console(monkeypatch, COORDINATOR_TRUSTED_PROXIES=PROXY) as api, Client(api, ATTACKER) as stranger, \
                Client(api, PROXY) as proxy:
            # a direct client writing a fresh X-Forwarded-For each time is still one address: 20 failures, then 429
            for i in range(20):
                assert (await stranger.login(f"name-{i}", "x", **{"X-Forwarded-For": f"203.0.113.{i}"})).status == 401
            assert (await stranger.login("alice", **{"X-Forwarded-For": "203.0.113.99"})).status == 429

            # behind the proxy, each forwarded client has its own counters
            for i in range(20):
                assert (await proxy.login(f"name-{i}", "x", **{"X-Forwarded-For": "198.51.100.7"})).status == 401
            assert (await proxy.login("alice", **{"X-Forwarded-For": "198.51.100.7"})).status == 429
            assert (await proxy.login("alice", **{"X-Forwarded-For": "198.51.100.8"})).status == 200
            # a proxy appends the address it saw; what the client wrote before it is not believed
            spoofed = await proxy.login("bob", **{"X-Forwarded-For": "198.51.100.8, 198.51.100.7"})
            assert spoofed.status == 429

    run(scenario())


def test_refusals_are_json_and_the_logs_keep_no_typed_name_or_password(monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="bot.handoff")
    forged_name = "mallory\n2030-01-01 INFO coordinator alice logged in"

    async def scenario():
        async with console(monkeypatch) as api, Client(api) as client:
            refused = await client.login(forged_name, "mallory-secret-guess")
            assert refused.status == 401 and refused.body == {"error": "invalid_credentials"}
            assert refused.headers["Content-Type"].startswith("application/json")
            # a password typed into the name field
            assert (await client.login(COORDINATORS["bob"], "x")).status == 401
            for _ in range(5):
                await client.login("bob", "wrong-password-typed")
            throttled = await client.login("bob", "wrong-password-typed")
            assert throttled.status == 429
            retry_after = int(throttled.headers["Retry-After"])
            assert throttled.body == {"error": "too_many_attempts", "retry_after": retry_after}
            assert (await client.get("me")).body == {"error": "not_logged_in"}

    run(scenario())
    logged = caplog.text
    assert "login refused" in logged and "throttled" in logged
    for secret in ("mallory", "mallory-secret-guess", COORDINATORS["bob"], "wrong-password-typed"):
        assert secret not in logged


def test_two_instances_share_login_limits_and_sessions_through_redis(monkeypatch, redis_server):
    import redis

    redis.Redis.from_url(redis_server).flushdb()

    async def scenario():
        shared = {"REDIS_URL": redis_server, "COORDINATOR_IDLE_MINUTES": "0.02"}  # 1.2 s idle limit
        async with console(monkeypatch, **shared) as one, console(monkeypatch, **shared) as two, \
                Client(one, ATTACKER) as attacker_at_one, Client(two, ATTACKER) as attacker_at_two, \
                Client(two, COORDINATOR) as alice_at_two, \
                Client(one, COORDINATOR) as bob_at_one, Client(two, COORDINATOR) as bob_at_two:
            # the login counter is shared: five failures on one instance throttle the sixth on the other
            assert statuses(await asyncio.gather(*(attacker_at_one.login("alice", f"guess-{i}")
                                                   for i in range(5)))) == [401] * 5
            assert (await attacker_at_two.login("alice")).status == 429
            assert (await alice_at_two.login("alice")).status == 200  # from another address: not affected

            # a session started on one instance is known, and ended, on the other
            assert (await bob_at_one.login("bob")).status == 200
            bob_at_two.token = bob_at_one.token
            assert (await bob_at_two.get("me")).body == {"username": "bob"}
            assert (await bob_at_two.post("logout")).status == 200
            assert (await bob_at_one.get("me")).status == 401

            # and "end all sessions" on one instance ends them on every instance
            assert (await bob_at_one.login("bob")).status == 200 and (await bob_at_two.login("bob")).status == 200
            assert (await bob_at_two.post("sessions/end-all")).body == {"ended": 2}
            assert (await bob_at_one.get("me")).status == 401

            # the idle time runs in Redis too: used on one instance, it is still live on the other
            assert (await bob_at_one.login("bob")).status == 200
            bob_at_two.token = bob_at_one.token
            for _ in range(2):
                await asyncio.sleep(0.8)
                assert (await bob_at_one.get("me")).status == 200
            assert (await bob_at_two.get("me")).status == 200
            await asyncio.sleep(1.6)
            assert (await bob_at_two.get("me")).status == 401

    run(scenario())
