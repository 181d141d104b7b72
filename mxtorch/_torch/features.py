"""What the torch build underneath can do, in MXNet's ``runtime.Features`` vocabulary."""
import torch


def probe():
    """{MXNet feature name: enabled} for this machine's torch build."""
    cuda = torch.cuda.is_available()
    cpu = torch.backends.cpu.get_cpu_capability() if hasattr(torch.backends, "cpu") else ""
    config = torch.__config__.show()
    return {
        "CUDA": cuda,
        "CUDNN": cuda and torch.backends.cudnn.is_available(),
        "NCCL": cuda and torch.distributed.is_available() and torch.distributed.is_nccl_available(),
        "CUDA_RTC": False,
        "TENSORRT": False,
        "CPU_SSE": True, "CPU_SSE2": True, "CPU_SSE3": True,
        "CPU_SSE4_1": "AVX" in cpu, "CPU_SSE4_2": "AVX" in cpu, "CPU_SSE4A": False,
        "CPU_AVX": "AVX" in cpu, "CPU_AVX2": "AVX2" in cpu or "AVX512" in cpu,
        "OPENMP": "OpenMP" in config or "openmp" in config.lower(),
        "SSE": False, "F16C": "AVX" in cpu, "JEMALLOC": False,
        "BLAS_OPEN": "OpenBLAS" in config, "BLAS_ATLAS": False,
        "BLAS_MKL": torch.backends.mkl.is_available(), "BLAS_APPLE": False,
        "LAPACK": True,
        "MKLDNN": torch.backends.mkldnn.is_available(),
        "OPENCV": False, "CAFFE": False, "PROFILER": False,
        "DIST_KVSTORE": torch.distributed.is_available(),
        "CXX14": True, "INT64_TENSOR_SIZE": True, "SIGNAL_HANDLER": True, "DEBUG": False,
        "TVM_OP": False,
    }
