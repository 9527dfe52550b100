"""Reading CSV files: delimiter, header, target by name or index, text labels."""

import numpy as np
import pytest

from nnlite import datasets
from nnlite.data.tables import read_table


def write(path, text):
    path.write_text(text)
    return path


def test_text_labels_are_classes_in_sorted_order(tmp_path):
    ds = datasets.from_file(write(tmp_path / "pets.csv",
                                  "w,h,pet\n1,2,dog\n3,4,cat\n5,6,dog\n7,8,bird\n"))
    assert ds.task == "multiclass" and ds.classes == ("bird", "cat", "dog")
    np.testing.assert_array_equal(ds.y, [2, 1, 2, 0])
    assert ds.subset(np.array([0, 1])).classes == ds.classes


def test_labels_that_are_not_0_to_k_keep_their_values(tmp_path):
    ds = datasets.from_file(write(tmp_path / "l.csv", "1,5\n2,7\n3,5\n"))
    assert ds.classes == (5, 7) and ds.y.tolist() == [0, 1, 0]
    assert datasets.from_file(write(tmp_path / "z.csv", "1,0\n2,1\n")).classes is None


@pytest.mark.parametrize("delimiter,given", [(";", ";"), ("\t", "\\t"), ("\t", "tab"),
                                             (";", "semicolon")])
def test_a_delimiter_of_choice(tmp_path, delimiter, given):
    path = write(tmp_path / "d.csv", f"x{delimiter}y\n1{delimiter}0\n2{delimiter}1\n")
    ds = datasets.from_file(path, delimiter=given)
    assert ds.x.tolist() == [[1], [2]] and ds.y.tolist() == [0, 1]


def test_a_file_read_with_the_wrong_delimiter_says_which_to_use(tmp_path):
    with pytest.raises(ValueError, match=r"delimiter=';'"):
        datasets.from_file(write(tmp_path / "eu.csv", "a;b\n1;0\n2;1\n"))


def test_header_can_be_stated(tmp_path):
    path = write(tmp_path / "h.csv", "10,20,0\n1,2,1\n3,4,0\n")
    assert len(datasets.from_file(path, header=False)) == 3
    assert len(datasets.from_file(path, header="auto")) == 3  # numeric first row: data
    ds = datasets.from_file(path, header=True, target="20")  # the first row names columns
    assert len(ds) == 2 and ds.x.tolist() == [[1, 1], [3, 0]]
    with pytest.raises(ValueError, match="header='yes'"):
        read_table(path, header="yes")


def test_a_target_column_mixing_numbers_and_text_names_the_odd_cell(tmp_path):
    with pytest.raises(ValueError, match=r"line 4, column 2: '7' is a number among text"):
        datasets.from_file(write(tmp_path / "m.csv", "a,b\n1,x\n2,y\n3,7\n4,x\n"))
    with pytest.raises(ValueError, match="regression.*text"):
        datasets.from_file(write(tmp_path / "t.csv", "1,x\n2,y\n"), task="regression")
