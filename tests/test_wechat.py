"""The WeChat channel: signed (and AES-encrypted) messages in, passive replies and customer-service
messages out through the real wechatpy client to a local stand-in of the WeChat API; replays refused;
two instances on one Redis take a MsgId in once."""
import asyncio
import itertools
import os
import subprocess
import sys
import time

import pytest
import requests
import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

from bot import texts
from bot.channels.wechat import WeChatInput, WeChatPatients, split_utf8
from conftest import ROOT, WECHAT, api_url, free_port, start, stop, tracker_of
from standins.wechat_api import USER_LANGUAGES

TOKEN, APP_ID, AES_KEY = WECHAT["WECHAT_TOKEN"], WECHAT["WECHAT_APP_ID"], WECHAT["WECHAT_ENCODING_AES_KEY"]
_ids = itertools.count(int(time.time() * 1000))


def signed_params(token=TOKEN, timestamp=None, nonce=None):
    """A fresh timestamp and nonce each time, as WeChat sends them (a repeat is refused as a replay)."""
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    nonce = str(next(_ids) if nonce is None else nonce)
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce)
    return {"signature": signer.signature, "timestamp": timestamp, "nonce": nonce}


def text_xml(content, openid, msg_id=None):
    msg_id = msg_id or next(_ids)
    return (f"<xml><ToUserName><![CDATA[gh_guide]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>")


def event_xml(event, openid):
    return (f"<xml><ToUserName><![CDATA[gh_guide]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[{event}]]></Event></xml>")


def post(server, xml, params=None):
    return requests.post(f"{server}/webhooks/wechat/webhook", params=params or signed_params(),
                         data=xml.encode() if isinstance(xml, str) else xml, timeout=60)


def tracker(server, conversation_id):
    return tracker_of(server, conversation_id)


def reply_text(http_response):
    return xmltodict.parse(http_response.text)["xml"]["Content"]


def openid():
    return f"o-test-{next(_ids)}"


def test_server_verification_handshake(rasa_server):
    params = {**signed_params(), "echostr": "hello-wechat"}
    assert requests.get(f"{rasa_server}/webhooks/wechat/webhook", params=params, timeout=30).text == "hello-wechat"
    params["signature"] = "0" * 40
    assert requests.get(f"{rasa_server}/webhooks/wechat/webhook", params=params, timeout=30).status_code == 403


@pytest.mark.parametrize("text,language", [("你们好", "zh-Hans"), ("哈囉，你好呀", "zh-Hant"), ("Hello there", "en"),
                                           ("안녕하세요", "ko")])
def test_text_in_four_languages_gets_a_passive_reply_in_it(rasa_server, text, language):
    response = post(rasa_server, text_xml(text, openid()))
    assert response.status_code == 200
    assert reply_text(response) == texts.get("utter_greet", language)


def test_safe_mode_round_trip(rasa_server):
    crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    params = signed_params()
    encrypted = crypto.encrypt_message(text_xml("こんにちは", openid()), params["nonce"], params["timestamp"])
    envelope = xmltodict.parse(encrypted)["xml"]
    response = post(rasa_server, encrypted,
                    {**params, "encrypt_type": "aes", "msg_signature": envelope["MsgSignature"]})
    assert response.status_code == 200
    reply = xmltodict.parse(response.text)["xml"]
    decrypted = crypto.decrypt_message(response.text, reply["MsgSignature"], reply["TimeStamp"], reply["Nonce"])
    assert xmltodict.parse(decrypted)["xml"]["Content"] == texts.get("utter_greet", "ja")


def test_subscribe_welcomes_in_the_followers_wechat_language(rasa_server):
    follower = openid()
    USER_LANGUAGES[follower] = "en"
    assert reply_text(post(rasa_server, event_xml("subscribe", follower))) == texts.get("utter_greet", "en")


def test_a_follower_is_filed_under_their_wechat_conversation_id(rasa_server):
    follower = openid()
    assert reply_text(post(rasa_server, text_xml("Hello there", follower))) == texts.get("utter_greet", "en")
    said = [e["text"] for e in tracker(rasa_server, f"wechat:{follower}")["events"] if e["event"] == "user"]
    assert said == ["Hello there"]
    assert not any(e["event"] == "user" for e in tracker(rasa_server, follower)["events"] or [])


