"""CPU threads for training: one per physical core, waiting passively between parallel regions.

OpenMP's default (libgomp, which the torch wheels bundle) spins a waiting thread for a while
before it sleeps. On a machine whose cores are shared (the embedded stack beside its vLLM, a
CI runner, a laptop), one descheduled thread then keeps the other spinning at every barrier of
the thousands of small parallel regions a training step runs (no kept output compares the
two policies; `npm run bench:train-cpu` prints threads, cpu_s_per_s and the load average to
check it on a host). ``OMP_WAIT_POLICY`` is read when torch loads its OpenMP
runtime, so :func:`wait_passively` must run before anything imports torch; a value already in
the environment (and ``OMP_NUM_THREADS``) wins.
"""

from __future__ import annotations

import os
import subprocess


def physical_cores() -> int:
    """Cores this process may use, counting SMT siblings once."""
    logical = len(os.sched_getaffinity(0))
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    threads = next((int(line.split(":")[1]) for line in lscpu.splitlines() if line.startswith("Thread(s) per core")), 1)
    return max(1, logical // max(1, threads))


def wait_passively() -> None:
    """OpenMP threads sleep while they wait (unless the environment says otherwise); effective
    only before torch is imported."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def use_physical_cores() -> int:
    """One torch thread per physical core unless ``OMP_NUM_THREADS`` says; returns the count."""
    import torch

    if "OMP_NUM_THREADS" not in os.environ:
        torch.set_num_threads(physical_cores())
    return torch.get_num_threads()
