"""A function call run in a thread beside the caller's work, its result or error kept for later.

Validation runs work that does not hold the GIL (polars, numpy, sha256) in such threads beside
work that does, and takes each result where it was taken before, so the report is the same.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Background(threading.Thread):
    """A function call, run in a thread from `begin()`; `result()` waits for it and returns its
    value or raises its exception (if it was never begun, it runs then, in the caller's thread)."""

    def __init__(self, function: Callable, *args: object, begin: bool = True) -> None:
        super().__init__(daemon=True)
        self.function, self.args = function, args
        self.value: object = None
        self.error: BaseException | None = None
        self.done = False
        if begin:
            self.begin()

    def begin(self) -> None:
        if self.ident is None and not self.done:
            self.start()

    def run(self) -> None:
        try:
            self.value = self.function(*self.args)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # noqa: BLE001 - handed to the caller of result()
            self.error = error  # (polars panics are BaseExceptions)
        self.done = True

    def finished(self) -> bool:
        return self.done

    def result(self) -> object:
        if self.ident is None:
            if not self.done:
                self.run()
        else:
            self.join()
        if self.error is not None:
            raise self.error
        return self.value
