"""``DataParallelExecutorGroup``: one Executor per context, a batch split between them.

Each context gets its own executor bound to its slice of the batch (sizes from the work load
list); parameters have one copy per context, kept equal by the module's update step (gradients
are summed across contexts through the kvstore, or the updater runs on each copy). With a
``shared_group`` (BucketingModule), parameters and their gradient buffers are the shared
group's arrays, so every bucket trains the same weights.
"""
import logging
from collections import OrderedDict  # noqa: F401 - part of MXNet's module namespace

from .. import context as ctx  # noqa: F401
from .. import ndarray as nd
from ..io import DataDesc



def _split_input_slice(batch_size, work_load_list):
    """Split ``batch_size`` rows into consecutive slices proportional to the work loads."""
    total = float(sum(work_load_list))
    sizes = [int(round(w * batch_size / total)) for w in work_load_list]
    if sum(sizes) < batch_size:
        sizes[-1] += batch_size - sum(sizes)
    slices, end = [], 0
    for size in sizes:
        begin = min(end, batch_size)
        end = min(begin + size, batch_size)
        if begin >= end:
            raise ValueError(f"Too many slices. Some splits are empty: batch size {batch_size} "
                             f"cannot be split by work loads {list(work_load_list)}")
        slices.append(slice(begin, end))
    return slices


def _load_general(data, targets, major_axis):
    """Copy each array of ``data`` into its targets (one per device, or (slice, array)
    pairs), slicing along ``major_axis``."""
    for d_src, d_targets, axis in zip(data, targets, major_axis):
        if isinstance(d_targets, nd.NDArray):
            d_src.copyto(d_targets)
        elif isinstance(d_src, (list, tuple)):
            for src, dst in zip(d_src, d_targets):
                src.copyto(dst)
        else:
            for slice_idx, d_dst in d_targets:
                whole = axis < 0 or d_src.shape[axis] == slice_idx.stop - slice_idx.start
                part = d_src if whole else d_src.slice_axis(axis=axis, begin=slice_idx.start,
                                                            end=slice_idx.stop)
                _copy_into(part, d_dst)


def _copy_into(src, dst):
    if src.context != dst.context or src.dtype != dst.dtype or src.shape != dst.shape:
        dst[:] = src.as_in_context(dst.context).astype(dst.dtype, copy=False) \
            .reshape(dst.shape)
    else:
        dst[:] = src


def _load_data(batch, targets, major_axis):
    _load_general(batch.data, targets, major_axis)


def _load_label(batch, targets, major_axis):
    _load_general(batch.label, targets, major_axis)


def _per_device(batches, field):
    """``[[batch_k.<field>[i] for each device k] for each input i]`` of per-device batches."""
    arrays = [getattr(batch, field) for batch in batches]
    return [list(parts) for parts in zip(*arrays)]


def _merge_multi_context(outputs, major_axis):
    """Concatenate each output's per-device parts along its batch axis."""
    merged = []
    for parts, axis in zip(outputs, major_axis):
        if axis >= 0 and len(parts) > 1:
            merged.append(nd.concat(*[p.as_in_context(parts[0].context) for p in parts],
                                    dim=axis))
        else:
            merged.append(parts[0])
    return merged


def _prepare_group2ctxs(group2ctxs, ctx_len):
    """One ``{group: context}`` dict per device from MXNet's group2ctxs forms."""
    if group2ctxs is None:
        return [None] * ctx_len
    if isinstance(group2ctxs, list):
        if len(group2ctxs) != ctx_len:
            raise ValueError(f"group2ctxs has {len(group2ctxs)} entries for {ctx_len} contexts")
        return group2ctxs
    if isinstance(group2ctxs, dict):
        result = [{} for _ in range(ctx_len)]
        for key, value in group2ctxs.items():
            devices = value if isinstance(value, (list, tuple)) else [value] * ctx_len
            if len(devices) != ctx_len:
                raise ValueError(f"group2ctxs[{key!r}] has {len(devices)} contexts for "
                                 f"{ctx_len} devices")
            for i, dev in enumerate(devices):
                result[i][key] = dev
        return result
    raise TypeError("group2ctxs must be a list or a dict")


