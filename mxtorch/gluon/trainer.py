"""gluon.Trainer: applies an Optimizer to a set of Parameters, reducing gradients across
contexts through a KVStore."""
import os

import numpy as np

from .. import optimizer as opt
from ..base import MXNetError
from ..kvstore import KVStore, KVStoreBase
from ..kvstore import create as _create_store
from .parameter import ParameterDict, Parameter

__all__ = ['Trainer']


class TrainerError(MXNetError, ValueError, AssertionError):
    """A Trainer call that cannot work as configured (an ``AssertionError`` in MXNet)."""


_STALE = ("Gradient of Parameter `%s` on context %s has not been updated by backward since "
          "last `step`. This could mean a bug in your model that made it only use a subset of "
          "the Parameters (Blocks) for this iteration. If you are intentionally only using a "
          "subset, call step with ignore_stale_grad=True to suppress this warning and skip "
          "updating of Parameters with stale gradient")


def _create_kvstore(kvstore, num_device, arg_params):
    """(store or None, update_on_kvstore) for a dense model, following MXNet's rules: one
    device and no 'dist' needs no store; ``MXNET_UPDATE_ON_KVSTORE=0`` or a 'local' store
    holding an array of more than 16M elements updates on the devices."""
    update_on_kvstore = bool(int(os.getenv('MXNET_UPDATE_ON_KVSTORE', '1')))
    if kvstore is None:
        kv = None
    elif isinstance(kvstore, KVStoreBase):
        kv = kvstore
    elif isinstance(kvstore, str):
        if num_device == 1 and 'dist' not in kvstore:
            kv = None
        else:
            kv = _create_store(kvstore)
            if kvstore == 'local' and arg_params:
                largest = max(int(np.prod(p.shape)) for p in arg_params.values())
                if largest > 1024 * 1024 * 16:
                    update_on_kvstore = False
    else:
        raise TypeError('Trainer: kvstore must be KVStore, str or None, got %s'
                        % type(kvstore).__name__)
    if kv is None:
        return None, False
    return kv, update_on_kvstore and kv.is_capable(KVStoreBase.OPTIMIZER)


def _create_sparse_kvstore(kvstore):
    """The store for row_sparse weights, which are always updated on the store."""
    if isinstance(kvstore, KVStore):
        kv = kvstore
    elif isinstance(kvstore, str):
        kv = _create_store(kvstore)
    else:
        raise TypeError("Cannot create '%s' KVStore with row_sparse parameters. The type must "
                        "be KVStore or str." % (kvstore,))
    if not kv.is_capable(KVStoreBase.OPTIMIZER):
        raise TrainerError('KVStore with sparse weight requires optimizer support, which %s '
                           'does not have. Use a kvstore such as "device" instead.' % type(kv))
    return kv, True


def _param_list(params):
    if isinstance(params, (dict, ParameterDict)):
        params = [params[key] for key in sorted(list(params.keys()))]
    if not isinstance(params, (list, tuple)):
        raise ValueError('First argument must be a list or dict of Parameters, got %s.'
                         % type(params))
    for param in params:
        if not isinstance(param, Parameter):
            raise ValueError('First argument must be a list or dict of Parameters, got list '
                             'of %s.' % type(param))
    return list(params)


