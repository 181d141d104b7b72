"""``gluon.model_zoo.vision``: MXNet 1.9.1's image classification models by name."""
from .alexnet import *  # noqa: F401,F403
from .densenet import *  # noqa: F401,F403
from .inception import *  # noqa: F401,F403
from .mobilenet import *  # noqa: F401,F403
from .resnet import *  # noqa: F401,F403
from .squeezenet import *  # noqa: F401,F403
from .vgg import *  # noqa: F401,F403
import sys as _sys

# ``vision.alexnet`` is the function (as in MXNet); the submodules are reached through
# sys.modules.
_alexnet, _densenet, _inception, _mobilenet, _resnet, _squeezenet, _vgg = (
    _sys.modules[f"{__name__}.{m}"] for m in ("alexnet", "densenet", "inception", "mobilenet",
                                              "resnet", "squeezenet", "vgg"))


def _models():
    table = {"alexnet": _alexnet.alexnet, "inceptionv3": _inception.inception_v3,
             "squeezenet1.0": _squeezenet.squeezenet1_0,
             "squeezenet1.1": _squeezenet.squeezenet1_1}
    for version in (1, 2):
        for n in (18, 34, 50, 101, 152):
            table[f"resnet{n}_v{version}"] = getattr(_resnet, f"resnet{n}_v{version}")
    for n in (11, 13, 16, 19):
        table[f"vgg{n}"] = getattr(_vgg, f"vgg{n}")
        table[f"vgg{n}_bn"] = getattr(_vgg, f"vgg{n}_bn")
    for n in (121, 161, 169, 201):
        table[f"densenet{n}"] = getattr(_densenet, f"densenet{n}")
    for label, attr in (("1.0", "1_0"), ("0.75", "0_75"), ("0.5", "0_5"), ("0.25", "0_25")):
        table[f"mobilenet{label}"] = getattr(_mobilenet, f"mobilenet{attr}")
        table[f"mobilenetv2_{label}"] = getattr(_mobilenet, f"mobilenet_v2_{attr}")
    return table


def get_model(name, **kwargs):
    """A model-zoo network by name ('resnet18_v1', 'mobilenet0.25', 'squeezenet1.1'...).

    Parameters
    ----------
    name : str
    pretrained : bool
        Load the parameters from the local model store.
    classes : int
    ctx : Context
    root : str
        The model store folder.
    """
    models = _models()
    key = name.lower()
    if key not in models:
        raise ValueError(f"Model {name} is not supported. Available options are\n\t" +
                         "\n\t".join(sorted(models)))
    return models[key](**kwargs)
