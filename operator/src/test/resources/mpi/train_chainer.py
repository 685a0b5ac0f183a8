"""A real ChainerMN training for the tests, on CPU, in a few seconds.

Written in the style of ChainerMN's MNIST example (the flags, the extensions, the way it resumes), but on a
small synthetic data set it makes itself (seeded, 2 classes), so it needs no download. Under Open MPI's mpirun
(OMPI_COMM_WORLD_SIZE set) it uses ChainerMN (mpi4py); otherwise it runs as a single process without MPI.

Needs Chainer 7.8.1 and NumPy < 1.24 (see .ci/run, which makes /opt/chainer-test-venv).

  --snapshot-every N         rank 0 writes <out>/snapshot_iter_<iteration> every N iterations (default 1)
  --resume/-r FILE           every rank loads FILE into the trainer before training (ChainerMN example's way)
  --resume-from DIR          if --resume is not given: load the snapshot_iter_<n> with the highest n in DIR
  --record DIR               every rank writes DIR/rank-<rank>.json (at start, and again when training ends)
  --sleep-per-iteration S    every rank sleeps S seconds after each iteration (after that iteration's snapshot)
  --progress-bar N           rank 0 also shows Chainer's ProgressBar, redrawn every N iterations
"""
import argparse
import json
import os
import re
import sys
import time

import numpy as np

import chainer
import chainer.functions as F
import chainer.links as L
from chainer import training
from chainer.training import extensions


class MLP(chainer.Chain):

    def __init__(self, n_units, n_out):
        super(MLP, self).__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_units)
            self.l2 = L.Linear(None, n_units)
            self.l3 = L.Linear(None, n_out)

    def forward(self, x):
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        return self.l3(h2)


def synthetic_dataset(n_samples, n_features, seed):
    """Two classes, two Gaussian blobs that overlap a little: learnable, not trivially."""
    rng = np.random.RandomState(seed)
    t = rng.randint(0, 2, size=n_samples).astype(np.int32)
    centers = rng.randn(2, n_features).astype(np.float32)
    x = (centers[t] + 1.5 * rng.randn(n_samples, n_features)).astype(np.float32)
    n_train = n_samples * 4 // 5
    return (chainer.datasets.TupleDataset(x[:n_train], t[:n_train]),
            chainer.datasets.TupleDataset(x[n_train:], t[n_train:]))


def newest_snapshot(directory):
    best = None
    for name in os.listdir(directory):
        m = re.match(r'^snapshot_iter_(\d+)$', name)
        if m and (best is None or int(m.group(1)) > best[0]):
            best = (int(m.group(1)), name)
    return os.path.join(directory, best[1]) if best else ''


def write_record(directory, rank, record):
    if not directory:
        return
    try:
        os.makedirs(directory)
    except OSError:
        if not os.path.isdir(directory):  # another rank may have made it meanwhile
            raise
    path = os.path.join(directory, 'rank-%d.json' % rank)
    with open(path + '.tmp', 'w') as out:
        json.dump(record, out, indent=1, sort_keys=True)
    os.rename(path + '.tmp', path)


