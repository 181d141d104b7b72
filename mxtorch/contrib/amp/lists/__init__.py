"""MXNet 1.9.1's AMP operator lists (float16 and bfloat16)."""
from . import symbol_fp16, symbol_bf16  # noqa: F401
