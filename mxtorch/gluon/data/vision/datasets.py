"""Vision datasets read from their real on-disk formats (MNIST IDX, CIFAR binaries, RecordIO,
image folders and lists).

Files are looked up under ``root``; missing ones are fetched from the Gluon repository
(``MXNET_GLUON_REPO``) when possible, and otherwise the error names each missing file and
the folder to put it in.
"""
import gzip
import os
import pickle
import struct
import tarfile
import warnings

import numpy as np

from .... import ndarray as nd
from .... import image
from .... import recordio
from .... import base  # noqa: F401
from ....base import MXNetError, data_dir
from ....util import is_np_array  # noqa: F401
from ...utils import download, check_sha1, _get_repo_file_url  # noqa: F401
from .. import dataset

__all__ = ["MNIST", "FashionMNIST", "CIFAR10", "CIFAR100", "ImageRecordDataset",
           "ImageFolderDataset", "ImageListDataset"]


def _fetch_missing(root, namespace, names, archive=None):
    """Downloads the files of ``names`` missing from ``root`` (or the archive holding them)."""
    missing = [n for n in names if not os.path.exists(os.path.join(root, n))]
    if not missing:
        return
    wanted = [archive[0]] if archive else missing
    sha1 = dict([archive]) if archive else {}
    try:
        for name in wanted:
            path = download(_get_repo_file_url("gluon/dataset/" + namespace, name), path=root,
                            sha1_hash=sha1.get(name))
            if archive:
                _extract(path, root)
    except Exception as err:
        raise MXNetError(
            "dataset files missing: %s not found in %s and could not be downloaded (%s). Put "
            "the files there (or set MXNET_GLUON_REPO to a reachable mirror)"
            % (", ".join(repr(n) for n in missing), os.path.abspath(root), err)) from err


def _extract(path, root):
    with tarfile.open(path) as tar:
        try:
            tar.extractall(root, filter="data")
        except TypeError:  # Python without extraction filters
            tar.extractall(root)


def _read_idx(path, magic, dims):
    """An IDX file (optionally gzipped): big-endian header, then uint8 data."""
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as fin:
            head = fin.read(4 + 4 * dims)
            body = fin.read()
    except (OSError, EOFError) as err:
        raise MXNetError("MNIST: cannot read %r: %s" % (path, err)) from err
    if len(head) < 4 + 4 * dims:
        raise MXNetError("MNIST: %r is truncated (header of %d bytes)" % (path, len(head)))
    fields = struct.unpack(">%dI" % (1 + dims), head)
    if fields[0] != magic:
        raise MXNetError("MNIST: %r is not an IDX file of this kind (magic %d, expected %d)"
                         % (path, fields[0], magic))
    shape = fields[1:]
    if len(body) != int(np.prod(shape)):
        raise MXNetError("MNIST: %r holds %d bytes of data, its header promises %s = %d"
                         % (path, len(body), shape, int(np.prod(shape))))
    return np.frombuffer(body, dtype=np.uint8).reshape(shape)


class MNIST(dataset._DownloadedDataset):
    """MNIST handwritten digits: samples are (28x28x1 uint8 NDArray, int32 label).

    Parameters
    ----------
    root : str, default $MXNET_HOME/datasets/mnist
        Folder with ``train-images-idx3-ubyte.gz``, ``train-labels-idx1-ubyte.gz``,
        ``t10k-images-idx3-ubyte.gz`` and ``t10k-labels-idx1-ubyte.gz``.
    train : bool, default True
        The training set (else the test set).
    transform : callable, optional
        ``transform(data, label) -> (data, label)`` applied to each sample.
    """

    def __init__(self, root=os.path.join(data_dir(), "datasets", "mnist"), train=True,
                 transform=None):
        self._train = train
        self._train_data = ("train-images-idx3-ubyte.gz",
                            "6c95f4b05d2bf285e1bfb0e7960c31bd3b3f8a7d")
        self._train_label = ("train-labels-idx1-ubyte.gz",
                             "2a80914081dc54586dbdf242f9805a6b8d2a15fc")
        self._test_data = ("t10k-images-idx3-ubyte.gz",
                           "c3a25af1f52dad7f726cce8cacb138654b760d48")
        self._test_label = ("t10k-labels-idx1-ubyte.gz",
                            "763e7fa3757d93b0cdec073cef058b2004252c17")
        self._namespace = "mnist"
        super(MNIST, self).__init__(root, transform)

    def _get_data(self):
        data, label = (self._train_data, self._train_label) if self._train else \
            (self._test_data, self._test_label)
        _fetch_missing(self._root, self._namespace, [data[0], label[0]])
        labels = _read_idx(os.path.join(self._root, label[0]), 2049, 1).astype(np.int32)
        images = _read_idx(os.path.join(self._root, data[0]), 2051, 3)
        if len(images) != len(labels):
            raise MXNetError("MNIST: %s has %d images but %s has %d labels"
                             % (data[0], len(images), label[0], len(labels)))
        images = images.reshape(len(labels), images.shape[1], images.shape[2], 1)
        self._data = nd.array(images, dtype=images.dtype)
        self._label = labels


