"""Datasets: indexable collections of samples, and their lazy views (transform, filter...)."""
import os

from ... import ndarray
from ... import recordio

__all__ = ["Dataset", "SimpleDataset", "ArrayDataset", "RecordFileDataset"]


class Dataset(object):
    """Abstract dataset: subclasses define ``__getitem__`` and ``__len__``."""

    def __getitem__(self, idx):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError

    def filter(self, fn):
        """Returns the dataset of the samples for which ``fn(sample)`` is true.

        Parameters
        ----------
        fn : callable
            Called once per sample when the filtered dataset is built.
        """
        return _FilteredDataset(self, fn)

    def shard(self, num_shards, index):
        """Returns shard ``index`` of ``num_shards`` contiguous, near-equal shards (the first
        ``len % num_shards`` shards hold one sample more)."""
        if not 0 <= index < num_shards:
            raise AssertionError("Shard index of out bound: %d out of %d" % (index, num_shards))
        length = len(self)
        size, rest = divmod(length, num_shards)
        start = size * index + min(index, rest)
        stop = start + size + (1 if index < rest else 0)
        from .sampler import SequentialSampler
        return self.sample(SequentialSampler(stop - start, start))

    def take(self, count):
        """Returns the first ``count`` samples (all of them when ``count`` is None or too big)."""
        if count is None or count > len(self):
            count = len(self)
        from .sampler import SequentialSampler
        return self.sample(SequentialSampler(count))

    def sample(self, sampler):
        """Returns the samples at the indices ``sampler`` yields (a gluon.data.Sampler)."""
        from .sampler import Sampler
        if not isinstance(sampler, Sampler):
            raise TypeError("Invalid sampler type: %s. Expected gluon.data.Sampler instead."
                            % type(sampler))
        return _SampledDataset(self, sampler)

    def transform(self, fn, lazy=True):
        """Returns a dataset whose samples are ``fn(*sample)`` (tuples are unpacked).

        Parameters
        ----------
        fn : callable
        lazy : bool, default True
            If False, every sample is transformed now and kept in a SimpleDataset.
        """
        trans = _LazyTransformDataset(self, fn)
        if lazy:
            return trans
        return SimpleDataset([trans[i] for i in range(len(trans))])

    def transform_first(self, fn, lazy=True):
        """Like :meth:`transform`, applying ``fn`` to the first element of each sample only
        (to the sample itself when it is not a tuple)."""
        return self.transform(_TransformFirstClosure(fn), lazy)


class SimpleDataset(Dataset):
    """Wraps any object with ``__getitem__`` and ``__len__`` (a list, an array...).

    Parameters
    ----------
    data : sequence
    """

    def __init__(self, data):
        self._data = data

    def __len__(self):
        return len(self._data)

    def __getitem__(self, idx):
        return self._data[idx]


class _LazyTransformDataset(Dataset):
    """Applies ``fn`` to each sample on access."""

    def __init__(self, data, fn):
        self._data = data
        self._fn = fn

    def __len__(self):
        return len(self._data)

    def __getitem__(self, idx):
        item = self._data[idx]
        if isinstance(item, tuple):
            return self._fn(*item)
        return self._fn(item)


class _TransformFirstClosure(object):
    """Applies ``fn`` to the first argument and passes the others through (picklable)."""

    def __init__(self, fn):
        self._fn = fn

    def __call__(self, x, *args):
        if args:
            return (self._fn(x),) + args
        return self._fn(x)


class _FilteredDataset(Dataset):
    """The samples of ``dataset`` for which ``fn`` is true (indices found once)."""

    def __init__(self, dataset, fn):
        self._dataset = dataset
        self._indices = [i for i in range(len(dataset)) if fn(dataset[i])]

    def __len__(self):
        return len(self._indices)

    def __getitem__(self, idx):
        return self._dataset[self._indices[idx]]


class _SampledDataset(Dataset):
    """The samples of ``dataset`` at the indices a sampler yields."""

    def __init__(self, dataset, sampler):
        self._dataset = dataset
        self._sampler = sampler
        self._indices = list(iter(sampler))

    def __len__(self):
        return len(self._indices)

    def __getitem__(self, idx):
        return self._dataset[self._indices[idx]]


class ArrayDataset(Dataset):
    """Zips arrays of equal length: sample ``i`` is ``(a[i], b[i], ...)`` (just ``a[i]`` for one
    array). One-dimensional NDArrays are kept as numpy arrays, so their samples are scalars.

    Parameters
    ----------
    *args : NDArray, numpy.ndarray, list...
    """

    def __init__(self, *args):
        if not args:
            raise AssertionError("Needs at least 1 arrays")
        self._length = len(args[0])
        self._data = []
        for i, data in enumerate(args):
            if len(data) != self._length:
                raise AssertionError(
                    "All arrays must have the same length; array[0] has length %d while "
                    "array[%d] has %d." % (self._length, i, len(data)))
            if isinstance(data, ndarray.NDArray) and data.ndim == 1:
                data = data.asnumpy()
            self._data.append(data)

    def __getitem__(self, idx):
        if len(self._data) == 1:
            return self._data[0][idx]
        return tuple(data[idx] for data in self._data)

    def __len__(self):
        return self._length


class RecordFileDataset(Dataset):
    """The raw records of a RecordIO file; its index is the ``.idx`` file beside it.

    Parameters
    ----------
    filename : str
        Path to the ``.rec`` file.
    """

    def __init__(self, filename):
        self.idx_file = os.path.splitext(filename)[0] + ".idx"
        self.filename = filename
        for path in (filename, self.idx_file):
            if not os.path.isfile(path):
                raise IOError("RecordFileDataset: %r not found (a RecordIO dataset needs %r "
                              "and its index %r)" % (path, filename, self.idx_file))
        self._record = recordio.MXIndexedRecordIO(self.idx_file, self.filename, "r")

    def __getitem__(self, idx):
        return self._record.read_idx(self._record.keys[idx])

    def __len__(self):
        return len(self._record.keys)


class _DownloadedDataset(Dataset):
    """Base of datasets kept under a ``root`` folder as ``(data, label)`` arrays."""

    def __init__(self, root, transform):
        super(_DownloadedDataset, self).__init__()
        self._transform = transform
        self._data = None
        self._label = None
        root = os.path.expanduser(root)
        self._root = root
        if not os.path.isdir(root):
            os.makedirs(root)
        self._get_data()

    def __getitem__(self, idx):
        if self._transform is not None:
            return self._transform(self._data[idx], self._label[idx])
        return self._data[idx], self._label[idx]

    def __len__(self):
        return len(self._label)

    def _get_data(self):
        raise NotImplementedError