def test_a_message_without_a_wechat_openid_is_refused(rasa_server):
    assert post(rasa_server, text_xml("hello", "o bad\u3000id")).status_code == 400
    assert post(rasa_server, text_xml("hello", "telegram:12345")).status_code == 400


def test_replies_outside_the_patients_turn_reach_the_openid_in_the_conversation_id_only(wechat_api):
    """A coordinator's reply goes through WeChatPatients with the conversation id (bot/handoff/service.py)."""
    follower = openid()
    channel = WeChatInput(TOKEN, APP_ID, WECHAT["WECHAT_APP_SECRET"], AES_KEY, wechat_api.base_url)

    async def scenario():
        reach = WeChatPatients(channel)
        assert await reach.send(f"wechat:{follower}", "您好，我是协调员", from_coordinator=True)
        for not_wechats in (follower, f"telegram:{follower}", f"widget:{follower}", f"wechat:{follower} x"):
            with pytest.raises(ValueError):  # the handoff service logs it and reports "not delivered"
                await reach.send(not_wechats, "must not be sent")

    asyncio.run(scenario())
    assert wechat_api.sent_to(follower) == ["您好，我是协调员"]
    assert not any(c["body"].get("text", {}).get("content") == "must not be sent" for c in wechat_api.calls
                   if isinstance(c["body"], dict))


def test_forged_signature_is_refused_and_nothing_is_processed(rasa_server, wechat_api):
    follower = openid()
    response = post(rasa_server, text_xml("你好", follower), signed_params(token="not-our-token"))
    assert response.status_code == 403
    forged_aes = {**signed_params(), "encrypt_type": "aes", "msg_signature": "0" * 40}
    assert post(rasa_server, "<xml><Encrypt><![CDATA[AAAA]]></Encrypt></xml>", forged_aes).status_code == 403


def test_an_image_gets_a_polite_reply(rasa_server):
    xml = text_xml("x", openid()).replace("<MsgType><![CDATA[text]]></MsgType>", "<MsgType><![CDATA[image]]></MsgType>")
    xml = xml.replace("<Content><![CDATA[x]]></Content>", "<PicUrl><![CDATA[http://x/y.jpg]]></PicUrl><MediaId>1</MediaId>")
    assert reply_text(post(rasa_server, xml)) == texts.get("unsupported_message_type", "und")


@pytest.mark.parametrize("body", ["<xml><unclosed>", "not xml at all", "<xml></xml>",
                                  '<!DOCTYPE x [<!ENTITY a "aaaa">]><xml>&a;</xml>', "<xml>" + "x" * 70_000 + "</xml>"])
def test_malformed_or_oversized_bodies_get_a_4xx_and_the_server_keeps_running(rasa_server, body):
    assert 400 <= post(rasa_server, body).status_code < 500
    assert requests.get(api_url(rasa_server, "/status"), timeout=10).ok


def test_a_repeated_msgid_is_answered_once(rasa_server):
    follower, msg_id = openid(), next(_ids)
    first = post(rasa_server, text_xml("hello", follower, msg_id))
    second = post(rasa_server, text_xml("hello", follower, msg_id))
    assert reply_text(first) == texts.get("utter_greet", "en")
    assert second.text == "success"


def standin_command(wechat_api, port, delay):
    return [sys.executable, str(ROOT / "tests/standins/slow_rasa.py"), "--port", str(port),
            "--api-base", wechat_api.base_url, "--delay", str(delay)]


def start_standin(wechat_api, log, delay, **env):
    """The real WeChat channel in front of a 'Rasa' that answers after `delay` s (standins/slow_rasa.py)."""
    port = free_port()
    process = start(standin_command(wechat_api, port, delay), {**os.environ, **WECHAT, **env}, log,
                    f"http://127.0.0.1:{port}/health", timeout=60)
    return f"http://127.0.0.1:{port}", process


