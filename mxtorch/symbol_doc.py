"""``mx.symbol_doc``: classes holding extra documentation for generated Symbol operators."""

__all__ = ["SymbolDoc", "ActivationDoc", "DropoutDoc", "EmbeddingDoc", "FlattenDoc",
           "FullyConnectedDoc", "ConcatDoc", "BroadcastPlusDoc"]


class SymbolDoc:
    """Base of the per-operator documentation holders."""

    @staticmethod
    def get_output_shape(sym, **input_shapes):
        """{output name: shape} of ``sym`` for the given input shapes."""
        _, out_shapes, _ = sym.infer_shape(**input_shapes)
        return dict(zip(sym.list_outputs(), out_shapes))


class ActivationDoc(SymbolDoc):
    """``sym.Activation(data, act_type='relu')``: relu, sigmoid, tanh, softrelu, softsign."""


class DropoutDoc(SymbolDoc):
    """``sym.Dropout(data, p=0.5)`` zeroes elements in training and scales the rest."""


class EmbeddingDoc(SymbolDoc):
    """``sym.Embedding(data, input_dim=V, output_dim=D)`` looks rows of a (V, D) weight up."""


class FlattenDoc(SymbolDoc):
    """``sym.Flatten(data)`` reshapes (N, d1, d2...) to (N, d1*d2*...)."""


class FullyConnectedDoc(SymbolDoc):
    """``sym.FullyConnected(data, num_hidden=k)`` computes data . weight^T + bias."""


class ConcatDoc(SymbolDoc):
    """``sym.Concat(a, b, dim=1)`` joins inputs along an existing axis."""


class BroadcastPlusDoc(SymbolDoc):
    """``sym.broadcast_plus(a, b)`` adds with NumPy-style broadcasting."""
