"""KVStoreBase, the store registry, ``create`` and the key/value argument rules."""
import warnings
from array import array  # noqa: F401  (MXNet exposes it here)

from ..base import MXNetError, string_types
from ..ndarray import NDArray
from ..profiler import set_kvstore_handle  # noqa: F401

__all__ = ['KVStoreBase', 'create']


class KVStoreArgumentError(MXNetError, ValueError, AssertionError):
    """Malformed keys/values passed to a KVStore call (an ``AssertionError`` in MXNet)."""


class KVStoreTypeError(MXNetError, TypeError, AssertionError):
    """A key or value of the wrong type (an ``AssertionError`` in MXNet)."""


def _check_key(key, who):
    if isinstance(key, bool) or not isinstance(key, (int,) + string_types):
        raise KVStoreTypeError("%s: unexpected type for keys: %s (keys are int or str)"
                               % (who, type(key)))


def _check_value(value, who, key):
    if not isinstance(value, NDArray):
        raise KVStoreTypeError("%s: the value for key %r must be an NDArray, got %s"
                               % (who, key, type(value).__name__))


def _key_value_pairs(keys, vals, who):
    """Flatten (keys, values) into [(key, [NDArray, ...])] in call order.

    Returns
    -------
    pairs : list of (key, list of NDArray)
    use_str_keys : bool
    """
    if not isinstance(keys, (list, tuple)):
        _check_key(keys, who)
        group = list(vals) if isinstance(vals, (list, tuple)) else [vals]
        for v in group:
            _check_value(v, who, keys)
        return [(keys, group)], isinstance(keys, string_types)
    if not isinstance(vals, (list, tuple)) or len(keys) != len(vals):
        raise KVStoreArgumentError(
            "%s: %d keys need %d values (one NDArray or a list of NDArrays each), got %s"
            % (who, len(keys), len(keys),
               len(vals) if isinstance(vals, (list, tuple)) else type(vals).__name__))
    pairs, use_str = [], None
    for k, v in zip(keys, vals):
        kind = type(k)
        if kind is not int and kind is not str:  # the general rules (and their errors)
            _check_key(k, who)
        group = list(v) if isinstance(v, (list, tuple)) else [v]
        for one in group:
            if not isinstance(one, NDArray):
                _check_value(one, who, k)
        is_str = kind is str or (kind is not int and isinstance(k, string_types))
        if use_str is not None and is_str != use_str:
            raise KVStoreArgumentError("%s: inconsistent types of keys detected (%r): use all "
                                       "int or all str keys" % (who, list(keys)))
        use_str = is_str
        pairs.append((k, group))
    return pairs, bool(use_str)


class KVStoreBase(object):
    """The base class of key-value stores; subclasses registered with
    :meth:`register` can be made by name with :func:`create`."""

    OPTIMIZER = 'optimizer'
    kv_registry = {}

    def broadcast(self, key, value, out, priority=0):
        """Broadcast `value` of `key` to every array in `out` (initialising the key).

        Parameters
        ----------
        key : str or int
            The key.
        value : NDArray
            The value to broadcast.
        out : NDArray or list of NDArray
            Arrays receiving the value.
        priority : int, optional
            Scheduling priority (accepted and ignored: operations run in call order).
        """
        raise NotImplementedError()

    def pushpull(self, key, value, out=None, priority=0):
        """Sum `value` (a list is summed) into the store for `key` and pull the result
        into `out` (or back into `value` when `out` is None).

        Parameters
        ----------
        key : str or int
            The key.
        value : NDArray or list of NDArray
            Values to reduce.
        out : NDArray or list of NDArray, optional
            Arrays receiving the result.
        priority : int, optional
            Scheduling priority (ignored).
        """
        raise NotImplementedError()

    def set_optimizer(self, optimizer):
        """Register an optimizer whose update is applied to pushed values.

        Parameters
        ----------
        optimizer : Optimizer
            The optimizer.
        """
        raise NotImplementedError()

    def is_capable(self, capability):
        """Whether the store supports `capability` (``KVStoreBase.OPTIMIZER``).

        Parameters
        ----------
        capability : str
            The capability to query.
        """
        raise NotImplementedError()

    def save_optimizer_states(self, fname, dump_optimizer=False):
        """Save the optimizer (updater) states to file `fname`.

        Parameters
        ----------
        fname : str
            Path to the output states file.
        dump_optimizer : bool, default False
            Whether to save the optimizer itself too (learning rate, schedules...).
        """
        raise NotImplementedError()

    def load_optimizer_states(self, fname):
        """Load optimizer (updater) states from file `fname`.

        Parameters
        ----------
        fname : str
            Path to the states file.
        """
        raise NotImplementedError()

    @property
    def type(self):
        """The type of this store (str)."""
        raise NotImplementedError()

    @property
    def rank(self):
        """The rank of this worker, in ``[0, num_workers)``."""
        raise NotImplementedError()

    @property
    def num_workers(self):
        """The number of workers."""
        raise NotImplementedError()

    @staticmethod
    def register(klass):
        """Register a KVStore class under its lower-cased class name (a decorator); a
        registered name is then accepted by :func:`create`."""
        if not isinstance(klass, type):
            raise KVStoreTypeError("KVStoreBase.register expects a class, got %r" % (klass,))
        name = klass.__name__.lower()
        old = KVStoreBase.kv_registry.get(name)
        if old is not None:
            warnings.warn('WARNING: New kvstore %s.%s is overriding existing kvstore %s.%s'
                          % (klass.__module__, klass.__name__, old.__module__, old.__name__))
        KVStoreBase.kv_registry[name] = klass
        return klass


