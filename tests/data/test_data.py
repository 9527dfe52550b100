"""Datasets: generators, files, splits, standardization and mini-batches."""

import dataclasses
import sys

import numpy as np
import pytest

import nnlite as nl
from nnlite import datasets
from nnlite.data import Dataset, Standardizer, batches, split

CLASSIFIERS = {
    "xor": {"n_samples": 40, "noise": 0.1},
    "moons": {"n_samples": 60},
    "circles": {"n_samples": 60},
    "spirals": {"n_samples": 90},
    "spirals2": {"n_samples": 90, "n_classes": 2},
    "blobs": {"n_samples": 90, "n_classes": 4, "n_features": 3},
}


def make(name, **kw):
    fn = datasets.spirals if name == "spirals2" else getattr(datasets, name)
    return fn(**{**CLASSIFIERS[name], **kw})


@pytest.mark.parametrize("name", list(CLASSIFIERS))
def test_classification_generators(name):
    ds = make(name)
    n = CLASSIFIERS[name]["n_samples"]
    d = CLASSIFIERS[name].get("n_features", 2)
    assert ds.x.shape == (n, d) and ds.x.dtype == np.float64
    assert ds.y.shape == (n,) and ds.y.dtype == np.int64
    assert len(ds) == n and ds.n_features == d
    k = CLASSIFIERS[name].get("n_classes", 3 if name.startswith(("spirals", "blobs")) else 2)
    assert ds.n_classes == k
    assert ds.task == ("binary" if k == 2 else "multiclass")
    assert set(np.unique(ds.y)) == set(range(k))
    again, other = make(name), make(name, seed=1)
    np.testing.assert_array_equal(ds.x, again.x)
    np.testing.assert_array_equal(ds.y, again.y)
    assert not np.array_equal(ds.x, other.x)


