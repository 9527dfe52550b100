"""metrics.csv: appended, not rewritten; a torn last row dropped on read; one reader."""

import json

import numpy as np
import pytest
from conftest import composed

from nnlite.runs.folder import metrics_file
from nnlite.runs.folder.metrics_file import MetricsFile, metric_columns, read_rows
from nnlite.runs.folder.safe_read import RunFileError
from nnlite.runs.training.lifecycle import train


def rows(n: int, start: int = 0) -> list[dict[str, float]]:
    return [{"epoch": float(e), "train_loss": 1.0 / (e + 1)} for e in range(start, start + n)]


def test_rows_are_appended_and_the_file_is_written_whole_only_when_it_must(tmp_path,
                                                                             monkeypatch):
    whole = []
    monkeypatch.setattr(metrics_file, "write_atomic",
                        lambda path, text: (whole.append(text), path.write_text(text)))
    file = MetricsFile(tmp_path / "metrics.csv")
    kept = rows(3)
    file.write(kept)
    kept += rows(4, start=3)
    file.write(kept)
    file.write(kept)
    assert len(whole) == 1  # the first write; the next four rows were appended
    assert read_rows(tmp_path / "metrics.csv") == kept
    kept.append({"epoch": 7.0, "train_loss": 0.1, "val_loss": 0.2})  # a new column
    file.write(kept)
    assert len(whole) == 2 and whole[-1].splitlines()[0] == "epoch,train_loss,val_loss"
    file.write(kept[:2])  # a resumed run goes back to its checkpoint's rows
    assert len(whole) == 3 and read_rows(tmp_path / "metrics.csv") == kept[:2]


def test_a_torn_last_row_is_dropped_on_read(tmp_path):
    path = tmp_path / "metrics.csv"
    path.write_text("epoch,train_loss\n0,0.5\n1,0.4\n2,0.3")  # kill -9 mid-append
    assert read_rows(path) == [{"epoch": 0.0, "train_loss": 0.5},
                               {"epoch": 1.0, "train_loss": 0.4}]


@pytest.mark.parametrize("text, words", [
    ("epoch,train_loss\n0,fast\n", "line 2, column 'train_loss': 'fast' is not a number"),
    ("epoch\n0,1\n", "more cells than the header names"),
    ("epoch\n" + "1" * 200_000 + "\n", "metrics table of numbers"),
])
def test_what_is_not_a_table_of_numbers_is_one_error_naming_the_file(tmp_path, text, words):
    path = tmp_path / "metrics.csv"
    path.write_text(text)
    with pytest.raises(RunFileError, match=words) as caught:
        read_rows(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_columns_fill_what_a_row_lacks_with_nan():
    found = metric_columns([{"a": 1.0}, {"a": 2.0, "b": 3.0}])
    np.testing.assert_array_equal(found["a"], [1.0, 2.0])
    np.testing.assert_array_equal(found["b"], [np.nan, 3.0])


def test_a_failing_end_hook_leaves_summary_json_written_once_saying_failed(
        tmp_path, monkeypatch, registered):
    import types

    import nnlite as nl
    from nnlite.runs.folder import recorder

    plugin = types.ModuleType("end_fails")
    plugin.nnlite_run_end = nl.hookimpl(lambda run, summary: 1 / 0)
    registered(plugin)
    written = []
    original = recorder.write_atomic
    monkeypatch.setattr(recorder, "write_atomic", lambda path, text: (
        written.append(path.name), original(path, text)))
    with pytest.raises(nl.PluginError, match="nnlite_run_end hook raised"):
        train(composed("+experiment=xor", "trainer.epochs=3", "plots=false"), tmp_path)
    assert written.count("summary.json") == 1
    assert json.loads((tmp_path / "summary.json").read_text())["status"] == "failed"
