"""Libraries our processes never use, kept from being imported at all.

TensorFlow 2.12 imports JAX (and jaxlib's XLA runtime) as it starts, only for
TF Lite's JAX converter, which nothing here uses; TensorFlow carries on
without it (tensorflow/lite/python/util.py catches the ImportError). Left in,
it makes every process that imports Rasa 65 MB larger (resident memory of a
parse worker after loading the model: 1,010 MB with it, 945 MB without,
2026-12-07). `apply()` must run before TensorFlow is first imported: first
thing in bot/rasa_command.py (server, training) and in the parse worker.
"""
from __future__ import annotations

import sys

NEVER_IMPORTED = ("jax", "jaxlib")


def apply() -> None:
    for name in NEVER_IMPORTED:
        # None in sys.modules makes `import name` raise ImportError (the import system's own rule)
        sys.modules.setdefault(name, None)
