"""mx.recordio against files written by MXNet 1.9.1 (tests/fixtures/recordio, see its manifest)."""
import base64
import json
import os
import pickle
import struct

import numpy as np
import pytest

import mxtorch as mx
from mxtorch import recordio

FIX = os.path.join(os.path.dirname(__file__), "fixtures", "recordio")
MANIFEST = json.load(open(os.path.join(FIX, "manifest.json")))
PAYLOADS = np.load(os.path.join(FIX, "payloads.npz"))


def _fixture_bytes(name):
    with open(os.path.join(FIX, name), "rb") as f:
        return f.read()


def _payload(rec):
    return PAYLOADS[rec["payload_key"]].tobytes()


def test_read_plain_fixture():
    rec = recordio.MXRecordIO(os.path.join(FIX, "plain.rec"), "r")
    for entry in MANIFEST["plain.rec"]["records"]:
        assert rec.read() == _payload(entry), entry["name"]
    assert rec.read() is None
    rec.reset()
    assert rec.read() == b""
    rec.close()


def test_write_plain_fixture_byte_identical(tmp_path):
    path = str(tmp_path / "plain.rec")
    with recordio.MXRecordIO(path, "w") as rec:
        for entry in MANIFEST["plain.rec"]["records"]:
            rec.write(_payload(entry))
    assert open(path, "rb").read() == _fixture_bytes("plain.rec")


def test_multipart_layout_matches_manifest(tmp_path):
    data = _fixture_bytes("plain.rec")
    for entry in MANIFEST["plain.rec"]["records"]:
        for part in entry["parts"]:
            magic, lrec = struct.unpack_from("<II", data, part["offset"])
            assert magic == 0xced7230a
            assert (lrec >> 29, lrec & ((1 << 29) - 1)) == (part["cflag"], part["length"])


def test_indexed_fixture_read_and_write(tmp_path):
    info = MANIFEST["indexed.rec"]
    rec = recordio.MXIndexedRecordIO(os.path.join(FIX, "indexed.idx"),
                                     os.path.join(FIX, "indexed.rec"), "r")
    assert rec.keys == [7, 2, 9, 0, 5]
    payloads = {k: rec.read_idx(k) for k in rec.keys}
    rec.close()
    idx, path = str(tmp_path / "x.idx"), str(tmp_path / "x.rec")
    with recordio.MXIndexedRecordIO(idx, path, "w") as out:
        for key in [7, 2, 9, 0, 5]:
            out.write_idx(key, payloads[key])
    assert open(idx).read() == info["idx_text"]
    assert open(path, "rb").read() == _fixture_bytes("indexed.rec")


def test_packed_fixture():
    rec = recordio.MXIndexedRecordIO(os.path.join(FIX, "packed.idx"),
                                     os.path.join(FIX, "packed.rec"), "r")
    for entry in MANIFEST["packed.rec"]["records"]:
        raw = rec.read_idx(entry["key"])
        assert raw == base64.b64decode(entry["packed_b64"])
        h = entry["header_in"]
        assert recordio.pack(recordio.IRHeader(h["flag"], h["label"], h["id"], h["id2"]),
                             base64.b64decode(entry["body_b64"])) == raw
        header, body = recordio.unpack(raw)
        want = entry["unpacked_header"]
        assert header.flag == want["flag"] and (header.id, header.id2) == (want["id"], want["id2"])
        np.testing.assert_array_equal(header.label, want["label"])
        assert body == base64.b64decode(entry["unpacked_body_b64"])
    header, _ = recordio.unpack(rec.read_idx(1))
    assert header.label.dtype == np.float32 and type(header).__name__ == "HEADER"


def test_images_fixture():
    rec = recordio.MXIndexedRecordIO(os.path.join(FIX, "images.idx"),
                                     os.path.join(FIX, "images.rec"), "r")
    for entry in MANIFEST["images.rec"]["records"]:
        header, img = recordio.unpack_img(rec.read_idx(entry["key"]))
        assert header.label == entry["label"] and img.shape == tuple(entry["shape"])
        want = PAYLOADS["images/%s/decoded_bgr" % entry["name"]]
        # same libjpeg family: decoded pixels agree within 2 levels (PNG exactly)
        tol = 0 if entry["lossless"] else 2
        assert np.abs(img.astype(int) - want.astype(int)).max() <= tol


