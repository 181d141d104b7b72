"""gluon.utils: split_data/split_and_load, clip_global_norm, HookHandle, download, shape_is_known.

Expected values were printed by real MXNet 1.9.1 (tools/trainer_diff.py re-checks them);
float tolerance 1e-6 relative.
"""
import collections
import hashlib
import os
import pickle
import warnings

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError
from mxtorch.gluon import utils


def test_split_data_uneven_sizes_and_values():
    x = mx.nd.arange(30).reshape((10, 3))
    assert [s.shape for s in utils.split_data(x, 3, even_split=False)] == [(4, 3), (3, 3), (3, 3)]
    parts = utils.split_data(x.T, 4, batch_axis=1, even_split=False)
    assert [p.shape for p in parts] == [(3, 3), (3, 3), (3, 2), (3, 2)]
    assert parts[2].asnumpy().tolist() == [[18, 21], [19, 22], [20, 23]]


def test_split_data_even_error_names_shape():
    with pytest.raises(ValueError, match=r"\(10, 3\) cannot be evenly split into 3 slices"):
        utils.split_data(mx.nd.zeros((10, 3)), 3)


def test_split_and_load_contexts_and_numpy_input():
    parts = utils.split_and_load(np.arange(6).reshape(3, 2), [mx.cpu(0), mx.cpu(1)],
                                 even_split=False)
    assert [p.context for p in parts] == [mx.cpu(0), mx.cpu(1)]
    assert parts[0].asnumpy().tolist() == [[0, 1], [2, 3]]
    assert parts[1].asnumpy().tolist() == [[4, 5]]
    one = utils.split_and_load(mx.nd.ones((4, 2)), [mx.cpu(1)])
    assert len(one) == 1 and one[0].shape == (4, 2) and one[0].context == mx.cpu(1)


def test_clip_global_norm_values():
    arrays = [mx.nd.array([[1, 2], [3, 4]]), mx.nd.array([5, 6, 7])]
    norm = utils.clip_global_norm(arrays, 2.0)
    assert isinstance(norm, (float, np.floating))
    np.testing.assert_allclose(norm, 11.83216, rtol=1e-6)
    np.testing.assert_allclose(arrays[1].asnumpy(), [0.8451542, 1.0141851, 1.1832159], rtol=1e-6)
    np.testing.assert_allclose(arrays[0].asnumpy()[0], [0.16903085, 0.3380617], rtol=1e-6)


def test_clip_global_norm_below_max_and_ndarray_result():
    arrays = [mx.nd.array([0.1, 0.2])]
    norm = utils.clip_global_norm(arrays, 2.0, check_isfinite=False)
    assert isinstance(norm, mx.nd.NDArray) and norm.shape == (1,)
    np.testing.assert_allclose(norm.asnumpy(), [0.22360681], rtol=1e-6)
    np.testing.assert_allclose(arrays[0].asnumpy(), [0.1, 0.2], rtol=1e-6)


def test_clip_global_norm_warns_on_inf():
    arrays = [mx.nd.array([np.inf, 1])]
    with pytest.warns(UserWarning, match="nan or inf is detected"):
        norm = utils.clip_global_norm(arrays, 1.0)
    assert norm == np.inf
    assert np.isnan(arrays[0].asnumpy()[0]) and arrays[0].asnumpy()[1] == 0


def test_clip_global_norm_empty():
    with pytest.raises(AssertionError, match="non-empty"):
        utils.clip_global_norm([], 1.0)


def test_shape_is_known():
    assert utils.shape_is_known((2, 3))
    assert not utils.shape_is_known((2, 0))
    assert not utils.shape_is_known(())
    assert not utils.shape_is_known(None)
    with pytest.raises(AssertionError, match=r"less than 0, while received -1"):
        utils.shape_is_known((2, -1))
    with mx.util.np_shape(True):
        assert utils.shape_is_known(())
        assert utils.shape_is_known((2, 0))
        assert not utils.shape_is_known((2, -1))


def test_hook_handle_attach_detach_context():
    hooks = collections.OrderedDict()
    handle = utils.HookHandle()

    def hook(*args):
        return args

    handle.attach(hooks, hook)
    assert list(hooks.values()) == [hook] and handle.id == id(hook)
    with pytest.raises(AssertionError, match="cannot be attached twice"):
        handle.attach(hooks, hook)
    with handle:
        pass
    assert not hooks
    handle.detach()  # already gone: no error


def _module_level_hook(*args):
    return args


