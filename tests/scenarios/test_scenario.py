"""Scenario files: loading, edits, and the errors for bad ones (named before any work)."""

from __future__ import annotations

import textwrap

import pytest

import yrdnet
from yrdnet import ScenarioError


def _write(tmp_path, body: str, name: str = "s.toml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(body), encoding="utf-8")
    return p


def test_shipped_scenarios_load_and_validate():
    df = yrdnet.list_scenarios()
    assert {
        "baseline_2010",
        "baseline_2015",
        "baseline_2020",
        "baseline_2025",
        "plan_2035",
        "north_yangtze_hsr",
        "nantong_suzhou_jiaxing_ningbo",
        "ningbo_zhoushan",
    } <= set(df.index)
    assert df["description"].str.len().gt(10).all()
    for name in df.index:
        s = yrdnet.load_scenario(name)
        s.validate()
        assert s.source or s.chain()[0].source, name


def test_open_line_adds_its_line():
    G = yrdnet.build_graph("ningbo_zhoushan")
    assert "ningbo_zhoushan_railway" in G.graph["lines"].split(";")
    T = yrdnet.travel_times(G, "rail")  # Zhoushan is now reachable by rail: no warning
    assert T.loc[330900, 330200] < 200


def test_custom_scenario_edits(tmp_path):
    lid = "shanghai_suzhou_huzhou_hsr"  # open by 2025, run by its own default services
    p = _write(
        tmp_path,
        f"""
        [scenario]
        name = "custom"
        base = "baseline_2025"
        [[edits]]
        op = "set_speed"
        line = "{lid}"
        speed_kph = 100
        [[edits]]
        op = "add_line"
        line = "test_line"
        speed_kph = 200
        stops = ["new_a", "new_b"]
        stations = [{{ id = "new_a", adcode = 340100, lon = 117.3, lat = 31.9 }},
                    {{ id = "new_b", adcode = 320100, lon = 118.8, lat = 32.1 }}]
        [[edits]]
        op = "add_link"
        link = "test_link"
        from = 310000
        to = 330900
        km = 150
        speed_kph = 100
        [model]
        wait_min = 5
        """,
    )
    s = yrdnet.load_scenario(p)
    assert s.effective_year == 2025
    assert s.travel_time_model().wait_min == 5
    G = yrdnet.build_graph(p)
    # service levels on the slowed line average at most 100 km/h x its running factor
    factor = yrdnet.services.load_line_factors().get(lid, yrdnet.TravelTimeModel().rail_speed_factor)
    speeds = [d["speed_kph"] for *_, d in G.edges(data=True) if d.get("line") == lid and d["mode"] == "rail"]
    assert speeds and max(speeds) <= 100 * factor + 1e-9
    assert "st:new_a" in G and G.has_edge("st:new_a", "st:new_b")
    assert any(d.get("link") == "test_link" for *_, d in G.edges(data=True))


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (
            '[[edits]]\nop = "open_line"\nline = "north_yangtze_hrs"\n',
            r"unknown line 'north_yangtze_hrs'.*closest valid: north_yangtze_hsr",
        ),
        ('[[edits]]\nop = "widen_road"\n', r"unknown op 'widen_road'"),
        (
            '[[edits]]\nop = "set_speed"\nline = "north_yangtze_hsr"\nspeed_kph = 0\n',
            r"speed_kph must be a number in \[30, 600\]",
        ),
        (
            '[[edits]]\nop = "add_line"\nline = "x"\nspeed_kph = 300\nstops = ["hefei_south"]\n',
            r"stops needs at least 2 stations",
        ),
        (
            '[[edits]]\nop = "add_line"\nline = "x"\nspeed_kph = 300\nstops = ["hefei_south", "nanjing_sooth"]\n',
            r"unknown station 'nanjing_sooth'.*closest valid: nanjing_south",
        ),
        (
            '[[edits]]\nop = "add_link"\nlink = "x"\nfrom = 310000\nto = 310001\nkm = 10\nspeed_kph = 100\n',
            r"unknown city adcode 310001",
        ),
        ("[model]\nwait_mins = 3\n", r"unknown \[model\] parameter 'wait_mins'.*closest valid: wait_min"),
        ("[model]\nwait_min = -3\n", r"\[model\] wait_min = -3 is outside the plausible range"),
    ],
)
def test_bad_scenarios_fail_with_named_fault(tmp_path, body, match):
    p = _write(tmp_path, '[scenario]\nname = "bad"\nbase = "baseline_2025"\n' + body)
    with pytest.raises(ScenarioError, match=match) as ei:
        yrdnet.load_scenario(p).validate()
    assert "bad" in str(ei.value) or str(p) in str(ei.value)


def test_bad_year_and_toml(tmp_path):
    p = _write(tmp_path, '[scenario]\nname = "old"\nyear = 1899\n')
    with pytest.raises(ScenarioError, match=r"year must be an integer in 2000-2060, got 1899"):
        yrdnet.load_scenario(p)
    p = _write(tmp_path, '[scenario\nname = "broken"\n', "broken.toml")
    with pytest.raises(ScenarioError, match=r"broken\.toml: not valid TOML"):
        yrdnet.load_scenario(p)
    p = _write(tmp_path, '[scenario]\nname = "cyc"\nbase = "cyc.toml"\n', "cyc.toml")
    with pytest.raises(ScenarioError, match="base cycle"):
        yrdnet.load_scenario(p)


def test_scenario_name_typo():
    with pytest.raises(ScenarioError, match=r"unknown scenario 'plan_2053'.*closest valid: plan_2035"):
        yrdnet.load_scenario("plan_2053")