def test_xor_is_exactly_the_four_points():
    ds = datasets.xor()
    np.testing.assert_array_equal(ds.x, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(ds.y, [0, 1, 1, 0])
    assert ds.x.dtype == np.float64 and ds.task == "binary" and ds.name == "xor"


def test_sampled_xor_labels_follow_the_nearest_corner():
    ds = datasets.xor(n_samples=100, noise=0.05)
    corner = np.round(ds.x).astype(int)
    np.testing.assert_array_equal(ds.y, corner[:, 0] ^ corner[:, 1])
    assert np.bincount(ds.y).tolist() == [50, 50]


def test_moons_geometry_without_noise():
    ds = datasets.moons(n_samples=101, noise=0.0)
    upper, lower = ds.x[ds.y == 0], ds.x[ds.y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    assert np.all(upper[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)
    assert abs(len(upper) - len(lower)) <= 1


def test_circles_inner_radius_is_factor_times_outer():
    ds = datasets.circles(n_samples=80, noise=0.0, factor=0.3)
    radius = np.hypot(*ds.x.T)
    np.testing.assert_allclose(radius[ds.y == 0], 1.0)
    np.testing.assert_allclose(radius[ds.y == 1], 0.3)
    with pytest.raises(ValueError, match="factor=1.5"):
        datasets.circles(factor=1.5)


@pytest.mark.parametrize("n_classes", [2, 3, 5])
def test_spirals_classes_are_balanced(n_classes):
    ds = datasets.spirals(n_samples=101, n_classes=n_classes)
    counts = np.bincount(ds.y, minlength=n_classes)
    assert counts.max() - counts.min() <= 1 and counts.sum() == 101
    assert np.all(np.hypot(*ds.x.T) <= 1.0 + 1e-12)


def test_blobs_noise_is_the_cluster_std():
    tight = datasets.blobs(n_samples=300, noise=0.01)
    for c in range(3):
        assert np.all(tight.x[tight.y == c].std(axis=0) < 0.05)
    with pytest.raises(ValueError, match="n_classes=1"):
        datasets.blobs(n_classes=1)


@pytest.mark.parametrize("bad", [{"n_samples": 0}, {"n_samples": 2.5}, {"noise": -0.1}])
def test_generators_reject_bad_sizes_and_noise(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        datasets.moons(**bad)


REFERENCE = {
    "sine": np.sin,
    "cosine": np.cos,
    "abs": np.abs,
    "square": lambda x: x * x,
    "cubic": lambda x: x * x * x,
    "step": lambda x: (x >= 0).astype(float),
    "sawtooth": lambda x: 2 * ((x + 0.5) % 1.0) - 1,
    "bump": lambda x: np.exp(-x * x),
}


@pytest.mark.parametrize("function", sorted(REFERENCE))
def test_regression1d_matches_the_function(function):
    ds = datasets.regression1d(function, n_samples=50, noise=0.0)
    assert ds.task == "regression" and ds.n_classes is None
    assert ds.x.shape == (50, 1) and ds.y.shape == (50, 1) and ds.y.dtype == np.float64
    np.testing.assert_allclose(ds.y, REFERENCE[function](ds.x), atol=1e-12)
    assert np.all(np.abs(ds.y) <= 1.0)
    noisy, again = (datasets.regression1d(function, n_samples=50, seed=s) for s in (0, 0))
    np.testing.assert_array_equal(noisy.y, again.y)
    assert not np.array_equal(noisy.y, datasets.regression1d(function, n_samples=50, seed=1).y)


def test_regression1d_range_and_unknown_function():
    ds = datasets.regression1d("square", n_samples=100, noise=0.0, x_min=2.0, x_max=3.0)
    assert ds.x.min() >= 2.0 and ds.x.max() <= 3.0
    with pytest.raises(ValueError, match="'tangent'.*sine, cosine, abs, square, cubic, step"):
        datasets.regression1d("tangent")


def test_sine_is_regression1d_sine():
    a, b = datasets.sine(n_samples=30), datasets.regression1d("sine", n_samples=30)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)
    assert a.name == "sine"


def test_digits():
    ds = datasets.digits()
    assert ds.x.shape == (1797, 64) and ds.task == "multiclass" and ds.n_classes == 10
    assert ds.x.min() == 0.0 and ds.x.max() == 1.0
    sub, again = datasets.digits(n_samples=100), datasets.digits(n_samples=100)
    assert len(sub) == 100
    np.testing.assert_array_equal(sub.x, again.x)
    assert not np.array_equal(sub.x, datasets.digits(n_samples=100, seed=1).x)


def test_digits_need_no_scikit_learn(monkeypatch):
    from nnlite.data.digits import _pixels_and_labels

    for name in [m for m in sys.modules if m == "sklearn" or m.startswith("sklearn.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    _pixels_and_labels.cache_clear()
    ds = datasets.digits()
    assert ds.x.shape == (1797, 64) and ds.y.dtype == np.int64
    assert np.bincount(ds.y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert np.all(ds.x * 16 == np.round(ds.x * 16))  # counts 0..16, scaled


def test_shipped_digits_are_scikit_learns_copy():
    load_digits = pytest.importorskip("sklearn.datasets").load_digits
    ours, theirs = datasets.digits(), load_digits()
    np.testing.assert_array_equal(ours.x, theirs.data / 16.0)
    np.testing.assert_array_equal(ours.y, theirs.target)


# from_file


def write(path, text):
    path.write_text(text)
    return path


def test_csv_with_header_and_named_target(tmp_path, monkeypatch):
    write(tmp_path / "pts.csv", "a,label,b\n1,3,2\n4,7,5\n\n7,3,8\n")
    monkeypatch.chdir(tmp_path)
    ds = datasets.from_file("pts.csv", target="label")  # relative to the cwd
    np.testing.assert_array_equal(ds.x, [[1, 2], [4, 5], [7, 8]])
    np.testing.assert_array_equal(ds.y, [0, 1, 0])  # {3, 7} -> {0, 1}
    assert ds.task == "binary" and ds.name == "pts"
    assert datasets.from_file("pts.csv", target=1).task == "binary"
    assert datasets.from_file("pts.csv").task == "multiclass"  # last column: 2, 5, 8


def test_csv_with_a_byte_order_mark_reads_like_any_other(tmp_path):
    # Excel's "CSV UTF-8" starts the file with U+FEFF
    with_header = tmp_path / "h.csv"
    with_header.write_bytes("a,label\n1,0\n2,1\n3,0\n".encode("utf-8-sig"))
    assert datasets.from_file(with_header, target="a").x.shape == (3, 1)
    no_header = tmp_path / "n.csv"
    no_header.write_bytes("1,2,0\n2,3,1\n4,5,0\n".encode("utf-8-sig"))
    assert len(datasets.from_file(no_header).y) == 3  # the first row is data, not a header


def test_csv_with_a_single_class_is_refused(tmp_path):
    path = write(tmp_path / "one.csv", "1,2,1\n2,3,1\n4,5,1\n")
    with pytest.raises(ValueError, match="every target is 1; a binary task needs at least two"):
        datasets.from_file(path)
    assert datasets.from_file(path, task="regression").task == "regression"


def test_csv_without_header_is_regression_when_targets_are_real(tmp_path):
    path = write(tmp_path / "r.csv", "0.5,1.25\n1.5,2.5\n2.0,3.75\n")
    ds = datasets.from_file(path)
    assert ds.task == "regression" and ds.y.shape == (3, 1)
    np.testing.assert_array_equal(ds.y[:, 0], [1.25, 2.5, 3.75])
    assert datasets.from_file(path, task="regression").n_classes is None


def test_auto_task_counts_distinct_integers(tmp_path):
    rows = "\n".join(f"{i},{i % 21}" for i in range(42))
    assert datasets.from_file(write(tmp_path / "many.csv", rows)).task == "regression"
    few = datasets.from_file(write(tmp_path / "few.csv", rows.replace(",20", ",0")))
    assert few.task == "multiclass" and few.n_classes == 20


def test_npz(tmp_path):
    x = np.arange(12.0).reshape(6, 2)
    np.savez(tmp_path / "d.npz", x=x, y=np.array([2, 4, 6, 2, 4, 6]))
    ds = datasets.from_file(tmp_path / "d.npz")
    assert ds.task == "multiclass" and ds.n_classes == 3
    np.testing.assert_array_equal(ds.y, [0, 1, 2, 0, 1, 2])
    np.testing.assert_array_equal(ds.x, x)
    np.savez(tmp_path / "reg.npz", x=x, y=x * 0.5)
    assert datasets.from_file(tmp_path / "reg.npz").y.shape == (6, 2)
    assert len(datasets.from_file(tmp_path / "d.npz", n_samples=4)) == 4


def test_file_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match=f"'nope.csv'.*{tmp_path}"):
        datasets.from_file("nope.csv")
    with pytest.raises(ValueError, match="unsupported suffix '.txt'"):
        datasets.from_file(write(tmp_path / "d.txt", "1,2\n"))
    with pytest.raises(ValueError, match="line 3, column 2: 'x' is not a number"):
        datasets.from_file(write(tmp_path / "bad.csv", "a,b\n1,2\n3,x\n"))
    with pytest.raises(ValueError, match="line 2 has 3 columns"):
        datasets.from_file(write(tmp_path / "ragged.csv", "1,2\n3,4,5\n"))
    with pytest.raises(ValueError, match="'z' not found.*'a', 'b'"):
        datasets.from_file(write(tmp_path / "h.csv", "a,b\n1,2\n"), target="z")
    np.savez(tmp_path / "k.npz", inputs=np.zeros((2, 2)))
    with pytest.raises(ValueError, match="'x' and 'y'.*'inputs'"):
        datasets.from_file("k.npz")
    with pytest.raises(ValueError, match="task 'binary'.*3 values"):
        datasets.from_file(write(tmp_path / "three.csv", "0,0\n1,1\n2,2\n"), task="binary")


# Dataset validation


def test_dataset_validates_its_arrays():
    x = np.zeros((3, 2))
    with pytest.raises(ValueError, match="'ranking'"):
        Dataset(x, np.zeros(3), "ranking")
    with pytest.raises(ValueError, match="3 rows but y has 2"):
        Dataset(x, np.zeros(2), "binary")
    with pytest.raises(ValueError, match=r"label 5 is outside \[0, 3\)"):
        Dataset(x, np.array([0, 1, 5]), "multiclass", n_classes=3)
    with pytest.raises(ValueError, match="label 0.5"):
        Dataset(x, np.array([0, 0.5, 1]), "binary")
    with pytest.raises(ValueError, match=r"\(N, D\)"):
        Dataset(np.zeros(3), np.zeros(3), "regression")
    ds = Dataset(x, np.arange(3), "regression")
    assert ds.y.shape == (3, 1) and ds.n_outputs == 1
    assert Dataset(x, np.array([0, 4, 1]), "multiclass").n_classes == 5


# split


def test_split_sizes_disjoint_and_stratified():
    ds = datasets.moons(n_samples=200)
    parts = split(ds, val_fraction=0.2, test_fraction=0.1, seed=3)
    assert {k: len(v) for k, v in parts.items()} == {"train": 140, "val": 40, "test": 20}
    assert np.bincount(parts["val"].y).tolist() == [20, 20]
    rows = np.concatenate([p.x for p in parts.values()])
    assert len(np.unique(rows, axis=0)) == 200
    again = split(ds, val_fraction=0.2, test_fraction=0.1, seed=3)
    np.testing.assert_array_equal(parts["val"].x, again["val"].x)
    other = split(ds, val_fraction=0.2, test_fraction=0.1, seed=4)
    assert not np.array_equal(parts["val"].x, other["val"].x)
    assert set(split(ds, val_fraction=0.0)) == {"train"}


def test_split_regression_and_tiny_datasets():
    parts = split(datasets.sine(n_samples=10), val_fraction=0.25, stratify=True)
    assert len(parts["train"]) == 7 and len(parts["val"]) == 3  # round(2.5) rounds up
    xor = datasets.xor()
    assert len(split(xor, val_fraction=0.0)["train"]) == 4
    tiny = split(xor, val_fraction=0.05)
    assert len(tiny["train"]) == 3 and len(tiny["val"]) == 1  # at least one val row
    with pytest.raises(ValueError, match="leave no training rows"):
        split(xor.subset(np.array([0])), val_fraction=0.5)


@pytest.mark.parametrize("kw, bad", [({"val_fraction": 1.0}, "val_fraction=1.0"),
                                     ({"test_fraction": -0.1}, "test_fraction=-0.1"),
                                     ({"val_fraction": 0.6, "test_fraction": 0.4}, "1.0")])
def test_split_validates_fractions(kw, bad):
    with pytest.raises(ValueError, match=bad):
        split(datasets.moons(n_samples=20), **kw)


# Standardizer


def test_standardizer():
    rng = np.random.default_rng(0)
    x = np.column_stack([rng.normal(5, 3, 100), np.full(100, 7.0), rng.normal(-2, 0.1, 100)])
    scaler = Standardizer.fit(x)
    z = scaler.transform(x)
    np.testing.assert_allclose(z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(z.std(axis=0), [1, 0, 1], atol=1e-12)
    assert scaler.std[1] == 1.0 and np.all(np.isfinite(z))
    restored = Standardizer.from_state(scaler.state())
    np.testing.assert_array_equal(restored.transform(x[:5]), z[:5])
    np.testing.assert_allclose(scaler.inverse_transform(z), x)
    assert scaler.transform(x.astype(np.float32)).dtype == np.float32
    with pytest.raises(ValueError, match="3 features"):
        scaler.transform(np.zeros((2, 2)))


def test_standardized_dataset_via_replace():
    parts = split(datasets.blobs(n_samples=60))
    scaler = Standardizer.fit(parts["train"].x)
    val = dataclasses.replace(parts["val"], x=scaler.transform(parts["val"].x))
    assert val.n_classes == 3 and val.x.shape == parts["val"].x.shape


# batches


def test_batches_cover_every_index_once():
    x = np.arange(10.0).reshape(10, 1)
    y = np.arange(10)
    got = list(batches(x, y, batch_size=4, rng=0))
    assert [len(xb) for xb, _ in got] == [4, 4, 2]
    seen = np.concatenate([yb for _, yb in got])
    assert sorted(seen.tolist()) == list(range(10))
    for xb, yb in got:
        np.testing.assert_array_equal(xb[:, 0], yb)
    again = np.concatenate([yb for _, yb in batches(x, y, 4, rng=0)])
    np.testing.assert_array_equal(seen, again)
    assert not np.array_equal(seen, np.concatenate([yb for _, yb in batches(x, y, 4, rng=1)]))
    rng = np.random.default_rng(5)
    first, second = (np.concatenate([yb for _, yb in batches(x, y, 3, rng=rng)]) for _ in "ab")
    assert not np.array_equal(first, second)  # a shared Generator reshuffles every epoch


def test_batches_in_order_and_bad_sizes():
    x, y = np.zeros((5, 2)), np.arange(5)
    (whole,) = batches(x, y, batch_size=100)
    assert len(whole[0]) == 5
    ordered = [yb.tolist() for _, yb in batches(x, y, 2, shuffle=False)]
    assert ordered == [[0, 1], [2, 3], [4]]
    for bad in (0, -3, 1.5):
        with pytest.raises(ValueError, match=f"batch_size={bad}"):
            batches(x, y, bad)


# registry


def test_datasets_come_through_the_registry():
    ds = nl.dataset("moons", n_samples=50)
    assert isinstance(ds, Dataset) and len(ds) == 50
    assert nl.registry.entry("datasets", "moons").plugin == "nnlite.builtins"
    assert {"xor", "moons", "circles", "spirals", "blobs", "regression1d", "sine", "digits",
            "file"} <= set(nl.registry.names("datasets"))
    assert nl.dataset("regression1d", function="bump", n_samples=5).y.shape == (5, 1)
