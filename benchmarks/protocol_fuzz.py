"""Decode a million random frames: each must give a message or a ProtocolError, nothing else.

Frames are made three ways: valid frames of every message type with random bytes changed, cut or
spliced; random JSON envelopes; and random bytes. Prints the count of each outcome and the time taken,
against a baseline of plain ``json.loads`` of the same frames in the same run.

    python benchmarks/protocol_fuzz.py [--frames 1000000] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import time

import checkout  # noqa: F401 - the checkout's root on sys.path, for the tests' samples
from operator_desk.protocol import Endpoint, ProtocolError, Push, Request, decode, encode
from tests.protocol import samples


def seed_frames() -> list[bytes]:
    frames = []
    for action, payload in samples.OPERATOR_REQUESTS.items():
        frames.append(encode(Request(id="r1", action=action, payload=payload)).encode())
    for action, payload in samples.OPERATOR_PUSHES.items():
        frames.append(encode(Push(seq=7, action=action, payload=payload)).encode())
    for action, payload in samples.VISITOR_REQUESTS.items():
        frames.append(encode(Request(id="r2", action=action, payload=payload)).encode())
    return frames


def mutate(rng: random.Random, frame: bytes, seeds: list[bytes]) -> bytes:
    data = bytearray(frame)
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        position = rng.randrange(len(data)) if data else 0
        if choice < 0.4 and data:
            data[position] = rng.randrange(256)
        elif choice < 0.6:
            data.insert(position, rng.choice(b'{}[]",:0123456789aetnul\\ '))
        elif choice < 0.75 and data:
            del data[position : position + rng.randint(1, 8)]
        elif choice < 0.9:
            other = rng.choice(seeds)
            cut = rng.randrange(len(other))
            data[position:] = other[cut:]
        else:
            data = data[: rng.randrange(len(data) + 1)]
    return bytes(data)


def random_envelope(rng: random.Random) -> bytes:
    values = [None, True, 0, -1, 1, 2, 1.5, "", "x" * rng.randint(0, 80), [], {}, {"chat_id": 3}]
    body = {}
    for key in ("v", "type", "id", "action", "seq", "ok", "payload", "error"):
        if rng.random() < 0.8:
            body[key] = rng.choice(values + {"v": [1], "type": ["req", "res", "push"],
                                             "action": ["chat.send", "auth.login", "visitor.upsert"]}
                                   .get(key, []))
    return json.dumps(body).encode()


def make_frames(count: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    seeds = seed_frames()
    frames = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.7:
            frames.append(mutate(rng, rng.choice(seeds), seeds))
        elif roll < 0.9:
            frames.append(random_envelope(rng))
        else:
            frames.append(rng.randbytes(rng.randint(0, 200)))
    return frames


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    frames = make_frames(args.frames, args.seed)
    endpoints = (Endpoint.OPERATOR, Endpoint.VISITOR)

    start = time.perf_counter()
    for frame in frames:
        try:
            json.loads(frame)
        except ValueError:
            pass
    baseline = time.perf_counter() - start

    decoded = refused = 0
    codes: dict[str, int] = {}
    start = time.perf_counter()
    for index, frame in enumerate(frames):
        try:
            decode(frame, endpoints[index & 1])
            decoded += 1
        except ProtocolError as exc:
            refused += 1
            codes[exc.code.value] = codes.get(exc.code.value, 0) + 1
        # Anything else propagates and ends the run with a traceback: that is the failure we look for.
    elapsed = time.perf_counter() - start

    print(f"frames:          {len(frames):,}")
    print(f"decoded:         {decoded:,}")
    print(f"refused:         {refused:,}  {dict(sorted(codes.items()))}")
    print("other errors:    0")
    print(f"decode time:     {elapsed:.2f} s  ({len(frames) / elapsed:,.0f} frames/s)")
    print(f"json.loads time: {baseline:.2f} s  (decode/json.loads = {elapsed / baseline:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
