"""MXNet's NDArray file format: reading every version, byte-identical writing, corrupt input.

Expected bytes come from the committed MXNet 1.9.1 fixtures (tests/fixtures/mxnet-1.9.1/params,
sha256 in manifest.json) or are pasted below with a note saying they were printed by
MXNet 1.9.1 (~/mxref).
"""
import hashlib
import io
import json
import os
import pickle
import random
import struct
import zipfile

import numpy as np
import pytest
import torch

import mxtorch as mx
from mxtorch.base import MXNetError
from mxtorch._torch import params_format as pf

HERE = os.path.dirname(__file__)
PARAMS = os.path.join(HERE, "fixtures", "mxnet-1.9.1", "params")
with open(os.path.join(PARAMS, "manifest.json")) as _f:
    MANIFEST = json.load(_f)["files"]


def _read(name):
    with open(os.path.join(PARAMS, name), "rb") as f:
        return f.read()


def _dense_value(x):
    return x.asnumpy()


# ---- fixtures written by MXNet 1.9.1 --------------------------------------------------------


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_fixture_loads_with_mxnet_values(name):
    info = MANIFEST[name]
    loaded = mx.nd.load(os.path.join(PARAMS, name))
    ref = np.load(os.path.join(PARAMS, info["values"]))
    if info["form"] == "dict" and info["entries"]:
        assert isinstance(loaded, dict)
        assert list(loaded) == [e["key"] for e in info["entries"]]
        arrays = [loaded[e["key"]] for e in info["entries"]]
    else:
        assert isinstance(loaded, list)
        arrays = loaded
    assert len(arrays) == len(info["entries"])
    for entry, arr in zip(info["entries"], arrays):
        assert arr.shape == tuple(entry["shape"])
        assert np.dtype(arr.dtype).name == entry["dtype"]
        assert arr.stype == entry["stype"]
        want = ref[entry["key"]]
        got = _dense_value(arr)
        assert got.dtype == want.dtype and np.array_equal(got, want)


@pytest.mark.parametrize("name", sorted(n for n in MANIFEST if n.endswith(".params")))
def test_resaving_a_fixture_is_byte_identical(name, tmp_path):
    loaded = mx.nd.load(os.path.join(PARAMS, name))
    out = tmp_path / "again.params"
    mx.nd.save(str(out), loaded)
    data = out.read_bytes()
    assert hashlib.sha256(data).hexdigest() == MANIFEST[name]["sha256"]
    assert data == _read(name)


def test_single_array_saves_as_one_element_list(tmp_path):
    arr = mx.nd.load(os.path.join(PARAMS, "single.params"))[0]
    mx.nd.save(str(tmp_path / "one.params"), arr)
    assert (tmp_path / "one.params").read_bytes() == _read("single.params")


def test_empty_dict_saves_like_empty_list(tmp_path):
    mx.nd.save(str(tmp_path / "e.params"), {})
    assert (tmp_path / "e.params").read_bytes() == _read("empty_dict.params")
    assert mx.nd.load(str(tmp_path / "e.params")) == []


def test_worked_example_bytes_of_the_reference():
    # MXNET_REFERENCE.md 2.1: nd.save(f, [arange(6).reshape(2,3), ones(2, int32)])
    payload = pf.dumps([mx.nd.arange(6).reshape((2, 3)), mx.nd.ones(2, dtype="int32")])
    head = struct.pack("<QQQ", 0x112, 0, 2)
    rec1 = struct.pack("<IiiqqIii", 0xF993FAC9, 0, 2, 2, 3, 1, 0, 0) + \
        np.arange(6, dtype="<f4").tobytes()
    rec2 = struct.pack("<Iiiqiii", 0xF993FAC9, 0, 1, 2, 1, 0, 4) + np.ones(2, "<i4").tobytes()
    assert payload == head + rec1 + rec2 + struct.pack("<Q", 0)


# ---- legacy records ------------------------------------------------------------------------


def _list_file(records, names=()):
    out = struct.pack("<QQQ", 0x112, 0, len(records)) + b"".join(records)
    out += struct.pack("<Q", len(names))
    for n in names:
        out += struct.pack("<Q", len(n)) + n.encode()
    return out


def _v1_record(values, flag):
    shape = values.shape
    return (struct.pack(f"<Ii{len(shape)}q", 0xF993FAC8, len(shape), *shape) +
            struct.pack("<iii", 1, 0, flag) + values.tobytes())