def test_pack_img_roundtrip_png():
    src = PAYLOADS["images/noise_png/source_bgr"]
    packed = recordio.pack_img(recordio.IRHeader(0, 4.0, 1, 0), src, quality=3, img_fmt=".png")
    header, img = recordio.unpack_img(packed)
    np.testing.assert_array_equal(img, src)
    assert header == (0, 4.0, 1, 0)


def test_reader_writer_modes(tmp_path):
    path = str(tmp_path / "a.rec")
    w = recordio.MXRecordIO(path, "w")
    w.write(b"abc")
    with pytest.raises(mx.MXNetError, match="flag 'w'"):
        w.read()
    with pytest.raises(TypeError, match="bytes"):
        w.write("text")
    w.close()
    w.close()
    r = recordio.MXRecordIO(path, "r")
    with pytest.raises(mx.MXNetError, match="flag 'r'"):
        r.write(b"x")
    with pytest.raises(ValueError, match="Invalid flag x"):
        recordio.MXRecordIO(path, "x")
    with pytest.raises(mx.MXNetError, match="nope.rec"):
        recordio.MXRecordIO(str(tmp_path / "nope.rec"), "r")


def test_pickle_reopens_reader(tmp_path):
    path = str(tmp_path / "a.rec")
    with recordio.MXRecordIO(path, "w") as w:
        w.write(b"one")
        w.write(b"two")
    r = recordio.MXRecordIO(path, "r")
    assert r.read() == b"one"
    copy = pickle.loads(pickle.dumps(r))
    assert copy.read() == b"one" and copy.is_open
    assert r.read() == b"two"  # the original keeps its place
    idx = recordio.MXIndexedRecordIO(os.path.join(FIX, "indexed.idx"),
                                     os.path.join(FIX, "indexed.rec"), "r")
    copy = pickle.loads(pickle.dumps(idx))
    assert copy.keys == idx.keys and copy.read_idx(9) == idx.read_idx(9)


def test_indexed_tell_seek_and_missing_key(tmp_path):
    idx, path = str(tmp_path / "i.idx"), str(tmp_path / "i.rec")
    w = recordio.MXIndexedRecordIO(idx, path, "w")
    w.write_idx(3, b"x")
    w.write_idx(1, b"yy")
    assert w.tell() == 24 and w.keys == [3, 1] and w.idx == {3: 0, 1: 12}
    w.close()
    r = recordio.MXIndexedRecordIO(idx, path, "r")
    assert r.read_idx(1) == b"yy" and r.read() is None
    r.seek(3)
    assert r.read() == b"x"
    with pytest.raises(KeyError):
        r.read_idx(5)
    s = recordio.MXIndexedRecordIO(idx, path, "r", key_type=str)
    assert s.keys == ["3", "1"] and s.read_idx("1") == b"yy"


def test_truncated_and_bad_magic(tmp_path):
    data = _fixture_bytes("plain.rec")
    cut = str(tmp_path / "cut.rec")
    open(cut, "wb").write(data[:1152 + 8 + 1000])
    r = recordio.MXRecordIO(cut, "r")
    for _ in range(10):
        r.read()
    with pytest.raises(mx.MXNetError, match=r"offset 1152: truncated record"):
        r.read()
    bad = bytearray(data[:1152])
    bad[76] ^= 0xff
    flipped = str(tmp_path / "flip.rec")
    open(flipped, "wb").write(bytes(bad))
    r = recordio.MXRecordIO(flipped, "r")
    for _ in range(6):
        r.read()
    with pytest.raises(mx.MXNetError, match=r"flip.rec.*offset 76: bad magic"):
        r.read()
    half = str(tmp_path / "half.rec")
    open(half, "wb").write(data[:1084 + 8 + 4])  # first part of a multi-part record only
    r = recordio.MXRecordIO(half, "r")
    for _ in range(7):
        r.read()
    with pytest.raises(mx.MXNetError, match=r"offset 1092: truncated part header"):
        r.read()


def test_random_payloads_roundtrip(tmp_path):
    rng = np.random.RandomState(0)
    magic = struct.pack("<I", 0xced7230a)
    payloads = []
    for n in range(40):
        body = bytearray(rng.randint(0, 256, size=rng.randint(0, 64)).astype(np.uint8).tobytes())
        for _ in range(rng.randint(0, 3)):
            at = rng.randint(0, len(body) + 1)
            body[at:at] = magic
        payloads.append(bytes(body))
    path = str(tmp_path / "r.rec")
    with recordio.MXRecordIO(path, "w") as w:
        for p in payloads:
            w.write(p)
    r = recordio.MXRecordIO(path, "r")
    assert [r.read() for _ in payloads] == payloads and r.read() is None