class FashionMNIST(MNIST):
    """Fashion-MNIST (Zalando article images), in MNIST's format and layout.

    Parameters
    ----------
    root : str, default $MXNET_HOME/datasets/fashion-mnist
    train : bool, default True
    transform : callable, optional
    """

    def __init__(self, root=os.path.join(data_dir(), "datasets", "fashion-mnist"), train=True,
                 transform=None):
        self._train = train
        self._train_data = ("train-images-idx3-ubyte.gz",
                            "0cf37b0d40ed5169c6b3aba31069a9770ac9043d")
        self._train_label = ("train-labels-idx1-ubyte.gz",
                             "236021d52f1e40852b06a4c3008d8de8aef1e40b")
        self._test_data = ("t10k-images-idx3-ubyte.gz",
                           "626ed6a7c06dd17c0eec72fa3be1740f146a2863")
        self._test_label = ("t10k-labels-idx1-ubyte.gz",
                            "17f9ab60e7257a1620f4ad76bbbaf857c3920701")
        self._namespace = "fashion-mnist"
        super(MNIST, self).__init__(root, transform)


class CIFAR10(dataset._DownloadedDataset):
    """CIFAR-10: samples are (32x32x3 uint8 NDArray, int32 label).

    Reads the binary batches (``data_batch_1.bin`` ... ``data_batch_5.bin``,
    ``test_batch.bin``) from ``root`` or ``root/cifar-10-batches-bin``, or the python
    batches in ``root/cifar-10-batches-py``.

    Parameters
    ----------
    root : str, default $MXNET_HOME/datasets/cifar10
    train : bool, default True
    transform : callable, optional
    """

    def __init__(self, root=os.path.join(data_dir(), "datasets", "cifar10"), train=True,
                 transform=None):
        self._train = train
        self._archive_file = ("cifar-10-binary.tar.gz", "fab780a1e191a7eda0f345501ccd62d20f7ed891")
        self._train_data = [("data_batch_1.bin", "aadd24acce27caa71bf4b10992e9e7b2d74c2540"),
                            ("data_batch_2.bin", "c0ba65cce70568cd57b4e03e9ac8d2a5367c1795"),
                            ("data_batch_3.bin", "1dd00a74ab1d17a6e7d73e185b69dbf31242f295"),
                            ("data_batch_4.bin", "aab85764eb3584312d3c7f65fd2fd016e36a258e"),
                            ("data_batch_5.bin", "26e2849e66a845b7f1e4614ae70f4889ae604628")]
        self._test_data = [("test_batch.bin", "67eb016db431130d61cd03c7ad570b013799c88c")]
        self._namespace = "cifar10"
        super(CIFAR10, self).__init__(root, transform)

    _LABEL_BYTES = 1
    _SUBDIRS = ("cifar-10-batches-bin",)
    _PY_DIR = "cifar-10-batches-py"

    def _label_column(self):
        return 0

    def _read_batch(self, filename):
        raw = np.fromfile(filename, dtype=np.uint8)
        record = 3072 + self._LABEL_BYTES
        if raw.size % record:
            raise MXNetError("%s: %r holds %d bytes, not a whole number of %d-byte records "
                             "(truncated?)" % (type(self).__name__, filename, raw.size, record))
        raw = raw.reshape(-1, record)
        images = raw[:, self._LABEL_BYTES:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        return images, raw[:, self._label_column()].astype(np.int32)

    def _folder(self, names):
        for sub in ("",) + self._SUBDIRS:
            folder = os.path.join(self._root, sub)
            if all(os.path.exists(os.path.join(folder, n)) for n in names):
                return folder
        return None

    def _get_data(self):
        names = [n for n, _ in (self._train_data if self._train else self._test_data)]
        folder = self._folder(names)
        if folder is None and os.path.isdir(os.path.join(self._root, self._PY_DIR)):
            images, labels = self._read_python()
        else:
            if folder is None:
                all_names = [n for n, _ in self._train_data + self._test_data]
                _fetch_missing(self._root, self._namespace, all_names, self._archive_file)
                folder = self._folder(names) or self._root
            parts = [self._read_batch(os.path.join(folder, n)) for n in names]
            images = np.concatenate([p[0] for p in parts])
            labels = np.concatenate([p[1] for p in parts])
        self._data = nd.array(images, dtype=images.dtype)
        self._label = labels

    def _python_batches(self):
        if self._train:
            return ["data_batch_%d" % i for i in range(1, 6)]
        return ["test_batch"]

    def _python_labels(self, batch):
        return batch[b"labels"]

    def _read_python(self):
        images, labels = [], []
        for name in self._python_batches():
            path = os.path.join(self._root, self._PY_DIR, name)
            if not os.path.exists(path):
                raise MXNetError("%s: %r is missing from %s" % (
                    type(self).__name__, name, os.path.join(self._root, self._PY_DIR)))
            with open(path, "rb") as fin:
                batch = pickle.load(fin, encoding="bytes")
            images.append(np.asarray(batch[b"data"], np.uint8).reshape(-1, 3, 32, 32)
                          .transpose(0, 2, 3, 1))
            labels.append(np.asarray(self._python_labels(batch), np.int32))
        return np.concatenate(images), np.concatenate(labels)


class CIFAR100(CIFAR10):
    """CIFAR-100: samples are (32x32x3 uint8 NDArray, int32 label).

    Parameters
    ----------
    root : str, default $MXNET_HOME/datasets/cifar100
        Folder with ``train.bin`` and ``test.bin`` (or ``cifar-100-binary/``, or the python
        ``cifar-100-python/``).
    fine_label : bool, default False
        The 100 fine classes (else the 20 coarse ones).
    train : bool, default True
    transform : callable, optional
    """

    def __init__(self, root=os.path.join(data_dir(), "datasets", "cifar100"), fine_label=False,
                 train=True, transform=None):
        self._train = train
        self._archive_file = ("cifar-100-binary.tar.gz",
                              "a0bb982c76b83111308126cc779a992fa506b90b")
        self._train_data = [("train.bin", "e207cd2e05b73b1393c74c7f5e7bea451d63e08e")]
        self._test_data = [("test.bin", "8fb6623e830365ff53cf14adec797474f5478006")]
        self._fine_label = fine_label
        self._namespace = "cifar100"
        super(CIFAR10, self).__init__(root, transform)

    _LABEL_BYTES = 2
    _SUBDIRS = ("cifar-100-binary",)
    _PY_DIR = "cifar-100-python"

    def _label_column(self):
        return 1 if self._fine_label else 0

    def _python_batches(self):
        return ["train"] if self._train else ["test"]

    def _python_labels(self, batch):
        return batch[b"fine_labels" if self._fine_label else b"coarse_labels"]


class ImageRecordDataset(dataset.RecordFileDataset):
    """Images packed in a RecordIO file (``recordio.pack_img``): samples are (HxWxC uint8
    NDArray, label).

    Parameters
    ----------
    filename : str
        The ``.rec`` file (its ``.idx`` must be beside it).
    flag : {0, 1}, default 1
        1: decode to three color channels (RGB); 0: grayscale.
    transform : callable, optional
        ``transform(data, label) -> (data, label)``.
    """

    def __init__(self, filename, flag=1, transform=None):
        super(ImageRecordDataset, self).__init__(filename)
        self._flag = flag
        self._transform = transform

    def __getitem__(self, idx):
        record = super(ImageRecordDataset, self).__getitem__(idx)
        header, img = recordio.unpack(record)
        img = image.imdecode(img, self._flag)
        if self._transform is not None:
            return self._transform(img, header.label)
        return img, header.label


_IMAGE_EXTS = [".jpg", ".jpeg", ".png"]


class ImageFolderDataset(dataset.Dataset):
    """Images in one sub-folder per class (``root/car/0001.jpg``, ``root/bus/...``).

    Labels are the indices of the sorted folder names (``synsets``); ``items`` lists
    ``(path, label)``. Files other than .jpg/.jpeg/.png are skipped with a warning.

    Parameters
    ----------
    root : str
    flag : {0, 1}, default 1
        1: three color channels (RGB); 0: grayscale.
    transform : callable, optional
        ``transform(data, label) -> (data, label)``.
    """

    def __init__(self, root, flag=1, transform=None):
        self._root = os.path.expanduser(root)
        self._flag = flag
        self._transform = transform
        self._exts = list(_IMAGE_EXTS)
        if not os.path.isdir(self._root):
            raise MXNetError("ImageFolderDataset: %r is not a folder (expected one sub-folder "
                             "of images per class)" % self._root)
        self._list_images(self._root)

    def _list_images(self, root):
        self.synsets = []
        self.items = []
        for folder in sorted(os.listdir(root)):
            path = os.path.join(root, folder)
            if not os.path.isdir(path):
                warnings.warn("Ignoring %s, which is not a directory." % path, stacklevel=3)
                continue
            label = len(self.synsets)
            self.synsets.append(folder)
            for filename in sorted(os.listdir(path)):
                filename = os.path.join(path, filename)
                ext = os.path.splitext(filename)[1]
                if ext.lower() not in self._exts:
                    warnings.warn("Ignoring %s of type %s. Only support %s"
                                  % (filename, ext, ", ".join(self._exts)))
                    continue
                self.items.append((filename, label))

    def __getitem__(self, idx):
        img = image.imread(self.items[idx][0], self._flag)
        label = self.items[idx][1]
        if self._transform is not None:
            return self._transform(img, label)
        return img, label

    def __len__(self):
        return len(self.items)


class ImageListDataset(dataset.Dataset):
    """Images named by a list (MXNet 2.x): a ``.lst`` file (``index<TAB>label(s)<TAB>path``
    lines) or a Python list of ``[label(s)..., path]``.

    Parameters
    ----------
    root : str, default '.'
        Folder the image paths are relative to.
    imglist : str or list
    flag : {0, 1}, default 1
    """

    def __init__(self, root=".", imglist=None, flag=1):
        self._root = os.path.expanduser(root)
        self._flag = flag
        self.items = []
        if isinstance(imglist, str):
            self._read_lst(os.path.join(self._root, imglist) if not os.path.isabs(imglist) and
                           not os.path.exists(imglist) else imglist)
        elif isinstance(imglist, (list, tuple)):
            for entry in imglist:
                labels = np.array(entry[:-1], dtype=np.float32)
                self.items.append((entry[-1], labels[0] if labels.size == 1 else labels))
        else:
            raise ValueError("ImageListDataset: imglist must be a .lst path or a list of "
                             "[label(s)..., path], got %s" % type(imglist).__name__)

    def _read_lst(self, path):
        with open(path) as fin:
            for number, line in enumerate(fin, 1):
                fields = line.strip().split("\t")
                if len(fields) < 3:
                    if line.strip():
                        raise ValueError("ImageListDataset: %s line %d: expected 'index<TAB>"
                                         "label(s)<TAB>path'" % (path, number))
                    continue
                labels = np.array(fields[1:-1], dtype=np.float32)
                self.items.append((fields[-1], labels[0] if labels.size == 1 else labels))

    def __getitem__(self, idx):
        path, label = self.items[idx]
        return image.imread(os.path.join(self._root, path), self._flag), label

    def __len__(self):
        return len(self.items)