@KVStoreBase.register
class TestStore(KVStoreBase):
    """A minimal in-process store used to test the registry: no state, no optimizer."""

    def broadcast(self, key, value, out, priority=0):
        """Copy `value` into every array of `out`."""
        for o in (out if isinstance(out, list) else [out]):
            o[:] = value

    def pushpull(self, key, value, out=None, priority=0):
        """Sum `value` (if a list) and write the result to `out` (or back to `value`)."""
        if isinstance(value, NDArray):
            if out is not None:
                for o in (out if isinstance(out, list) else [out]):
                    o[:] = value
            return
        ctx = value[0].context
        total = value[0].as_in_context(ctx).copy()
        for v in value[1:]:
            total += v.as_in_context(ctx)
        for o in (value if out is None else (out if isinstance(out, list) else [out])):
            o[:] = total

    @staticmethod
    def is_capable(capability):
        """TestStore has no optimizer capability."""
        if capability.lower() == KVStoreBase.OPTIMIZER:
            return False
        raise ValueError('Unknown capability: {} (known: {!r})'
                         .format(capability, KVStoreBase.OPTIMIZER))

    @property
    def type(self):
        return 'teststore'

    @property
    def rank(self):
        return 0

    @property
    def num_workers(self):
        return 1

    def set_optimizer(self, optimizer):
        raise NotImplementedError('TestStore does not apply optimizers')

    def save_optimizer_states(self, fname, dump_optimizer=False):
        raise NotImplementedError('TestStore keeps no optimizer states')

    def load_optimizer_states(self, fname):
        raise NotImplementedError('TestStore keeps no optimizer states')


_DIST_MESSAGE = (
    "kvstore '{}': distributed training (kvstore types containing 'dist') is not available in "
    "mxtorch yet; it will run on torch.distributed. Use 'local' or 'device' for training in "
    "one process (several contexts are reduced in process).")


def create(name='local'):
    """Create a KVStore.

    Parameters
    ----------
    name : str, default 'local'
        The store type. Registered names (``teststore``, classes added with
        :meth:`KVStoreBase.register`) make that class. Otherwise names are matched as MXNet
        does: one containing ``dist`` is distributed (see ``kvstore.dist``); one
        containing ``nccl`` or ``device`` reduces on the values' device; any other name
        (``local``...) reduces on the CPU.

    Returns
    -------
    KVStoreBase
        The store.
    """
    if not isinstance(name, string_types):
        raise TypeError('kvstore.create: name must be a string, got %s' % type(name).__name__)
    name = name.lower()
    if name in KVStoreBase.kv_registry:
        return KVStoreBase.kv_registry[name]()
    if 'dist' in name:
        from .dist import create_dist
        return create_dist(name)
    from .kvstore import KVStore
    return KVStore(name)
