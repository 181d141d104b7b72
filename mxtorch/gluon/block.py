"""Gluon ``Block``: the base of every layer and model (MXNet 1.9.1 naming, plus 2.x methods).

Blocks form a tree: child Blocks and Parameters assigned as attributes are registered, named
with the prefix of the enclosing ``name_scope`` (``hybridsequential0_dense0_weight``), collected
by ``collect_params`` and saved with structural dotted names (``0.weight``) by
``save_parameters``. ``HybridBlock`` (``_hybrid.py``) and ``SymbolBlock`` (``_symbol_block.py``)
extend it and are re-exported here.
"""
import copy  # noqa: F401 - MXNet's module namespace
import importlib.util
import json
import re
import threading
import warnings
from collections import OrderedDict, defaultdict

import numpy as np  # noqa: F401 - MXNet's module namespace

from ..base import mx_real_t, MXNetError  # noqa: F401
from .. import symbol, ndarray, initializer, np_symbol  # noqa: F401
from ..symbol import Symbol, load_json  # noqa: F401
from ..ndarray import NDArray
from .. import name as _name
from ..util import is_np_array, np_shape, np_array  # noqa: F401
from .parameter import (Parameter, ParameterDict, DeferredInitializationError,  # noqa: F401
                        ParameterCheckError, _check, _indent, _brief_print_list)
from .utils import HookHandle

__all__ = ['Block', 'HybridBlock', 'SymbolBlock']


class _BlockScope:
    """The naming scope of one Block: hands out child prefixes ``<hint><n>_`` per hint."""
    _current = threading.local()

    def __init__(self, block):
        self._block = block
        self._counter = {}
        self._old_scope = None
        self._name_scope = None

    @staticmethod
    def create(prefix, params, hint):
        """``(prefix, params)`` for a new Block created in the current scope (if any)."""
        current = getattr(_BlockScope._current, "value", None)
        if current is None:
            if prefix is None:
                prefix = _name.NameManager.current.get(None, hint) + '_'
            if params is None:
                params = ParameterDict(prefix)
            else:
                params = ParameterDict(params.prefix, params)
            return prefix, params
        if prefix is None:
            count = current._counter.get(hint, 0)
            prefix = '%s%d_' % (hint, count)
            current._counter[hint] = count + 1
        if params is None:
            parent = current._block.params
            params = ParameterDict(parent.prefix + prefix, parent._shared)
        else:
            params = ParameterDict(params.prefix, params)
        return current._block.prefix + prefix, params

    def __enter__(self):
        if self._block._empty_prefix:
            return self
        self._old_scope = getattr(_BlockScope._current, "value", None)
        _BlockScope._current.value = self
        self._name_scope = _name.Prefix(self._block.prefix)
        self._name_scope.__enter__()
        return self

    def __exit__(self, ptype, value, trace):
        if self._block._empty_prefix:
            return
        self._name_scope.__exit__(ptype, value, trace)
        self._name_scope = None
        _BlockScope._current.value = self._old_scope


def _contains_unregistered(data, children):
    """True when the (nested) list/tuple/dict ``data`` holds a Block not in ``children``."""
    if isinstance(data, (list, tuple)):
        return any(_contains_unregistered(x, children) for x in data)
    if isinstance(data, dict):
        return any(_contains_unregistered(x, children) for x in data.values())
    return isinstance(data, Block) and all(data is not c for c in children)


