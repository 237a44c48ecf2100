"""Write data/project_costs.csv: length and published investment of each shipped candidate project.

One row per candidate project (``yrdnet.sweep.candidate_projects``: a shipped scenario based on
baseline_2025 whose own edits only add to it; today each opens lines). Columns:

* ``length_km``: the sum over the project's lines of ``length_km`` in data/lines.csv where the
  line row gives one (``length_basis`` = "lines.csv"), else the geodesic length through the
  line's stops (data/stations.csv) times ``TravelTimeModel.rail_detour`` (1.1), the model's
  own rule for a line without a sourced length (``length_basis`` = "stops x 1.1").
* ``investment_cny_100m``: total investment in 亿元 (100 million CNY) as published, with its
  source URL and date (``cost_basis`` = "published"); for a project without a published
  figure the median cost per km of the published rows of the same design speed, times its
  length (``cost_basis`` = "derived: median of ..."). Rows with neither keep it empty
  (``cost_basis`` = "km fallback"); ``yrdnet.best_plan`` then cannot price them in 亿元.

The published figures below were found with the project's search tool (stored public web
pages, 2026-12-01); each is quoted as the page states it, including its caveats.

Run: ``.venv/bin/python tools/make_project_costs.py`` (rewrites the file atomically).
"""

from __future__ import annotations

import statistics
from pathlib import Path

import numpy as np
import pandas as pd

from yrdnet.core.geodesy import haversine_km
from yrdnet.core.io import write_csv
from yrdnet.core.params import TravelTimeModel
from yrdnet.plans.sweep import candidate_projects
from yrdnet.region.datasets import load_lines, load_stations
from yrdnet.scenarios.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]

#: project -> (亿元, what the figure covers, URL, date of the page or of the news it reports)
PUBLISHED: dict[str, tuple[float, str, str, str]] = {
    "north_yangtze_hsr": (
        1678.7,
        "总投资(不含站房) 1678.7亿元 for 553.8 km (519.0 km new); excludes station buildings (金陵晚报)",
        "http://www.efang.tv/news/2022/0929/108478.html",
        "2022-09-29",
    ),
    "nantong_suzhou_jiaxing_ningbo": (
        1080.9,
        "全线估算投资1080.9亿元 at the NDRC feasibility approval, marked provisional (暂定); "
        "a later undated report gives 工程总投资1012.49亿元",
        "http://cm86.cn/zixun/2210/56831.html",
        "2022-10-10",
    ),
    "nanjing_huaian": (
        334.0,
        "项目总投资约334亿元, 179 km new line (中国新闻网)",
        "http://www.tv2o.com/article/6462.html",
        "2023-01-05",
    ),
    "ningbo_zhoushan": (
        270.0,
        "铁路投资概算270亿元 (railway only; the road duplicate is extra); page undated, reports the "
        "December 2020 start; a 2017 report gave 343亿元 including the road-rail bridges",
        "https://ynkj11.cn/bzsm/1565.html",
        "undated (start of works, 2020-12)",
    ),
    "huaibei_suzhou_bengbu": (
        266.0,
        "概算投资约266亿元, ~160 km (合肥在线); the 2020-11 feasibility approval gave 估算255.88亿元",
        "http://www.bestofdance.cn/news/202209/128191.html",
        "2022-09",
    ),
    "yancheng_yixing": (
        800.0,
        "总投资超800亿元 ('more than'; a lower bound), 311 km (中国铁建报)",
        "http://crec.joyhua.cn/ZTB/20250110/html/content_20250110002003.htm",
        "2025-01-10",
    ),
    "chaohu_maanshan": (
        246.0,
        "项目总投资概算约246亿元, ~73.2 km incl. the Yangtze road-rail bridge (马鞍山发布)",
        "https://tw.pandatrips.com/news/21569.html",
        "2019-10",
    ),
    "hefei_wuhan_new": (
        392.56,
        "安徽段392.56亿元 of 792.52亿元 (Anhui section, 166.33 km new line) at the start of works",
        "https://m.mydrivers.com/newsview/955881.html",
        "2024-01-02",
    ),
    "shanghai_hangzhou_2nd": (
        670.97,
        "总投资约670.97亿元, 223.8 km, NDRC feasibility approval (新浪财经)",
        "http://www.icxsoft.com/new/704487389409585152",
        "2025-08-24",
    ),
    "jinhua_jiande_complete": (
        100.3,
        "计划投资总额100.3亿元 for the whole 65.4 km line at the preliminary-design approval; "
        "the 2019 EIA notice gave 123.75亿元 incl. the Jinhua-Dongxiao works",
        "http://admin.jcgcw.com/index/news/detail?id=71798",
        "2020-06-01",
    ),
}


