"""gluon.contrib.estimator event handlers, one at a time (MXNet 1.9.1 semantics; the
end-to-end comparison with MXNet runs is in test_gluon_estimator.py)."""
import logging
import os
import warnings

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.gluon.contrib.estimator import (
    Estimator, CheckpointHandler, EarlyStoppingHandler, GradientUpdateHandler, LoggingHandler,
    MetricHandler, StoppingHandler, ValidationHandler, BatchEnd)
from mxtorch.gluon.contrib.estimator.event_handler import _check_event_handlers, EventHandler


class _Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def _loader(n=8, batch_size=4):
    x = mx.nd.array(np.linspace(-1, 1, n * 4).reshape(n, 4))
    y = mx.nd.array(np.arange(n) % 3)
    return mx.gluon.data.DataLoader(mx.gluon.data.ArrayDataset(x, y), batch_size=batch_size)


def _estimator(loss=None, hybrid=False):
    net = mx.gluon.nn.Dense(3, in_units=4)
    net.initialize(mx.init.Constant(0.1))
    if hybrid:
        net.hybridize()
    est = Estimator(net, loss or mx.gluon.loss.SoftmaxCrossEntropyLoss(),
                    trainer=mx.gluon.Trainer(net.collect_params(), 'sgd',
                                             {'learning_rate': 0.1}))
    est.logger.handlers = [_Records()]
    return est


def _log(est):
    return est.logger.handlers[0].lines


class _Fake:
    """A stand-in estimator for handlers that read only a few attributes."""

    def __init__(self, max_epoch=None, max_batch=None):
        self.max_epoch, self.max_batch, self.batch_axis = max_epoch, max_batch, 0


def test_check_event_handlers():
    handler = StoppingHandler()
    assert _check_event_handlers(handler) == [handler]
    assert _check_event_handlers(None) == []
    given = [handler]
    assert _check_event_handlers(given) == given and _check_event_handlers(given) is not given
    with pytest.raises(ValueError, match='EventHandler'):
        _check_event_handlers([handler, 'log'])
    assert isinstance(handler, EventHandler)


def test_stopping_handler_counts():
    by_batch = StoppingHandler()
    by_batch.train_begin(_Fake(max_batch=3))
    assert [by_batch.batch_end(None) for _ in range(3)] == [False, False, True]
    assert by_batch.epoch_end(None) is True
    by_epoch = StoppingHandler()
    by_epoch.train_begin(_Fake(max_epoch=2))
    assert not by_epoch.batch_end(None) and not by_epoch.epoch_end(None)
    assert by_epoch.epoch_end(None)


def test_metric_handler_updates_and_resets():
    acc, loss = mx.metric.Accuracy(), mx.metric.Loss()
    handler = MetricHandler([acc, loss])
    assert handler.priority == -1000
    pred = [mx.nd.array([[0.9, 0.1], [0.2, 0.8]])]
    label = [mx.nd.array([0, 0])]
    handler.batch_end(None, pred=pred, label=label, loss=[mx.nd.array([1.0, 3.0])])
    assert acc.get()[1] == 0.5 and loss.get()[1] == 2.0
    handler.epoch_begin(None)
    assert np.isnan(acc.get()[1]) and np.isnan(loss.get()[1])


def test_validation_handler_periods():
    calls = []

    def eval_fn(val_data, batch_axis, event_handlers):
        calls.append((val_data, batch_axis, event_handlers))

    handler = ValidationHandler('data', eval_fn, epoch_period=2, batch_period=3,
                                event_handlers=['h'])
    handler.train_begin(_Fake())
    for _ in range(7):
        handler.batch_end(_Fake())
    for _ in range(4):
        handler.epoch_end(_Fake())
    assert len(calls) == 4 and calls[0] == ('data', 0, ['h'])


def test_logging_handler_interval_checks():
    with pytest.raises(ValueError, match="log_interval must be an integer or 'epoch'"):
        LoggingHandler(log_interval='batch')
    assert LoggingHandler().priority == np.inf


def test_logging_handler_batch_lines():
    est = _estimator()
    est.fit(_loader(n=12), batches=3,
            event_handlers=[LoggingHandler(log_interval=2, metrics=est.train_metrics)])
    lines = _log(est)
    assert lines[0] == 'Training begin: using optimizer SGD with current learning rate 0.1000 '
    assert lines[1] == 'Train for 3 batches.'
    assert lines[3].startswith('[Epoch 0][Batch 0][Samples 4] time/interval: ')
    assert lines[4].startswith('[Epoch 0][Batch 2][Samples 12] time/interval: ')
    assert lines[-1].startswith('Train finished using total ')
    assert lines[-1].endswith('with 1 epochs. training accuracy: %.4f, training '
                              'softmaxcrossentropyloss: %.4f' % (est.train_metrics[0].get()[1],
                                                                 est.train_metrics[1].get()[1]))