class Block:
    """Base class of all layers and models; subclass it and define ``forward``.

    Child Blocks and Parameters assigned as attributes are registered automatically; create
    children inside ``with self.name_scope():`` so their names carry this block's prefix.

    Parameters
    ----------
    prefix : str, default None
        Name prefix of this block and its parameters (``<class><n>_`` when None).
    params : ParameterDict, default None
        Parameters to share with this block (looked up before new ones are created).
    """

    def __init__(self, prefix=None, params=None):
        self._empty_prefix = prefix == ''
        self._prefix, self._params = _BlockScope.create(prefix, params, self._alias())
        self._name = self._prefix[:-1] if self._prefix.endswith('_') else self._prefix
        self._scope = _BlockScope(self)
        self._children = OrderedDict()
        self._reg_params = {}
        self._forward_hooks = OrderedDict()
        self._forward_pre_hooks = OrderedDict()

    def __repr__(self):
        lines = ['  ({key}): {block}'.format(key=key, block=_indent(repr(block), 2))
                 for key, block in self.__dict__.items() if isinstance(block, Block)]
        return '{name}(\n{modstr}\n)'.format(name=self.__class__.__name__,
                                             modstr='\n'.join(lines))

    def __setattr__(self, name, value):
        """Register child Blocks and Parameters assigned as attributes."""
        if isinstance(value, (Block, Parameter)) and '_children' not in self.__dict__:
            raise AttributeError(
                "%s.%s: cannot register a %s before Block.__init__ ran; call "
                "super().__init__(**kwargs) at the start of %s.__init__"
                % (type(self).__name__, name, type(value).__name__, type(self).__name__))
        if hasattr(self, name):
            existing = getattr(self, name)
            if isinstance(existing, (Parameter, Block)) and not isinstance(value, type(existing)):
                raise TypeError('Changing attribute type for {name} from {type1} to {type2}'
                                'is not allowed.'.format(name=name, type1=type(existing),
                                                         type2=type(value)))
        if isinstance(value, Block):
            self.register_child(value, name)
        elif isinstance(value, Parameter):
            _check(name not in self._reg_params,
                   "Overriding Parameter attribute %s of block '%s' is not allowed. If you want "
                   "to share parameters between blocks, please set 'params' at Block "
                   "construction instead." % (name, self.name))
            self._reg_params[name] = value
        super().__setattr__(name, value)

    def _check_container_with_block(self):
        children = list(self._children.values())
        for key, value in self.__dict__.items():
            if not isinstance(value, (list, tuple, dict)) or key.startswith('__') or \
                    key == '_children':
                continue
            if _contains_unregistered(value, children):
                warnings.warn('"{name}" is an unregistered container with Blocks. Note that '
                              'Blocks inside the list, tuple or dict will not be registered '
                              'automatically. Make sure to register them using register_child() '
                              'or switching to nn.Sequential/nn.HybridSequential instead. '
                              .format(name=self.__class__.__name__ + "." + key), stacklevel=3)

    def _alias(self):
        return self.__class__.__name__.lower()

    @property
    def prefix(self):
        """Prefix of this Block (ends with '_')."""
        return self._prefix

    @property
    def name(self):
        """Name of this Block: the prefix without its trailing '_'."""
        return self._name

    def name_scope(self):
        """Scope (``with`` statement) in which new child Blocks get this block's prefix."""
        return self._scope

    @property
    def params(self):
        """This Block's own ParameterDict (children's parameters not included)."""
        return self._params

    # ---- parameters ------------------------------------------------------------------------
    def collect_params(self, select=None):
        """A ParameterDict of this block's and all descendants' parameters.

        Parameters
        ----------
        select : str, default None
            Regular expression; keep parameters whose full name (``dense0_weight``) or
            structural name (``0.weight``) matches it from the start.
        """
        self._check_container_with_block()
        ret = ParameterDict(self._params.prefix)
        ret._owner = self  # lets share_parameters match this block's structural names
        if not select:
            ret.update(self.params)
            for child in self._children.values():
                ret.update(child.collect_params())
            return ret
        pattern = re.compile(select)
        structural = defaultdict(list)
        for key, param in self._collect_params_with_prefix().items():
            structural[id(param)].append(key)
        chosen = OrderedDict()
        for full, param in self._all_params():
            if pattern.match(full) or any(pattern.match(k) for k in structural[id(param)]):
                chosen[full] = param
        ret.update(chosen)
        return ret

    def _all_params(self):
        """``(full name, Parameter)`` for this block and its children, in collection order."""
        found = list(self.params.items())
        for child in self._children.values():
            found.extend(child._all_params())
        return found

    def _collect_params_with_prefix(self, prefix=''):
        """Parameters keyed by structural name (``0.weight``, ``encoder.1.bias``)."""
        if prefix:
            prefix += '.'
        ret = {prefix + key: val for key, val in self._reg_params.items()}
        for name, child in self._children.items():
            ret.update(child._collect_params_with_prefix(prefix + name))
        return ret

    def save_parameters(self, filename, deduplicate=False):
        """Save parameter values under structural names (load with ``load_parameters``).

        Parameters
        ----------
        filename : str
        deduplicate : bool, default False
            Save a parameter shared by several children once (under its last name).
        """
        params = self._collect_params_with_prefix()
        if deduplicate:
            last_name = {}
            for key, param in params.items():
                last_name[param] = key
            params = {key: param for param, key in last_name.items()}
        arg_dict = {key: val._reduce() for key, val in params.items()}
        ndarray.save(filename, arg_dict)

    def save_params(self, filename):
        """[Deprecated] Use ``save_parameters``; saves prefixed names without the block prefix."""
        warnings.warn("save_params is deprecated. Please use save_parameters. Note that if you "
                      "want load from SymbolBlock later, please use export instead. For details, "
                      "see https://mxnet.apache.org/api/python/docs/tutorials/packages/gluon/"
                      "blocks/save_load_params.html")
        try:
            self.collect_params().save(filename, strip_prefix=self.prefix)
        except ValueError as err:
            raise ValueError('%s\nsave_params is deprecated. Using save_parameters may resolve '
                             'this error.' % err) from err

    def load_parameters(self, filename, ctx=None, allow_missing=False, ignore_extra=False,
                        cast_dtype=False, dtype_source='current', device=None):
        """Load values saved by ``save_parameters`` (or the legacy prefixed ``save_params``).

        Parameters
        ----------
        filename : str
        ctx : Context or list of Context, default cpu()
            Where uninitialised parameters are created.
        allow_missing : bool, default False
            Leave parameters absent from the file alone instead of raising.
        ignore_extra : bool, default False
            Skip names in the file this block does not have instead of raising.
        cast_dtype : bool, default False
            Cast between the saved and the parameter dtype.
        dtype_source : {'current', 'saved'}, default 'current'
            Which dtype wins when ``cast_dtype`` is True.
        device : Context or list of Context
            2.x spelling of ``ctx``.
        """
        loaded = ndarray.load(filename)
        if isinstance(loaded, list) and not loaded:
            loaded = {}     # a parameter-free block saves a file of no arrays, read as []
        if not isinstance(loaded, dict):
            raise ValueError("load_parameters: file '%s' holds an unnamed list of %d arrays; "
                             "expected a dict written by save_parameters" % (filename, len(loaded)))
        ctx = device if ctx is None else ctx
        self._load_named(loaded, "file '%s'" % filename, ctx, allow_missing, ignore_extra,
                         cast_dtype, dtype_source, filename=filename)

    def load_dict(self, param_dict, ctx=None, allow_missing=False, ignore_extra=False,
                  cast_dtype=False, dtype_source='current', device=None):
        """Load values from a dict of structural name -> NDArray (2.x; see ``load_parameters``)."""
        ctx = device if ctx is None else ctx
        self._load_named(dict(param_dict), 'param_dict', ctx, allow_missing, ignore_extra,
                         cast_dtype, dtype_source)

    def _load_named(self, loaded, source, ctx, allow_missing, ignore_extra, cast_dtype,
                    dtype_source, filename=None):
        params = self._collect_params_with_prefix()
        if not loaded and not params:
            return
        if not any('.' in key for key in loaded):
            # legacy files (save_params / ParameterDict.save) hold names without the block
            # prefix; a dict keyed by full names (built from collect_params()) loads as it is
            full = set(self.collect_params().keys())
            restore = '' if set(loaded) <= full else self.prefix
            self.collect_params().load_dict(loaded, ctx, allow_missing, ignore_extra,
                                            restore, filename, cast_dtype, dtype_source)
            return
        if not allow_missing:
            names_of = defaultdict(list)
            for key, param in params.items():
                names_of[param].append(key)
            for key, param in params.items():
                _check(any(k in loaded for k in names_of[param]),
                       "Parameter '%s' (%s) is missing in %s, which contains parameters: %s. Set "
                       "allow_missing=True to ignore missing parameters."
                       % (key, param.name, source, _brief_print_list(loaded.keys())))
        for key, value in loaded.items():
            if key not in params:
                _check(ignore_extra,
                       "Parameter '%s' loaded from %s is not present in block '%s', which "
                       "contains parameters %s. Set ignore_extra=True to ignore. "
                       % (key, source, self.name, _brief_print_list(params.keys())))
                continue
            params[key]._load_init(value, ctx, cast_dtype=cast_dtype, dtype_source=dtype_source)

    def load_params(self, filename, ctx=None, allow_missing=False, ignore_extra=False):
        """[Deprecated] Use ``load_parameters``."""
        warnings.warn("load_params is deprecated. Please use load_parameters.")
        self.load_parameters(filename, ctx, allow_missing, ignore_extra)

    def share_parameters(self, shared):
        """Use the Parameters of ``shared`` (2.x) and return this block.

        ``shared`` maps structural names (``dense.weight``, as 2.x ``collect_params`` and
        ``_collect_params_with_prefix`` give) or full names to Parameters; the ParameterDict
        another block's ``collect_params()`` returns works too (matched by structural names).
        Entries that match nothing here are reported with a warning.
        """
        if shared is None:
            return self
        if not isinstance(shared, (dict, ParameterDict)):
            raise ValueError("'shared' should be in type of Dict. Get type {}!"
                             .format(type(shared)))
        lookup = dict(shared.items())
        owner = getattr(shared, '_owner', None)
        if owner is not None:
            offered = {id(p) for p in lookup.values()}
            lookup.update({key: p for key, p in owner._collect_params_with_prefix().items()
                           if id(p) in offered})
        used = set()
        self._share_into(lookup, used)
        taken = {id(lookup[key]) for key in used} if owner is not None else set()
        for key, param in shared.items():
            if key not in used and id(param) not in taken:
                warnings.warn("Parameter name {} is not in the current model!".format(key))
        return self

    def _share_into(self, shared, used, prefix=''):
        if prefix:
            prefix += '.'
        for attr, param in list(self._reg_params.items()):
            key = prefix + attr if prefix + attr in shared else param.name
            new = shared.get(key)
            if new is None:
                continue
            used.add(key)
            self._replace_param(attr, param, new)
        for name, child in self._children.items():
            child._share_into(shared, used, prefix + name)

    def _replace_param(self, attr, old, new):
        self._reg_params[attr] = new
        object.__setattr__(self, attr, new)
        own = self._params._params
        if own.get(old.name) is old:
            del own[old.name]
            own[new.name] = new
        if hasattr(self, '_clear_cached_op'):
            self._clear_cached_op()

    def zero_grad(self):
        """Set the gradient buffers of all parameters to 0 (2.x)."""
        self.collect_params().zero_grad()

    def reset_ctx(self, ctx):
        """Move all parameters to other context(s) (2.x)."""
        self.collect_params().reset_ctx(ctx)

    def reset_device(self, device):
        """2.x spelling of ``reset_ctx``."""
        self.reset_ctx(device)

    def setattr(self, name, value):
        """Set attribute ``name`` (``grad_req``, ``lr_mult``...) on all parameters (2.x)."""
        self.collect_params().setattr(name, value)

    # ---- tree ------------------------------------------------------------------------------
    def register_child(self, block, name=None):
        """Register ``block`` as a child (named by position when ``name`` is None)."""
        if name is None:
            name = str(len(self._children))
        self._children[name] = block

    def register_forward_pre_hook(self, hook):
        """Call ``hook(block, inputs)`` before every forward; returns a detachable HookHandle."""
        handle = HookHandle()
        handle.attach(self._forward_pre_hooks, hook)
        return handle

    def register_forward_hook(self, hook):
        """Call ``hook(block, inputs, outputs)`` after every forward; returns a HookHandle."""
        handle = HookHandle()
        handle.attach(self._forward_hooks, hook)
        return handle

    def apply(self, fn):
        """Call ``fn(block)`` on every descendant (children first) and on this block."""
        for child in self._children.values():
            child.apply(fn)
        fn(self)
        return self

    def initialize(self, init=None, ctx=None, verbose=False, force_reinit=False, device=None):
        """Initialise all parameters (``collect_params().initialize(...)``).

        Parameters
        ----------
        init : Initializer, default Uniform()
            Used for parameters without their own ``init``.
        ctx : Context or list of Context
            One copy of every parameter per context.
        verbose : bool, default False
        force_reinit : bool, default False
        device : Context or list of Context
            2.x spelling of ``ctx``.
        """
        ctx = device if ctx is None else ctx
        self.collect_params().initialize(init, ctx, verbose, force_reinit)

    def hybridize(self, active=True, **kwargs):
        """Hybridize the HybridBlock descendants (a plain Block itself runs eagerly)."""
        for child in self._children.values():
            child.hybridize(active, **kwargs)

    def cast(self, dtype):
        """Cast all parameters (and gradients) to ``dtype``."""
        for child in self._children.values():
            child.cast(dtype)
        for param in self.params.values():
            param.cast(dtype)

    def register_op_hook(self, callback, monitor_all=False):
        """Install ``callback(name, op_name, array)`` on the hybridized descendants' ops."""
        for child in self._children.values():
            child.register_op_hook(callback, monitor_all)

    def infer_shape(self, *args):
        """Infer parameter shapes from inputs (HybridBlock implements it)."""
        raise NotImplementedError("Block '%s' (%s) cannot infer parameter shapes; only "
                                  "HybridBlock implements infer_shape"
                                  % (self.name, type(self).__name__))

    def infer_type(self, *args):
        """Infer parameter dtypes from inputs (HybridBlock implements it)."""
        raise NotImplementedError("Block '%s' (%s) cannot infer parameter types; only "
                                  "HybridBlock implements infer_type"
                                  % (self.name, type(self).__name__))

    # ---- running ---------------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        """Run forward hooks around ``forward(*args)``."""
        for hook in self._forward_pre_hooks.values():
            hook(self, args)
        out = self.forward(*args, **kwargs)
        for hook in self._forward_hooks.values():
            hook(self, args, out)
        return out

    def forward(self, *args):
        """The computation of this block; subclasses override it."""
        raise NotImplementedError("Block '%s' (%s) does not define forward()"
                                  % (self.name, type(self).__name__))

    def summary(self, *inputs):
        """Print a table of every layer's output shape and parameter count for ``inputs``.

        The parameters must be initialised and no block may be hybridized.
        """
        _Summary(self).run(inputs)

    # ---- model files (save/load of structure names) ----------------------------------------
    def save(self, prefix):
        """Save the block tree (names and cached graphs) to ``prefix-model.json`` and the
        parameters to ``prefix-model.params``; ``load`` on an identically built model restores
        them."""
        model = {}
        _save_tree(self, [0], model)
        with open(prefix + '-model.json', 'w') as fp:
            json.dump(model, fp)
        self.save_parameters(prefix + '-model.params')

    def load(self, prefix):
        """Restore what ``save(prefix)`` wrote into this (identically built) model."""
        with open(prefix + '-model.json') as fp:
            model = json.load(fp)
        _load_tree(self, [0], model)
        self.load_parameters(prefix + '-model.params')


