"""The course's own plots: gradient_cost.png's x axis reads as the sizes measured."""

import itertools

from matplotlib.backends.backend_agg import FigureCanvasAgg

from nnlite.plots.course import gradient_cost_figure

ROWS = [{"d": d, "numerical_s": 1e-5 * d * d, "analytic_s": 3e-5, "numerical_forwards": 2 * d * d,
         "analytic_forwards": 1} for d in (2, 4, 8, 16, 32, 64)]


def test_gradient_cost_x_labels_are_the_sizes_and_do_not_run_into_each_other():
    fig = gradient_cost_figure(ROWS)
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        labels = [t for t in ax.get_xticklabels(minor=False) + ax.get_xticklabels(minor=True)
                  if t.get_visible() and t.get_text()
                  and ax.get_xlim()[0] <= t.get_position()[0] <= ax.get_xlim()[1]]
        assert [t.get_text() for t in labels] == ["2", "4", "8", "16", "32", "64"]
        for a, b in itertools.combinations(labels, 2):
            assert not a.get_window_extent(renderer).overlaps(b.get_window_extent(renderer))
