#!/usr/bin/env python
"""MNIST with Chainer and ChainerMN: the training script of the examples in examples/*.yaml.

ChainerMN's MNIST example (an MLP; Chainer's trainer, evaluator, snapshots and reports), made to run as a
ChainerJob runs it:
- one process, or every rank of mpirun (Open MPI, MPICH, Intel MPI) with ChainerMN; --gpu puts each rank on the
  GPU of its intra-node rank;
- the data set: MNIST's four files (train-images-idx3-ubyte.gz, ...) in --data. Files that are missing are
  downloaded there first (by rank 0) from a mirror: Chainer's own get_mnist() downloads from yann.lecun.com, which
  has answered 403 Forbidden since 2024. Default --data: $CHAINER_DATASET_ROOT/mnist (~/.chainer/dataset/mnist);
- results in --out: log, snapshot_iter_<iteration> (rank 0, every --snapshot-every epochs, the last
  --keep-snapshots kept where Chainer can), model.npz at the end;
- --resume FILE loads a snapshot (the operator's checkpoints.resumeArgument), --resume-from PATH a snapshot file or
  the newest snapshot_iter_<n> in a directory (the operator's resumeFrom).

Runs with Chainer 5.1.0 and 7.x (the images of images/chainermn) on Python 3.6 to 3.11.
"""
import argparse
import gzip
import os
import re
import shutil
import sys
import tempfile

try:
    from urllib.request import urlopen
except ImportError:  # Python 2
    from urllib2 import urlopen

import numpy as np

import chainer
import chainer.functions as F
import chainer.links as L
from chainer import training
from chainer.training import extensions

FILES = {
    'train': ('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'),
    'test': ('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'),
}
MIRRORS = (
    'https://storage.googleapis.com/cvdf-datasets/mnist/',
    'https://ossci-datasets.s3.amazonaws.com/mnist/',
)


class MLP(chainer.Chain):

    def __init__(self, n_units, n_out):
        super(MLP, self).__init__()
        with self.init_scope():
            self.l1 = L.Linear(784, n_units)
            self.l2 = L.Linear(n_units, n_units)
            self.l3 = L.Linear(n_units, n_out)

    def forward(self, x):
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        return self.l3(h2)

    def __call__(self, x):  # Chainer 5 calls __call__
        return self.forward(x)


def download(directory, name):
    """Fetches one of MNIST's files into directory (atomically); the first mirror that answers wins."""
    errors = []
    for mirror in MIRRORS:
        try:
            response = urlopen(mirror + name, timeout=60)
            fd, tmp = tempfile.mkstemp(dir=directory, prefix='.' + name)
            with os.fdopen(fd, 'wb') as out:
                shutil.copyfileobj(response, out)
            os.rename(tmp, os.path.join(directory, name))
            return
        except Exception as e:  # try the next mirror
            errors.append('%s%s: %s' % (mirror, name, e))
    raise RuntimeError('cannot download MNIST:\n  ' + '\n  '.join(errors))


def data_directory(directory):
    """directory if it has every file or can take the missing ones; else a temporary one (a read-only input)."""
    names = [n for pair in FILES.values() for n in pair]
    missing = [n for n in names if not os.path.exists(os.path.join(directory, n))]
    if not missing:
        return directory
    try:
        if not os.path.isdir(directory):
            os.makedirs(directory)
        writable = os.access(directory, os.W_OK)
    except OSError:
        writable = False
    if not writable:
        print('{} is missing {} and is read-only: downloading elsewhere'.format(directory, missing))
        directory = tempfile.mkdtemp(prefix='mnist-')
    for name in names:
        if not os.path.exists(os.path.join(directory, name)):
            print('downloading {} into {}'.format(name, directory))
            sys.stdout.flush()
            download(directory, name)
    return directory


def read_idx(path, magic):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    header = np.frombuffer(data[:4], dtype='>i4')[0]
    if header != magic:
        raise ValueError('{}: not an MNIST file (magic {}, expected {})'.format(path, header, magic))
    dims = np.frombuffer(data[4:4 + 4 * (magic % 256)], dtype='>i4')
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(tuple(dims))


def load(directory, split):
    images, labels = FILES[split]
    x = read_idx(os.path.join(directory, images), 2051).reshape(-1, 784).astype(np.float32) / 255.0
    t = read_idx(os.path.join(directory, labels), 2049).astype(np.int32)
    return chainer.datasets.TupleDataset(x, t)


def newest_snapshot(path):
    """path if it is a file; the snapshot_iter_<n> with the highest n if it is a directory."""
    if not os.path.isdir(path):
        return path
    found = [(int(m.group(1)), name) for name in os.listdir(path)
             for m in [re.match(r'^snapshot_iter_(\d+)$', name)] if m]
    if not found:
        raise ValueError('no snapshot_iter_<n> in ' + path)
    return os.path.join(path, max(found)[1])