def _line_length(line: pd.Series, stations: pd.DataFrame, detour: float) -> tuple[float, str]:
    if pd.notna(line["length_km"]):
        return float(line["length_km"]), "lines.csv"
    st = stations.loc[list(line["stops"])]
    lon, lat = st["lon"].to_numpy(float), st["lat"].to_numpy(float)
    d = float(np.sum(haversine_km(lon[:-1], lat[:-1], lon[1:], lat[1:])))
    return round(d * detour, 1), f"stops x {detour:g}"


def _projects() -> list[tuple[str, list[str]]]:
    """Each candidate project (:func:`yrdnet.sweep.candidate_projects`) with the lines it opens."""
    return [(p, [str(e["line"]) for e in load_scenario(p).edits]) for p in candidate_projects()]


def build() -> pd.DataFrame:
    """The cost table (one row per candidate project)."""
    lines = load_lines()
    stations = pd.DataFrame(load_stations().drop(columns="geometry", errors="ignore"))
    detour = TravelTimeModel().rail_detour
    rows = []
    for project, ids in _projects():
        parts = [_line_length(lines.loc[i], stations, detour) for i in ids]
        speed = int(max(int(lines.loc[i, "design_speed_kph"]) for i in ids))
        rows.append(
            {
                "project": project,
                "lines": ";".join(ids),
                "design_speed_kph": speed,
                "length_km": round(sum(p[0] for p in parts), 1),
                "length_basis": "; ".join(sorted({p[1] for p in parts})),
            }
        )
    t = pd.DataFrame(rows).set_index("project")
    t["investment_cny_100m"] = [PUBLISHED[p][0] if p in PUBLISHED else np.nan for p in t.index]
    t["cost_basis"] = ["published" if p in PUBLISHED else "" for p in t.index]
    t["source"] = [PUBLISHED[p][2] if p in PUBLISHED else "" for p in t.index]
    t["source_date"] = [PUBLISHED[p][3] if p in PUBLISHED else "" for p in t.index]
    t["notes"] = [PUBLISHED[p][1] if p in PUBLISHED else "" for p in t.index]
    for p in t.index[t["cost_basis"] == ""]:
        peers = t[(t["cost_basis"] == "published") & (t["design_speed_kph"] == t.loc[p, "design_speed_kph"])]
        if peers.empty:
            t.loc[p, "cost_basis"] = "km fallback"
            continue
        per_km = statistics.median((peers["investment_cny_100m"] / peers["length_km"]).tolist())
        t.loc[p, "investment_cny_100m"] = round(per_km * float(t.loc[p, "length_km"]), 1)
        t.loc[p, "cost_basis"] = (
            f"derived: median of the published cost per km of the {int(t.loc[p, 'design_speed_kph'])} km/h "
            f"projects ({', '.join(peers.index)}) = {per_km:.3f} x {t.loc[p, 'length_km']:g} km"
        )
    t["cost_per_km_cny_100m"] = (t["investment_cny_100m"] / t["length_km"]).round(3)
    return t.sort_index()


if __name__ == "__main__":
    out = build()
    write_csv(ROOT / "data" / "project_costs.csv", out)
    print(out[["length_km", "length_basis", "investment_cny_100m", "cost_basis"]].to_string())