def _shape_text(value):
    """MXNet's summary text for a (nested) output: shapes of arrays, other values as is."""
    def shapes(x):
        if isinstance(x, (list, tuple)):
            return [shapes(i) for i in x]
        return x.shape if isinstance(x, NDArray) else x
    found = shapes(value)
    text = str(found)[1:-1] if isinstance(found, list) else str(found)
    return text.replace('L', '')


class _Summary:
    """Collects per-layer output shapes and parameter counts through forward hooks."""
    _FORMAT = '{:>20}  {:>42} {:>15}'

    def __init__(self, block):
        self._block = block
        self._rows = OrderedDict()
        self._seen = set()
        self._handles = []

    def _row(self, key, shape, n_params=0, trainable=0, shared=0):
        self._rows[key] = dict(output_shape=shape, n_params=n_params, trainable=trainable,
                               shared=shared)

    def _hook(self, block, _, outputs):
        n_params = trainable = shared = 0
        for param in block.params.values():
            size = param.data().size
            n_params += size
            trainable += 0 if param.grad_req == 'null' else size
            if param in self._seen:
                shared += size
            else:
                self._seen.add(param)
        key = '%s-%i' % (block.__class__.__name__, len(self._rows))
        self._row(key, _shape_text(outputs), n_params, trainable, shared)

    def _register(self, block):
        _check(not getattr(block, '_active', False),
               '"{}" must not be hybridized to print summary.'.format(block.name))
        from .nn.basic_layers import Sequential, HybridSequential
        if not isinstance(block, (Sequential, HybridSequential)):
            self._handles.append(block.register_forward_hook(self._hook))

    def run(self, inputs):
        self._row('Input', _shape_text(inputs))
        try:
            self._block.apply(self._register)
            self._block(*inputs)
            self._print()
        finally:
            for handle in self._handles:
                handle.detach()

    def _print(self):
        fmt = self._FORMAT
        print('-' * 80)
        print(fmt.format('Layer (type)', 'Output Shape', 'Param #'))
        print('=' * 80)
        for key, row in self._rows.items():
            print(fmt.format(key, str(row['output_shape']), row['n_params']))
        total = sum(r['n_params'] for r in self._rows.values())
        trainable = sum(r['trainable'] for r in self._rows.values())
        shared = sum(r['shared'] for r in self._rows.values())
        print('=' * 80)
        print('Parameters in forward computation graph, duplicate included')
        print('   Total params: ' + str(total))
        print('   Trainable params: ' + str(trainable))
        print('   Non-trainable params: ' + str(total - trainable))
        print('Shared params in forward computation graph: ' + str(shared))
        print('Unique parameters in model: ' + str(total - shared))
        print('-' * 80)