def test_hook_handle_pickle_round_trip():
    hooks = collections.OrderedDict()
    handle = utils.HookHandle()
    handle.attach(hooks, _module_level_hook)
    hooks2, handle2 = pickle.loads(pickle.dumps((hooks, handle)))
    assert len(hooks2) == 1
    handle2.detach()
    assert not hooks2
    orphan = pickle.loads(pickle.dumps(utils.HookHandle()))
    orphan.detach()


def _sha1(data):
    return hashlib.sha1(data).hexdigest()


def test_check_sha1(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"abc" * 1000)
    assert utils.check_sha1(str(path), _sha1(b"abc" * 1000))
    assert not utils.check_sha1(str(path), "0" * 40)


def test_download_local_and_file_url(tmp_path, capsys):
    src = tmp_path / "src" / "data.bin"
    src.parent.mkdir()
    src.write_bytes(b"payload")
    dest_dir = tmp_path / "out"
    dest_dir.mkdir()
    got = utils.download("file://" + str(src), path=str(dest_dir), sha1_hash=_sha1(b"payload"))
    assert got == str(dest_dir / "data.bin") and open(got, "rb").read() == b"payload"
    assert os.listdir(dest_dir) == ["data.bin"]  # no temp file left
    # exists with the right hash: not fetched again
    src.write_bytes(b"changed")
    assert utils.download("file://" + str(src), path=got, sha1_hash=_sha1(b"payload")) == got
    assert open(got, "rb").read() == b"payload"
    # overwrite fetches again; plain local paths work too
    utils.download(str(src), path=got, overwrite=True)
    assert open(got, "rb").read() == b"changed"
    assert "Downloading" in capsys.readouterr().out


def test_download_hash_mismatch(tmp_path):
    src = tmp_path / "a.bin"
    src.write_bytes(b"x")
    with pytest.raises(UserWarning, match="content hash does not match"):
        utils.download(str(src), path=str(tmp_path / "b.bin"), sha1_hash="0" * 40)


def test_download_offline_error_names_url_and_place(tmp_path):
    missing = "file://" + str(tmp_path / "nowhere" / "model.params")
    dest = tmp_path / "store" / "model.params"
    with pytest.raises(MXNetError) as info:
        utils.download(missing, path=str(dest), retries=1)
    msg = str(info.value)
    assert missing in msg and str(dest) in msg
    assert not dest.exists() and os.listdir(dest.parent) == []


def test_download_argument_errors(tmp_path):
    with pytest.raises(AssertionError, match="retries"):
        utils.download("file:///x/y", path=str(tmp_path / "y"), retries=-1)
    with pytest.raises(AssertionError, match="file name"):
        utils.download("http://host/dir/")
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        src = tmp_path / "v.bin"
        src.write_bytes(b"v")
        utils.download(str(src), path=str(tmp_path / "w.bin"), verify_ssl=False)
    assert any("verify_ssl=False" in str(w.message) for w in rec)


def test_replace_file(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_text("new")
    b.write_text("old")
    utils.replace_file(str(a), str(b))
    assert b.read_text() == "new" and not a.exists()
    c = tmp_path / "c"
    c.write_text("tmp")
    with pytest.raises(OSError, match="Please retry the download"):
        utils.replace_file(str(c), str(tmp_path / "no" / "dir" / "d"))
    assert not c.exists()


def test_private_helpers():
    assert utils._brief_print_list(range(10)) == "'0', '1', '2', ..., '6', '7', '8', '9'"
    assert utils._indent("a\nb", 2) == "a\n  b"
    assert utils._get_repo_file_url("gluon/models", "x.zip").endswith("/gluon/models/x.zip")


def test_numpy_front_end_arrays():
    with mx.util.np_shape(True), mx.util.np_array(True):
        x = mx.np.arange(30).reshape((10, 3))
        parts = utils.split_data(x, 3, even_split=False)
        assert isinstance(parts[0], mx.np.ndarray)
        assert [p.shape for p in parts] == [(4, 3), (3, 3), (3, 3)]
        loaded = utils.split_and_load(np.arange(12).reshape(4, 3), [mx.cpu(0), mx.cpu(1)])
        assert isinstance(loaded[1], mx.np.ndarray) and loaded[1].ctx == mx.cpu(1)
        arrays = [mx.np.array([[1, 2], [3, 4]]), mx.np.array([5, 6, 7])]
        norm = utils.clip_global_norm(arrays, 2.0)  # MXNet 1.9.1 raises TypeError here
        np.testing.assert_allclose(norm, 11.83216, rtol=1e-6)
        np.testing.assert_allclose(arrays[1].asnumpy(), [0.8451542, 1.0141851, 1.1832159],
                                   rtol=1e-6)
        total = utils.clip_global_norm(arrays, 2.0, check_isfinite=False)
        assert isinstance(total, mx.np.ndarray)