def main():
    parser = argparse.ArgumentParser(description='ChainerMN example on synthetic data (CPU)')
    parser.add_argument('--batchsize', '-b', type=int, default=32,
                        help='Number of samples in each mini-batch')
    parser.add_argument('--communicator', type=str, default='naive',
                        help='Type of communicator')
    parser.add_argument('--epoch', '-e', type=int, default=3,
                        help='Number of sweeps over the dataset to train')
    parser.add_argument('--out', '-o', default='result',
                        help='Directory to output the result')
    parser.add_argument('--resume', '-r', default='',
                        help='Resume the training from snapshot')
    parser.add_argument('--resume-from', default='',
                        help='Resume from the newest snapshot_iter_<n> in this directory')
    parser.add_argument('--unit', '-u', type=int, default=16,
                        help='Number of units')
    parser.add_argument('--samples', type=int, default=400,
                        help='Number of synthetic samples (4/5 train, 1/5 validation)')
    parser.add_argument('--seed', type=int, default=0,
                        help='Seed of the data and of the initial weights')
    parser.add_argument('--snapshot-every', type=int, default=1,
                        help='Take a snapshot every this many iterations')
    parser.add_argument('--record', default='',
                        help='Directory where every rank writes rank-<rank>.json')
    parser.add_argument('--sleep-per-iteration', type=float, default=0.0,
                        help='Seconds each rank sleeps after each iteration')
    parser.add_argument('--progress-bar', type=int, default=0,
                        help='Show a ProgressBar redrawn every this many iterations (0: none)')
    args = parser.parse_args()

    if 'OMPI_COMM_WORLD_SIZE' in os.environ:
        import chainermn
        # An uncaught exception on one rank would leave the others waiting in MPI for ever (ChainerMN
        # issue 236): this hook calls MPI_Abort instead, so mpirun exits non-zero.
        chainermn.global_except_hook.add_hook()
        comm = chainermn.create_communicator(args.communicator)
        rank, size = comm.rank, comm.size
    else:
        comm = None
        rank, size = 0, 1

    if rank == 0:
        print('==========================================')
        print('Num process (COMM_WORLD): {}'.format(size))
        if comm is not None:
            print('Using {} communicator'.format(args.communicator))
        else:
            print('Single process, no MPI')
        print('Num unit: {}'.format(args.unit))
        print('Num Minibatch-size: {}'.format(args.batchsize))
        print('Num epoch: {}'.format(args.epoch))
        print('==========================================')
        sys.stdout.flush()

    np.random.seed(args.seed)  # the initial weights (ChainerMN's optimizer broadcasts rank 0's anyway)
    model = L.Classifier(MLP(args.unit, 2))
    optimizer = chainer.optimizers.Adam()
    if comm is not None:
        optimizer = chainermn.create_multi_node_optimizer(optimizer, comm)
    optimizer.setup(model)

    if comm is None or rank == 0:
        train, test = synthetic_dataset(args.samples, 8, args.seed)
    else:
        train, test = None, None
    if comm is not None:
        train = chainermn.scatter_dataset(train, comm, shuffle=True)
        test = chainermn.scatter_dataset(test, comm, shuffle=True)

    train_iter = chainer.iterators.SerialIterator(train, args.batchsize)
    test_iter = chainer.iterators.SerialIterator(test, args.batchsize, repeat=False, shuffle=False)

    updater = training.StandardUpdater(train_iter, optimizer)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)

    evaluator = extensions.Evaluator(test_iter, model)
    if comm is not None:
        evaluator = chainermn.create_multi_node_evaluator(evaluator, comm)
    trainer.extend(evaluator)

    if rank == 0:
        trainer.extend(extensions.snapshot(filename='snapshot_iter_{.updater.iteration}'),
                       trigger=(args.snapshot_every, 'iteration'))
        trainer.extend(extensions.LogReport())
        trainer.extend(extensions.PrintReport(
            ['epoch', 'iteration', 'main/loss', 'validation/main/loss', 'main/accuracy', 'elapsed_time']))
        if args.progress_bar > 0:
            trainer.extend(extensions.ProgressBar(update_interval=args.progress_bar))

    if args.sleep_per_iteration > 0:
        # Lower priority than the snapshot's (-100): it runs after that iteration's snapshot was written.
        @training.make_extension(trigger=(1, 'iteration'), priority=-200)
        def sleep_per_iteration(_):
            time.sleep(args.sleep_per_iteration)
        trainer.extend(sleep_per_iteration)

    resumed_from = args.resume
    if not resumed_from and args.resume_from:
        resumed_from = newest_snapshot(args.resume_from)
    if resumed_from:
        chainer.serializers.load_npz(resumed_from, trainer)

    record = {
        'rank': rank,
        'size': size,
        'argv': sys.argv[1:],
        'resumed_from': resumed_from,
        'start_iteration': trainer.updater.iteration,
        'final_iteration': None,
        'env': {k: v for k, v in sorted(os.environ.items()) if k.startswith(('AZUREML_', 'CHAINER_'))},
    }
    write_record(args.record, rank, record)

    trainer.run()

    record['final_iteration'] = trainer.updater.iteration
    write_record(args.record, rank, record)


if __name__ == '__main__':
    main()
