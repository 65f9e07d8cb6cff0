"""The WeChat channel in a small Sanic app whose 'Rasa' takes longer than WeChat waits.

A real Rasa server cannot be made reliably slower than WeChat's 5-second
window, so this stands in for it: each message is answered after --delay
seconds with the text "slow reply to <message>"; GET /senders lists the
conversation ids the channel gave it. Everything else — the
channel, wechatpy, the API stand-in — is real. With REDIS_URL set, the
channel keeps its MsgIds and nonces in Redis, so two of these stand in for
two server instances. There is no coordinator console: the channel is wired
(bot/server/wiring.py) with a handoff service that does nothing.
    python tests/standins/slow_rasa.py --port 8123 --api-base http://127.0.0.1:9000/cgi-bin/ --delay 6
"""
import argparse
import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sanic import Sanic, response  # noqa: E402

from bot.channels.wechat import WeChatInput  # noqa: E402
from bot.server.settings import ServerSettings  # noqa: E402
from bot.server.wiring import Wiring  # noqa: E402
from bot.shared_state import SharedState  # noqa: E402


class NoHandoff:
    """The guard's handoff service for a stand-in without a console: nothing is ever queued."""

    async def after_patient_turn(self, message, tracker=None) -> None:
        return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-base", required=True)
    parser.add_argument("--delay", type=float, default=6)
    args = parser.parse_args()
    app = Sanic("slow_rasa")
    channel = WeChatInput(os.environ["WECHAT_TOKEN"], os.environ["WECHAT_APP_ID"], os.environ["WECHAT_APP_SECRET"],
                          os.environ.get("WECHAT_ENCODING_AES_KEY"), args.api_base)
    settings = ServerSettings.from_env()
    channel.connect(Wiring(settings, SharedState(settings.redis_url), NoHandoff()))

    senders = []

    async def on_new_message(message):
        senders.append(message.sender_id)
        await asyncio.sleep(args.delay)
        await message.output_channel.send_text_message(message.sender_id, f"slow reply to {message.text}")

    app.blueprint(channel.blueprint(on_new_message), url_prefix="/webhooks/wechat")

    @app.route("/health")
    async def health(_):
        return response.text("ok")

    @app.route("/senders")
    async def sender_ids(_):
        return response.json(senders)

    app.run(host="127.0.0.1", port=args.port, access_log=False)


if __name__ == "__main__":
    main()