def _v0_record(values, flag):
    shape = values.shape
    return (struct.pack(f"<I{len(shape)}I", len(shape), *shape) +
            struct.pack("<iii", 1, 0, flag) + values.tobytes())


def test_v1_and_v0_records_load():
    a = np.arange(6, dtype="<f8").reshape(2, 3)
    b = np.array([1, -2, 3], dtype="<i8")
    got = mx.nd.load_frombuffer(_list_file([_v1_record(a, 1), _v0_record(b, 6)], ["a", "b"]))
    assert np.array_equal(got["a"].asnumpy(), a) and got["a"].dtype == np.float64
    assert np.array_equal(got["b"].asnumpy(), b) and got["b"].dtype == np.int64


def test_legacy_v0_fixture_matches_mxnet_values():
    arrays = mx.nd.load(os.path.join(PARAMS, "legacy_ndarray.v0"))
    ref = np.load(os.path.join(PARAMS, "legacy_ndarray.npz"))
    assert len(arrays) == 6
    for i, arr in enumerate(arrays):
        assert np.array_equal(arr.asnumpy(), ref[str(i)])


def test_v3_scalar_and_zero_size():
    items, names = pf.loads(_read("np_semantics.params"))
    assert names == ["scalar_0d", "empty_0x3", "vec"]
    assert items[0].shape == () and items[1].shape == (0, 3)
    # a 0-d array can only be written as V3; MXNet writes the whole file in np-shape mode
    data = pf.dumps(items, names)
    assert data == _read("np_semantics.params")
    assert struct.unpack("<I", data[24:28])[0] == 0xF993FACA
    with pytest.raises(MXNetError, match="0-d"):
        pf.dumps(items, names, np_shape=False)


# ---- dtypes --------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype,flag", [
    (torch.float32, 0), (torch.float64, 1), (torch.float16, 2), (torch.uint8, 3),
    (torch.int32, 4), (torch.int8, 5), (torch.int64, 6), (torch.bool, 7), (torch.int16, 8),
    (torch.uint16, 9), (torch.uint32, 10), (torch.uint64, 11), (torch.bfloat16, 12)])
def test_every_dtype_round_trips_with_its_flag(dtype, flag):
    t = (torch.arange(12) % 5).reshape(3, 4).to(dtype)
    data = pf.dumps([t])
    assert struct.unpack("<i", data[24 + 4 + 4 + 4 + 16 + 8:][:4])[0] == flag
    (back,), names = pf.loads(data)
    assert names is None and back.dtype == dtype and torch.equal(back, t)


def test_bool_bytes_other_than_one_read_as_true():
    rec = struct.pack("<IiiqIii", 0xF993FAC9, 0, 1, 3, 1, 0, 7) + bytes([0, 1, 7])
    (t,), _ = pf.loads(_list_file([rec]))
    assert t.tolist() == [False, True, True]


def test_bfloat16_ndarray_saves_and_loads(tmp_path):
    x = mx.nd.array([1.5, -2.0, 3.25], dtype="bfloat16")
    mx.nd.save(str(tmp_path / "b.params"), {"x": x})
    y = mx.nd.load(str(tmp_path / "b.params"))["x"]
    assert y.to_torch().dtype == torch.bfloat16
    assert y.asnumpy().tolist() == [1.5, -2.0, 3.25]


def test_unsupported_dtype_is_refused():
    with pytest.raises(mx.base.DTypeError, match="cannot save dtype"):
        pf.dumps([torch.zeros(2, dtype=torch.complex64)])


# ---- contexts and pickling -----------------------------------------------------------------

# Printed by MXNet 1.9.1: nd.array([[1,2],[3,4]]).__getstate__()['handle'].hex()
ORACLE_2X2 = ("c9fa93f9000000000200000002000000000000000200000000000000010000000000000000000000"
              "0000803f000000400000404000008040")
# Printed by MXNet 1.9.1: nd.array([1], ctx=mx.cpu(1)).__getstate__()['handle'].hex()
ORACLE_CPU1 = "c9fa93f9000000000100000001000000000000000100000001000000000000000000803f"


def test_pickle_record_matches_mxnet():
    x = mx.nd.array([[1, 2], [3, 4]])
    state = x.__getstate__()
    assert bytes(state["handle"]).hex() == ORACLE_2X2
    y = pickle.loads(pickle.dumps(x))
    assert np.array_equal(y.asnumpy(), x.asnumpy())
    assert torch.equal(pf.loads_array(bytes.fromhex(ORACLE_2X2)), x.to_torch())


