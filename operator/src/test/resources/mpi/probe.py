"""An entry script for the MPI runtime test: every rank checks an allreduce over all ranks and writes what
it saw (rank, size, host, the sum, its arguments, some environment) to $PROBE_OUT/rank-<rank>.json."""
import ctypes
import json
import os
import socket
import sys


def mpich():
    # Debian's mpi4py is built for Open MPI; under MPICH's Hydra the test calls libmpich directly.
    lib = ctypes.CDLL("libmpich.so.12", mode=ctypes.RTLD_GLOBAL)
    comm_world, mpi_int, mpi_sum = ctypes.c_int(0x44000000), ctypes.c_int(0x4c000405), ctypes.c_int(0x58000003)
    lib.MPI_Init(None, None)
    rank, size, total = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
    lib.MPI_Comm_rank(comm_world, ctypes.byref(rank))
    lib.MPI_Comm_size(comm_world, ctypes.byref(size))
    lib.MPI_Allreduce(ctypes.byref(ctypes.c_int(rank.value)), ctypes.byref(total), 1, mpi_int, mpi_sum, comm_world)
    lib.MPI_Finalize()
    return rank.value, size.value, total.value


def openmpi():
    from mpi4py import MPI
    comm = MPI.COMM_WORLD
    return comm.Get_rank(), comm.Get_size(), comm.allreduce(comm.Get_rank(), op=MPI.SUM)


if "OMPI_COMM_WORLD_RANK" in os.environ:
    rank, size, total = openmpi()
elif "PMI_RANK" in os.environ:
    rank, size, total = mpich()
else:
    rank, size, total = 0, 1, 0

with open(os.path.join(os.environ["PROBE_OUT"], "rank-%d.json" % rank), "w") as out:
    json.dump({
        "rank": rank,
        "size": size,
        "allreduce": total,
        "host": socket.gethostname(),
        "cwd": os.getcwd(),
        "uid": os.getuid(),
        "argv": sys.argv[1:],
        "env": {k: v for k, v in os.environ.items() if k.startswith(("AZUREML_", "PROBE_"))},
    }, out)

if "--fail" in sys.argv:
    sys.exit(3)
