"""A figure saved twice is the same bytes in every format (issue 21, item 7).

PDF, SVG, PS and EPS carry a creation date (and SVG random ids) by default; the run
times of a result belong in ``run.log``, never in its files.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from yrdnet.viz.mapframe import save_figure


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "ps", "eps"])
def test_two_saves_are_byte_identical(tmp_path, fmt):
    data = []
    for k in (1, 2):
        fig, ax = plt.subplots(figsize=(2, 2))
        ax.plot([0, 1], [1, 0], label="a")
        ax.legend()
        save_figure(fig, tmp_path / f"f{k}.{fmt}", dpi=40)
        plt.close(fig)
        data.append((tmp_path / f"f{k}.{fmt}").read_bytes())
    assert len(data[0]) > 100 and data[0] == data[1]
    assert b"CreationDate" not in data[0] and b"<dc:date>" not in data[0], "no date (it differs a second later)"
    assert b".f1." not in data[0], "no temporary file name"
