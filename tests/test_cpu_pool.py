"""mxtorch keeps freed CPU memory for reuse (MXNet's pooled default), unless told not to
(``MXNET_CPU_MEM_POOL_TYPE=Unpooled`` or glibc's own tuning variables)."""
import os
import subprocess
import sys

import pytest

from mxtorch._torch import cpu_pool

# Page faults per round of allocating and freeing tensors of 1-30 MB (touched), after warm-up.
CHURN = """
import resource, torch, mxtorch
def churn():
    ts = [torch.empty(n << 18).fill_(1.0) for n in (1, 4, 16, 30, 2, 8)]
    del ts
for _ in range(5):
    churn()
start = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    churn()
print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - start) / 10)
"""


def _faults_per_round(**env):
    clean = {k: v for k, v in os.environ.items()
             if k not in ("MXNET_CPU_MEM_POOL_TYPE",) + cpu_pool._GLIBC_TUNING}
    out = subprocess.run([sys.executable, "-c", CHURN], env=dict(clean, **env),
                         capture_output=True, text=True, timeout=120, check=True)
    return float(out.stdout.split()[-1])


glibc_only = pytest.mark.skipif(not cpu_pool.pool_cpu_memory(),
                                reason="not Linux with glibc")


@glibc_only
def test_freed_memory_is_reused_without_page_faults():
    # one round touches ~61 MB = ~15,600 pages; reused memory needs (almost) none of them
    pooled = _faults_per_round()
    assert pooled < 200, pooled
    # the control: glibc's initial 128 KB mmap threshold, fixed, maps (and faults) every block
    # (its default adapts that threshold over time, with run-dependent results)
    unpooled = _faults_per_round(MALLOC_MMAP_THRESHOLD_="131072")
    assert unpooled > 5000, unpooled


@pytest.mark.parametrize("env", [{"MXNET_CPU_MEM_POOL_TYPE": "Unpooled"},
                                 {"MXNET_CPU_MEM_POOL_TYPE": "unpooled"},
                                 {"MALLOC_TRIM_THRESHOLD_": "131072"}])
def test_switches_leave_malloc_alone(monkeypatch, env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert cpu_pool.pool_cpu_memory() is False