def test_record_keeps_the_array_context():
    x = mx.nd.array([1], ctx=mx.cpu(1))
    assert bytes(pf.dumps_array(x)).hex() == ORACLE_CPU1
    assert bytes(pf.dumps_array(x.to_torch())).hex() != ORACLE_CPU1  # plain tensor: cpu(0)


def test_dumps_array_is_writable_like_mxnet():
    # MXNet's __setstate__ builds a ctypes buffer from the handle: it must be writable
    assert isinstance(pf.dumps_array(torch.ones(2)), bytearray)


def test_loads_array_accepts_bytearray_and_memoryview():
    raw = bytearray.fromhex(ORACLE_2X2)
    assert pf.loads_array(raw).shape == (2, 2)
    assert pf.loads_array(memoryview(bytes(raw))).shape == (2, 2)


# ---- MXNet 2.x .npy / .npz -----------------------------------------------------------------


def test_npy_single_array():
    buf = io.BytesIO()
    np.save(buf, np.arange(6, dtype=np.int32).reshape(2, 3))
    got = mx.nd.load_frombuffer(buf.getvalue())
    assert isinstance(got, list) and got[0].dtype == np.int32
    assert got[0].asnumpy().tolist() == [[0, 1, 2], [3, 4, 5]]


def test_npy_fortran_order_and_big_endian():
    buf = io.BytesIO()
    np.save(buf, np.asfortranarray(np.arange(6, dtype=">f4").reshape(2, 3)))
    (t,), _ = pf.loads(buf.getvalue())
    assert t.tolist() == [[0, 1, 2], [3, 4, 5]] and t.dtype == torch.float32