def _save_tree(blk, index, structure):
    record = {'orig_name': blk.name}
    structure[type(blk).__name__.lower() + str(index[0])] = record
    if isinstance(blk, HybridBlock):
        graph = getattr(blk, '_cached_graph', None)
        if graph:
            inputs, out = graph
            record['in_format'] = blk._in_format
            record['out_format'] = blk._out_format
            record['inputs'] = [s.tojson() for s in inputs]
            record['symbol'] = out.tojson()
        record['hybridized'] = bool(graph)
    children = {}
    record['children'] = children
    for ch_name, child in blk._children.items():
        index[0] += 1
        children[child.name] = ch_name
        _save_tree(child, index, record)


def _load_tree(blk, index, structure):
    key = type(blk).__name__.lower() + str(index[0])
    if key not in structure:
        raise MXNetError("Block.load: the saved model has no entry '%s' for block '%s'; the "
                         "model must be built the same way as when it was saved"
                         % (key, blk.name))
    record = structure[key]
    blk._name = record['orig_name']
    if isinstance(blk, HybridBlock) and record.get('hybridized'):
        blk._in_format = record['in_format']
        blk._out_format = record['out_format']
        blk._cached_graph = ([load_json(s) for s in record['inputs']],
                             load_json(record['symbol']))
        blk._active = True
    own = blk.params._params
    for old in list(own):
        param = own.pop(old)
        new = blk.name + '_' + old[len(blk.params._prefix):]
        own[new] = param
        if param.name == old:  # keep names and keys equal: restored graphs read the new names
            param.name = new
            param._var = None
    for child in blk._children.values():
        index[0] += 1
        _load_tree(child, index, record)
    names = record['children']
    for ch_name in list(blk._children):
        child = blk._children.pop(ch_name)
        blk._children[names[child.name]] = child


def _sibling_exists(module):
    return importlib.util.find_spec(__package__ + '.' + module) is not None


# HybridBlock and SymbolBlock live in their own modules (they import Block from here)
if _sibling_exists('_hybrid'):
    from ._hybrid import HybridBlock, _flatten, _regroup  # noqa: E402,F401 - MXNet's helpers
else:  # pragma: no cover - only while the hybrid module is not part of the tree
    class HybridBlock(Block):
        """Stand-in used only when ``gluon/_hybrid.py`` is absent."""

if _sibling_exists('_symbol_block'):
    from ._symbol_block import SymbolBlock  # noqa: E402