def snapshot_extension(keep):
    name = 'snapshot_iter_{.updater.iteration}'
    try:
        return extensions.snapshot(filename=name, n_retains=keep)
    except TypeError:  # Chainer 5 keeps every snapshot
        return extensions.snapshot(filename=name)


def main():
    parser = argparse.ArgumentParser(description='ChainerMN example: MNIST')
    parser.add_argument('--batchsize', '-b', type=int, default=100,
                        help='Number of images in each mini-batch')
    parser.add_argument('--communicator', type=str, default='naive',
                        help='Type of communicator (pure_nccl with --gpu)')
    parser.add_argument('--epoch', '-e', type=int, default=20,
                        help='Number of sweeps over the dataset to train')
    parser.add_argument('--gpu', '-g', action='store_true',
                        help='Use GPU (each rank the GPU of its rank within its node)')
    parser.add_argument('--out', '-o', default='result',
                        help='Directory to output the result')
    parser.add_argument('--resume', '-r', default='',
                        help='Resume the training from snapshot')
    parser.add_argument('--resume-from', default='',
                        help='Resume from a snapshot file, or the newest snapshot_iter_<n> in a directory')
    parser.add_argument('--unit', '-u', type=int, default=100,
                        help='Number of units')
    parser.add_argument('--data', default=os.path.join(
        os.environ.get('CHAINER_DATASET_ROOT', os.path.expanduser('~/.chainer/dataset')), 'mnist'),
                        help="Directory with MNIST's four .gz files (downloaded there when missing)")
    parser.add_argument('--snapshot-every', type=int, default=1,
                        help='Take a snapshot every this many epochs')
    parser.add_argument('--keep-snapshots', type=int, default=3,
                        help='How many snapshots to keep (Chainer 7; Chainer 5 keeps all)')
    args = parser.parse_args()

    mpi = any(v in os.environ for v in ('OMPI_COMM_WORLD_SIZE', 'PMI_SIZE', 'PMIX_RANK'))
    if mpi:
        import chainermn
        # An exception on one rank would leave the others waiting in MPI: abort them all instead.
        chainermn.global_except_hook.add_hook()
        comm = chainermn.create_communicator(args.communicator)
        rank, size, device = comm.rank, comm.size, comm.intra_rank
    else:
        comm, rank, size, device = None, 0, 1, 0

    if rank == 0:
        print('==========================================')
        print('Num process (COMM_WORLD): {}'.format(size))
        print('Using GPUs' if args.gpu else 'Using CPUs')
        if comm is not None:
            print('Using {} communicator'.format(args.communicator))
        print('Num unit: {}'.format(args.unit))
        print('Num Minibatch-size: {}'.format(args.batchsize))
        print('Num epoch: {}'.format(args.epoch))
        print('==========================================')
        sys.stdout.flush()

    model = L.Classifier(MLP(args.unit, 10))
    if args.gpu:
        chainer.backends.cuda.get_device_from_id(device).use()
        model.to_gpu()

    optimizer = chainer.optimizers.Adam()
    if comm is not None:
        optimizer = chainermn.create_multi_node_optimizer(optimizer, comm)
    optimizer.setup(model)

    # Rank 0 reads (and if need be downloads) the data; ChainerMN hands every rank its share.
    train, test = None, None
    if rank == 0:
        directory = data_directory(args.data)
        train, test = load(directory, 'train'), load(directory, 'test')
    if comm is not None:
        train = chainermn.scatter_dataset(train, comm, shuffle=True)
        test = chainermn.scatter_dataset(test, comm, shuffle=True)

    train_iter = chainer.iterators.SerialIterator(train, args.batchsize)
    test_iter = chainer.iterators.SerialIterator(test, args.batchsize, repeat=False, shuffle=False)
    updater = training.StandardUpdater(train_iter, optimizer, device=device if args.gpu else -1)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)

    evaluator = extensions.Evaluator(test_iter, model, device=device if args.gpu else -1)
    if comm is not None:
        evaluator = chainermn.create_multi_node_evaluator(evaluator, comm)
    trainer.extend(evaluator)

    if rank == 0:
        trainer.extend(snapshot_extension(args.keep_snapshots), trigger=(args.snapshot_every, 'epoch'))
        trainer.extend(extensions.LogReport())
        trainer.extend(extensions.PrintReport(
            ['epoch', 'iteration', 'main/loss', 'validation/main/loss', 'main/accuracy',
             'validation/main/accuracy', 'elapsed_time']))

    resume = args.resume or (newest_snapshot(args.resume_from) if args.resume_from else '')
    if resume:
        if rank == 0:
            print('Resuming from {}'.format(resume))
        chainer.serializers.load_npz(resume, trainer)

    trainer.run()

    if rank == 0:
        chainer.serializers.save_npz(os.path.join(args.out, 'model.npz'), model)
        print('Saved the model to {}'.format(os.path.join(args.out, 'model.npz')))


if __name__ == '__main__':
    main()