def _npy_bytes(descr, shape, payload):
    header = repr({"descr": descr, "fortran_order": False, "shape": shape}).encode("latin1")
    header += b" " * (63 - (10 + len(header)) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + payload


def test_npy_bfloat16_descr_of_mxnet2():
    raw = torch.tensor([1.0, -0.5], dtype=torch.bfloat16).view(torch.int16).numpy().tobytes()
    (t,), _ = pf.loads(_npy_bytes("<b2", (2,), raw))
    assert t.dtype == torch.bfloat16 and t.float().tolist() == [1.0, -0.5]


def test_npz_named_and_sparse_groups():
    buf = io.BytesIO()
    # MXNet 2.x layout of a csr array: <name>/{data,indices,indptr,shape,format}.npy
    np.savez(buf, w=np.ones((2, 2), np.float32), **{
        "g/data": np.array([5.0, 6.0], np.float32), "g/indices": np.array([1, 0]),
        "g/indptr": np.array([0, 1, 1, 2]), "g/shape": np.array([3, 2]),
        "g/format": np.array("csr")})
    got = mx.nd.load_frombuffer(buf.getvalue())
    assert list(got) == ["w", "g"]
    assert got["g"].stype == "csr"
    assert got["g"].asnumpy().tolist() == [[0, 5], [0, 0], [6, 0]]


def test_the_fixture_npz_files_load_as_mxnet2_files():
    got = mx.nd.load(os.path.join(PARAMS, "dtypes_dict.npz"))
    ref = np.load(os.path.join(PARAMS, "dtypes_dict.npz"))
    assert list(got) == list(ref.keys())
    for key in ref:
        assert np.array_equal(got[key].asnumpy(), ref[key])


def test_corrupt_npz_raises():
    buf = io.BytesIO()
    np.savez(buf, a=np.ones(3))
    data = bytearray(buf.getvalue())
    with pytest.raises(MXNetError, match="npz"):
        pf.loads(bytes(data[:len(data) // 2]))
    with zipfile.ZipFile(buf := io.BytesIO(), "w") as z:
        z.writestr("a.npy", b"not an npy")
    with pytest.raises(MXNetError):
        pf.loads(buf.getvalue())


# ---- corrupt and truncated input -----------------------------------------------------------


@pytest.mark.parametrize("name", ["dtypes_dict.params", "sparse_dict.params",
                                  "np_semantics.params", "legacy_ndarray.v0"])
def test_every_truncation_raises_mxneterror_with_offset(name):
    data = _read(name)
    step = 1 if len(data) < 1000 else 7
    for cut in range(0, len(data), step):
        with pytest.raises(MXNetError, match=r"byte \d+"):
            pf.loads(data[:cut], source=name)


def test_truncation_message_names_the_part():
    data = _read("dtypes_dict.params")
    with pytest.raises(MXNetError) as err:
        pf.loads(data[:100], source="x.params")
    text = str(err.value)
    assert "'x.params'" in text and "array 1 of 8" in text and "remain" in text


@pytest.mark.parametrize("name", ["dtypes_dict.params", "sparse_dict.params",
                                  "shapes_dict.params"])
def test_random_corruption_never_crashes(name):
    data = _read(name)
    rng = random.Random(1234)
    for _ in range(300):
        buf = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            pos = rng.randrange(len(buf))
            buf[pos] = rng.randrange(256)
        try:
            items, names = pf.loads(bytes(buf))
        except MXNetError:
            continue
        assert names is None or len(names) == len(items)
        for item in items:
            assert isinstance(item, (torch.Tensor, pf.SparseRecord))


def test_bad_magic_and_name_count():
    with pytest.raises(MXNetError, match="byte 0.*list magic"):
        pf.loads(b"\x00" * 40)
    good = _list_file([_v1_record(np.ones(2, "<f4"), 0)])
    bad = good[:-8] + struct.pack("<Q", 3)
    with pytest.raises(MXNetError, match="1 arrays but 3 names"):
        pf.loads(bad)


def test_huge_dims_fail_before_allocating():
    rec = struct.pack("<Iiiqq", 0xF993FAC9, 0, 2, 1 << 20, 1 << 20) + struct.pack("<iii", 1, 0, 0)
    with pytest.raises(MXNetError, match="needs 4398046511104 bytes"):
        pf.loads(_list_file([rec]))
    rec = struct.pack("<Iiiqq", 0xF993FAC9, 0, 2, 0, 1 << 62) + struct.pack("<iii", 1, 0, 0)
    with pytest.raises(MXNetError, match="impossible shape"):
        pf.loads(_list_file([rec]))
    # an unknown first word is read as a V0 ndim: refused by size, not by a giant read
    with pytest.raises(MXNetError, match="legacy V0"):
        pf.loads(_list_file([struct.pack("<I", 0x7FFFFFF0) + b"\0" * 16]))


def test_none_array_record_is_refused():
    rec = struct.pack("<Iii", 0xF993FAC9, 0, 0)  # shape with ndim 0 in legacy mode: "none"
    with pytest.raises(MXNetError, match="none"):
        pf.loads(_list_file([rec]))


def test_unknown_type_flag_and_stype():
    rec = struct.pack("<Iiiqiii", 0xF993FAC9, 0, 1, 2, 1, 0, 99)
    with pytest.raises(MXNetError, match="unknown type flag 99"):
        pf.loads(_list_file([rec]))
    rec = struct.pack("<Ii", 0xF993FAC9, 5)
    with pytest.raises(MXNetError, match="unknown storage type 5"):
        pf.loads(_list_file([rec]))


def test_sparse_record_with_out_of_range_index_is_refused():
    data = bytearray(_read("sparse_dict.params"))
    items, _ = pf.loads(bytes(data))
    rsp = items[0]
    # patch the first stored row index (last 16 bytes of the rsp record are its int64 indices)
    record_end = 24 + len(pf.dumps_array(mx.nd.load_frombuffer(bytes(data))["rsp"]))
    data[record_end - 16:record_end - 8] = struct.pack("<q", 99)
    assert rsp.aux[0].tolist() == [0, 3]
    with pytest.raises(MXNetError, match="row index"):
        pf.loads(bytes(data))


def test_invalid_utf8_name():
    good = _list_file([_v1_record(np.ones(1, "<f4"), 0)], ["ab"])
    with pytest.raises(MXNetError, match="UTF-8"):
        pf.loads(good[:-2] + b"\xff\xfe")


@pytest.mark.parametrize("change,message", [
    ({"g/format": np.array("coo")}, "unknown format"),
    ({"g/shape": np.array([3.0, 2.0])}, "invalid shape"),
    ({"g/indices": np.array([1, 7])}, "column index"),
    ({"g/indptr": np.array([0, 1])}, "indptr"),
    ({"g/data": np.array(["a", "b"])}, "dtype"),
])
def test_invalid_mxnet2_sparse_groups(change, message):
    parts = {"g/data": np.array([5.0, 6.0], np.float32), "g/indices": np.array([1, 0]),
             "g/indptr": np.array([0, 1, 1, 2]), "g/shape": np.array([3, 2]),
             "g/format": np.array("csr")}
    parts.update(change)
    buf = io.BytesIO()
    np.savez(buf, **parts)
    with pytest.raises(MXNetError, match=message):
        pf.loads(buf.getvalue())