@pytest.fixture()
def slow_rasa(wechat_api, tmp_path):
    """The WeChat channel in front of a 'Rasa' that needs 6 seconds."""
    server, process = start_standin(wechat_api, tmp_path / "slow.log", 6)
    yield server
    stop(process)


@pytest.fixture(scope="module")
def quick_rasa(wechat_api, tmp_path_factory):
    """The WeChat channel in front of a 'Rasa' that answers at once (its replies: "slow reply to ...")."""
    server, process = start_standin(wechat_api, tmp_path_factory.mktemp("quick") / "quick.log", 0)
    yield server
    stop(process)


@pytest.fixture(scope="module")
def two_instances(wechat_api, redis_server, tmp_path_factory):
    """Two channels sharing one Redis (REDIS_URL), as two server instances behind a load balancer."""
    workdir = tmp_path_factory.mktemp("two")
    started = [start_standin(wechat_api, workdir / f"instance-{name}.log", 0, REDIS_URL=redis_server)
               for name in "ab"]
    yield [server for server, _ in started]
    for _, process in started:
        stop(process)


def senders(server):
    return requests.get(f"{server}/senders", timeout=10).json()


def test_retry_storm_with_a_slow_reply_gives_exactly_one_answer(slow_rasa, wechat_api):
    follower, msg_id = openid(), next(_ids)
    xml = text_xml("slow question", follower, msg_id)
    started = time.time()
    responses = [post(slow_rasa, xml)]  # WeChat waits 5 s, then resends the same MsgId
    responses += [post(slow_rasa, xml) for _ in range(2)]
    assert all(r.status_code == 200 and r.text == "success" for r in responses)
    assert time.time() - started < 15
    assert wechat_api.wait_for_sent(follower, timeout=30) == ["slow reply to slow question"]
    time.sleep(2)
    assert wechat_api.sent_to(follower) == ["slow reply to slow question"]
    # processed once, in the follower's WeChat conversation; the late reply went to the bare OpenID
    assert requests.get(f"{slow_rasa}/senders", timeout=10).json() == [f"wechat:{follower}"]


def test_customer_service_send_is_retried_when_the_api_is_down_and_the_token_is_cached(slow_rasa, wechat_api):
    follower = openid()
    fetches_before = wechat_api.token_fetches
    wechat_api.fail_next = 2
    assert post(slow_rasa, text_xml("first", follower)).text == "success"
    assert wechat_api.wait_for_sent(follower, timeout=40) == ["slow reply to first"]
    assert post(slow_rasa, text_xml("second", follower)).text == "success"
    assert wechat_api.wait_for_sent(follower, count=2, timeout=40)[-1] == "slow reply to second"
    assert wechat_api.token_fetches - fetches_before <= 1


def test_long_replies_are_split_within_wechats_byte_limit():
    text = "\n".join(["医院" * 300] * 4)
    pieces = split_utf8(text)
    assert len(pieces) > 1 and all(len(p.encode()) <= 2000 for p in pieces)


# Replays: a signed request is refused when its timestamp is more than 5 minutes from the server's
# clock, or when its (timestamp, nonce) was already used. The channel is the real one, in front of
# a stand-in Rasa that answers at once.

def test_a_fresh_signed_request_is_answered(quick_rasa):
    follower = openid()
    assert reply_text(post(quick_rasa, text_xml("hello", follower))) == "slow reply to hello"
    assert f"wechat:{follower}" in senders(quick_rasa)


@pytest.mark.parametrize("skew", [-301, -3600, 301, 3600])
def test_a_timestamp_more_than_five_minutes_away_is_refused(quick_rasa, skew):
    follower = openid()
    params = signed_params(timestamp=int(time.time()) + skew)
    assert post(quick_rasa, text_xml("hello", follower), params).status_code == 403
    handshake = requests.get(f"{quick_rasa}/webhooks/wechat/webhook",
                             params={**signed_params(timestamp=int(time.time()) + skew), "echostr": "x"}, timeout=10)
    assert handshake.status_code == 403
    assert f"wechat:{follower}" not in senders(quick_rasa)


