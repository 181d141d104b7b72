"""Every MXNet 1.9.1 legacy operator name is registered or listed as unsupported with a
reason; Tier A and Tier B operators (MXNET_REFERENCE.md 1.3) are all registered."""
import json
import os

import pytest

from mxtorch.ops import REGISTRY
from mxtorch.ops._unsupported import UNSUPPORTED

with open(os.path.join(os.path.dirname(__file__), "fixtures", "mxnet-1.9.1",
                       "op_names.json")) as f:
    MXNET_NAMES = json.load(f)["names"]

# Names MXNet registers as aliases for its NumPy/sparse front ends; those front ends are
# separate features (mx.np, sparse storage), so these aliases are not part of the legacy set.
FRONT_END_PREFIXES = ("_np_", "_npx_", "_sparse_")

TIER_A = """FullyConnected Convolution Deconvolution Pooling BatchNorm LayerNorm InstanceNorm
GroupNorm L2Normalization LRN Activation LeakyReLU SoftmaxActivation Dropout Embedding RNN
UpSampling Pad Crop Flatten Reshape Concat SliceChannel SwapAxis Cast BlockGrad MakeLoss
SoftmaxOutput LinearRegressionOutput LogisticRegressionOutput MAERegressionOutput SVMOutput
CTCLoss SequenceMask elemwise_add elemwise_sub elemwise_mul elemwise_div broadcast_add
broadcast_sub broadcast_mul broadcast_div broadcast_mod broadcast_power broadcast_maximum
broadcast_minimum broadcast_hypot broadcast_equal broadcast_not_equal broadcast_greater
broadcast_greater_equal broadcast_lesser broadcast_lesser_equal broadcast_logical_and
broadcast_logical_or broadcast_logical_xor _plus_scalar _minus_scalar _rminus_scalar
_mul_scalar _div_scalar _rdiv_scalar _power_scalar _rpower_scalar _maximum_scalar
_minimum_scalar _mod_scalar _equal_scalar _greater_scalar _lesser_scalar add_n dot batch_dot
smooth_l1 relu sigmoid tanh softsign hard_sigmoid exp expm1 log log1p log2 log10 sqrt rsqrt
cbrt square reciprocal abs sign negative floor ceil round rint fix trunc clip erf logical_not
sin cos tan arcsin arccos arctan sinh cosh arcsinh arccosh arctanh gamma gammaln erfinv sum
mean prod max min nansum nanprod norm argmax argmin softmax log_softmax softmin reshape
reshape_like expand_dims squeeze transpose stack _split_v2 tile repeat reverse broadcast_to
broadcast_axis broadcast_like slice slice_axis slice_like take pick one_hot where topk sort
argsort gather_nd scatter_nd shape_array zeros_like ones_like _zeros _ones _full _arange""".split()

TIER_B = """SequenceLast SequenceReverse ROIPooling BilinearSampler GridGenerator
SpatialTransformer Correlation depth_to_space space_to_depth diag size_array batch_take
argmax_channel moments softmax_cross_entropy amp_cast amp_multicast _linspace _eye _copy
_copyto _slice_assign _slice_assign_scalar _random_uniform _random_normal _random_gamma
_random_exponential _random_poisson _random_negative_binomial _random_randint
_sample_multinomial _shuffle _linalg_gemm _linalg_gemm2 _linalg_potrf _linalg_potri
_linalg_trmm _linalg_trsm _linalg_syrk _linalg_inverse _linalg_det _linalg_slogdet
_linalg_sumlogdiag sgd_update sgd_mom_update nag_mom_update adam_update rmsprop_update
rmspropalex_update ftrl_update signum_update lamb_update_phase1 lamb_update_phase2
mp_sgd_update mp_sgd_mom_update""".split()


def _legacy_names():
    return sorted(n for n in MXNET_NAMES if not n.startswith(FRONT_END_PREFIXES))


@pytest.mark.parametrize("name", _legacy_names())
def test_registered_or_unsupported(name):
    assert name in REGISTRY or name in UNSUPPORTED, (
        f"MXNet operator {name!r} is neither registered nor listed in "
        "mxtorch/ops/_unsupported.py with a reason")


def test_unsupported_entries_are_real_and_not_registered():
    for name, reason in UNSUPPORTED.items():
        assert name in MXNET_NAMES, f"{name!r} is not an MXNet 1.9.1 operator"
        assert name not in REGISTRY, f"{name!r} is registered and listed as unsupported"
        assert len(reason) > 20


@pytest.mark.parametrize("name", TIER_A + TIER_B)
def test_tier_a_and_b_registered(name):
    assert name in REGISTRY


def test_aliases_map_to_mxnet_canonical_ops():
    for name, canonical in MXNET_NAMES.items():
        if name in REGISTRY and canonical in REGISTRY:
            assert REGISTRY[name] is REGISTRY[canonical], (name, canonical)
            assert REGISTRY[name].name == canonical, (name, REGISTRY[name].name, canonical)
