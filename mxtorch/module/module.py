"""``Module``: a Symbol bound for training and inference on one or more contexts."""
import logging
import os
import warnings

from .. import context as ctx
from .. import ndarray as nd
from .. import optimizer as opt
from ..initializer import InitDesc, Uniform
from ..io import DataDesc
from ..model import (_create_kvstore, _initialize_kvstore, _update_params,
                     _update_params_on_kvstore, load_checkpoint)
from ..ndarray import zeros
from ..ndarray.ndarray import _wrap
from ..ndarray.utils import _atomic_write
from .base_module import (BaseModule, ModuleStateError, _check_input_names,  # noqa: F401
                          _parse_data_desc, require)
from ._fast import DenseSGDStep, row_plan
from .executor_group import DataParallelExecutorGroup



def _as_context_list(context):
    if context is None:
        return [ctx.current_context()]
    return list(context) if isinstance(context, (list, tuple)) else [context]


class Module(BaseModule):
    """A module that wraps a Symbol.

    Parameters
    ----------
    symbol : Symbol
    data_names, label_names : list of str
        Names of the data and label inputs (labels may be empty or None).
    logger : Logger
    context : Context or list of Context
        Data parallelism: each context runs a slice of the batch.
    work_load_list : list of float
        Relative batch share per context (default equal).
    fixed_param_names : list of str
        Parameters that are not updated.
    state_names : list of str
        Inputs that are states (kept across batches, set with set_states).
    group2ctxs : dict or list
        Context groups for model parallelism (``__ctx_group__`` attributes).
    compression_params : dict
        Gradient compression for the kvstore.
    """

    def __init__(self, symbol, data_names=("data",), label_names=("softmax_label",),
                 logger=logging, context=ctx.cpu(), work_load_list=None,
                 fixed_param_names=None, state_names=None, group2ctxs=None,
                 compression_params=None):
        super().__init__(logger=logger)
        self._context = _as_context_list(context)
        if work_load_list is None:
            work_load_list = [1] * len(self._context)
        if len(work_load_list) != len(self._context):
            raise ValueError(f"work_load_list has {len(work_load_list)} entries for "
                             f"{len(self._context)} contexts")
        self._work_load_list = work_load_list
        self._group2ctxs = group2ctxs
        self._symbol = symbol
        data_names = list(data_names) if data_names is not None else []
        label_names = list(label_names) if label_names is not None else []
        state_names = list(state_names) if state_names is not None else []
        fixed_param_names = list(fixed_param_names) if fixed_param_names is not None else []
        _check_input_names(symbol, data_names, "data", True)
        _check_input_names(symbol, label_names, "label", False)
        _check_input_names(symbol, state_names, "state", True)
        _check_input_names(symbol, fixed_param_names, "fixed_param", True)
        arg_names = symbol.list_arguments()
        input_names = data_names + label_names + state_names
        self._param_names = [x for x in arg_names if x not in input_names]
        self._fixed_param_names = fixed_param_names
        self._aux_names = symbol.list_auxiliary_states()
        self._data_names = data_names
        self._label_names = label_names
        self._state_names = state_names
        self._output_names = symbol.list_outputs()
        self._arg_params = None
        self._aux_params = None
        self._params_dirty = False
        self._compression_params = compression_params
        self._optimizer = None
        self._kvstore = None
        self._update_on_kvstore = None
        self._updater = None
        self._preload_opt_states = None
        self._grad_req = None
        self._sgd_step = DenseSGDStep()
        self._exec_group = None
        self._data_shapes = None
        self._label_shapes = None

    # ---- checkpoints -----------------------------------------------------------------------------
    @staticmethod
    def load(prefix, epoch, load_optimizer_states=False, **kwargs):
        """A Module from the checkpoint ``prefix-symbol.json`` + ``prefix-%04d.params``
        (keyword arguments go to the constructor). Parameters are set when it is bound."""
        sym, args, auxs = load_checkpoint(prefix, epoch)
        mod = Module(symbol=sym, **kwargs)
        mod._arg_params = args
        mod._aux_params = auxs
        mod.params_initialized = True
        if load_optimizer_states:
            mod._preload_opt_states = f"{prefix}-{epoch:04d}.states"
        return mod

    def save_checkpoint(self, prefix, epoch, save_optimizer_states=False,
                        remove_amp_cast=True):
        """Save ``prefix-symbol.json``, ``prefix-%04d.params`` (and ``.states``).

        Each file is written to a temporary name and renamed, so a failure leaves the previous
        checkpoint intact.
        """
        self._symbol.save(f"{prefix}-symbol.json", remove_amp_cast=remove_amp_cast)
        param_name = f"{prefix}-{epoch:04d}.params"
        self.save_params(param_name)
        logging.info('Saved checkpoint to "%s"', param_name)
        if save_optimizer_states:
            state_name = f"{prefix}-{epoch:04d}.states"
            self.save_optimizer_states(state_name)
            logging.info('Saved optimizer state to "%s"', state_name)

    def _reset_bind(self):
        self.binded = False
        self._exec_group = None
        self._data_shapes = None
        self._label_shapes = None

    # ---- properties ------------------------------------------------------------------------------
    @property
    def data_names(self):
        """Names of the data inputs."""
        return self._data_names

    @property
    def label_names(self):
        """Names of the label inputs."""
        return self._label_names

    @property
    def output_names(self):
        """Names of the outputs."""
        return self._output_names

    @property
    def data_shapes(self):
        """DataDesc of the bound data inputs."""
        require(self, "data_shapes")
        return self._data_shapes

    @property
    def label_shapes(self):
        """DataDesc of the bound labels (None when bound without labels)."""
        require(self, "label_shapes")
        return self._label_shapes

    @property
    def output_shapes(self):
        """(name, shape) of the outputs for the bound batch."""
        require(self, "output_shapes")
        return self._exec_group.get_output_shapes()

    # ---- parameters ------------------------------------------------------------------------------
    def get_params(self):
        """(arg_params, aux_params): the current values, averaged over devices."""
        require(self, "get_params", params=True)
        if self._params_dirty:
            self._sync_params_from_devices()
        return self._arg_params, self._aux_params

    def init_params(self, initializer=Uniform(0.01), arg_params=None, aux_params=None,
                    allow_missing=False, force_init=False, allow_extra=False):
        """Initialise parameters: values from ``arg_params``/``aux_params`` where given, the
        initializer elsewhere (or an error naming the parameter unless ``allow_missing``)."""
        if self.params_initialized and not force_init:
            warnings.warn("Parameters already initialized and force_init=False. "
                          "init_params call ignored.", stacklevel=2)
            return
        require(self, "init_params")

        def fill(name, arr, given):
            if given is not None and name in given:
                if given[name] is not arr:
                    given[name].copyto(arr)
                return
            if given is not None and not allow_missing:
                raise RuntimeError(f"{name} is not presented (init_params: no value given for "
                                   "it; pass allow_missing=True to initialize it instead)")
            if initializer is not None:
                initializer(name, arr)

        attrs = self._symbol.attr_dict()
        for name, arr in sorted(self._arg_params.items()):
            fill(InitDesc(name, attrs.get(name, None)), arr, arg_params)
        for name, arr in sorted(self._aux_params.items()):
            fill(InitDesc(name, attrs.get(name, None)), arr, aux_params)
        self.params_initialized = True
        self._params_dirty = False
        self._exec_group.set_params(self._arg_params, self._aux_params,
                                    allow_extra=allow_extra)

    def set_params(self, arg_params, aux_params, allow_missing=False, force_init=True,
                   allow_extra=False):
        """Assign parameter values (all of them unless ``allow_missing``)."""
        if not allow_missing:
            self.init_params(initializer=None, arg_params=arg_params, aux_params=aux_params,
                             allow_missing=allow_missing, force_init=force_init,
                             allow_extra=allow_extra)
            return
        if self.params_initialized and not force_init:
            warnings.warn("Parameters already initialized and force_init=False. "
                          "set_params call ignored.", stacklevel=2)
            return
        self._exec_group.set_params(arg_params, aux_params, allow_extra=allow_extra)
        self._params_dirty = True
        self.params_initialized = True

    def _end_epoch_sync(self):
        """fit's end of epoch: the parameters averaged over the devices, written back to
        every device (with one device and no kvstore the executors already hold exactly
        these values, so nothing is written)."""
        arg_params, aux_params = self.get_params()
        if len(self._context) > 1 or self._kvstore:
            self.set_params(arg_params, aux_params)
        return arg_params, aux_params

    def _sync_params_from_devices(self):
        self._exec_group.get_params(self._arg_params, self._aux_params)
        if self._kvstore and self._update_on_kvstore:
            for name, value in sorted(self._arg_params.items()):
                if value.stype == "row_sparse":
                    row_ids = nd.arange(0, value.shape[0], dtype="int64")
                    self._kvstore.row_sparse_pull(name, value, row_ids=row_ids)
        self._params_dirty = False

    # ---- binding ---------------------------------------------------------------------------------
    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False,
             force_rebind=False, shared_module=None, grad_req="write"):
        """Allocate executors for these input shapes (list of DataDesc or (name, shape))."""
        if force_rebind:
            self._reset_bind()
        if self.binded:
            self.logger.warning("Already bound, ignoring bind()")
            return
        if not for_training and inputs_need_grad:
            raise ValueError("bind: inputs_need_grad=True needs for_training=True")
        self.for_training = for_training
        self.inputs_need_grad = inputs_need_grad
        self._grad_req = grad_req
        self._data_shapes, self._label_shapes = _parse_data_desc(
            self.data_names, self.label_names, data_shapes, label_shapes)
        shared_group = None
        if shared_module is not None:
            if not isinstance(shared_module, Module) or not shared_module.binded \
                    or not shared_module.params_initialized:
                raise ValueError("bind: shared_module must be a bound Module with initialized "
                                 "parameters")
            shared_group = shared_module._exec_group
        self._exec_group = DataParallelExecutorGroup(
            self._symbol, self._context, self._work_load_list, self._data_shapes,
            self._label_shapes, self._param_names, for_training, inputs_need_grad,
            shared_group, logger=self.logger, fixed_param_names=self._fixed_param_names,
            grad_req=grad_req, group2ctxs=self._group2ctxs, state_names=self._state_names)
        self._total_exec_bytes = 0
        if shared_module is not None:
            self.params_initialized = True
            self._arg_params = shared_module._arg_params
            self._aux_params = shared_module._aux_params
        elif self.params_initialized:
            self._exec_group.set_params(self._arg_params, self._aux_params)
        else:
            self._arg_params = {name: zeros(block[0].shape, dtype=block[0].dtype,
                                            stype=block[0].stype)
                                for name, block in zip(self._param_names,
                                                       self._exec_group.param_arrays)}
            self._aux_params = {name: zeros(block[0].shape, dtype=block[0].dtype)
                                for name, block in zip(self._aux_names,
                                                       self._exec_group.aux_arrays)}
        if shared_module is not None and shared_module.optimizer_initialized:
            self.borrow_optimizer(shared_module)
        self.binded = True

    def reshape(self, data_shapes, label_shapes=None):
        """Rebind for new input shapes; parameters are kept."""
        require(self, "reshape")
        self._data_shapes, self._label_shapes = _parse_data_desc(
            self.data_names, self.label_names, data_shapes, label_shapes)
        self._exec_group.reshape(self._data_shapes, self._label_shapes)

    # ---- optimizer -------------------------------------------------------------------------------
    def init_optimizer(self, kvstore="local", optimizer="sgd",
                       optimizer_params=(("learning_rate", 0.01),), force_init=False):
        """Create the optimizer (by name with ``optimizer_params``, or an Optimizer) and the
        kvstore that reduces gradients across contexts."""
        require(self, "init_optimizer", params=True)
        if self.optimizer_initialized and not force_init:
            self.logger.warning("optimizer already initialized, ignoring...")
            return
        if self._params_dirty:
            self._sync_params_from_devices()
        kvstore, update_on_kvstore = _create_kvstore(kvstore, len(self._context),
                                                     self._arg_params)
        batch_size = self._exec_group.batch_size
        if kvstore and "dist" in kvstore.type and "_sync" in kvstore.type:
            batch_size *= kvstore.num_workers
        rescale_grad = 1.0 / batch_size
        optimizer = self._make_optimizer(optimizer, optimizer_params, rescale_grad,
                                         update_on_kvstore)
        self._optimizer = optimizer
        self._kvstore = kvstore
        self._update_on_kvstore = update_on_kvstore
        self._updater = None
        if kvstore:
            if self._compression_params:
                kvstore.set_gradient_compression(self._compression_params)
            if update_on_kvstore:
                kvstore.set_optimizer(self._optimizer)
            _initialize_kvstore(kvstore=kvstore, param_arrays=self._exec_group.param_arrays,
                                arg_params=self._arg_params, param_names=self._param_names,
                                update_on_kvstore=update_on_kvstore)
        if not update_on_kvstore:
            self._updater = opt.get_updater(optimizer)
        self.optimizer_initialized = True
        if self._preload_opt_states is not None:
            self.load_optimizer_states(self._preload_opt_states)
            self._preload_opt_states = None

    def _make_optimizer(self, optimizer, optimizer_params, rescale_grad, update_on_kvstore):
        num_ctx = len(self._context)
        names = self._exec_group.param_names
        if update_on_kvstore:
            idx2name = dict(enumerate(names))
        else:
            idx2name = {i * num_ctx + k: n for k in range(num_ctx) for i, n in enumerate(names)}
        if isinstance(optimizer, str):
            params = dict(optimizer_params)
            params.setdefault("rescale_grad", rescale_grad)
            return opt.create(optimizer, sym=self.symbol, param_idx2name=idx2name, **params)
        if not isinstance(optimizer, opt.Optimizer):
            raise TypeError("init_optimizer: optimizer must be a name or an Optimizer, got "
                            f"{type(optimizer).__name__}")
        if optimizer.rescale_grad != rescale_grad:
            warnings.warn("Optimizer created manually outside Module but rescale_grad is not "
                          f"normalized to 1.0/batch_size/num_workers ({optimizer.rescale_grad} "
                          f"vs. {rescale_grad}). Is this intended?", stacklevel=3)
        if not optimizer.idx2name:
            optimizer.idx2name = idx2name.copy()
        return optimizer

    def borrow_optimizer(self, shared_module):
        """Use ``shared_module``'s optimizer, kvstore and updater (bucketing)."""
        if not shared_module.optimizer_initialized:
            raise ValueError("borrow_optimizer: the shared module has no optimizer yet")
        self._optimizer = shared_module._optimizer
        self._kvstore = shared_module._kvstore
        self._update_on_kvstore = shared_module._update_on_kvstore
        self._updater = shared_module._updater
        self.optimizer_initialized = True

    # ---- computations ----------------------------------------------------------------------------
    def forward(self, data_batch, is_train=None):
        """Run forward on a DataBatch; a batch whose shapes differ from the bound ones
        reshapes the executors first (as MXNet does)."""
        if not (self.binded and self.params_initialized):
            require(self, "forward", params=True)
        current = tuple(d.shape for d in self._data_shapes)
        if isinstance(data_batch, list):
            new_shapes = _merged_shapes(data_batch)
        else:
            new_shapes = tuple(d.shape for d in data_batch.data)
        if current != new_shapes:
            self.reshape(*self._shapes_of(data_batch, new_shapes))
        self._exec_group.forward(data_batch, is_train)

    def _shapes_of(self, data_batch, new_shapes):
        if getattr(data_batch, "provide_data", None):
            data = data_batch.provide_data
        else:
            data = [DataDesc(d.name, shape, d.dtype, d.layout)
                    for d, shape in zip(self._data_shapes, new_shapes)]
        if getattr(data_batch, "provide_label", None):
            label = data_batch.provide_label
        elif getattr(data_batch, "label", None) and self._label_shapes:
            label = [DataDesc(d.name, arr.shape, d.dtype, d.layout)
                     for d, arr in zip(self._label_shapes, data_batch.label)]
        else:
            label = None
        return data, label

    def backward(self, out_grads=None):
        """Back-propagate (``out_grads``: head gradients for non-loss outputs)."""
        require(self, "backward", params=True)
        self._exec_group.backward(out_grads=out_grads)

    def update(self):
        """Apply the optimizer to the gradients of the last backward."""
        require(self, "update", params=True, optimizer=True)
        self._params_dirty = True
        group = self._exec_group
        if self._update_on_kvstore:
            _update_params_on_kvstore(group.param_arrays, group.grad_arrays, self._kvstore,
                                      group.param_names)
        elif self._kvstore or len(self._context) != 1 or not self._dense_step(group):
            _update_params(group.param_arrays, group.grad_arrays, updater=self._updater,
                           num_device=len(self._context), kvstore=self._kvstore,
                           param_names=group.param_names)

    def _dense_step(self, group):
        """One device, no kvstore: the updater's call for the common case (see
        ``DenseSGDStep``); False when it does not apply."""
        keys, grads, weights = [], [], []
        for index, (weight, grad) in enumerate(zip(group.param_arrays, group.grad_arrays)):
            if grad[0] is not None:
                keys.append(index)
                grads.append(grad[0])
                weights.append(weight[0])
        return bool(keys) and self._sgd_step(self._updater, keys, grads, weights)

    def get_outputs(self, merge_multi_context=True):
        """The outputs of the last forward (merged over devices by default)."""
        require(self, "get_outputs", params=True)
        return self._exec_group.get_outputs(merge_multi_context=merge_multi_context)

    def get_input_grads(self, merge_multi_context=True):
        """Gradients of the inputs (bind with inputs_need_grad=True)."""
        require(self, "get_input_grads", params=True)
        if not self.inputs_need_grad:
            raise ModuleStateError("Module.get_input_grads: the module was bound without input "
                                   "gradients; call bind(..., inputs_need_grad=True) first")
        return self._exec_group.get_input_grads(merge_multi_context=merge_multi_context)

    def get_states(self, merge_multi_context=True):
        """The state inputs' arrays."""
        require(self, "get_states", params=True)
        return self._exec_group.get_states(merge_multi_context=merge_multi_context)

    def set_states(self, states=None, value=None):
        """Set the state inputs from arrays, or all to the scalar ``value``."""
        require(self, "set_states", params=True)
        self._exec_group.set_states(states, value)

    _PRIVATE_BATCHES = True  # fit/score/predict may run on rows shared with an NDArrayIter

    def _own_inputs(self):
        self._exec_group.own_inputs()

    def _fit_rows(self, train_data, eval_metric, progress):
        """fit's loop over an exact NDArrayIter on one device (no callback, monitor or
        row-id function: see ``_private_batches``): each batch's rows go to the executor's
        forward_backward directly, then ``update`` and ``update_metric`` as in the general
        loop. False when the case does not apply (nothing done)."""
        plan = row_plan(self, self._exec_group, train_data, None)
        if plan is None or not self.for_training:
            return False
        exe, data_idx, label_idx = plan
        nbatch = 0
        for data, label, _ in train_data._row_batches():
            fed = list(zip(data_idx, data))
            if label_idx and label:
                fed += zip(label_idx, label)
            exe.forward_backward(fed)
            self.update()
            self.update_metric(eval_metric, [_wrap(t, exe._ctx) for t in label])
            nbatch += 1
            progress.show(nbatch)
        if not nbatch:
            raise StopIteration  # as the general loop's first next() on an empty iterator
        return True

    def _predict_rows(self, eval_data, num_batch, sparse_row_id_fn):
        """predict's loop over an exact NDArrayIter on one device: the compiled graph runs
        on views of the iterator's rows (no DataBatch, no per-batch feeding); afterwards the
        executor holds the last batch and its outputs, as after the general loop. None when
        the case does not apply (the general loop runs)."""
        group = self._exec_group
        plan = row_plan(self, group, eval_data, sparse_row_id_fn)
        if plan is None:
            return None
        exe, data_idx, label_idx = plan
        outputs, fed, heads = [], [], None
        for nbatch, (data, label, pad) in enumerate(eval_data._row_batches()):
            if num_batch is not None and nbatch == num_batch:
                break
            fed = list(zip(data_idx, data))
            if label_idx and label:
                fed += zip(label_idx, label)
            heads = exe.run_inputs(fed)
            outputs.append([_wrap(h[0:h.shape[0] - pad] if pad else h, exe._ctx)
                            for h in heads])
        if heads is not None:
            exe.keep_inputs(fed, heads)
        return outputs

    def update_metric(self, eval_metric, labels, pre_sliced=False):
        """Accumulate ``eval_metric`` over the last forward's outputs."""
        self._exec_group.update_metric(eval_metric, labels, pre_sliced)

    def save_optimizer_states(self, fname):
        """Save the optimizer (updater) states to ``fname`` (written atomically)."""
        require(self, "save_optimizer_states", optimizer=True)
        if self._update_on_kvstore:
            self._kvstore.save_optimizer_states(fname)
            return
        _atomic_write(fname, self._updater.get_states())

    def load_optimizer_states(self, fname):
        """Load optimizer states saved by ``save_optimizer_states`` (or MXNet)."""
        require(self, "load_optimizer_states", optimizer=True)
        if self._update_on_kvstore:
            self._kvstore.load_optimizer_states(fname)
            return
        if not os.path.isfile(fname):
            raise FileNotFoundError(f"load_optimizer_states: {fname} does not exist")
        with open(fname, "rb") as f:
            self._updater.set_states(f.read())

    def install_monitor(self, mon):
        """Install a Monitor on the executors."""
        require(self, "install_monitor")
        self._exec_group.install_monitor(mon)

    def prepare(self, data_batch, sparse_row_id_fn=None):
        """Pull the rows of row_sparse parameters the next batch needs."""
        require(self, "prepare")
        if sparse_row_id_fn is None:
            return
        if not self._kvstore or not self._update_on_kvstore:
            warnings.warn(UserWarning("Parameters are not updated in the KVStore. "
                                      "No need to call sparse_row_id_fn."))
            return
        row_ids = sparse_row_id_fn(data_batch)
        if not isinstance(row_ids, dict):
            raise TypeError("sparse_row_id_fn must return a dict of parameter name to row ids")
        group = self._exec_group
        for name, row_id in row_ids.items():
            idx = group.param_names.index(name)
            value = group.param_arrays[idx]
            if value[0].stype != "row_sparse":
                warnings.warn(UserWarning(f"{name}.stype is not 'row_sparse'. No need to "
                                          "perform row_sparse_pull."))
            else:
                self._kvstore.row_sparse_pull(name, value, row_ids=row_id, priority=-idx)


def _merged_shapes(batches):
    """Data shapes of a list of per-device DataBatches taken as one batch."""
    if not batches:
        raise ValueError("Encountered empty data batch")
    shapes = []
    for i, first in enumerate(batches[0].data):
        for batch in batches:
            if batch.data[i].shape != first.shape:
                raise ValueError("All data batches in a list need to have the same shape")
        shapes.append((len(batches) * first.shape[0],) + tuple(first.shape[1:]))
    return tuple(shapes)
