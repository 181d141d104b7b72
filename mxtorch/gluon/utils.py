"""Gluon helpers: data-parallel splitting, global-norm clipping, downloads, hook handles."""

__all__ = ['split_data', 'split_and_load', 'clip_global_norm',
           'check_sha1', 'download', 'replace_file']

import collections
import hashlib
import os
import shutil
import urllib.parse
import urllib.request
import uuid
import warnings
import weakref

import numpy as np

from .. import ndarray
from ..base import MXNetError
from ..util import is_np_shape, is_np_array


class UsageError(MXNetError, ValueError, AssertionError):
    """Bad input to a Gluon helper (an ``AssertionError`` in MXNet, so old handlers still
    catch it)."""


def _np_module():
    from .. import numpy as mx_np  # the 2.x front end (loaded on demand)
    return mx_np


def _boundaries(size, num_slice):
    """Start offsets of ``num_slice`` near-equal sections (larger ones first), plus ``size``."""
    each, extra = divmod(size, num_slice)
    points = [0]
    for i in range(num_slice):
        points.append(points[-1] + each + (1 if i < extra else 0))
    return points


def split_data(data, num_slice, batch_axis=0, even_split=True):
    """Splits an NDArray into `num_slice` slices along `batch_axis`.

    Parameters
    ----------
    data : NDArray
        A batch of data.
    num_slice : int
        Number of desired slices.
    batch_axis : int, default 0
        The axis along which to slice.
    even_split : bool, default True
        Whether every slice must have the same size; if True and `num_slice` does not divide
        ``data.shape[batch_axis]``, a ValueError is raised.

    Returns
    -------
    list of NDArray
        A list even when `num_slice` is 1.
    """
    size = data.shape[batch_axis]
    if even_split and size % num_slice != 0:
        raise ValueError(
            "split_data: data with shape %s cannot be evenly split into %d slices along axis "
            "%d. Use a batch size that is a multiple of %d or set even_split=False to allow "
            "uneven partitioning of data." % (str(data.shape), num_slice, batch_axis, num_slice))
    points = _boundaries(size, num_slice)
    if is_np_array():
        return _np_module().split(data, indices_or_sections=points[1:-1], axis=batch_axis)
    if batch_axis == 0:
        return [data[points[i]:points[i + 1]] for i in range(num_slice)]
    return [ndarray.slice_axis(data, axis=batch_axis, begin=points[i], end=points[i + 1])
            for i in range(num_slice)]


def split_and_load(data, ctx_list, batch_axis=0, even_split=True):
    """Splits an NDArray into ``len(ctx_list)`` slices along `batch_axis` and copies
    each slice to one context of `ctx_list`.

    Parameters
    ----------
    data : NDArray or ndarray or array-like
        A batch of data.
    ctx_list : list of Context
        A list of Contexts.
    batch_axis : int, default 0
        The axis along which to slice.
    even_split : bool, default True
        Whether every slice must have the same size.

    Returns
    -------
    list of NDArray
        One slice per context of `ctx_list`.
    """
    if not isinstance(data, ndarray.NDArray):
        make = _np_module().array if is_np_array() else ndarray.array
        data = make(data, ctx=ctx_list[0])
    if len(ctx_list) == 1:
        return [data.as_in_context(ctx_list[0])]
    slices = split_data(data, len(ctx_list), batch_axis, even_split)
    return [part.as_in_context(ctx) for part, ctx in zip(slices, ctx_list)]


def _squared_norm(array):
    if array.stype == 'default':
        flat = array.reshape((-1,))
        return ndarray.dot(flat, flat)
    return array.norm().square()


