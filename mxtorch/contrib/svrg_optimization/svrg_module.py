"""``SVRGModule``: a Module trained with stochastic variance-reduced gradients.

Every ``update_freq`` epochs the full-data gradient ``mu`` is computed at a snapshot of the
weights ``w~`` (held by an auxiliary module). Each batch then updates with
``g_i(w) - g_i(w~) + mu`` instead of ``g_i(w)``; the optimizer (any registered one) applies
that corrected gradient as usual.
"""
import logging
import time  # noqa: F401 - part of MXNet's module namespace

import mxtorch as mx
from mxtorch.module import Module


class SVRGModule(Module):
    """A Module whose updates use SVRG gradients.

    Parameters
    ----------
    symbol, data_names, label_names, logger, context, work_load_list, fixed_param_names,
    state_names, group2ctxs, compression_params :
        As for Module.
    update_freq : int
        Epochs between two full-gradient computations (a positive integer).
    """

    def __init__(self, symbol, data_names=("data",), label_names=("softmax_label",),
                 logger=logging, context=mx.cpu(), work_load_list=None, fixed_param_names=None,
                 state_names=None, group2ctxs=None, compression_params=None, update_freq=None):
        super().__init__(symbol, data_names=data_names, label_names=label_names, logger=logger,
                         context=context, work_load_list=work_load_list,
                         fixed_param_names=fixed_param_names, state_names=state_names,
                         group2ctxs=group2ctxs, compression_params=compression_params)
        if not isinstance(update_freq, int) or isinstance(update_freq, bool) or update_freq <= 0:
            raise ValueError("update_freq in SVRGModule must be a positive integer to represent "
                             "the frequency for calculating full gradients")
        self.update_freq = update_freq
        self._mod_aux = Module(symbol, data_names, label_names, logger, context,
                               work_load_list, fixed_param_names, state_names, group2ctxs,
                               compression_params)
        self._param_dict = None
        self._ctx_len = len(self._context)

    def _reset_bind(self):
        super()._reset_bind()
        self._mod_aux._reset_bind()

    def reshape(self, data_shapes, label_shapes=None):
        super().reshape(data_shapes, label_shapes=label_shapes)
        self._mod_aux.reshape(data_shapes, label_shapes=label_shapes)

    def init_optimizer(self, kvstore="local", optimizer="sgd",
                       optimizer_params=(("learning_rate", 0.01),), force_init=False):
        """Create the optimizer (the SVRG correction happens in ``update``)."""
        super().init_optimizer(kvstore=kvstore, optimizer=optimizer,
                               optimizer_params=optimizer_params, force_init=force_init)

    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False,
             force_rebind=False, shared_module=None, grad_req="write"):
        """Bind this module and the snapshot module, and allocate the full gradients."""
        super().bind(data_shapes, label_shapes, for_training, inputs_need_grad, force_rebind,
                     shared_module, grad_req)
        if for_training:
            self._mod_aux.bind(data_shapes, label_shapes, for_training, inputs_need_grad,
                               force_rebind, shared_module, grad_req)
            self._param_dict = [{name: mx.nd.zeros(block[k].shape, ctx=block[k].context,
                                                   dtype=block[k].dtype)
                                 for name, block in zip(self._exec_group.param_names,
                                                        self._exec_group.param_arrays)}
                                for k in range(self._ctx_len)]

    def forward(self, data_batch, is_train=None):
        """Forward on the current weights (and, in training, on the snapshot weights)."""
        super().forward(data_batch, is_train)
        if is_train:
            self._mod_aux.forward(data_batch, is_train=True)

    def backward(self, out_grads=None):
        """Backward on both modules."""
        super().backward(out_grads)
        if self._mod_aux.binded:
            self._mod_aux.backward(out_grads)

    def update(self):
        """Replace each gradient by its SVRG correction, then run the optimizer."""
        self._update_svrg_gradients()
        super().update()

    def update_full_grads(self, train_data):
        """Snapshot the weights and average the gradient over all of ``train_data``."""
        arg, aux = self.get_params()
        self._mod_aux.set_params(arg_params=arg, aux_params=aux)
        names = self._exec_group.param_names
        for per_ctx in self._param_dict:
            for value in per_ctx.values():
                value[:] = 0
        train_data.reset()
        nbatch, padding = 0, 0
        for batch in train_data:
            self._mod_aux.forward(batch, is_train=True)
            self._mod_aux.backward()
            nbatch += 1
            for k in range(self._ctx_len):
                for index, name in enumerate(names):
                    grad = self._mod_aux._exec_group.grad_arrays[index][k]
                    self._param_dict[k][name] += grad
            padding = batch.pad or 0
        true_num_batch = nbatch - padding / train_data.batch_size
        for name in names:
            grads = [self._param_dict[k][name] for k in range(self._ctx_len)]
            for g in grads:
                g /= true_num_batch
            if self._ctx_len > 1:  # every device gets the average over devices
                total = grads[0].copy()
                for g in grads[1:]:
                    total += g.as_in_context(total.context)
                for g in grads:
                    g[:] = (total / self._ctx_len).as_in_context(g.context)

    def _update_svrg_gradients(self):
        group, aux_group = self._exec_group, self._mod_aux._exec_group
        for k in range(self._ctx_len):
            for index, name in enumerate(group.param_names):
                current = group.grad_arrays[index][k]
                if current is None:
                    continue
                snapshot = aux_group.grad_arrays[index][k]
                current[:] = current - snapshot + self._param_dict[k][name]

    def prepare(self, data_batch, sparse_row_id_fn=None):
        super().prepare(data_batch, sparse_row_id_fn=sparse_row_id_fn)
        self._mod_aux.prepare(data_batch, sparse_row_id_fn=sparse_row_id_fn)

    def fit(self, train_data, eval_data=None, eval_metric="acc", epoch_end_callback=None,
            batch_end_callback=None, kvstore="local", optimizer="sgd",
            optimizer_params=(("learning_rate", 0.01),), eval_end_callback=None,
            eval_batch_end_callback=None, initializer=mx.init.Uniform(0.01), arg_params=None,
            aux_params=None, allow_missing=False, force_rebind=False, force_init=False,
            begin_epoch=0, num_epoch=None, validation_metric=None, monitor=None,
            sparse_row_id_fn=None):
        """Module.fit with a full-gradient pass every ``update_freq`` epochs."""
        if num_epoch is None:
            raise ValueError("fit: please specify number of epochs (num_epoch=...)")
        self.bind(data_shapes=train_data.provide_data, label_shapes=train_data.provide_label,
                  for_training=True, force_rebind=force_rebind)
        if monitor is not None:
            self.install_monitor(monitor)
        self.init_params(initializer=initializer, arg_params=arg_params, aux_params=aux_params,
                         allow_missing=allow_missing, force_init=force_init)
        self.init_optimizer(kvstore=kvstore, optimizer=optimizer,
                            optimizer_params=optimizer_params)
        if validation_metric is None:
            validation_metric = eval_metric
        if not isinstance(eval_metric, mx.metric.EvalMetric):
            eval_metric = mx.metric.create(eval_metric)
        for epoch in range(begin_epoch, num_epoch):
            if epoch % self.update_freq == 0:
                self.update_full_grads(train_data)
            train_data.reset()
            self._fit_epoch(epoch, train_data, eval_metric, batch_end_callback, monitor,
                            sparse_row_id_fn)
            arg_params, aux_params = self.get_params()
            self.set_params(arg_params, aux_params)
            if epoch_end_callback is not None:
                for callback in (epoch_end_callback if isinstance(epoch_end_callback, list)
                                 else [epoch_end_callback]):
                    callback(epoch, self.symbol, arg_params, aux_params)
            if eval_data:
                res = self.score(eval_data, validation_metric,
                                 score_end_callback=eval_end_callback,
                                 batch_end_callback=eval_batch_end_callback, epoch=epoch)
                for name, val in res:
                    self.logger.info("Epoch[%d] Validation-%s=%f", epoch, name, val)
            train_data.reset()
