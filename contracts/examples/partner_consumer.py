"""A partner's consumer of the Qingchun event feed — runnable as it is, needing only
``qingchun-contracts`` and ``aio-pika`` (``pip install qingchun-contracts aio-pika``).

    # the queue: every event as it happens (ack after handling; deduplicate on the event id)
    python partner_consumer.py queue  --url amqp://USER:PASS@HOST:5672/ --queue QUEUE
    # the stream: history from an offset, a point in time, or the first kept message
    python partner_consumer.py replay --url … --stream STREAM --offset 120
    python partner_consumer.py replay --url … --stream STREAM --since 2025-03-01T00:00:00+08:00
    # webhooks: an HTTP receiver that answers the ownership challenge and verifies each signature
    python partner_consumer.py webhook --port 8900 --secret whsec_…

``--credentials FILE`` reads url, queue, stream and secret from the JSON the registration answered
(``make up`` keeps the demo partner's in ``.data/partners/``). ``--max N`` stops after N events.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import aio_pika
from aio_pika.abc import AbstractIncomingMessage

from qingchun_contracts import Envelope
from qingchun_contracts.catalog import UnknownEventType
from qingchun_contracts.webhooks import CHALLENGE_TYPE, SIGNATURE_HEADER, SignatureError, verify


def show(envelope: Envelope, where: str) -> None:
    """What a partner does with an event: here, print it (typed when this contracts version knows it)."""
    try:
        data: Any = envelope.payload().model_dump(mode="json")
    except UnknownEventType:  # a newer event type: the envelope still reads
        data = envelope.data
    print(
        json.dumps(
            {
                "from": where,
                "id": envelope.id,
                "type": envelope.type,
                "time": envelope.time.isoformat(),
                "data": data,
            },
            ensure_ascii=False,
        ),
        flush=True,
    )


async def consume(url: str, queue: str, offset: Any, limit: int | None) -> int:
    """Read the partner's queue (``offset`` None) or its stream from ``offset``; returns events read."""
    seen: set[str] = set()
    done = asyncio.Event()
    connection = await aio_pika.connect_robust(url)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=50)  # streams require a prefetch
        source = await channel.get_queue(queue, ensure=False)  # no declare: the partner may not

        async def on_message(message: AbstractIncomingMessage) -> None:
            envelope = Envelope.model_validate_json(message.body)
            if envelope.id not in seen:  # at least once: the same id may come twice
                seen.add(envelope.id)
                show(envelope, queue)
            await message.ack()
            if limit is not None and len(seen) >= limit:
                done.set()

        arguments = {} if offset is None else {"x-stream-offset": offset}
        await source.consume(on_message, arguments=arguments)
        await done.wait()
    return len(seen)


class WebhookHandler(BaseHTTPRequestHandler):
    secret = ""
    limit: int | None = None
    received = 0

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        message = json.loads(body or b"{}")
        if message.get("type") == CHALLENGE_TYPE:  # proof of ownership at registration
            self._answer(200, json.dumps({"challenge": message["challenge"]}).encode())
            return
        try:
            verify(self.secret, body, self.headers.get(SIGNATURE_HEADER, ""), now=int(time.time()))
        except SignatureError as refused:
            self._answer(401, refused.code.encode())
            return
        show(Envelope.model_validate_json(body), "webhook")
        type(self).received += 1
        self._answer(204, b"")

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: Any) -> None:
        return


def serve_webhooks(port: int, secret: str, limit: int | None) -> int:
    WebhookHandler.secret, WebhookHandler.limit = secret, limit
    with ThreadingHTTPServer(("127.0.0.1", port), WebhookHandler) as server:
        print(f"listening on http://127.0.0.1:{port}/", file=sys.stderr, flush=True)
        while limit is None or WebhookHandler.received < limit:
            server.handle_request()
    return WebhookHandler.received


def credentials(path: str | None) -> dict[str, Any]:
    if path is None:
        return {}
    found: dict[str, Any] = json.loads(Path(path).read_text())["credentials"]
    return {**found.get("amqp", {}), "secret": found.get("webhook", {}).get("secret")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Consume the Qingchun partner event feed.")
    parser.add_argument("mode", choices=["queue", "replay", "webhook"])
    parser.add_argument("--credentials")
    parser.add_argument("--url")
    parser.add_argument("--queue")
    parser.add_argument("--stream")
    parser.add_argument("--offset", help="a number, first, last or next")
    parser.add_argument("--since", help="an ISO time: replay from then")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--secret")
    parser.add_argument("--max", type=int, dest="limit")
    args = parser.parse_args(argv)
    given = credentials(args.credentials)
    if args.mode == "webhook":
        serve_webhooks(args.port, args.secret or given["secret"], args.limit)
        return 0
    url = args.url or given["url"]
    if args.mode == "queue":
        asyncio.run(consume(url, args.queue or given["queue"], None, args.limit))
        return 0
    offset: Any = "first"
    if args.since:
        offset = datetime.fromisoformat(args.since)  # aio-pika sends a datetime as an AMQP timestamp
    elif args.offset:
        offset = int(args.offset) if args.offset.isdigit() else args.offset
    asyncio.run(consume(url, args.stream or given["stream"], offset, args.limit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