def clip_global_norm(arrays, max_norm, check_isfinite=True):
    """Rescales NDArrays in place so that the 2-norm of all of them together is at most
    `max_norm`.

    Parameters
    ----------
    arrays : list of NDArray
    max_norm : float
    check_isfinite : bool, default True
        If True, check that the total norm is finite (not nan or inf) and warn if not;
        this reads the norm back to the host. ``mx.np`` arrays are accepted too (MXNet 1.9.1
        refuses them).

    Returns
    -------
    float or NDArray
        The total norm: a float if `check_isfinite`, else an NDArray of shape (1,).
    """
    if len(arrays) == 0:
        raise UsageError("clip_global_norm: expected a non-empty list of arrays, got none")
    np_out = any(_is_np(a) for a in arrays)
    arrays = [a.as_nd_ndarray() if _is_np(a) else a for a in arrays]  # zero-copy views
    ctx = arrays[0].context
    total = ndarray.add_n(*[_squared_norm(a).as_in_context(ctx) for a in arrays])
    total = ndarray.sqrt(total)
    if check_isfinite and not np.isfinite(total.asscalar()):
        warnings.warn(UserWarning('nan or inf is detected. Clipping results will be undefined.'),
                      stacklevel=2)
    scale = max_norm / (total + 1e-8)
    scale = ndarray.min(ndarray.concat(scale, ndarray.ones(1, ctx=ctx), dim=0))
    for arr in arrays:
        arr *= scale.as_in_context(arr.context)
    if check_isfinite:
        return total.asscalar()
    return total.as_np_ndarray() if np_out else total


def _is_np(array):
    np_class = _np_ndarray_class()
    return np_class is not None and isinstance(array, np_class)


def _indent(text, num_spaces):
    """Indent every line of `text` but the first by `num_spaces` spaces."""
    lines = text.split('\n')
    if len(lines) == 1:
        return text
    return '\n'.join([lines[0]] + [' ' * num_spaces + line for line in lines[1:]])