def test_gradient_update_handler_batch_size():
    steps = []
    est = type('E', (), {'trainer': type('T', (), {'step': lambda self, n: steps.append(n)})()})
    handler = GradientUpdateHandler()
    assert handler.priority == -2000
    handler.batch_end(est, loss=[mx.nd.ones((3,)), mx.nd.ones((2,))])
    handler.batch_end(est, loss=mx.nd.ones((4, 2)))
    assert steps == [5, 4]


def test_checkpoint_files_and_max_checkpoints(tmp_path):
    est = _estimator(hybrid=True)
    ckpt = CheckpointHandler(str(tmp_path / 'new' / 'dir'), 'm', max_checkpoints=2)
    est.fit(_loader(), epochs=3, event_handlers=[ckpt])
    assert sorted(os.listdir(tmp_path / 'new' / 'dir')) == [
        'm-epoch1batch4.params', 'm-epoch1batch4.states', 'm-epoch2batch6.params',
        'm-epoch2batch6.states', 'm-symbol.json']
    assert ckpt.saved_checkpoints == ['m-epoch1batch4', 'm-epoch2batch6']
    loaded = mx.nd.load(str(tmp_path / 'new' / 'dir' / 'm-epoch2batch6.params'))
    np.testing.assert_allclose(loaded['weight'].asnumpy(), est.net.weight.data().asnumpy())
    sym = mx.sym.load(str(tmp_path / 'new' / 'dir' / 'm-symbol.json'))
    assert sym.list_arguments()[0] == 'data'


def test_checkpoint_not_hybridized_message(tmp_path):
    est = _estimator()
    est.fit(_loader(), batches=1, event_handlers=[CheckpointHandler(str(tmp_path))])
    assert any('Model architecture(symbol file) is not saved' in line for line in _log(est))


def test_checkpoint_save_best_auto_mode_and_logs(tmp_path):
    est = _estimator()
    loss = est.train_metrics[1]
    with pytest.warns(UserWarning, match='`less` operator will be used'):
        ckpt = CheckpointHandler(str(tmp_path), monitor=loss, save_best=True, verbose=1)
    assert ckpt.monitor_op is np.less
    est.fit(_loader(), epochs=2, event_handlers=[ckpt])
    improved = [line for line in _log(est) if 'improved from' in line]
    assert improved[0].startswith('[Epoch 0] CheckpointHandler: training '
                                  'softmaxcrossentropyloss improved from inf to ')
    assert 'model-best.params' in os.listdir(tmp_path)
    assert ckpt.best == loss.get()[1] or any('did not improve' in x for x in _log(est))


def test_checkpoint_save_best_errors_and_nan(tmp_path):
    with pytest.raises(ValueError, match='save_best=True needs monitor'):
        CheckpointHandler(str(tmp_path), save_best=True)
    with pytest.warns(RuntimeWarning, match="mode 'median' is unknown"):
        ckpt = CheckpointHandler(str(tmp_path), monitor=mx.metric.Accuracy(),
                                 save_best=True, mode='median')
    est = _estimator()
    with pytest.warns(RuntimeWarning, match='skipping save best because accuracy has no'):
        est.fit(_loader(), epochs=1, event_handlers=[ckpt])
    assert 'model-best.params' not in os.listdir(tmp_path)


def test_resume_checks(tmp_path):
    est = _estimator()
    est.logger.disabled = True
    est.fit(_loader(), epochs=2, event_handlers=[CheckpointHandler(str(tmp_path))])
    with pytest.raises(ValueError, match='last of the 2 epoches') as info:
        est.fit(_loader(), epochs=2,
                event_handlers=[CheckpointHandler(str(tmp_path), resume_from_checkpoint=True)])
    assert 'resume_from_checkpoint=False' in str(info.value)
    with pytest.raises(AssertionError, match='training by epochs needs epoch_period'):
        est.fit(_loader(), epochs=3, event_handlers=[CheckpointHandler(
            str(tmp_path), batch_period=1, resume_from_checkpoint=True)])
    (tmp_path / 'model-epochXbatch1.params').write_bytes(b'')
    with pytest.raises(ValueError, match="cannot parse checkpoint file 'model-epochXbatch1"):
        est.fit(_loader(), epochs=3,
                event_handlers=[CheckpointHandler(str(tmp_path), resume_from_checkpoint=True)])


