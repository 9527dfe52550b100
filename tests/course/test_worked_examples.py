"""Worked examples as data: `nl.course.verify` checks every claim of a YAML example
against one forward and backward pass, the shipped examples are the notes' own (two of
them with a note's typo, which verify flags), and every mistake in a file is one line
naming the bad value and what is allowed."""

import pytest

import nnlite as nl

course = nl.course
ISSUE_EXAMPLE = """
network:                 # W^(l)_ij from unit i of layer l-1 to unit j of layer l
  - {W: [[1, -2], [3, 1]], b: null, activation: relu}
  - {W: [[2], [-1]], b: null, activation: identity}
x: [1, 3]
loss: null
claims:
  z^(1)_1: 10            # = W_11 x_1 + W_21 x_2
  dH/dW^(2)_21: 1        # = a^(1)_2
"""


def write(tmp_path, text, name="example.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_the_issue_s_example_is_right(tmp_path):
    v = course.verify(write(tmp_path, ISSUE_EXAMPLE))
    assert v.all_right and [c.symbol for c in v.claims] == ["z^(1)_1", "dH/dW^(2)_21"]
    assert "z^(1)_1 = W^(1)_11 x_1 + W^(1)_21 x_2 = 1·1 + 3·3 = 10" in v.working


def test_a_wrong_claim_is_shown_with_the_right_value(tmp_path):
    text = ISSUE_EXAMPLE.replace("z^(1)_1: 10", "z^(1)_1: 11").replace(
        "loss: null", "loss: null\nabout: one slip")
    v = course.verify(write(tmp_path, text))
    assert not v.all_right and [c.symbol for c in v.wrong] == ["z^(1)_1"]
    assert "WRONG  z^(1)_1: 11 claimed; it is 10" in str(v)
    assert "right  dH/dW^(2)_21 = 1" in str(v) and "one slip" in str(v)


def test_every_kind_of_quantity_and_a_loss():
    """z^(1) = (10.5, 2), ŷ = 2·10.5 − 2 = 19, L = (19 − 18)² = 1, dL/dŷ = 2."""
    v = course.verify({"network": [{"W": [[1, -2], [3, 1]], "b": [0.5, 1], "activation": "relu"},
                                   {"W": [[2], [-1]], "activation": "identity"}],
                       "x": [1, 3], "loss": "mse", "target": 18,
                       "claims": {"z^(1)_1": 10.5, "b^(1)_2": 1, "W^(2)_21": -1, "x_2": 3,
                                  "a^(1)_2": 2, "g'(z^(1)_2)": 1, "L": 1, "dL/da^(2)_1": 2,
                                  "dL/db^(1)_2": -2, "dL/dx_1": 2 * (2 * 1 - 1 * -2),
                                  "ℓ": 1.0}})
    assert v.all_right, str(v)


def test_a_claim_is_right_to_the_digits_it_is_written_with():
    graph = {"inputs": {"y": 3}, "nodes": {"f": "exp y"}}
    right = {"f": 20.0855, "df/dy": 20.09}
    wrong = {"f": 20.08, "df/dy": 20}  # 20.0855... is neither 20.08 nor 20
    assert course.verify({"graph": graph, "claims": right}).all_right
    assert not any(c.right for c in course.verify({"graph": graph, "claims": wrong}).claims)


def test_the_shipped_examples_are_the_notes_and_only_the_notes_typos_are_wrong():
    names = [p.stem for p in course.examples()]
    assert {"note002_graph", "note002_xor", "note003_two_layer", "note004_dead_unit",
            "note004_quiz07_a", "note004_quiz07_b", "note004_three_layer"} <= set(names)
    wrong = {name: [(c.symbol, c.actual) for c in course.verify(name).wrong] for name in names}
    assert wrong.pop("note002_graph") == [("df/dh2", 2.0)]  # 002 §5.3's "df/dh2 = 1"
    assert wrong.pop("note004_dead_unit") == [("dH/dW^(3)_12", None)]
    assert all(not w for w in wrong.values()), wrong


def test_note_004_s_index_typo_names_the_weight_it_means():
    [claim] = course.verify("note004_dead_unit").wrong
    assert "W^(3) is 2 × 1" in claim.why and "W^(3)_12 does not exist" in claim.why
    assert "is W^(3)_21, and dH/dW^(3)_21 = 9" in claim.why


def test_a_graph_example_renders_nl_graph_s_working():
    v = course.verify("note002_graph")
    assert "∂f/∂h2 = ∂f/∂h3 · ∂h3/∂h2 = 1·2 = 2" in v.working
    assert "WRONG  df/dh2: 1 claimed; it is 2" in str(v)
    # f = ln(x y) at (1, 2): df/dx = 1/x = 1, df/dy = 1/y, dh/dx = y (local)
    v = course.verify({"graph": {"inputs": {"x": 1, "y": 2}, "nodes": {"h": "mul x y",
                                                                        "f": "ln h"}},
                       "claims": {"df/dx": 2, "dh/dx": 2, "df/dy": 0.5, "dh/df": 1}})
    assert [c.right for c in v.claims] == [False, True, True, False]
    assert "f is not an input of h = x · y" in v.claims[3].why


@pytest.mark.parametrize("change, says", [
    (("relu}", "rleu}"), ("network[0].activation: 'rleu' is not an activation (did you mean "
                         "'relu'?); allowed: elu,")),
    (("[[2], [-1]]", "[[2], [-1], [4]]"), "network[1].W has 3 rows but layer 1 has 2 units"),
    (("x: [1, 3]", "x: [1, 3, 5]"), "network[0].W has 2 rows but the input x has 3 units"),
    (("b: null, activation: relu", "bias: 1, activation: relu"),
     "network[0]: unknown key 'bias'; a layer has W, b, activation"),
    (("[[1, -2], [3, 1]]", "[[1, -2], [3, one]]"), "network[0].W[1][1]: 'one' is not a number"),
    (("[[1, -2], [3, 1]]", "[[1, -2], [3]]"), "network[0].W: its rows must all have the same"),
    (("z^(1)_1: 10", "z_1^(1): 10"), ("claims: 'z_1^(1)' is not a quantity in the notes' "
                                     "notation; allowed: x_i, z^(l)_j")),
    (("loss: null", "loss: mse"), "loss and target go together"),
    (("loss: null", "loss: hinge\ntarget: 1"), "loss: 'hinge' is not allowed; use null"),
    (("loss: null", "loss: mse\ntarget: 1"), "'dH/dW^(2)_21': this example differentiates L"),
    (("loss: null", "lost: null"), "unknown key 'lost'; allowed: about, network, x, loss"),
    (("claims:", "claims: {}\nold:"), "unknown key 'old'"),
    (("x: [1, 3]", "x: [1, 3"), "line 6: not YAML"),
])
def test_a_mistake_in_the_file_is_one_line_naming_it(tmp_path, change, says):
    path = write(tmp_path, ISSUE_EXAMPLE.replace(*change))
    with pytest.raises(course.ExampleError) as err:
        course.verify(path)
    message = str(err.value)
    assert says in message and "\n" not in message, message


def test_files_are_read_safely_and_size_bounded(tmp_path):
    with pytest.raises(course.ExampleError, match="at most 65536"):
        course.verify(write(tmp_path, "x: [1]\n" + "#" * 70000))
    with pytest.raises(course.ExampleError, match="not YAML"):  # safe_load: no Python objects
        course.verify(write(tmp_path, "x: !!python/object/apply:os.system ['true']\n"))
    with pytest.raises(course.ExampleError, match="must be a mapping"):
        course.verify(write(tmp_path, "- 1\n- 2\n"))
    with pytest.raises(course.ExampleError, match="no shipped example of that name; shipped: "
                                                  "note002_graph"):
        course.verify("note009")
