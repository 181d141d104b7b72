"""``mx.executor``: the Executor class (``Symbol.bind``/``simple_bind`` create them)."""
from .symbol.executor import Executor  # noqa: F401

__all__ = ["Executor"]