@pytest.mark.parametrize("skew", [-240, 240])
def test_a_timestamp_within_five_minutes_is_accepted(quick_rasa, skew):
    """WeChat's and our clocks may differ a little either way."""
    params = signed_params(timestamp=int(time.time()) + skew)
    assert reply_text(post(quick_rasa, text_xml("hello", openid()), params)) == "slow reply to hello"


def test_a_request_replayed_with_its_nonce_is_refused(quick_rasa):
    follower, params = openid(), signed_params()
    captured = text_xml("hello", follower)
    assert reply_text(post(quick_rasa, captured, params)) == "slow reply to hello"
    assert post(quick_rasa, captured, params).status_code == 403  # the same request again
    assert post(quick_rasa, text_xml("another", follower), params).status_code == 403  # another body, same query
    handshake = {**signed_params(), "echostr": "x"}
    assert requests.get(f"{quick_rasa}/webhooks/wechat/webhook", params=handshake, timeout=10).text == "x"
    assert requests.get(f"{quick_rasa}/webhooks/wechat/webhook", params=handshake, timeout=10).status_code == 403
    assert senders(quick_rasa).count(f"wechat:{follower}") == 1


def test_the_same_nonce_at_another_second_is_a_new_request(quick_rasa):
    """The record is of (timestamp, nonce) pairs: WeChat's nonces are short numbers that may recur, and
    a replay cannot change the timestamp without breaking the signature."""
    nonce, now = next(_ids), int(time.time())
    assert post(quick_rasa, text_xml("one", openid()), signed_params(timestamp=now - 10, nonce=nonce)).ok
    assert post(quick_rasa, text_xml("two", openid()), signed_params(timestamp=now - 9, nonce=nonce)).ok


def test_a_forged_request_is_refused_as_before_and_uses_up_no_nonce(quick_rasa):
    follower, genuine = openid(), signed_params()
    forged = {**genuine, "signature": signed_params(token="not-our-token", timestamp=genuine["timestamp"],
                                                    nonce=genuine["nonce"])["signature"]}
    assert post(quick_rasa, text_xml("hello", follower), forged).status_code == 403
    stale_forged = signed_params(token="not-our-token", timestamp=int(time.time()) - 3600)
    assert post(quick_rasa, text_xml("hello", follower), stale_forged).status_code == 403
    assert reply_text(post(quick_rasa, text_xml("hello", follower), genuine)) == "slow reply to hello"


# Two instances on one Redis (REDIS_URL): MsgIds and nonces are shared.

def test_a_msgid_sent_to_instance_a_then_b_is_answered_once(two_instances, wechat_api):
    a, b = two_instances
    follower, msg_id = openid(), next(_ids)
    xml = text_xml("hello", follower, msg_id)
    assert reply_text(post(a, xml)) == "slow reply to hello"
    retry = post(b, xml)  # WeChat's retry, freshly signed, reaching the other instance
    assert retry.status_code == 200 and retry.text == "success"
    assert f"wechat:{follower}" in senders(a) and f"wechat:{follower}" not in senders(b)
    time.sleep(1)
    assert wechat_api.sent_to(follower) == []  # no late second answer either


def test_a_request_replayed_to_the_other_instance_is_refused(two_instances):
    a, b = two_instances
    follower, params = openid(), signed_params()
    assert reply_text(post(a, text_xml("hello", follower), params)) == "slow reply to hello"
    assert post(b, text_xml("hello", follower), params).status_code == 403
    assert f"wechat:{follower}" not in senders(b)


def test_with_redis_unreachable_the_channel_refuses_to_start(wechat_api, tmp_path):
    """No silent fall-back to memory (the instances' records would split); the password is not shown."""
    log = tmp_path / "no-redis.log"
    env = {**os.environ, **WECHAT, "REDIS_URL": f"redis://:s3cret-redis-pass@127.0.0.1:{free_port()}/0"}
    with open(log, "w") as out:
        process = subprocess.Popen(standin_command(wechat_api, free_port(), 0), cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        assert process.wait(timeout=60) != 0
    finally:
        if process.poll() is None:
            process.kill()
    logged = log.read_text()
    assert "SharedStateUnavailable" in logged and "REDIS_URL is set but Redis at redis://:***@127.0.0.1" in logged
    assert "s3cret-redis-pass" not in logged
