"""The encoder's queue is bounded by bytes, not by clips: a long clip cannot make memory grow."""

from __future__ import annotations

import threading

from audio_edition.encode.ffmpeg import ByteQueue


def test_a_put_waits_while_the_queue_holds_its_limit_and_one_big_item_always_fits():
    chunks = ByteQueue(limit=100)
    chunks.put(bytes(250))  # larger than the limit, into an empty queue: accepted at once
    blocked = threading.Event()
    done = threading.Event()

    def producer() -> None:
        blocked.set()
        chunks.put(bytes(10))
        done.set()

    thread = threading.Thread(target=producer, daemon=True)
    thread.start()
    blocked.wait()
    assert not done.wait(0.2)  # 250 bytes held: the next put waits
    assert chunks.get() == bytes(250)
    assert done.wait(5)  # room again
    assert chunks.get() == bytes(10)
    chunks.put(None)  # the end mark never waits
    assert chunks.get() is None
    thread.join()


def test_many_small_items_fit_up_to_the_limit():
    chunks = ByteQueue(limit=100)
    for _ in range(10):
        chunks.put(bytes(10))  # 90 bytes held before the tenth: no wait
    assert [len(chunks.get() or b"") for _ in range(10)] == [10] * 10