def test_resume_counts_existing_checkpoints_and_odd_prefix(tmp_path):
    est = _estimator()
    est.logger.disabled = True
    prefix = 'epochbatch'  # contains the words the file names are parsed by
    est.fit(_loader(), epochs=3, event_handlers=[CheckpointHandler(str(tmp_path), prefix)])
    ckpt = CheckpointHandler(str(tmp_path), prefix, max_checkpoints=3,
                             resume_from_checkpoint=True)
    est.logger.disabled = False
    est.fit(_loader(), epochs=4, event_handlers=[ckpt])
    assert (ckpt.trained_epoch, ckpt.trained_batch) == (2, 6)
    assert ('CheckpointHandler: Checkpoint resumed from epoch 2 batch 6, continue to train '
            'for 1 epochs ') in _log(est)
    assert sorted(f for f in os.listdir(tmp_path) if f.endswith('.params')) == [
        prefix + '-epoch1batch4.params', prefix + '-epoch2batch6.params',
        prefix + '-epoch3batch8.params']


def test_resume_without_checkpoints_trains_from_scratch(tmp_path):
    est = _estimator()
    est.fit(_loader(), batches=2, event_handlers=[CheckpointHandler(
        str(tmp_path), epoch_period=None, batch_period=1, resume_from_checkpoint=True)])
    assert 'CheckpointHandler: No checkpoint found, training from scratch for 2 batches' \
        in _log(est)


def test_early_stopping_modes_and_errors():
    with pytest.raises(ValueError, match='monitor must be one of'):
        EarlyStoppingHandler('accuracy')
    with pytest.raises(ValueError, match='CompositeEvalMetric cannot be monitored'):
        EarlyStoppingHandler(mx.metric.CompositeEvalMetric([mx.metric.Accuracy()]))
    with pytest.warns(UserWarning, match='`greater` operator'):
        assert EarlyStoppingHandler(mx.metric.F1()).monitor_op is np.greater
    with pytest.warns(UserWarning, match='`less` operator'):
        handler = EarlyStoppingHandler(mx.metric.MAE(), min_delta=0.5)
    assert handler.monitor_op is np.less and handler.min_delta == -0.5
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        assert EarlyStoppingHandler(mx.metric.MAE(), mode='max', min_delta=0.5).min_delta == 0.5


class _Scripted(mx.metric.EvalMetric):
    def __init__(self, values):
        super().__init__('score')
        self.values = list(values)

    def get(self):
        return self.name, self.values.pop(0)


def test_early_stopping_patience_baseline_and_nan():
    handler = EarlyStoppingHandler(_Scripted([]), patience=2, mode='max', baseline=0.5,
                                   min_delta=0.1)
    handler.monitor.values = [0.55, 0.7, 0.75, 0.79, float('nan')]
    handler.train_begin(None)
    assert [handler.epoch_end(None) for _ in range(3)] == [False, False, False]
    assert handler.best == 0.7 and handler.wait == 1
    assert handler.epoch_end(None) is True and handler.stopped_epoch == 3
    handler.stop_training = False
    with pytest.warns(RuntimeWarning, match='score has no value'):
        assert handler.epoch_end(None) is False


def test_early_stopping_logs_at_train_end():
    est = _estimator()
    handler = EarlyStoppingHandler(est.train_metrics[0], mode='max', baseline=2.0)
    est.fit(_loader(), epochs=5, event_handlers=[handler])
    assert handler.stopped_epoch == 0 and handler.current_epoch == 1
    assert not any('early stopping' in line for line in _log(est))
    handler.stopped_epoch = 3
    handler.train_end(est)
    assert _log(est)[-1] == ('[Epoch 3] EarlyStoppingHandler: early stopping due to '
                             'training accuracy not improving')


def test_batch_end_stop_only_ends_the_epoch():
    est = _estimator()
    epochs = []

    class StopEachEpoch(BatchEnd):
        def batch_end(self, estimator, *args, **kwargs):
            epochs.append(len(epochs))
            return True

    est.fit(_loader(), epochs=3, event_handlers=[StopEachEpoch()])
    assert len(epochs) == 3  # one batch per epoch, three epochs
