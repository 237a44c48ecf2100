"""The HTML map of one input is the same bytes on every run (issue 21, item 7).

folium names every element with a random ``uuid4``; :mod:`yrdnet.viz.webmap` numbers
them in tree order before saving, keeping every reference between them intact.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import yrdnet
from yrdnet.testing import mock_graph
from yrdnet.viz.webmap import interactive_map

pytest.importorskip("folium")
NAME = re.compile(r"[a-z_]+_[0-9a-f]{32}")


def test_two_saves_of_one_map_are_byte_identical(tmp_path):
    cities = yrdnet.load_cities().loc[[310000, 320100, 320500, 330100, 330200, 330900, 340100]].copy()
    cities["acc"] = np.linspace(1.0, 2.0, len(cities))
    paths = [tmp_path / f"m{k}.html" for k in (1, 2)]
    for p in paths:
        interactive_map(mock_graph(), cities, column="acc", added_edges=mock_graph(), tiles=None, filepath=p)
    a, b = (p.read_text(encoding="utf-8") for p in paths)
    assert a == b
    names = NAME.findall(a)
    assert len(set(names)) > 20 and all(re.fullmatch(r"[a-z_]+_0+[0-9a-f]{1,4}", n) for n in names)
    defined = set(re.findall(r"var ([a-z_]+_[0-9a-f]{32})", a))
    used = set(re.findall(r"([a-z_]+_[0-9a-f]{32})\.", a))  # method calls: popup_X.setContent(...)
    assert used <= defined | set(re.findall(r'id="([a-z_]+_[0-9a-f]{32})"', a)), "every name used is defined"