class DataParallelExecutorGroup:
    """Executors for a symbol on several contexts, each running a slice of the batch.

    Parameters
    ----------
    symbol : Symbol
    contexts : list of Context
    workload : list of float
        Relative share of the batch per context.
    data_shapes, label_shapes : list of DataDesc or (name, shape)
    param_names : list of str
        Arguments that are parameters (trained, or fixed).
    for_training, inputs_need_grad : bool
    shared_group : DataParallelExecutorGroup
        Share parameter arrays with this group (bucketing).
    fixed_param_names : list of str
        Parameters that get no gradient.
    grad_req : str, list or dict
        'write', 'add' or 'null' (per argument with a list/dict).
    state_names : list of str
        Arguments that are states (no gradient, set with set_states).
    """

    def __init__(self, symbol, contexts, workload, data_shapes, label_shapes, param_names,
                 for_training, inputs_need_grad, shared_group=None, logger=logging,
                 fixed_param_names=None, grad_req="write", state_names=None,
                 group2ctxs=None):
        self.param_names = param_names
        self.arg_names = symbol.list_arguments()
        self.aux_names = symbol.list_auxiliary_states()
        self.symbol = symbol
        self.contexts = contexts
        self.workload = workload
        self.group2ctxs = _prepare_group2ctxs(group2ctxs, len(contexts))
        self.for_training = for_training
        self.inputs_need_grad = inputs_need_grad
        self.logger = logger
        self.fixed_param_names = fixed_param_names or []
        self.state_names = state_names or []
        self.grad_req = self._grad_reqs(grad_req, data_shapes, label_shapes)
        self.shared_group = shared_group
        self.batch_size = None
        self.slices = None
        self.execs = []
        self.data_shapes = self.label_shapes = None
        self.data_names = self.label_names = None
        self.data_layouts = self.label_layouts = None
        self.output_names = symbol.list_outputs()
        self.num_outputs = len(self.output_names)
        self.output_layouts = [DataDesc.get_batch_axis(symbol[i].attr("__layout__"))
                               for i in range(self.num_outputs)]
        self.bind_exec(data_shapes, label_shapes, shared_group)

    def _grad_reqs(self, grad_req, data_shapes, label_shapes):
        data_names = [x.name if isinstance(x, DataDesc) else x[0] for x in data_shapes]
        if isinstance(grad_req, str):
            reqs = {}
            for name in self.arg_names:
                if name in self.param_names:
                    reqs[name] = "null" if name in self.fixed_param_names else grad_req
                elif name in data_names:
                    reqs[name] = grad_req if self.inputs_need_grad else "null"
                else:
                    reqs[name] = "null"
            if not self.for_training:
                reqs = {name: "null" for name in reqs}
            return reqs
        if isinstance(grad_req, (list, tuple)):
            if len(grad_req) != len(self.arg_names):
                raise ValueError(f"grad_req has {len(grad_req)} entries for "
                                 f"{len(self.arg_names)} arguments {self.arg_names}")
            return dict(zip(self.arg_names, grad_req))
        if isinstance(grad_req, dict):
            reqs = {name: "null" if name in self.fixed_param_names else "write"
                    for name in self.arg_names}
            reqs.update(grad_req)
            return reqs
        raise ValueError("grad_req must be one of str, list, tuple, or dict.")

    # ---- binding ---------------------------------------------------------------------------------
    def decide_slices(self, data_shapes):
        """The batch axis of every input and the per-device slices of the batch."""
        major_axis = [DataDesc.get_batch_axis(x.layout) for x in data_shapes]
        for desc, axis in zip(data_shapes, major_axis):
            if axis == -1:
                continue
            batch_size = desc.shape[axis]
            if self.batch_size is not None and batch_size != self.batch_size:
                raise ValueError(f"all data must have the same batch size: batch_size = "
                                 f"{self.batch_size}, but {desc.name} has shape {desc.shape}")
            self.batch_size = batch_size
            self.slices = _split_input_slice(self.batch_size, self.workload)
        return major_axis

    def _collect_arrays(self):
        def per_input(names):
            return [[(self.slices[i], e.arg_dict[name]) for i, e in enumerate(self.execs)]
                    for name in names]
        self.data_arrays = per_input(self.data_names)
        self.label_arrays = per_input(self.label_names) if self.label_names else None
        inputs = list(self.data_names) + list(self.label_names or [])
        self.shared_data_arrays = [{n: e.arg_dict[n] for n in inputs if n in e.arg_dict}
                                   for e in self.execs]
        self.state_arrays = [[e.arg_dict[name] for e in self.execs] for name in self.state_names]
        self.param_arrays = [[e.arg_arrays[i] for e in self.execs]
                             for i, name in enumerate(self.arg_names) if name in self.param_names]
        if self.for_training:
            self.grad_arrays = [[e.grad_arrays[i] for e in self.execs]
                                for i, name in enumerate(self.arg_names)
                                if name in self.param_names]
        else:
            self.grad_arrays = None
        data_names = [x[0] for x in self.data_shapes]
        if self.inputs_need_grad:
            self.input_grad_arrays = [[e.grad_arrays[self.arg_names.index(name)]
                                       for e in self.execs]
                                      for name in data_names if name in self.arg_names]
        else:
            self.input_grad_arrays = None
        self.aux_arrays = [[e.aux_arrays[i] for e in self.execs]
                           for i in range(len(self.aux_names))]

    def bind_exec(self, data_shapes, label_shapes, shared_group=None, reshape=False):
        """Bind one executor per context for these shapes (``reshape`` keeps parameters)."""
        if not reshape and self.execs:
            raise ValueError("bind_exec: already bound; use reshape")
        self.batch_size = None
        self.data_layouts = self.decide_slices(data_shapes)
        self.label_layouts = self.decide_slices(label_shapes) if label_shapes else None
        old = self.execs
        self.execs = []
        for i in range(len(self.contexts)):
            if reshape:
                self.execs.append(self._reshape_one(old[i], i, data_shapes, label_shapes))
            else:
                self.execs.append(self._bind_one(i, data_shapes, label_shapes, shared_group))
        self.data_shapes, self.label_shapes = data_shapes, label_shapes
        self.data_names = [d.name for d in data_shapes]
        self.label_names = [d.name for d in label_shapes] if label_shapes else []
        self._collect_arrays()

    def reshape(self, data_shapes, label_shapes):
        """Rebind for new input shapes, keeping parameter arrays."""
        if data_shapes == self.data_shapes and label_shapes == self.label_shapes:
            return
        self.bind_exec(data_shapes, label_shapes, reshape=True)

    def _sliced_shapes(self, shapes, i, major_axis):
        sliced = []
        for desc, axis in zip(shapes, major_axis):
            shape = list(desc.shape)
            if axis >= 0:
                shape[axis] = self.slices[i].stop - self.slices[i].start
            sliced.append(DataDesc(desc.name, tuple(shape), desc.dtype, desc.layout))
        return sliced

    def _input_shapes(self, i, data_shapes, label_shapes):
        shapes = self._sliced_shapes(data_shapes, i, self.data_layouts)
        if label_shapes:
            shapes += self._sliced_shapes(label_shapes, i, self.label_layouts)
        return shapes

    def _bind_one(self, i, data_shapes, label_shapes, shared_group):
        context = self.contexts[i]
        inputs = self._input_shapes(i, data_shapes, label_shapes)
        shapes = {d.name: d.shape for d in inputs}
        types = {d.name: d.dtype for d in inputs}
        exe = self.symbol.simple_bind(context, grad_req=self.grad_req, type_dict=types,
                                      group2ctx=self.group2ctxs[i], **shapes)
        if shared_group is None:
            return exe
        return self._share_params(exe, shared_group.execs[i])

    def _share_params(self, exe, shared):
        """Rebind ``exe`` with the parameter (and gradient) arrays of ``shared``."""
        shared_args, shared_grads = shared.arg_dict, shared.grad_dict
        args, grads = list(exe.arg_arrays), list(exe.grad_arrays)
        for k, name in enumerate(self.arg_names):
            if name in self.param_names and name in shared_args \
                    and shared_args[name].shape == args[k].shape:
                args[k] = shared_args[name]
                if grads[k] is not None and shared_grads.get(name) is not None:
                    grads[k] = shared_grads[name]
        aux = list(exe.aux_arrays)
        shared_aux = shared.aux_dict
        for k, name in enumerate(self.aux_names):
            if name in shared_aux and shared_aux[name].shape == aux[k].shape:
                aux[k] = shared_aux[name]
        reqs = [self.grad_req[name] if grads[k] is not None else "null"
                for k, name in enumerate(self.arg_names)]
        return self.symbol.bind(exe._ctx, args=args, args_grad=grads, grad_req=reqs,
                                aux_states=aux)

    def _reshape_one(self, exe, i, data_shapes, label_shapes):
        inputs = self._input_shapes(i, data_shapes, label_shapes)
        new = exe.reshape(partial_shaping=True, allow_up_sizing=True,
                          **{d.name: d.shape for d in inputs})
        new._output_base = None  # outputs a caller kept from exe stay as they were
        return new

    # ---- parameters ------------------------------------------------------------------------------
    def set_params(self, arg_params, aux_params, allow_extra=False):
        """Copy parameter values into every device's executor."""
        for exe in self.execs:
            exe.copy_params_from(arg_params, aux_params, allow_extra_params=allow_extra)

    def get_params(self, arg_params, aux_params):
        """Average the devices' copies into ``arg_params``/``aux_params`` (in place)."""
        for name, block in zip(self.param_names, self.param_arrays):
            _average_into(block, arg_params[name])
        for name, block in zip(self.aux_names, self.aux_arrays):
            _average_into(block, aux_params[name])

    # ---- running ---------------------------------------------------------------------------------
    def forward(self, data_batch, is_train=None):
        """Load ``data_batch`` into the executors and run them."""
        if isinstance(data_batch, list):  # one DataBatch per device, already sliced
            self._feed(_per_device(data_batch, "data"), self.data_arrays, self.data_layouts)
            has_label = bool(data_batch) and getattr(data_batch[0], 'label', None) is not None
            labels = _per_device(data_batch, "label") if has_label else None
        else:
            self._feed(data_batch.data, self.data_arrays, self.data_layouts)
            # a batch without labels may lack the attribute (namedtuple('Batch', ['data']))
            labels = getattr(data_batch, 'label', None)
        if self.label_arrays is not None and labels:
            self._feed(labels, self.label_arrays, self.label_layouts)
        if is_train is None:
            is_train = self.for_training
        for exe in self.execs:
            exe.forward(is_train=is_train)

    def _feed(self, sources, targets, major_axis):
        """Give each device's input array its slice of every source array (sharing the
        batch's storage where it can, see ``Executor.feed``); a source that is a list holds
        one array per device."""
        for src, per_device, axis in zip(sources, targets, major_axis):
            if isinstance(src, (list, tuple)):
                for exe, part, (_, dst) in zip(self.execs, src, per_device):
                    exe.feed(dst, part)
                continue
            for exe, (islice, dst) in zip(self.execs, per_device):
                part = src
                if axis >= 0 and src.shape[axis] != islice.stop - islice.start:
                    part = src.slice_axis(axis=axis, begin=islice.start, end=islice.stop)
                exe.feed(dst, part)

    def own_inputs(self):
        """Give every data/label array its own storage again (after loops that fed them
        rows shared with an iterator)."""
        for per_input in self.data_arrays + (self.label_arrays or []):
            for exe, (_, dst) in zip(self.execs, per_input):
                exe._unborrow(dst)

    def get_output_shapes(self):
        """(name, shape) of each output, the batch axis summed over devices."""
        outputs = self.execs[0].outputs
        shapes = [out.shape for out in outputs]
        concat_shapes = []
        for key, shape, axis in zip(self.output_names, shapes, self.output_layouts):
            the_shape = list(shape)
            if axis >= 0:
                the_shape[axis] = self.batch_size
            concat_shapes.append((key, tuple(the_shape)))
        return concat_shapes

    def get_outputs(self, merge_multi_context=True, begin=0, end=None):
        """Outputs per device, or merged along the batch axis."""
        end = self.num_outputs if end is None else end
        outputs = [[exe.outputs[i] for exe in self.execs] for i in range(begin, end)]
        if merge_multi_context:
            return _merge_multi_context(outputs, self.output_layouts)
        return outputs

    def get_states(self, merge_multi_context=True):
        """The state arrays per device (merged: the first device's)."""
        if not merge_multi_context:
            return self.state_arrays
        return _merge_multi_context(self.state_arrays, [-1] * len(self.state_arrays))

    def set_states(self, states=None, value=None):
        """Set states from per-device lists, or fill them all with the scalar ``value``."""
        if states is not None:
            if value is not None:
                raise ValueError("Only one of states & value can be specified.")
            _load_general(states, self.state_arrays, [0] * len(states))
        else:
            if value is None:
                raise ValueError("At least one of states & value must be specified.")
            for d_dst in self.state_arrays:
                for dst in d_dst:
                    dst[:] = value

    def get_input_grads(self, merge_multi_context=True):
        """Gradients of the data inputs (bind with inputs_need_grad=True)."""
        if not self.inputs_need_grad:
            raise ValueError("get_input_grads: bind the module with inputs_need_grad=True")
        if merge_multi_context:
            return _merge_multi_context(self.input_grad_arrays, self.data_layouts)
        return self.input_grad_arrays

    def backward(self, out_grads=None):
        """Back-propagate on every device; ``out_grads`` are sliced like the batch."""
        if not self.for_training:
            raise ValueError("re-bind with for_training=True to run backward")
        if out_grads is None:
            out_grads = []
        for i, exe in enumerate(self.execs):
            sliced = []
            for grad, axis in zip(out_grads, self.output_layouts):
                if axis >= 0:
                    part = grad.slice_axis(axis=axis, begin=self.slices[i].start,
                                           end=self.slices[i].stop)
                    sliced.append(part.as_in_context(self.contexts[i]))
                else:
                    sliced.append(grad.copyto(self.contexts[i]))
            exe.backward(out_grads=sliced or None)

    def update_metric(self, eval_metric, labels, pre_sliced=False):
        """Update ``eval_metric`` with each device's outputs and its slice of ``labels``."""
        for current_exec, (texec, islice) in enumerate(zip(self.execs, self.slices)):
            if pre_sliced:
                labels_slice = labels[current_exec]
            elif len(self.execs) == 1:
                labels_slice = labels
            else:
                labels_slice = [label.slice_axis(axis=axis, begin=islice.start,
                                                  end=islice.stop) if axis >= 0 else label
                                for label, axis in zip(labels, self.label_layouts or
                                                       [0] * len(labels))]
            labels_ = OrderedDict(zip(self.label_names, labels_slice))
            preds = OrderedDict(zip(self.output_names, texec.outputs))
            eval_metric.update_dict(labels_, preds)

    def install_monitor(self, mon):
        """Install a Monitor on every executor."""
        for exe in self.execs:
            mon.install(exe)


def _average_into(block, target):
    """``target[:] = mean(block)`` (the per-device copies of one array), on target's device."""
    if len(block) == 1:
        src = block[0]
    else:
        total = block[0].as_in_context(target.context).astype("float32")
        for part in block[1:]:
            total = total + part.as_in_context(target.context).astype("float32")
        src = total / len(block)
    if src is target:
        return
    if src.stype != "default" or target.stype != "default":
        src.copyto(target)
    else:
        target[:] = src.as_in_context(target.context).astype(target.dtype, copy=False)

