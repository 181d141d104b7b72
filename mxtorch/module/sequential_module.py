"""``SequentialModule``: modules chained so that each one's outputs feed the next one's data."""
import copy
import logging

from ..initializer import Uniform
from .base_module import BaseModule, _NoInputGrads, require



class _DuplicateParamError(ValueError, AssertionError):
    """Two layers of a SequentialModule share a parameter name (MXNet asserts this: an
    AssertionError too)."""


class SequentialModule(BaseModule):
    """A chain of modules; ``add(module, take_labels=..., auto_wiring=...)`` appends one.

    ``take_labels``: the module receives the labels (and updates the metric);
    ``auto_wiring``: the previous outputs are renamed to this module's data names.
    """
    META_TAKE_LABELS = "take_labels"
    META_AUTO_WIRING = "auto_wiring"

    def __init__(self, logger=logging):
        super().__init__(logger=logger)
        self._modules = []
        self._metas = []
        self._label_shapes = None
        self._data_shapes = None
        self._meta_keys = {self.META_TAKE_LABELS, self.META_AUTO_WIRING}

    def add(self, module, **kwargs):
        """Append ``module``; keywords are its meta flags. Returns self (for chaining)."""
        unknown = set(kwargs) - self._meta_keys
        if unknown:
            raise ValueError(f'Unknown meta "{sorted(unknown)[0]}", a typo? (known: '
                             f"{sorted(self._meta_keys)})")
        self._modules.append(module)
        self._metas.append(kwargs)
        self.binded = False
        self.params_initialized = False
        self.optimizer_initialized = False
        return self

    def _takes_labels(self, index):
        return bool(self._metas[index].get(self.META_TAKE_LABELS, False))

    # ---- properties ------------------------------------------------------------------------------
    @property
    def data_names(self):
        """The first module's data names."""
        return self._modules[0].data_names if self._modules else []

    @property
    def output_names(self):
        """The last module's output names."""
        return self._modules[-1].output_names if self._modules else []

    @property
    def data_shapes(self):
        require(self, "data_shapes")
        return self._modules[0].data_shapes

    @property
    def label_shapes(self):
        require(self, "label_shapes")
        return self._label_shapes

    @property
    def output_shapes(self):
        require(self, "output_shapes")
        return self._modules[-1].output_shapes

    # ---- parameters ------------------------------------------------------------------------------
    def get_params(self):
        """All modules' parameters merged into two dicts."""
        require(self, "get_params", params=True)
        arg_params, aux_params = {}, {}
        for module in self._modules:
            arg, aux = module.get_params()
            arg_params.update(arg)
            aux_params.update(aux)
        return arg_params, aux_params

    def init_params(self, initializer=Uniform(0.01), arg_params=None, aux_params=None,
                    allow_missing=False, force_init=False, allow_extra=False):
        """Initialise every module's parameters; names must be unique across modules."""
        if self.params_initialized and not force_init:
            return
        require(self, "init_params")
        for module in self._modules:
            module.init_params(initializer=initializer, arg_params=arg_params,
                               aux_params=aux_params, allow_missing=allow_missing,
                               force_init=force_init, allow_extra=allow_extra)
        seen_args, seen_aux = {}, {}
        for index, module in enumerate(self._modules):
            arg, aux = module.get_params()
            self._check_unique(seen_args, arg, index)
            self._check_unique(seen_aux, aux, index)
        self.params_initialized = True

    def _check_unique(self, seen, names, index):
        for name in names:
            if name in seen:
                first = seen[name]
                raise _DuplicateParamError(
                    f'Duplicated parameter names: name "{name}" in layer {index} '
                    f"({type(self._modules[index])}) is already used in layer "
                    f"{first} ({type(self._modules[first])}).")
            seen[name] = index

    # ---- binding ---------------------------------------------------------------------------------
    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False,
             force_rebind=False, shared_module=None, grad_req="write"):
        """Bind each module on the previous one's output shapes."""
        if self.binded and not force_rebind:
            self.logger.warning("Already bound, ignoring bind()")
            return
        if inputs_need_grad and not for_training:
            raise ValueError("bind: inputs_need_grad=True needs for_training=True")
        if shared_module is not None:
            raise ValueError("Shared module is not supported by SequentialModule")
        if not self._modules:
            raise ValueError("Attempting to bind an empty SequentialModule")
        self.binded = True
        self.for_training = for_training
        self.inputs_need_grad = inputs_need_grad
        self._label_shapes = label_shapes
        shapes, any_labels = data_shapes, False
        for index, module in enumerate(self._modules):
            takes = self._takes_labels(index)
            any_labels = any_labels or takes
            if self._metas[index].get(self.META_AUTO_WIRING, False):
                names = module.data_names
                if len(names) != len(shapes):
                    raise ValueError(f"auto_wiring: module {index} takes {len(names)} data "
                                     f"inputs, the previous module gives {len(shapes)}")
                shapes = [(name, tuple(desc[1])) for name, desc in zip(names, shapes)]
            module.bind(data_shapes=shapes, label_shapes=label_shapes if takes else None,
                        for_training=for_training,
                        inputs_need_grad=bool(inputs_need_grad or (for_training and index > 0)),
                        force_rebind=force_rebind, shared_module=None, grad_req=grad_req)
            shapes = module.output_shapes
        if not any_labels:
            self._label_shapes = None

    def init_optimizer(self, kvstore="local", optimizer="sgd",
                       optimizer_params=(("learning_rate", 0.01),), force_init=False):
        """Give every module an optimizer."""
        require(self, "init_optimizer", params=True)
        if self.optimizer_initialized and not force_init:
            self.logger.warning("optimizer already initialized, ignoring.")
            return
        for module in self._modules:
            module.init_optimizer(kvstore=kvstore, optimizer=optimizer,
                                  optimizer_params=optimizer_params, force_init=force_init)
        self.optimizer_initialized = True

    # ---- computations ----------------------------------------------------------------------------
    def forward(self, data_batch, is_train=None):
        """Run the modules in order, each on the previous one's outputs."""
        require(self, "forward", params=True)
        batch = copy.copy(data_batch)
        for index, module in enumerate(self._modules):
            module.forward(batch, is_train=is_train)
            if index + 1 == len(self._modules):
                break
            batch.data = module.get_outputs()
            if hasattr(batch, "provide_data"):
                names = [x[0] for x in module.output_shapes]
                batch.provide_data = [(name, x.shape) for name, x in zip(names, batch.data)]

    def backward(self, out_grads=None):
        """Back-propagate through the modules in reverse order."""
        require(self, "backward", params=True)
        for index in range(len(self._modules) - 1, -1, -1):
            module = self._modules[index]
            module.backward(out_grads=out_grads)
            if index > 0:
                out_grads = module.get_input_grads()

    def update(self):
        require(self, "update", params=True, optimizer=True)
        for module in self._modules:
            module.update()

    def get_outputs(self, merge_multi_context=True):
        require(self, "get_outputs", params=True)
        return self._modules[-1].get_outputs(merge_multi_context=merge_multi_context)

    def get_input_grads(self, merge_multi_context=True):
        require(self, "get_input_grads", params=True)
        if not self.inputs_need_grad:
            raise _NoInputGrads(f"{type(self).__name__}.get_input_grads: the module was "
                                "bound without input gradients; call bind(..., "
                                "inputs_need_grad=True) first")
        return self._modules[0].get_input_grads(merge_multi_context=merge_multi_context)

    def update_metric(self, eval_metric, labels, pre_sliced=False):
        """Update the metric from the modules that take labels."""
        require(self, "update_metric", params=True)
        for index, module in enumerate(self._modules):
            if self._takes_labels(index):
                module.update_metric(eval_metric, labels, pre_sliced)

    def install_monitor(self, mon):
        require(self, "install_monitor")
        for module in self._modules:
            module.install_monitor(mon)
