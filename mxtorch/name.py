"""Automatic symbol names: ``NameManager`` (``fullyconnected0``) and ``Prefix``."""
import threading

__all__ = ["NameManager", "Prefix"]


class _Current(threading.local):
    def __init__(self):
        super().__init__()
        self.value = None


class NameManager:
    """Hands out ``<hint><n>`` names, counting per hint; ``with NameManager():`` starts fresh."""
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

    @classmethod
    def current(cls):
        if cls._current.value is None:
            cls._current.value = NameManager()
        return cls._current.value


class Prefix(NameManager):
    """Prepend ``prefix`` to every automatic and explicit operator name (not to variables)."""

    def __init__(self, prefix):
        super().__init__()
        self._prefix = prefix

    def get(self, name, hint):
        return self._prefix + super().get(name, hint)


def current():
    return NameManager.current()
