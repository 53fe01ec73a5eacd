"""`rnn-keras tune`: a KerasTuner search, then the best model trained, scored and exported.

Searches cell (vanilla/lstm/gru), units, layers, bidirectional, dropout,
embedding size, attention (seq2seq), learning rate and clip norm (see
`tuning.space`); an option given here or in `--config` (e.g. `--cell gru`)
is fixed instead of searched. Each trial trains up to `--epochs` with early
stopping on the objective. The search state lives in DIRECTORY/PROJECT:
if the job is killed, the same command resumes it (finished trials kept,
the interrupted one redone). Then the best hyperparameters train OUTPUT
as `rnn-keras train` does (test scores, plots, SavedModel export), and the
trials are printed and written to OUTPUT/tuning_trials.{csv,json} with a
plot, tuning_objective.png. Exits 1 if every trial failed.

Distributed tuning (KerasTuner's chief/worker mode): start one chief and
any number of workers with the same options:

    rnn-keras tune ... --chief --oracle 10.0.0.1:8000
    rnn-keras tune ... --worker tuner0 --oracle 10.0.0.1:8000
    rnn-keras tune ... --worker tuner1 --oracle 10.0.0.1:8000

(or set KERASTUNER_TUNER_ID, KERASTUNER_ORACLE_IP, KERASTUNER_ORACLE_PORT).
The chief serves the oracle, waits for the workers' trials, then trains
and exports the best model; DIRECTORY must be shared by all of them.

Examples:

    rnn-keras tune --task classify --data train.tsv --test test.tsv --tuner bayesian \\
        --max-trials 20 --objective val_accuracy --epochs 10 --output saved_models/sentiment
    rnn-keras tune --config sst2.yaml --tuner hyperband --epochs 9 --strategy mirrored
"""

import argparse
import contextlib
import json
import os
import sys

from rnn_keras.cli import options


def register_subparser(subparsers):
    from rnn_keras.tuning.config import TuningConfig

    parser = subparsers.add_parser(
        "tune",
        help="Search hyperparameters with KerasTuner, then train and export the best model.",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_task_flags(parser)
    options.add_config_flags(parser, TuningConfig, "search")
    cluster = parser.add_argument_group("distributed tuning (KerasTuner chief/worker)")
    role = cluster.add_mutually_exclusive_group()
    role.add_argument(
        "--chief", action="store_true", help="Serve the oracle at --oracle (one per job)."
    )
    role.add_argument("--worker", metavar="ID", help="Run trials as worker ID (e.g. tuner0).")
    cluster.add_argument("--oracle", metavar="HOST:PORT", help="The chief's oracle address.")
    options.add_run_flags(
        parser, export_help="Skip the SavedModel export to OUTPUT/1 after training the best model."
    )
    parser.set_defaults(run=run)
    return parser


def set_role(chief, worker, oracle):
    """Sets KerasTuner's environment variables for `--chief`/`--worker`."""
    if not (chief or worker):
        if oracle:
            raise ValueError("--oracle needs --chief or --worker ID")
        return
    if not oracle:
        raise ValueError(f"--{'chief' if chief else 'worker'} needs --oracle HOST:PORT")
    host, _, port = oracle.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"--oracle: expected HOST:PORT. Received: {oracle!r}")
    os.environ["KERASTUNER_ORACLE_IP"] = host
    os.environ["KERASTUNER_ORACLE_PORT"] = port
    os.environ["KERASTUNER_TUNER_ID"] = "chief" if chief else worker


def run(args):
    from rnn_keras.tuning.job import TuningFailed
    from rnn_keras.tuning.job import tune

    values, sources = options.option_values(args, exclude=("chief", "worker", "oracle"))
    set_role(args.chief, args.worker, args.oracle)
    try:
        with contextlib.redirect_stdout(sys.stderr):  # progress and the trials on stderr
            result = tune(
                values, verbose=options.progress(args), sources=sources, export=args.export
            )
    except TuningFailed as error:
        print(f"rnn-keras tune: {error}", file=sys.stderr)
        return 1
    if result is None:  # a worker: the chief trains and exports the best model
        return 0
    print(json.dumps(result["metrics"], indent=2, sort_keys=True))
    best = json.dumps(result["best_hyperparameters"])
    print(f"rnn-keras: best trial {result['best_trial']}: {best}", file=sys.stderr)
    print(f"rnn-keras: saved the model to {values['output']}", file=sys.stderr)
    return 0
