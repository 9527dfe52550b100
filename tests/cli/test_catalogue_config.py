"""A catalogue of config and command-line mistakes: each row is what a user might type,
the exit status and the words of the one `nnlite:` line it must give, and that nothing is
left behind. Rows run in-process through `nnlite.cli.main`, the function the command
calls (sys.argv patched, stderr captured). tests/cli/test_catalogue_runs.py holds the
rows about data files, run folders, plugins, divergence and the file system."""

import pytest
from conftest import XOR, cli_in_process, files_under, one_nnlite_line

from nnlite.cli import exit_codes as ec

# (args after the experiment, expected status, words the one line must hold)
CONFIG_ROWS = [
    ("optimizer.lr=-1", ec.CONFIG, "optimizer.lr=-1.0 is not allowed"),
    ("optimizer.lr=inf", ec.CONFIG, "optimizer.lr=inf is not allowed"),
    ("trainer.clip_grad_norm=0", ec.CONFIG, "trainer.clip_grad_norm=0.0 is not allowed"),
    ("model.dropout=1.5", ec.CONFIG, "model.dropout=1.5"),
    ("model.dropout=-0.1", ec.CONFIG, "model.dropout=-0.1"),
    ("model.dropout=1", ec.CONFIG, "model.dropout=1.0"),
    ("seed=-1", ec.CONFIG, "seed=-1"),
    ("trainer.epochs=0", ec.CONFIG, "trainer.epochs=0"),
    ("trainer.epochs=-5", ec.CONFIG, "trainer.epochs=-5"),
    ("trainer.batch_size=0", ec.CONFIG, "trainer.batch_size=0"),
    ("trainer.batch_size=-2", ec.CONFIG, "trainer.batch_size=-2"),
    ("trainer.clip_grad_norm=0", ec.CONFIG, "trainer.clip_grad_norm=0"),
    ("trainer.clip_grad_norm=-1", ec.CONFIG, "trainer.clip_grad_norm=-1"),
    ("trainer.early_stopping.monitor=train_loss trainer.early_stopping.patience=0", ec.CONFIG,
     "trainer.early_stopping.patience=0"),
    ("trainer.early_stopping.min_delta=-1", ec.CONFIG, "trainer.early_stopping.min_delta=-1"),
    ("data.val_fraction=1", ec.CONFIG, "data.val_fraction=1.0"),
    ("data.val_fraction=-0.1", ec.CONFIG, "data.val_fraction=-0.1"),
    ("data.val_fraction=1.5", ec.CONFIG, "data.val_fraction=1.5"),
    ("data.test_fraction=1", ec.CONFIG, "data.test_fraction=1.0"),
    ("data.test_fraction=-0.5", ec.CONFIG, "data.test_fraction=-0.5"),
    ("data.n_samples=0", ec.CONFIG, "data.n_samples=0"),
    ("data.n_samples=-3", ec.CONFIG, "data.n_samples=-3"),
    ("model.hidden=[0]", ec.CONFIG, "model.hidden=[0]"),
    ("model.hidden=[8,-1]", ec.CONFIG, "model.hidden=[8, -1]"),
    ("model.depth=-1", ec.CONFIG, "model.depth=-1"),
    ("model.width=0", ec.CONFIG, "model.width=0"),
    ("model.dtype=float16", ec.CONFIG, "model.dtype='float16'"),
    ("model.dtype=int32", ec.CONFIG, "model.dtype='int32'"),
    ("trainer.checkpoint_every_s=-1", ec.CONFIG, "trainer.checkpoint_every_s=-1"),
    ("model.activation=rleu", ec.CONFIG, "Did you mean 'relu'?"),
    ("model.output_activation=sigmoidd", ec.CONFIG, "model.output_activation='sigmoidd'"),
    ("model.weight_init=he_norml", ec.CONFIG, "model.weight_init='he_norml'"),
    ("model.bias_init=zero", ec.CONFIG, "model.bias_init='zero'"),
    ("optimizer.name=adamm", ec.CONFIG, "optimizer.name='adamm'"),
    ("data.name=mnist", ec.CONFIG, "data.name='mnist'"),
    ("loss=msee", ec.CONFIG, "loss='msee'"),
    ("trainer.schedule.name=cosin", ec.CONFIG, "trainer.schedule.name='cosin'"),
    ("model.layers=[{type:linearr}]", ec.CONFIG, "model.layers[0].type='linearr'"),
    # types, checked by the schema
    ("trainer.epochs=abc", ec.CONFIG, "trainer.epochs"),
    ("plots=sometimes", ec.CONFIG, "plots"),
    ("seed=abc", ec.CONFIG, "seed"),
    ("optimizer.lr=abc", ec.CONFIG, "optimizer.lr"),
    ("model.hidden=abc", ec.CONFIG, "model.hidden"),
    ("data.standardize=maybe", ec.CONFIG, "data.standardize"),
    ("trainer.batch_size=1.5", ec.CONFIG, "trainer.batch_size"),
    ("model.dropout=abc", ec.CONFIG, "model.dropout"),
    ("trainer.progress=maybe", ec.CONFIG, "trainer.progress"),
    ("data.n_samples=many", ec.CONFIG, "data.n_samples"),
    # Hydra's own: unknown keys, groups and options, syntax
    ("optimizer.lrr=0.1", ec.CONFIG, "optimizer.lrr"),
    ("+optimizer.lrr=0.1", ec.CONFIG, "lrr"),
    # a section given by interpolation is checked once resolved
    ("+report.grad_norm_only.es={monitor:null,patience:0,min_delta:0.0,patiense:5} "
     "trainer.early_stopping=${report.grad_norm_only.es}", ec.CONFIG,
     "Key 'patiense' not in 'EarlyStoppingConfig'"),
    ("+report.grad_norm_only.es={monitor:null,patience:abc,min_delta:0.0} "
     "trainer.early_stopping=${report.grad_norm_only.es}", ec.CONFIG,
     "trainer.early_stopping.patience"),
    ("trainer.early_stopping=${trainer.schedule}", ec.CONFIG,
     "Key 'name' not in 'EarlyStoppingConfig'"),
    # an interpolation that resolves to the wrong type, or to nothing
    ("trainer.epochs=${data.name}", ec.CONFIG, "(key: trainer.epochs)"),
    ("trainer.schedule=${trainer.nothere}", ec.CONFIG, "'trainer.nothere' not found"),
    ("+experiment=nope", ec.CONFIG, "experiment/nope"),
    ("optimizer=nope", ec.CONFIG, "optimizer/nope"),
    ("model=nope", ec.CONFIG, "model/nope"),
    ("data=nope", ec.CONFIG, "data/nope"),
    ("trainer=nope", ec.CONFIG, "trainer/nope"),
    ("init=nope", ec.CONFIG, "init/nope"),
    ("optimizer.lr=[", ec.CONFIG, "optimizer.lr=["),
    ("trainer.epochs", ec.CONFIG, "trainer.epochs"),
    # optimizer options
    ("optimizer.momentum=0.9", ec.CONFIG, "optimizer 'adam' takes"),
    ("+optimizer.params.foo=1", ec.CONFIG, "optimizer.params.foo=1"),
    ("optimizer.eps=-1", ec.CONFIG, "eps=-1.0"),
    ("optimizer.betas=[2,0.5]", ec.CONFIG, "betas"),
    ("optimizer=adamw optimizer.weight_decay=-1", ec.CONFIG, "weight_decay"),
    ("optimizer=rmsprop optimizer.alpha=-1", ec.CONFIG, "alpha"),
    ("optimizer=adagrad optimizer.lr_decay=-1", ec.CONFIG, "lr_decay"),
    ("optimizer=sgd optimizer.momentum=-0.5", ec.CONFIG, "momentum"),
    # metrics that do not exist, or would select on the test split
    ("trainer.target_metric=train_acc trainer.target_value=1", ec.CONFIG,
     "trainer.target_metric='train_acc' is not a metric"),
    ("trainer.early_stopping.monitor=val_los trainer.early_stopping.patience=3", ec.CONFIG,
     "trainer.early_stopping.monitor='val_los'"),
    ("data.test_fraction=0.25 trainer.early_stopping.monitor=test_loss "
     "trainer.early_stopping.patience=3", ec.CONFIG, "the test split is evaluated once"),
    ("data.test_fraction=0.25 trainer.target_metric=test_accuracy trainer.target_value=0.9",
     ec.CONFIG, "the test split is evaluated once"),
    ("trainer.target_metric=train_loss trainer.target_value=null", ec.CONFIG,
     "trainer.target_value is null"),
    # losses that do not fit the task or the output
    ("loss=bce_with_logits data=spirals", ec.CONFIG, "does not fit data 'spirals'"),
    ("loss=cross_entropy data=sine", ec.CONFIG, "a regression task"),
    ("model.output_activation=sigmoid", ec.CONFIG, "ends in 'sigmoid' but loss 'bce_with_logits'"),
    ("data=spirals model.output_activation=softmax", ec.CONFIG, "ends in 'softmax'"),
    ("loss=cross_entropy model.output_activation=softmax", ec.CONFIG, "ends in 'softmax'"),
    ("+data.params.function=sine", ec.CONFIG, "dataset 'xor'"),
]


@pytest.mark.parametrize("override", ["~seed", "seed=???"])
def test_a_deleted_or_missing_key_gets_its_schema_default(tmp_path, monkeypatch, override):
    code, err = cli_in_process(tmp_path, monkeypatch, *XOR, override, "trainer.epochs=2",
                               "plots=false")
    assert code == 0, err
    (saved,) = [p for p in (tmp_path / "runs").rglob("config.yaml") if ".hydra" not in p.parts]
    assert "\nseed: 0\n" in saved.read_text()


@pytest.mark.parametrize("args,status,words", CONFIG_ROWS, ids=[r[0] for r in CONFIG_ROWS])
def test_config_catalogue(tmp_path, monkeypatch, args, status, words):
    code, err = cli_in_process(tmp_path, monkeypatch, *XOR, *args.split())
    assert code == status
    assert words in one_nnlite_line(err)
    assert files_under(tmp_path / "runs") == [], "a refused run left something behind"
