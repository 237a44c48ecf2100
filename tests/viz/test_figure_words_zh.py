"""Figure words in both languages (issue 22, item 1): every registry indicator has Chinese
words, and a Chinese figure's title, legend and colour bar carry them, never a raw key.

No CJK font is assumed: the Chinese path is forced by declaring DejaVu Sans the CJK font
(its missing glyphs are never drawn; the figures are caught before they are saved).
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

import yrdnet
import yrdnet.viz.mapframe as mf
from yrdnet.analysis.indicators import REGISTRY, concrete_keys, dictionary, label, lookup
from yrdnet.viz import plot
from yrdnet.viz.figure_text import change_title, figure_texts, indicator_words, key_words, raw_keys

CODES = [310000, 320100, 320500, 330100, 330200, 330900, 340100]
_HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_indicator_has_chinese_words() -> None:
    for ind in REGISTRY:
        assert _HAN.search(ind.label_zh), ind.key
        for key in concrete_keys(ind):
            zh = label(key, lang="zh")
            assert _HAN.search(zh) and "{" not in zh, (key, zh)
            assert not raw_keys([zh]), (key, zh)
            assert not re.search(r"[a-z]{3,}", zh), (key, zh)  # no English word left in (GDP, S2 and UCI allowed)


def test_mode_words_in_both_languages() -> None:
    assert label("pot_exp_pop_multimodal", unit=False) == "potential accessibility, door to door, multimodal"
    assert label("watt_pop_rail") == "weighted average travel time by rail (min)"
    assert label("cum_pop_t60_road", unit=False) == "population within 60 min by road"
    assert label("pot_exp_pop_multimodal", lang="zh") == "多式联运潜力可达性（人）"
    assert label("watt_pop_rail", lang="zh") == "铁路加权平均出行时间（分钟）"
    assert label("gini_pot_exp_pop_road", lang="zh", unit=False) == "公路潜力可达性基尼系数"
    assert label("theil_potential_within_metros", lang="zh", unit=False) == "都市圈内潜力可达性泰尔指数"
    assert label("composite_metro_integration", lang="zh", unit=False) == "综合指数分量：都市圈一体化"
    assert label("population_within_60min_of_hefei", lang="zh", unit=False) == "合肥60分钟内人口"
    every = [label(k) for ind in REGISTRY for k in concrete_keys(ind)]
    assert not [t for t in every if "by multimodal" in t]
    assert "by multimodal" not in " ".join(dictionary(["watt_pop_multimodal"], "zone")["description"])
    with pytest.raises(ValueError, match="lang"):
        label("watt_pop_rail", lang="fr")


def test_columns_dictionary_carries_chinese_labels() -> None:
    d = dictionary(["pot_exp_pop_rail", "population", "geometry"], "city").set_index("key")
    assert d.loc["pot_exp_pop_rail", "label_zh"] == "铁路潜力可达性"
    assert d.loc["population", "label_zh"] == "人口"


def test_figure_text_helpers() -> None:
    assert change_title("pot_exp_pop_multimodal", "zh") == "多式联运潜力可达性变化"
    assert change_title("pot_exp_pop_multimodal") == "Change in potential accessibility, door to door, multimodal"
    assert indicator_words("watt_pop_road", "zh") == "公路加权平均出行时间（分钟）"
    assert key_words("Δ watt_pop_rail, 2035", "zh") == "Δ 铁路加权平均出行时间, 2035"
    assert key_words("not_a_key") == "not_a_key"
    assert lookup("pot_exp_pop_multimodal") is not None


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> dict[str, Figure]:
    """Force the Chinese path (a 'CJK font' that keeps every character) and catch saved figures."""
    monkeypatch.setattr(mf, "cjk_font", lambda: "DejaVu Sans")
    monkeypatch.setattr(mf, "_CHARMAP", set(range(0x2E80, 0xA000)) | set(range(0xFF00, 0xFFF0)))
    figs: dict[str, Figure] = {}

    def catch(fig: Figure, filepath: Any, dpi: int) -> None:
        figs[str(filepath)] = fig

    monkeypatch.setattr(plot, "save_figure", catch)
    yield figs
    plt.close("all")


def _cities(scale: float) -> Any:
    c = yrdnet.load_cities().loc[CODES].copy()
    c["pot_exp_pop_multimodal"] = c["population"] * scale * np.linspace(1.0, 2.0, len(c))
    c.attrs = {"scenario": f"s{scale:g}", "year": 2035}
    return c


def test_chinese_maps_carry_registry_words(chinese: dict[str, Figure]) -> None:
    a, b = _cities(1.0), _cities(1.2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # DejaVu Sans lacks the glyphs it is asked to measure
        plot.plot_change(a, b, "pot_exp_pop_multimodal", lang="zh", labels=False, filepath="change.png")
        plot.plot_accessibility(a, "pot_exp_pop_multimodal", lang="zh", labels=False, scheme="Quantiles",
                                k=3, filepath="access.png")  # fmt: skip
    change, access = figure_texts(chinese["change.png"]), figure_texts(chinese["access.png"])
    assert "多式联运潜力可达性变化" in change[0]  # the title, once "pot_exp_pop_multimodal变化"
    assert any("Δ 多式联运潜力可达性（人）" in t for t in change)  # the colour bar
    assert "多式联运潜力可达性" in access[0]
    assert any(t.startswith("多式联运潜力可达性（人）") for t in access)  # the legend title
    for texts in (change, access):
        assert raw_keys(texts) == []
        assert not any("potential accessibility" in t for t in texts)
