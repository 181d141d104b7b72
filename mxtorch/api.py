"""``mx.api``: MXNet's registry of FFI-generated API functions (empty in 1.9.1; mxtorch has no
FFI layer, so it stays empty)."""