def check_sha1(filename, sha1_hash):
    """Check whether the sha1 hash of a file's content matches the expected hash.

    Parameters
    ----------
    filename : str
        Path to the file.
    sha1_hash : str
        Expected sha1 hash in hexadecimal digits.

    Returns
    -------
    bool
        Whether the file content matches the expected hash.
    """
    digest = hashlib.sha1()
    with open(filename, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest() == sha1_hash


def replace_file(src, dst):
    """Atomically move file `src` to `dst` (replacing `dst`); on failure `src` is removed.

    Parameters
    ----------
    src : str
        Source file path.
    dst : str
        Destination file path.
    """
    try:
        os.replace(src, dst)
    except OSError as err:
        try:
            os.remove(src)
        except OSError:
            pass
        raise OSError('Moving downloaded temp file - {}, to {} failed: {}. Please retry the '
                      'download.'.format(src, dst, err)) from err


def _target_name(url, path):
    leaf = url.split('/')[-1]
    if path is None:
        if not leaf:
            raise UsageError("download: cannot construct a file name from URL '%s'. Please set "
                             "the `path` option manually." % url)
        return leaf
    path = os.path.expanduser(path)
    return os.path.join(path, leaf) if os.path.isdir(path) else path


_SOCKET_TIMEOUT = 60  # seconds without data before a download attempt fails (never hang)


def _fetch(url, dest, verify_ssl):
    """Copy `url` (http(s), file:// or a local path) into file `dest`."""
    scheme = urllib.parse.urlparse(url).scheme
    if scheme in ('', 'file'):
        src = urllib.request.url2pathname(urllib.parse.urlparse(url).path) if scheme else url
        shutil.copyfile(src, dest)
        return
    try:
        import requests
    except ImportError:
        requests = None
    if requests is not None:  # as MXNet: requests.get (so patched/mocked requests apply too)
        resp = requests.get(url, stream=True, verify=verify_ssl, timeout=_SOCKET_TIMEOUT)
        if resp.status_code != 200:
            raise RuntimeError('Failed downloading url {} (HTTP status {})'
                               .format(url, resp.status_code))
        with open(dest, 'wb') as out:
            for chunk in resp.iter_content(chunk_size=1 << 16):
                if chunk:
                    out.write(chunk)
        return
    context = None
    if not verify_ssl:
        import ssl
        context = ssl._create_unverified_context()  # pylint: disable=protected-access
    with urllib.request.urlopen(url, context=context, timeout=_SOCKET_TIMEOUT) as resp, \
            open(dest, 'wb') as out:
        status = getattr(resp, 'status', 200)
        if status != 200:
            raise RuntimeError('Failed downloading url {} (HTTP status {})'.format(url, status))
        shutil.copyfileobj(resp, out, 1 << 20)


class DownloadError(MXNetError, ConnectionError):
    """A download that failed after its retries: an MXNetError, and an OSError/ConnectionError
    as the network errors MXNet lets through (``requests.ConnectionError`` is an OSError)."""


def _offline_error(url, fname, err):
    cls = DownloadError
    if type(err).__module__.split('.')[0] == 'requests':  # also the requests error MXNet raises
        cls = type('DownloadError', (DownloadError, type(err)), {})
    return cls(
        "download: could not fetch '{}' ({}: {}). If this machine is offline, place the file "
        "at '{}' yourself (with the expected sha1 if one is given) and call again."
        .format(url, type(err).__name__, err, os.path.abspath(fname)))


def _needs_download(fname, overwrite, sha1_hash):
    return overwrite or not os.path.exists(fname) or bool(
        sha1_hash and not check_sha1(fname, sha1_hash))


def _download_once(url, fname, sha1_hash, verify_ssl, overwrite):
    tmp = '{}.{}'.format(fname, uuid.uuid4())
    try:
        _fetch(url, tmp, verify_ssl)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    if overwrite or _needs_download(fname, False, sha1_hash):
        replace_file(tmp, fname)
    else:  # another process finished the same file first
        os.remove(tmp)
        warnings.warn('File {} exists in file system so the downloaded file is deleted'
                      .format(fname))
    if sha1_hash and not check_sha1(fname, sha1_hash):
        raise UserWarning('File {} is downloaded but the content hash does not match. The repo '
                          'may be outdated or download may be incomplete. If the "repo_url" is '
                          'overridden, consider switching to the default repo.'.format(fname))


def download(url, path=None, overwrite=False, sha1_hash=None, retries=5, verify_ssl=True):
    """Download a given URL (http(s), ``file://`` or a local path) to a file.

    The file is written to a temporary name and renamed into place, so a failed download
    never leaves a half-written file.

    Parameters
    ----------
    url : str
        URL to download.
    path : str, optional
        Destination file or directory. By default the current directory, with the name the
        URL ends with.
    overwrite : bool, optional
        Whether to download again when the destination already exists.
    sha1_hash : str, optional
        Expected sha1 hash in hexadecimal digits. An existing file whose hash does not match
        is downloaded again.
    retries : int, default 5
        The number of times to retry after a failure.
    verify_ssl : bool, default True
        Verify SSL certificates.

    Returns
    -------
    str
        The path of the downloaded file.
    """
    fname = _target_name(url, path)
    if not isinstance(retries, int) or retries < 0:
        raise UsageError("download: number of retries should be at least 0, currently it's {}"
                         .format(retries))
    if not verify_ssl:
        warnings.warn('Unverified HTTPS request is being made (verify_ssl=False). '
                      'Adding certificate verification is strongly advised.')
    if not _needs_download(fname, overwrite, sha1_hash):
        return fname
    dirname = os.path.dirname(os.path.abspath(fname))
    os.makedirs(dirname, exist_ok=True)
    while True:
        try:
            print('Downloading {} from {}...'.format(fname, url))
            _download_once(url, fname, sha1_hash, verify_ssl, overwrite)
            return fname
        except UserWarning:
            raise
        except Exception as err:  # pylint: disable=broad-except
            retries -= 1
            if retries <= 0:
                if isinstance(err, (OSError, RuntimeError)):
                    raise _offline_error(url, fname, err) from err
                raise
            print('download failed due to {}, retrying, {} attempt{} left'
                  .format(repr(err), retries, 's' if retries > 1 else ''))


def _get_repo_url():
    """The base URL of the Gluon dataset and model repository (``MXNET_GLUON_REPO``)."""
    repo = os.environ.get('MXNET_GLUON_REPO',
                          'https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/')
    return repo if repo.endswith('/') else repo + '/'


def _get_repo_file_url(namespace, filename):
    """The URL of `filename` under `namespace` in the Gluon repository."""
    return '{}{}/{}'.format(_get_repo_url(), namespace, filename)


def _brief_print_list(lst, limit=7):
    """Quote at most `limit` elements of `lst`, eliding the middle with '...'."""
    lst = list(lst)
    if len(lst) > limit:
        return (_brief_print_list(lst[:limit // 2], limit) + ', ..., ' +
                _brief_print_list(lst[-limit // 2:], limit))
    return ', '.join("'%s'" % str(i) for i in lst)


class HookHandle(object):
    """A handle that can attach a hook to a hook dictionary and detach it again.

    Usable as a context manager: the hook is detached on exit.
    """

    def __init__(self):
        self._hooks_dict_ref = None
        self._id = None

    @property
    def id(self):
        """The key of the hook in its dictionary (None before `attach`)."""
        return self._id

    def attach(self, hooks_dict, hook):
        """Add `hook` to `hooks_dict` (an ordered dict) under a fresh key."""
        if self._hooks_dict_ref is not None:
            raise UsageError('HookHandle.attach: the same handle cannot be attached twice '
                             '(hook %r). Create a new HookHandle.' % (hook,))
        self._id = id(hook)
        hooks_dict[self._id] = hook
        self._hooks_dict_ref = weakref.ref(hooks_dict)

    def detach(self):
        """Remove the hook from its dictionary; does nothing if it is already gone."""
        hooks_dict = self._hooks_dict_ref() if self._hooks_dict_ref is not None else None
        if hooks_dict is not None and self._id in hooks_dict:
            del hooks_dict[self._id]

    def __getstate__(self):
        hooks_dict = self._hooks_dict_ref() if self._hooks_dict_ref is not None else None
        return (hooks_dict, self._id)

    def __setstate__(self, state):
        hooks_dict, self._id = state
        # a hook dict that did not survive pickling gets a fresh empty one, as in MXNet
        self._hooks_dict_ref = weakref.ref(
            hooks_dict if hooks_dict is not None else _orphan_dict())

    def __enter__(self):
        return self

    def __exit__(self, ptype, value, trace):
        self.detach()


_ORPHANS = []


def _orphan_dict():
    """An empty hook dict kept alive for unpickled handles whose dict is gone."""
    orphan = collections.OrderedDict()
    _ORPHANS[:] = [orphan]
    return orphan


def shape_is_known(shape):
    """Whether a shape is fully known: no unknown dimension (0 in legacy shape semantics,
    -1 under ``is_np_shape()``); None is unknown.
    """
    if shape is None:
        return False
    unknown = -1 if is_np_shape() else 0
    if len(shape) == 0:
        return unknown == -1
    for dim in shape:
        if dim == unknown:
            return False
        if dim < unknown:
            raise UsageError("shape_is_known: shape dimension size cannot be less than {}, "
                             "while received {} in shape {}".format(unknown, dim, tuple(shape)))
    return True


def _check_same_symbol_type(symbols):
    """The Symbol class shared by `symbols`; TypeError when classic and numpy symbols mix."""
    from ..symbol import Symbol as nd_symbol
    np_symbol = _np_symbol_class()
    is_np = np_symbol is not None and isinstance(symbols[0], np_symbol)
    for sym in symbols[1:]:
        if is_np != (np_symbol is not None and isinstance(sym, np_symbol)):
            raise TypeError(
                'Found both classic symbol (mx.sym.Symbol) and numpy symbol (mx.sym.np._Symbol) '
                'in outputs; a Gluon graph cannot group them. Convert them to one kind: call '
                '`as_np_ndarray()` on the classic ones for numpy outputs, or `as_nd_ndarray()` '
                'on the numpy ones for classic outputs.')
    return np_symbol if is_np else nd_symbol


def _np_symbol_class():
    try:
        from ..symbol.numpy import _Symbol
    except ImportError:
        return None
    return _Symbol


def _np_ndarray_class():
    try:
        from ..numpy import ndarray as np_ndarray
    except ImportError:
        return None
    return np_ndarray


def _check_all_np_ndarrays(out):
    """Raise TypeError unless every array/symbol in (nested) `out` is a numpy-front-end one."""
    from ..ndarray import NDArray
    from ..symbol import Symbol
    np_types = tuple(c for c in (_np_ndarray_class(), _np_symbol_class()) if c is not None)
    if isinstance(out, (NDArray, Symbol)) and not (np_types and isinstance(out, np_types)):
        raise TypeError("Block's output ndarrays/symbols must be of type `mxnet.numpy.ndarray` "
                        "or `mxnet.symbol.numpy._Symbol`, while got output type {}"
                        .format(str(type(out))))
    if isinstance(out, (list, tuple)):
        for item in out:
            _check_all_np_ndarrays(item)

