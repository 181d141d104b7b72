"""Automatic symbol names: ``NameManager`` (``fullyconnected0``) and ``Prefix``."""
import threading
import warnings  # noqa: F401 - part of MXNet's module namespace

from .base import _MXClassPropertyMetaClass, classproperty, with_metaclass

__all__ = ["NameManager", "Prefix", "classproperty", "threading", "warnings", "with_metaclass"]


class _Current(threading.local):
    def __init__(self):
        super().__init__()
        self.value = None


class NameManager(with_metaclass(_MXClassPropertyMetaClass, object)):
    """Hands out ``<hint><n>`` names, counting per hint; ``with NameManager():`` starts fresh.

    ``NameManager.current`` is this thread's active manager (settable, as in MXNet).
    """
    _current = _Current()

    def __init__(self):
        self._counter = {}
        self._old = None

    def get(self, name, hint):
        """``name`` if given, else the next ``hint`` name (``activation0``, ``activation1``...)."""
        if name:
            return name
        count = self._counter.get(hint, 0)
        self._counter[hint] = count + 1
        return f"{hint}{count}"

    def __enter__(self):
        self._old = NameManager._current.value
        NameManager._current.value = self
        return self

    def __exit__(self, *exc):
        NameManager._current.value = self._old

    @classproperty
    def current(cls):
        """The active manager of this thread (a fresh one the first time)."""
        if cls._current.value is None:
            cls._current.value = NameManager()
        return cls._current.value

    @current.setter
    def current(cls, val):
        cls._current.value = val


class Prefix(NameManager):
    """Prepend ``prefix`` to every automatic and explicit operator name (not to variables)."""

    def __init__(self, prefix):
        super().__init__()
        self._prefix = prefix

    def get(self, name, hint):
        return self._prefix + super().get(name, hint)


def current():
    """The active NameManager of this thread."""
    return NameManager.current
