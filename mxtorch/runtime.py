"""``mx.runtime``: the features of this build (``Features().is_enabled('CUDA')``).

The answers describe what mxtorch can do on the torch build it runs on: CUDA when torch sees a
GPU, MKLDNN when torch has oneDNN, 64-bit tensor sizes always.
"""
import collections

from ._torch.features import probe

__all__ = ["Feature", "Features", "feature_list", "collections"]


class Feature(collections.namedtuple("Feature", ["name", "enabled"])):
    """One build feature and whether it is on."""

    def __repr__(self):
        return f"{'✔' if self.enabled else '✖'} {self.name}"


def feature_list():
    """All features, in MXNet's order."""
    return [Feature(name, enabled) for name, enabled in probe().items()]


class Features(collections.OrderedDict):
    """The features as an ordered mapping name -> Feature."""

    def __init__(self):
        super().__init__((f.name, f) for f in feature_list())

    def __repr__(self):
        return str(list(self.values()))

    def is_enabled(self, feature_name):
        """Whether ``feature_name`` (e.g. 'CUDA') is on; unknown names raise RuntimeError."""
        name = feature_name.upper()
        if name not in self:
            raise RuntimeError(f"Feature '{feature_name}' is unknown, known features are: "
                               f"{list(self.keys())}")
        return self[name].enabled
