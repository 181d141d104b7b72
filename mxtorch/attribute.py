"""``AttrScope``: attributes attached to every symbol created inside ``with AttrScope(...)``."""
import threading
import warnings  # noqa: F401 - part of MXNet's module namespace
from collections import defaultdict  # noqa: F401 - part of MXNet's module namespace

from .base import _MXClassPropertyMetaClass, classproperty, string_types, with_metaclass

__all__ = ["AttrScope", "classproperty", "defaultdict", "string_types", "threading", "warnings",
           "with_metaclass"]


class _Current(threading.local):
    def __init__(self):
        super().__init__()
        self.value = None


class AttrScope(with_metaclass(_MXClassPropertyMetaClass, object)):
    """``with mx.AttrScope(ctx_group='dev1', lr_mult='0.1'):`` tags new symbols.

    ``ctx_group``, ``lr_mult``... are stored in MXNet's hidden form ``__key__``, other keys as
    given; values must be strings.
    ``AttrScope.current`` is the innermost scope of this thread (settable, as in MXNet).
    """
    _current = _Current()

    def __init__(self, **kwargs):
        self._old = None
        for key, value in kwargs.items():
            if not isinstance(value, string_types):
                raise ValueError(f"AttrScope: the value of attribute {key!r} must be a string, "
                                 f"got {value!r}")
        self._attr = {_hidden(k): v for k, v in kwargs.items()}

    def get(self, attr):
        """Merge the scope's attributes with ``attr`` (``attr`` wins)."""
        if attr:
            for key, value in attr.items():
                if not isinstance(value, string_types):
                    raise ValueError(f"attribute values must be strings, got {key}={value!r}")
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

    @classproperty
    def current(cls):
        """The innermost scope of this thread (an empty one outside any ``with``)."""
        if cls._current.value is None:
            cls._current.value = AttrScope()
        return cls._current.value

    @current.setter
    def current(cls, val):
        cls._current.value = val


# keys MXNet stores in hidden form (__key__) when given plainly; others stay as given
_HIDDEN = ("ctx_group", "lr_mult", "wd_mult", "force_mirroring", "mirror_stage")


def _hidden(key):
    return f"__{key}__" if key in _HIDDEN else key
