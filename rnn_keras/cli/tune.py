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
import json
import os

from rnn_keras.cli import options
from rnn_keras.cli.train import export_folder

TUNING_OPTIONS = (
    ("tuner", ("random", "hyperband", "bayesian"), "Search algorithm. Default: random."),
    ("max_trials", int, "Trials to run (random, bayesian). Default: 10."),
    (
        "objective",
        str,
        "Validation metric to optimise, e.g. val_accuracy, val_entity_f1. "
        "Default: the task's --monitor (val_loss).",
    ),
    (
        "directory",
        str,
        "Folder of the search state (shared by chief and workers). Default: tuning_runs.",
    ),
    ("project", str, "Search name inside --directory. Default: the --output folder's name."),
    ("executions_per_trial", int, "Trainings per trial, averaged. Default: 1."),
    (
        "max_failed_trials",
        int,
        "Consecutive failed trials that stop the search. Default: 3.",
    ),
)
TUNING_KEYS = {name for name, _, _ in TUNING_OPTIONS}


def register_subparser(subparsers):
    parser = subparsers.add_parser(
        "tune",
        help="Search hyperparameters with KerasTuner, then train and export the best model.",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", help="YAML or JSON file of options; flags override it.")
    data = parser.add_argument_group("data")
    options.add_flags(data, options.DATA_OPTIONS)
    search = parser.add_argument_group("search")
    options.add_flags(search, TUNING_OPTIONS)
    hyperparameters = parser.add_argument_group(
        "model and training (a searched option given here is fixed)"
    )
    options.add_flags(hyperparameters, options.HYPERPARAMETERS)
    distribution = parser.add_argument_group("distribution")
    options.add_flags(distribution, options.DISTRIBUTION_OPTIONS)
    cluster = parser.add_argument_group("distributed tuning (KerasTuner chief/worker)")
    role = cluster.add_mutually_exclusive_group()
    role.add_argument(
        "--chief", action="store_true", help="Serve the oracle at --oracle (one per job)."
    )
    role.add_argument("--worker", metavar="ID", help="Run trials as worker ID (e.g. tuner0).")
    cluster.add_argument("--oracle", metavar="HOST:PORT", help="The chief's oracle address.")
    options.add_output_flags(
        parser,
        overwrite_help="Replace a finished model in --output.",
        export_help="Skip the SavedModel export to OUTPUT/1 after training the best model.",
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
    from tuning.job import TuningFailed
    from tuning.job import tune

    config = options.merged_config(args, extra_keys=TUNING_KEYS)
    for required in ("task", "data", "output"):
        if not config.get(required):
            raise SystemExit(f"rnn-keras tune: --{required} is required (flag or config file)")
    set_role(args.chief, args.worker, args.oracle)
    try:
        result = tune(config, verbose="auto" if args.verbose is None else args.verbose)
    except TuningFailed as error:
        print(f"rnn-keras tune: {error}")
        return 1
    if result is None:  # a worker: the chief trains and exports the best model
        return 0
    print(json.dumps(result["metrics"], indent=2, sort_keys=True))
    print(f"Best trial {result['best_trial']}: {json.dumps(result['best_hyperparameters'])}")
    print(f"Saved the model to {config['output']}")
    if args.export:
        export_folder(config["output"])
    return 0
