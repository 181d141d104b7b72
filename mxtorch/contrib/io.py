"""``mx.contrib.io``: DataLoaderIter, a Gluon DataLoader seen as an ``mx.io.DataIter``."""
from .. import ndarray as nd
from ..io import DataDesc, DataIter


class DataLoaderIter(DataIter):
    """Wrap a ``gluon.data.DataLoader`` yielding (data, label) batches as a DataIter for Module.

    Parameters
    ----------
    loader : DataLoader
    data_name, label_name : str
    dtype : str
        dtype of the batches it describes and returns.
    """

    def __init__(self, loader, data_name="data", label_name="softmax_label", dtype="float32"):
        super().__init__()
        self._loader = loader
        self._iter = iter(loader)
        data, label = next(self._iter)
        self.batch_size = data.shape[0]
        self.dtype = dtype
        self.provide_data = [DataDesc(data_name, data.shape, dtype)]
        self.provide_label = [DataDesc(label_name, label.shape, dtype)]
        self._current_batch = None
        self.reset()

    def reset(self):
        self._iter = iter(self._loader)

    def iter_next(self):
        try:
            self._current_batch = next(self._iter)
        except StopIteration:
            self._current_batch = None
        return self._current_batch is not None

    def getdata(self):
        if self.getpad():
            data = self._current_batch[0]
            pad = nd.zeros((self.getpad(),) + tuple(data.shape[1:]), dtype=data.dtype)
            return [nd.concat(data, pad, dim=0).astype(self.dtype)]
        return [self._current_batch[0].astype(self.dtype)]

    def getlabel(self):
        if self.getpad():
            label = self._current_batch[1]
            pad = nd.zeros((self.getpad(),) + tuple(label.shape[1:]), dtype=label.dtype)
            return [nd.concat(label, pad, dim=0).astype(self.dtype)]
        return [self._current_batch[1].astype(self.dtype)]

    def getpad(self):
        return self.batch_size - self._current_batch[0].shape[0]

    def getindex(self):
        return None
