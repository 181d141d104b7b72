"""Output layout facts of MXNet 1.9.1 graph nodes (read off real symbol JSON).

Some ops have more outputs in the graph than they show (BatchNorm computes mean and var for its
backward); ``node_row_ptr`` in symbol JSON counts them, and output names follow from the total:
an op with one output calls it ``output``, others ``output0, output1...`` unless named.
op name -> (total outputs (int or attrs -> int), output names or None)
"""


def _rnn_names(attrs):
    if attrs.get("mode") == "lstm":
        return ("output", "state_output", "statecell_output")
    return ("output", "state_output")


def _rnn_total(attrs):
    if not attrs.get("state_outputs"):
        return 1
    return 3 if attrs.get("mode") == "lstm" else 2


HIDDEN_OUTPUTS = {
    "BatchNorm": (3, ("output", "mean", "var")),
    "BatchNorm_v1": (3, ("output", "mean", "var")),
    "_contrib_SyncBatchNorm": (3, ("output", "mean", "var")),
    "_contrib_BatchNormWithReLU": (4, ("output", "mean", "var", "workspace")),
    "LayerNorm": (3, ("output", "mean", "std")),
    "GroupNorm": (3, ("output", "mean", "std")),
    "InstanceNorm": (3, ("output", "mean", "var")),
    "Dropout": (2, ("output", "mask")),
    "LeakyReLU": (lambda a: 2 if a.get("act_type") == "rrelu" else 1, ("output", "mask")),
    "RNN": (_rnn_total, _rnn_names),
    "CTCLoss": (2, None),
    "Pooling": (lambda a: 2 if a.get("pool_type", "max") == "max" else 1, ("output", "mask")),
    "ROIPooling": (2, ("output", "maxidx")),
    "SpatialTransformer": (3, ("output", "grid_dst", "grid_src")),
    "BilinearSampler": (2, ("output", "tmp")),
    "LRN": (2, ("output", "tmp_norm")),
    "Correlation": (3, ("output", "tmp1", "tmp2")),
    "_contrib_DeformablePSROIPooling": (2, ("output", "top_count")),
    "_contrib_Proposal": (2, None),
    "_contrib_MultiProposal": (2, None),
    "_contrib_MultiBoxTarget": (3, ("loc_target", "loc_mask", "cls_target")),
    "_contrib_box_nms": (2, None),
    "GridGenerator": (2, ("output", "grid_dst")),
    "sort": (2, None),
    "topk": (lambda a: 2 if a.get("ret_typ", "indices") in ("value", "both") else 1, None),
    "make_loss": (1, ("loss",)),
}
