"""The coordinator console's blueprint on a real Sanic server, for the console's API tests."""
import contextlib
import uuid

from conftest import free_port


@contextlib.asynccontextmanager
async def serving(channel, monkeypatch):
    """Serves a connected CoordinatorConsole on a free port; yields its API's base URL."""
    from sanic import Sanic

    monkeypatch.setattr(Sanic, "test_mode", True)  # several apps in one process: Sanic re-tunes its HTTP class
    app = Sanic(f"console_test_{uuid.uuid4().hex[:12]}")

    async def no_patient_messages(_message):
        raise AssertionError("the console never sends patient messages to Rasa")

    app.blueprint(channel.blueprint(no_patient_messages), url_prefix=channel.url_prefix())
    port = free_port()
    # already listening when created (Sanic 21.12 awaits the asyncio server); then its listeners, as `run` does
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{port}/coordinator/api/"
    finally:
        await server.before_stop()
        await server.close()
        await server.after_stop()
