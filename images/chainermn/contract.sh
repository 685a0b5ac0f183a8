#!/bin/sh
# What the README's image contract asks of a training image, on Ubuntu, for both security profiles:
# - sshd (/usr/sbin/sshd) with its privilege-separation directory already made (a restricted job's sshd runs as
#   the pod's user, who may not create /run/sshd), and the ssh client;
# - Open MPI: mpirun on PATH, orted on an SSH session's default PATH, and mpi4py built against it (ChainerMN);
# - python (the operator's pythonCommand) with pip; sed, cp, mkdir, sleep come with the base image;
# - a user 1000:1000 with a home it owns, for restricted jobs (root jobs run as the image's user, root).
# The image itself stays root: the root profile runs as the image's user.
set -eu
# NVIDIA's apt sources in the CUDA base images carry signing keys NVIDIA has since rotated (apt-get update fails
# on them), and nothing from them is needed: the CUDA libraries are installed already.
rm -f /etc/apt/sources.list.d/cuda*.list /etc/apt/sources.list.d/nvidia-ml*.list
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  openssh-server openssh-client openmpi-bin python3-mpi4py \
  python3 python3-pip python3-setuptools python3-wheel ca-certificates
rm -rf /var/lib/apt/lists/*
ln -sf /usr/bin/python3 /usr/local/bin/python
mkdir -p /run/sshd
groupadd --gid 1000 chainer
useradd --uid 1000 --gid 1000 --create-home --home-dir /home/chainer --shell /bin/sh chainer
