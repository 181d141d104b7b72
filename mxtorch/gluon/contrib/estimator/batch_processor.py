"""How the Estimator trains and evaluates one batch."""
from ...utils import split_and_load
from .... import autograd

__all__ = ['BatchProcessor']


class BatchProcessor:
    """Runs one batch for an :py:class:`Estimator`: forward, loss and (in training) backward.

    Subclass it and override :py:meth:`fit_batch` / :py:meth:`evaluate_batch` to change
    what a training or validation step does, then pass an instance as
    ``Estimator(..., batch_processor=...)``.
    """

    def __init__(self):
        pass

    def _get_data_and_label(self, batch, ctx, batch_axis=0):
        """Split ``batch[0]`` (data) and ``batch[1]`` (label) over the devices ``ctx``."""
        data = split_and_load(batch[0], ctx_list=ctx, batch_axis=batch_axis)
        label = split_and_load(batch[1], ctx_list=ctx, batch_axis=batch_axis)
        return data, label

    def evaluate_batch(self, estimator, val_batch, batch_axis=0):
        """Run ``estimator.val_net`` and ``estimator.val_loss`` on one validation batch.

        Parameters
        ----------
        estimator : Estimator
            The estimator being evaluated.
        val_batch : tuple
            (data, label) from the validation DataLoader.
        batch_axis : int, default 0
            Axis along which the batch is split over the devices.

        Returns
        -------
        tuple of lists of NDArray
            (data, label, pred, loss), one entry per device.
        """
        data, label = self._get_data_and_label(val_batch, estimator.context, batch_axis)
        pred = [estimator.val_net(x) for x in data]
        loss = [estimator.val_loss(p, y) for p, y in zip(pred, label)]
        return data, label, pred, loss

    def fit_batch(self, estimator, train_batch, batch_axis=0):
        """Forward and backward ``estimator.net`` / ``estimator.loss`` on one training batch.

        The gradients are left in the parameters; the optimizer step is the job of
        :py:class:`GradientUpdateHandler`.

        Parameters
        ----------
        estimator : Estimator
            The estimator being trained.
        train_batch : tuple
            (data, label) from the training DataLoader.
        batch_axis : int, default 0
            Axis along which the batch is split over the devices.

        Returns
        -------
        tuple of lists of NDArray
            (data, label, pred, loss), one entry per device (split with
            ``gluon.utils.split_and_load``).
        """
        data, label = self._get_data_and_label(train_batch, estimator.context, batch_axis)
        with autograd.record():
            pred = [estimator.net(x) for x in data]
            loss = [estimator.loss(p, y) for p, y in zip(pred, label)]
        for value in loss:
            value.backward()
        return data, label, pred, loss
