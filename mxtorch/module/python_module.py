"""``PythonModule`` and ``PythonLossModule``: modules written in Python, no Symbol inside.

A PythonModule implements the module API with no parameters; subclasses override
``forward``/``backward``/``get_outputs`` (and ``_compute_output_shapes``). A
PythonLossModule passes its input scores through and computes their gradient with
``grad_func(scores, labels)``: the tail of a SequentialModule.
"""
import logging

from .. import ndarray as nd
from ..initializer import Uniform
from .base_module import BaseModule



class PythonModule(BaseModule):
    """A module implemented in Python, with no parameters of its own.

    Parameters
    ----------
    data_names, label_names, output_names : list of str
    logger : Logger
    """

    def __init__(self, data_names, label_names, output_names, logger=logging):
        super().__init__(logger=logger)
        self._data_names = list(data_names) if isinstance(data_names, tuple) else data_names
        self._label_names = list(label_names) if isinstance(label_names, tuple) \
            else label_names
        self._output_names = list(output_names) if isinstance(output_names, tuple) \
            else output_names
        self._data_shapes = None
        self._label_shapes = None
        self._output_shapes = None

    @property
    def data_names(self):
        return self._data_names

    @property
    def output_names(self):
        return self._output_names

    @property
    def data_shapes(self):
        return self._data_shapes

    @property
    def label_shapes(self):
        return self._label_shapes

    @property
    def output_shapes(self):
        return self._output_shapes

    def get_params(self):
        """No parameters: two empty dicts."""
        return {}, {}

    def init_params(self, initializer=Uniform(0.01), arg_params=None, aux_params=None,
                    allow_missing=False, force_init=False, allow_extra=False):
        """Nothing to initialise."""

    def update(self):
        """Nothing to update."""

    def update_metric(self, eval_metric, labels, pre_sliced=False):
        """Update ``eval_metric`` with the outputs (when bound with labels)."""
        if self._label_shapes is None:
            return
        if pre_sliced:
            raise RuntimeError("PythonModule does not support presliced labels")
        eval_metric.update(labels, self.get_outputs())

    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False,
             force_rebind=False, shared_module=None, grad_req="write"):
        """Record the input shapes and compute the output shapes."""
        if self.binded and not force_rebind:
            self.logger.warning("Already bound, ignoring bind()")
            return
        if grad_req != "write":
            raise ValueError(f"Python module only support write gradient, got {grad_req!r}")
        names = [x[0] for x in data_shapes]
        if names != list(self._data_names):
            raise ValueError(f"bind: data shapes name {names}, the module's data names are "
                             f"{self._data_names}")
        if label_shapes is not None:
            label_names = [x[0] for x in label_shapes]
            if self._label_names is None or label_names != list(self._label_names):
                raise ValueError(f"bind: label shapes name {label_names}, the module's label "
                                 f"names are {self._label_names}")
        self.for_training = for_training
        self.inputs_need_grad = inputs_need_grad
        self._data_shapes = data_shapes
        self._label_shapes = label_shapes
        self._output_shapes = self._compute_output_shapes()
        self.binded = True

    def _compute_output_shapes(self):
        """(name, shape) of each output; subclasses implement it."""
        raise NotImplementedError()

    def init_optimizer(self, kvstore="local", optimizer="sgd",
                       optimizer_params=(("learning_rate", 0.01),), force_init=False):
        """No parameters, so no optimizer."""


class PythonLossModule(PythonModule):
    """A loss written in Python: outputs its input scores; ``grad_func(scores, labels)``
    gives their gradient in backward.

    Parameters
    ----------
    name : str
    data_names, label_names : list of str (one each)
    logger : Logger
    grad_func : callable
    """

    def __init__(self, name="pyloss", data_names=("data",), label_names=("softmax_label",),
                 logger=logging, grad_func=None):
        super().__init__(data_names, label_names, [name + "_output"], logger=logger)
        if len(data_names) != 1 or len(label_names) != 1:
            raise ValueError("PythonLossModule takes exactly one data and one label input")
        if grad_func is not None and not callable(grad_func):
            raise TypeError("PythonLossModule: grad_func must be callable")
        self._name = name
        self._scores = None
        self._labels = None
        self._scores_grad = None
        self._grad_func = grad_func

    def _compute_output_shapes(self):
        return [(self._name + "_output", self._data_shapes[0][1])]

    def forward(self, data_batch, is_train=None):
        """Keep the scores (and labels in training) for backward."""
        self._scores = data_batch.data[0]
        if is_train is None:
            is_train = self.for_training
        if is_train:
            self._labels = data_batch.label[0]

    def get_outputs(self, merge_multi_context=True):
        """The scores received by forward."""
        if merge_multi_context is not True:
            raise ValueError("PythonLossModule runs on one context: merge_multi_context must "
                             "be True")
        return [self._scores]

    def backward(self, out_grads=None):
        """Compute the scores' gradient with ``grad_func``."""
        if out_grads is not None:
            raise ValueError("For a loss module, out_grads should be None")
        if not self.for_training:
            raise ValueError("PythonLossModule.backward: bind with for_training=True")
        self._backward_impl()

    def _backward_impl(self):
        if self._grad_func is None:
            raise NotImplementedError("PythonLossModule: pass grad_func or override "
                                      "_backward_impl")
        grad = self._grad_func(self._scores, self._labels)
        self._scores_grad = grad if isinstance(grad, nd.NDArray) else nd.array(grad)

    def get_input_grads(self, merge_multi_context=True):
        """The gradient of the scores from the last backward."""
        if merge_multi_context is not True:
            raise ValueError("PythonLossModule runs on one context: merge_multi_context must "
                             "be True")
        return [self._scores_grad]

    def install_monitor(self, mon):
        raise NotImplementedError("PythonLossModule has no executors to monitor")


