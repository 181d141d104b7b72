"""``AttrScope``: attributes attached to every symbol created inside ``with AttrScope(...)``."""
import threading

__all__ = ["AttrScope"]


class _Current(threading.local):
    def __init__(self):
        super().__init__()
        self.value = None


class AttrScope:
    """``with mx.AttrScope(ctx_group='dev1', lr_mult='0.1'):`` tags new symbols.

    Keys are stored in MXNet's hidden form ``__key__``; values must be strings.
    """
    _current = _Current()

    def __init__(self, **kwargs):
        self._old = None
        for value in kwargs.values():
            if not isinstance(value, str):
                raise ValueError(f"AttrScope values must be strings, got {value!r}")
        self._attr = {_hidden(k): v for k, v in kwargs.items()}

    def get(self, attr):
        """Merge the scope's attributes with ``attr`` (``attr`` wins)."""
        if not self._attr:
            return dict(attr) if attr else {}
        merged = dict(self._attr)
        if attr:
            merged.update(attr)
        return merged

    def __enter__(self):
        self._old = AttrScope._current.value
        if self._old is not None:
            merged = dict(self._old._attr)
            merged.update(self._attr)
            self._attr = merged
        AttrScope._current.value = self
        return self

    def __exit__(self, *exc):
        AttrScope._current.value = self._old

    @classmethod
    def current(cls):
        if cls._current.value is None:
            cls._current.value = AttrScope()
        return cls._current.value


def _hidden(key):
    return key if key.startswith("__") and key.endswith("__") else f"__{key}__"