class Trainer(object):
    """Applies an `Optimizer` on a set of Parameters. Use it together with `autograd`.

    Parameters
    ----------
    params : ParameterDict, dict of Parameter, or list of Parameter
        The parameters to optimize (dict entries are taken in sorted key order).
    optimizer : str or Optimizer
        The optimizer to use (a name for ``mx.optimizer.create`` or an instance).
    optimizer_params : dict, optional
        Keyword arguments for the optimizer when `optimizer` is a name, e.g.
        ``{'learning_rate': 0.1}``.
    kvstore : str or KVStore, default 'device'
        How gradients are reduced across contexts. With one context and a non-'dist' name no
        store is used and the optimizer updates directly.
    compression_params : dict, optional
        Gradient compression for the store, e.g. ``{'type': '2bit', 'threshold': 0.5}``.
    update_on_kvstore : bool, optional
        Whether the optimizer runs inside the store (default: chosen as MXNet does).

    Properties
    ----------
    learning_rate : float
        The current learning rate of the optimizer.
    optimizer : Optimizer
        The optimizer.
    """

    def __init__(self, params, optimizer, optimizer_params=None, kvstore='device',
                 compression_params=None, update_on_kvstore=None):
        self._params = []
        self._param2idx = {}
        self._contains_sparse_weight = False
        self._contains_sparse_grad = False
        for i, param in enumerate(_param_list(params)):
            self._param2idx[param.name] = i
            self._params.append(param)
            param._set_trainer(self)
            self._contains_sparse_weight |= param._stype != 'default'
            self._contains_sparse_grad |= param._grad_stype != 'default'
        self._compression_params = compression_params
        self._contexts = self._check_contexts()
        self._init_optimizer(optimizer, optimizer_params if optimizer_params else {})
        self._scale = self._optimizer.rescale_grad
        self._kvstore_params = {'kvstore': kvstore, 'update_on_kvstore': update_on_kvstore}
        self._kv_initialized = False
        self._kvstore = None
        self._update_on_kvstore = None
        self._distributed = None
        self._params_to_init = []
        self._reset_kvstore()

    def _check_contexts(self):
        contexts = None
        for param in self._params:
            ctx = param.list_ctx()
            if contexts is not None and contexts != ctx:
                raise TrainerError(
                    'All Parameters must be initialized on the same set of contexts, but '
                    'Parameter %s is initialized on %s while previous Parameters are '
                    'initialized on %s.' % (param.name, str(ctx), str(contexts)))
            contexts = ctx
        return contexts

    def _init_optimizer(self, optimizer, optimizer_params):
        param_dict = {i: param for i, param in enumerate(self._params)}
        if isinstance(optimizer, opt.Optimizer):
            if optimizer_params:
                raise TrainerError('optimizer_params must be None if optimizer is an instance '
                                   'of Optimizer instead of str (got %s)'
                                   % sorted(optimizer_params))
            self._optimizer = optimizer
            # not copied: later changes to a Parameter's lr_mult/wd_mult take effect
            self._optimizer.param_dict = param_dict
        else:
            self._optimizer = opt.create(optimizer, param_dict=param_dict, **optimizer_params)
        self._updaters = [opt.get_updater(self._optimizer) for _ in self._contexts]

    # ------------------------------------------------------------------ kvstore set-up
    def _init_params(self):
        """Register the parameters not yet in the store (deferred ones wait)."""
        if not self._kv_initialized:
            raise TrainerError('Cannot initialize parameters in KVStore when KVStore is not '
                               'initialized.')
        waiting = []
        if self._kvstore:
            for param in self._params_to_init:
                if param._deferred_init:
                    waiting.append(param)
                    continue
                arrays = param._check_and_get(param._data, list)
                idx = self._param2idx[param.name]
                if param._stype != 'default':
                    self._kvstore.init(idx, arrays[0])
                else:
                    self._kvstore.broadcast(idx, arrays[0], arrays)
        self._params_to_init = waiting

    def _reset_kvstore(self):
        """Forget the store (it is made again, from the current weights, at the next step)."""
        if self._kvstore and 'dist' in self._kvstore.type:
            raise RuntimeError('Cannot reset distributed KVStore.')
        self._kv_initialized = False
        self._kvstore = None
        self._distributed = None
        self._update_on_kvstore = None
        self._params_to_init = list(self._params)

    def _dense_arrays(self):
        return {param.name: param.data(self._contexts[0]) for param in self._params}

    def _init_kvstore(self):
        """Create the store and decide where updates run, by MXNet's rules."""
        config = self._kvstore_params
        wanted = config['update_on_kvstore']
        if self._contains_sparse_weight:
            kvstore, update_on_kvstore = _create_sparse_kvstore(config['kvstore'])
            self._distributed = 'dist' in kvstore.type
            if wanted is False:
                raise ValueError('Cannot set update_on_kvstore=False when sparse weights are '
                                 'present.')
        elif self._contains_sparse_grad:
            kvstore, _ = _create_kvstore(config['kvstore'], len(self._contexts),
                                         self._dense_arrays())
            self._distributed = 'dist' in kvstore.type if kvstore else False
            update_on_kvstore = self._distributed
            if wanted is not None:
                if wanted is False and self._distributed:
                    raise ValueError('Cannot set update_on_kvstore=False on dist kvstore when '
                                     'sparse gradients are present.')
                update_on_kvstore = wanted
            if kvstore is not None and not isinstance(kvstore, KVStore):
                raise ValueError('Cannot use {} for multi-device training with sparse '
                                 'gradients'.format(type(kvstore)))
        else:
            kvstore, update_on_kvstore = _create_kvstore(config['kvstore'], len(self._contexts),
                                                         self._dense_arrays())
            self._distributed = 'dist' in kvstore.type if kvstore else False
            if self._distributed and 'async' in kvstore.type:
                update_on_kvstore = True
                if wanted is False:
                    raise ValueError('Please set update_on_kvstore=True when training in async '
                                     'mode.')
            if wanted is not None:
                update_on_kvstore = wanted
            self._check_update_on_kvstore(kvstore, update_on_kvstore)
            if update_on_kvstore and not kvstore.is_capable('optimizer'):
                if wanted:
                    raise ValueError('Please set update_on_kvstore=False when training with {}'
                                     .format(type(kvstore)))
                update_on_kvstore = False
        self._attach_kvstore(kvstore, update_on_kvstore)

    def _check_update_on_kvstore(self, kvstore, update_on_kvstore):
        if update_on_kvstore and kvstore is None:
            raise ValueError(
                'Trainer: update_on_kvstore=True needs a kvstore, but none is used (kvstore=%r '
                'with %d context(s): one context needs no reduction). Pass update_on_kvstore='
                'None/False, or a store object such as kvstore=mx.kv.create("device").'
                % (self._kvstore_params['kvstore'], len(self._contexts)))

    def _attach_kvstore(self, kvstore, update_on_kvstore):
        if kvstore:
            if self._compression_params:
                kvstore.set_gradient_compression(self._compression_params)
            if update_on_kvstore:
                # before init, so multi-precision states see the first weights
                kvstore.set_optimizer(self._optimizer)
            self._kvstore = kvstore
            self._update_on_kvstore = update_on_kvstore
        else:
            self._kvstore = None
            self._update_on_kvstore = None
        self._kv_initialized = True

    def _ensure_kvstore(self):
        if not self._kv_initialized:
            self._init_kvstore()
        if self._params_to_init:
            self._init_params()

    # ------------------------------------------------------------------ optimizer access
    @property
    def learning_rate(self):
        """The current learning rate of the optimizer."""
        if not isinstance(self._optimizer, opt.Optimizer):
            raise UserWarning('Optimizer has to be defined before its learning rate can be '
                              'accessed.')
        return self._optimizer.learning_rate

    @property
    def optimizer(self):
        """The optimizer this Trainer applies."""
        if isinstance(self._optimizer, opt.Optimizer):
            return self._optimizer
        raise UserWarning('Optimizer has not been initialized yet')

    def set_learning_rate(self, lr):
        """Set a new learning rate for the optimizer.

        Parameters
        ----------
        lr : float
            The new learning rate.
        """
        if not isinstance(self._optimizer, opt.Optimizer):
            raise UserWarning('Optimizer has to be defined before its learning rate is '
                              'mutated.')
        self._optimizer.set_learning_rate(lr)

    # ------------------------------------------------------------------ training
    def _row_sparse_pull(self, parameter, out, row_id, full_idx=False):
        """Pull the rows `row_id` of a row_sparse `parameter` into `out` (every row when
        `full_idx`, through a plain pull)."""
        self._ensure_kvstore()
        idx = self._param2idx[parameter.name]
        if full_idx and 'dist' not in self._kvstore.type:
            if row_id.size != out.shape[0]:
                raise TrainerError('Trainer._row_sparse_pull: full_idx needs one row id per row '
                                   '(%d), got %d' % (out.shape[0], row_id.size))
            self._kvstore.pull(idx, out=out, priority=-idx, ignore_sparse=False)
        else:
            self._kvstore.row_sparse_pull(idx, out=out, row_ids=row_id, priority=-idx)

    def _check_and_rescale_grad(self, scale):
        if not isinstance(scale, (int, float)) and getattr(scale, 'size', None) == 1:
            scale = float(scale)  # batch_size given as a 1-element array (e.g. a token count)
        if self._update_on_kvstore and self._distributed and self._kv_initialized:
            if self._optimizer.rescale_grad != scale:
                raise UserWarning('Possible change in the `batch_size` from previous `step` '
                                  'detected. Optimizer gradient normalizing factor will not '
                                  'change w.r.t new batch_size when update_on_kvstore=True and '
                                  'when distributed kvstore is used.')
        self._optimizer.rescale_grad = scale

    def step(self, batch_size, ignore_stale_grad=False):
        """Make one step of parameter update: reduce gradients across contexts, then apply
        the optimizer. Call it after `backward` and outside of `record()`.

        Parameters
        ----------
        batch_size : int
            Batch size of the data processed; gradients are scaled by ``1/batch_size``.
        ignore_stale_grad : bool, optional, default False
            If False, a parameter whose gradient was not refreshed by `backward` since the
            last step raises; if True, such parameters are skipped.
        """
        self._check_and_rescale_grad(self._scale / batch_size)
        self._ensure_kvstore()
        self._allreduce_grads()
        self._update(ignore_stale_grad)

    def allreduce_grads(self):
        """Sum the gradients of each parameter over all contexts (every context gets the
        sum). Use with :meth:`update` for gradient manipulation between the two (e.g.
        clipping); not available when updates run on the kvstore.
        """
        self._ensure_kvstore()
        if self._kvstore and self._update_on_kvstore:
            raise TrainerError('allreduce_grads() when parameters are updated on kvstore is '
                               'not supported. Try setting `update_on_kvstore` to False when '
                               'creating trainer.')
        self._allreduce_grads()

    def _allreduce_grads(self):
        kv = self._kvstore
        if not kv:
            return
        # KVStore takes every dense key in one call (a dist store packs them into buckets)
        batched = isinstance(kv, KVStore)
        keys, values, outs = [], [], []
        for i, param in enumerate(self._params):
            if param.grad_req == 'null':
                continue
            grads = param.list_grad()
            if grads[0].stype != 'default':
                kv.push(i, grads, priority=-i)
                if param._stype == 'default':
                    pulled = param.list_data() if self._update_on_kvstore else grads
                    kv.pull(i, pulled, priority=-i, ignore_sparse=self._distributed)
                continue
            out = param.list_data() if self._update_on_kvstore else None
            if batched:
                keys.append(i)
                values.append(grads)
                outs.append(grads if out is None else out)
            else:
                kv.pushpull(i, grads, out=out, priority=-i)
        if keys:
            prepare = getattr(kv, '_overlap_prepare', None)
            if prepare is not None and getattr(self, '_overlap_allreduce', True) and \
                    all(len(v) == 1 for v in values):
                # dist stores start these all-reduces during the next backward()
                prepare(keys, [self._params[i].list_data()[0] for i in keys],
                        [v[0] for v in values])
            kv.pushpull(keys, values, out=outs)

    def join(self, throw_on_early_termination=False):
        """A context for workers with different numbers of batches on a distributed store
        (torch ``Join``): a worker that leaves it takes part in the others' remaining steps
        with zero gradients, so parameters and optimizer states stay equal everywhere.
        Without a distributed store it does nothing.

        Parameters
        ----------
        throw_on_early_termination : bool, default False
            Raise on every worker as soon as one leaves the block, instead.
        """
        kv = self._kvstore if self._kv_initialized else self._kvstore_params['kvstore']
        if isinstance(kv, str) and 'dist' in kv:
            # made now, attached at the first step (which sets the gradient scale first)
            kv = self._kvstore_params['kvstore'] = _create_store(kv)
        if not hasattr(kv, 'join'):
            import contextlib
            return contextlib.nullcontext(self)
        return kv.join(self._shadow_step, throw_on_early_termination,
                       share=lambda: self._optimizer.rescale_grad)

    def _shadow_step(self, rescale_grad=None):
        """One step with zero gradients (the part of a worker that ran out of batches), with
        the gradient scale of the others' step when given."""
        if rescale_grad is not None:
            self._optimizer.rescale_grad = rescale_grad
        if not self._kv_initialized:
            self._join_without_step()
        for param in self._params:
            if param.grad_req == 'null':
                continue
            for grad, data in zip(param.list_grad(), param.list_data()):
                grad[:] = 0
                data._fresh_grad = True
        self._allreduce_grads()
        self._update(ignore_stale_grad=True)

    def _join_without_step(self):
        """Set up the store of a worker that left join() before its first step (it had no
        batch): the others' first step stored rank 0's initial weights here, which become
        this worker's weights."""
        kv = self._kvstore_params['kvstore']
        deferred = [p.name for p in self._params if p._deferred_init]
        if deferred:
            raise TrainerError(
                'Trainer.join(): worker rank %s left the block before its first step while '
                'parameters %s still have deferred shapes, so it cannot take part in the '
                'others\' steps. Initialise them before the block (give the layers their input '
                'sizes, or run one forward pass), or give every worker at least one batch'
                % (getattr(kv, 'rank', '?'), deferred[:4]))
        self._init_kvstore()
        stored = getattr(self._kvstore, '_store', {})
        for param in self._params_to_init:
            idx = self._param2idx[param.name]
            if idx in stored:
                self._kvstore.pull(idx, param.list_data(), ignore_sparse=False)
        self._params_to_init = [p for p in self._params_to_init
                                if self._param2idx[p.name] not in stored]

    def update(self, batch_size, ignore_stale_grad=False):
        """Apply the optimizer to the parameters (after :meth:`allreduce_grads`); not
        available when updates run on the kvstore.

        Parameters
        ----------
        batch_size : int
            Batch size of the data processed; gradients are scaled by ``1/batch_size``.
        ignore_stale_grad : bool, optional, default False
            Skip, instead of raising on, parameters with stale gradients.
        """
        self._ensure_kvstore()
        if self._kvstore and self._update_on_kvstore:
            raise TrainerError('update() when parameters are updated on kvstore is not '
                               'supported. Try setting `update_on_kvstore` to False when '
                               'creating trainer.')
        self._check_and_rescale_grad(self._scale / batch_size)
        self._update(ignore_stale_grad)

    def _update(self, ignore_stale_grad=False):
        scaler = getattr(self, '_amp_loss_scaler', None)
        if scaler is not None and scaler.has_overflow(self._params):
            return  # skip the step on overflow
        on_kvstore = bool(self._kvstore and self._update_on_kvstore)
        updates = [[] for _ in self._updaters]
        for i, param in enumerate(self._params):
            if param.grad_req == 'null':
                continue
            datas = param._check_and_get(param._data, list)
            if not ignore_stale_grad:
                for data in datas:
                    if not data._fresh_grad:
                        raise UserWarning(_STALE % (param.name, str(data.context)))
            if on_kvstore:
                continue
            for upd, arr, grad in zip(updates, datas, param.list_grad()):
                if not ignore_stale_grad or arr._fresh_grad:
                    upd.append((i, grad, arr))
                    arr._fresh_grad = False
        if on_kvstore:
            return
        for updater, upd in zip(self._updaters, updates):
            if upd:
                indices, grads, weights = zip(*upd)
                updater(list(indices), list(grads), list(weights))

    # ------------------------------------------------------------------ states
    def save_states(self, fname):
        """Save the optimizer and its states to `fname` (written atomically; MXNet 1.9.1
        can load the file).

        Parameters
        ----------
        fname : str
            Path to the output file.
        """
        self._ensure_kvstore()
        if self._update_on_kvstore:
            if self._params_to_init:
                raise TrainerError('Cannot save trainer states when some parameters are not '
                                   'yet initialized in kvstore: %s'
                                   % [p.name for p in self._params_to_init])
            self._kvstore.save_optimizer_states(fname, dump_optimizer=True)
            return
        data = self._updaters[0].get_states(dump_optimizer=True)
        tmp = '%s.tmp%d' % (fname, os.getpid())
        with open(tmp, 'wb') as fout:
            fout.write(data)
        os.replace(tmp, fname)

    def load_states(self, fname):
        """Load the optimizer and its states from `fname` (a file written by
        :meth:`save_states` or by MXNet; pickles naming other globals are refused, see
        ``mxtorch._safe_pickle``).

        Parameters
        ----------
        fname : str
            Path to the states file.
        """
        self._ensure_kvstore()
        if self._update_on_kvstore:
            self._kvstore.load_optimizer_states(fname)
            self._optimizer = self._kvstore._updater.optimizer
        else:
            with open(fname, 'rb') as f:
                states = f.read()
            for updater in self._updaters:
                updater.set_states(states)
                updater.optimizer = self._updaters[0].optimizer
            self._optimizer = self._updaters[0].optimizer
        self._optimizer.param_dict = {i: param for i, param in enumerate(self._params)}
