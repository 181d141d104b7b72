"""``mx.registry``: name -> class registries with ``register``/``alias``/``create`` functions.

Optimizers, initializers, metrics... each keep one registry per base class. Names are stored
lower-case; ``create`` accepts a registered name, an instance (returned as is), or a JSON config
(``'["name", {"arg": 1}]'`` or ``'{"<nickname>": "name", "arg": 1}'``).
"""
import json
import warnings

from .base import MXNetError, string_types

__all__ = ["get_registry", "get_register_func", "get_alias_func", "get_create_func", "json",
           "string_types", "warnings"]

_REGISTRY = {}


class RegistryError(MXNetError, ValueError, AssertionError):
    """A name is not registered, or a registry is used with the wrong kind of value
    (also an AssertionError, which is what MXNet raises here)."""


def get_registry(base_class):
    """A copy of the {name: class} registry of ``base_class``."""
    return dict(_REGISTRY.get(base_class, {}))


def get_register_func(base_class, nickname):
    """A function ``register(klass, name=None)`` adding subclasses of ``base_class`` to its
    registry (under ``name`` or the class name, lower-cased); usable as a decorator."""
    registry = _REGISTRY.setdefault(base_class, {})

    def register(klass, name=None):
        if not (isinstance(klass, type) and issubclass(klass, base_class)):
            raise RegistryError(f"{nickname}.register: can only register subclasses of "
                                f"{base_class.__name__}, got {klass!r}")
        key = (name or klass.__name__).lower()
        if key in registry:
            old = registry[key]
            warnings.warn(f"New {nickname} {klass.__module__}.{klass.__name__} registered with "
                          f"name {key} is overriding existing {nickname} "
                          f"{old.__module__}.{old.__name__}", UserWarning, stacklevel=2)
        registry[key] = klass
        return klass

    register.__doc__ = f"Register {nickname} to the {nickname} factory"
    return register


def get_alias_func(base_class, nickname):
    """A decorator factory ``alias(*names)`` registering a class under extra names."""
    register = get_register_func(base_class, nickname)

    def alias(*aliases):
        def reg(klass):
            for name in aliases:
                register(klass, name)
            return klass
        return reg

    alias.__doc__ = f"Register extra names for a {nickname}"
    return alias


def get_create_func(base_class, nickname):
    """A function ``create(name_or_instance_or_json, *args, **kwargs)`` building a registered
    subclass of ``base_class``."""
    registry = _REGISTRY.setdefault(base_class, {})

    def create(*args, **kwargs):
        if args:
            name, args = args[0], args[1:]
        elif nickname in kwargs:
            name = kwargs.pop(nickname)
        else:
            raise RegistryError(f"{nickname}.create: give the {nickname} name (or instance) as "
                                f"the first argument or as {nickname}=...")
        if isinstance(name, base_class):
            if args or kwargs:
                raise RegistryError(f"{nickname} is already an instance. Additional arguments "
                                    "are invalid")
            return name
        if isinstance(name, dict):
            return create(**name)
        if not isinstance(name, string_types):
            raise RegistryError(f"{nickname} must be of string type, got {type(name).__name__}")
        if name.startswith("["):
            if args or kwargs:
                raise RegistryError(f"{nickname}.create: a JSON config takes no extra arguments")
            name, kwargs = json.loads(name)
            return create(name, **kwargs)
        if name.startswith("{"):
            if args or kwargs:
                raise RegistryError(f"{nickname}.create: a JSON config takes no extra arguments")
            return create(**json.loads(name))
        key = name.lower()
        if key not in registry:
            raise RegistryError(f"{name} is not registered. Please register with "
                                f"{nickname}.register first (registered: {sorted(registry)})")
        return registry[key](*args, **kwargs)

    create.__doc__ = (f"Create a {nickname} instance from a registered name, an instance or a "
                      "JSON config; other arguments go to the constructor.")
    return create
