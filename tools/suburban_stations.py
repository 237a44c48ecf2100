"""Derive the ``stations.csv`` rows of the suburban lines' new stops (``suburban_lines.csv``).

Every coordinate is an OpenStreetMap station point of the extract
``osm_railway_stations_2025-02.zip`` (GitHub OpenQGIS/OMap-GeoDB,
``oData-railway-station/Railway-station_oData.zip``, February 2025; ODbL), picked either by
its ``name`` or, where the extract leaves the point unnamed (most metro points are), by
its row in the extract (``#n``, the shapefile's record number) and the reason given in
:data:`SPEC`. Three Shanghai stations have no point in the extract; they take the BD-09
point of the public station list of GitHub ``yaozhou/trans`` (``js/line.js``, Baidu
coordinates, about 2015) converted to WGS84 (BD-09 → GCJ-02 by Baidu's published inverse,
GCJ-02 → WGS84 by the iterative inverse of ``tools/make_boundaries.py``). The same list
checks the Shanghai points picked from the extract (distance printed by ``--check``).

The stops of the Hangzhou-Haining intercity and Shaoxing Metro Line 1 take the GCJ-02
(Amap/WeChat) point of the public station list of GitHub ``metromancn/MetroMapOpenMiniProgram``
(``src/data/hz.js``, commit 087310a of 2025-01-23, MIT), converted to WGS84 by the
iterative inverse of GCJ-02; each row names the distance to the nearest point of the OSM
extract (0.00-0.02 km where the extract has the station: the check that the list is GCJ-02).

Usage::

    python tools/suburban_stations.py /path/to/osm_railway_stations_2025-02.zip           # CSV rows
    python tools/suburban_stations.py /path/to/osm_railway_stations_2025-02.zip --check   # and checks
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_boundaries import gcj02_to_wgs84

OSM = "coord: OpenStreetMap station point (ODbL) via OpenQGIS/OMap-GeoDB Railway-station_oData.zip, 2025-02; WGS84"
YZ = "yaozhou/trans js/line.js"
MM = "metromancn/MetroMapOpenMiniProgram src/data/hz.js (commit 087310a, 2025-01-23, MIT)"

# (station_id, name_zh, name_en, adcode, how, what, note)
#   how "name":  the extract's point #what, whose name must be name_zh
#   how "row":   the extract's unnamed point #what, identified as note says
#   how "bd09":  what = (lon, lat) BD-09 of yaozhou/trans js/line.js (no point in the extract)
#   how "gcj":   what = (lon, lat) GCJ-02 of metromancn/MetroMapOpenMiniProgram src/data/hz.js
SPEC: list[tuple[str, str, str, int, str, object, str]] = [
    # Shanghai Line 11 (Huaqiao branch) and its core stations; BD-09 points of yaozhou/trans
    ("huaqiao_metro", "花桥", "Huaqiao (Metro)", 320500, "row", 3184,
     f"Shanghai Line 11 terminus (interchange with Suzhou Line 11); the {YZ} point of 花桥 (Line 11) is "
     "0.01 km away; 6.9 km from the Shanghai-Nanjing intercity's 花桥 station (huaqiao), hence _metro"),
    ("guangming_road", "光明路", "Guangming Road", 320500, "row", 3183,
     f"Shanghai Line 11; the {YZ} point of 光明路 is 0.03 km away"),
    ("zhaofeng_road", "兆丰路", "Zhaofeng Road", 320500, "row", 3182,
     f"Shanghai Line 11; the {YZ} point of 兆丰路 is 0.02 km away"),
    ("anting", "安亭", "Anting", 310000, "bd09", (121.168602, 31.294335), "Shanghai Line 11"),
    ("jiading_xincheng", "嘉定新城", "Jiading Xincheng", 310000, "bd09", (121.26104, 31.335744),
     "Shanghai Line 11 (junction of its two branches)"),
    ("nanxiang", "南翔", "Nanxiang", 310000, "bd09", (121.329748, 31.303357), "Shanghai Line 11"),
    ("jiangsu_road", "江苏路", "Jiangsu Road", 310000, "row", 5429,
     f"Shanghai Line 11 platform (interchange with Line 2); the {YZ} point of 江苏路 (Line 11) is 0.08 km away"),
    ("xujiahui", "徐家汇", "Xujiahui", 310000, "row", 5431,
     f"Shanghai Line 11 platform (interchange with Lines 1 and 9); the {YZ} point of 徐家汇 (Line 11) is "
     "0.05 km away"),
    # Shanghai Line 17: points #5392-#5401 run west to east in the line's station order
    ("huijin_road", "汇金路", "Huijin Road", 310000, "name", 5397, "Shanghai Line 17"),
    ("qingpu_xincheng", "青浦新城", "Qingpu Xincheng", 310000, "row", 5396,
     "Shanghai Line 17: the next point west of 汇金路 (#5397) in the extract's run #5392-#5401, "
     "the line's station order (unverified identification)"),
    ("zhujiajiao", "朱家角", "Zhujiajiao", 310000, "name", 5393, "Shanghai Line 17"),
    ("oriental_land", "东方绿舟", "Oriental Land", 310000, "row", 5392,
     "Shanghai Line 17 western terminus: the point west of 朱家角 (#5393) ending the run #5392-#5401 "
     "(unverified identification)"),
    # Suzhou Line 11: points #6062-#6087 (28 stations counted back from 花桥, #3184)
    ("weiting", "唯亭", "Weiting", 320500, "row", 4584,
     "Suzhou Line 11 western terminus (interchange with Line 3): the easternmost point of the Line 3 run "
     "west of 草鞋山 (#6062) (unverified identification)"),
    ("zhengyi", "正仪", "Zhengyi", 320500, "row", 6063,
     "Suzhou Line 11, 4th station: counted back from 花桥 along the run #6062-#6087 in the published "
     "station order; 0.14 km from the Shanghai-Nanjing intercity's 阳澄湖 station (yangchenghu) "
     "(unverified identification)"),
    ("kunshan_city_square", "昆山城市广场", "Kunshan City Square", 320500, "row", 6071,
     "Suzhou Line 11, 13th station: counted back from 花桥 along the run #6062-#6087 in the published "
     "station order (unverified identification)"),
    ("xiaqiao", "夏桥", "Xiaqiao", 320500, "row", 6076,
     "Suzhou Line 11, 22nd station: counted back from 花桥 along the run #6062-#6087 in the published "
     "station order; 0.26 km from the Shanghai-Nanjing intercity's 花桥 station (huaqiao) "
     "(unverified identification)"),
    # Nanjing S1, S7, S9: runs #11714-#11719 (S1), #6507-#6516 (S7 and 禄口机场), #11750-#11754 (S9)
    ("xiangyu_road_south", "翔宇路南", "Xiangyu Road South", 320100, "row", 11719,
     "Nanjing S1 (interchange with S9): last point of the S1 run #11714-#11719 south of 南京南"),
    ("lukou_airport", "禄口机场", "Lukou Airport", 320100, "row", 6516,
     "Nanjing S1: the point under Lukou airport between 翔宇路南 (#11719) and 空港新城江宁 (#6507) "
     "(unverified identification)"),
    ("konggang_xincheng_jiangning", "空港新城江宁", "Konggang Xincheng Jiangning", 320100, "row", 6507,
     "Nanjing S1 terminus and S7 origin: first point of the S7 run #6507-#6515 (station order)"),
    ("konggang_xincheng_lishui", "空港新城溧水", "Konggang Xincheng Lishui", 320100, "row", 6509,
     "Nanjing S7, 3rd station of the run #6507-#6515 (station order)"),
    ("lishui_metro", "溧水", "Lishui (Metro)", 320100, "row", 6512,
     "Nanjing S7, 6th station of the run #6507-#6515 (station order); 5.3 km from the Nanjing-Hangzhou "
     "HSR's 溧水 station (lishui), hence _metro"),
    ("wuxiangshan", "无想山", "Wuxiangshan", 320100, "row", 6515,
     "Nanjing S7 terminus, last point of the run #6507-#6515"),
    ("tongshan", "铜山", "Tongshan", 320100, "row", 11750,
     "Nanjing S9, 2nd station: first point of the run #11750-#11754 south of 翔宇路南 (station order)"),
    ("shiqiu", "石湫", "Shiqiu", 320100, "row", 11751, "Nanjing S9, 3rd station of the run #11750-#11754"),
    ("mingjue", "明觉", "Mingjue", 320100, "row", 11752, "Nanjing S9, 4th station of the run #11750-#11754"),
    ("tuanjiewei", "团结圩", "Tuanjiewei", 320100, "row", 11753, "Nanjing S9, 5th station of the run #11750-#11754"),
    ("gaochun", "高淳", "Gaochun", 320100, "row", 11754, "Nanjing S9 terminus, last point of the run #11750-#11754"),
    # Nanjing S6: 马群 is a Line 2 point, then the run #11738-#11749 in station order
    ("maqun", "马群", "Maqun", 320100, "row", 11646,
     "Nanjing S6 origin (interchange with Line 2): the Line 2 point at the west end of the S6 run "
     "#11738-#11749 (unverified identification)"),
    ("tangshan", "汤山", "Tangshan", 320100, "row", 11743, "Nanjing S6, 7th station of the run #11738-#11749"),
    ("huangmei", "黄梅", "Huangmei", 321100, "row", 11745,
     "Nanjing S6, 9th station (first in Jurong) of the run #11738-#11749"),
    ("huayang", "华阳", "Huayang", 321100, "row", 11747, "Nanjing S6, 11th station of the run #11738-#11749"),
    ("chongming_metro", "崇明", "Chongming (Jurong)", 321100, "row", 11748,
     "Nanjing S6, 12th station of the run #11738-#11749; _metro: the name of Shanghai's 崇明 (chongming)"),
    # Chuzhou-Nanjing intercity (Chuzhou section): named points
    ("chuzhou_government_center", "滁州政务中心", "Chuzhou Government Center", 341100, "name", None,
     "Chuzhou-Nanjing intercity"),
    ("suchu_business_center", "苏滁商务中心", "Suchu Business Center", 341100, "name", None,
     "Chuzhou-Nanjing intercity"),
    ("chahe", "汊河", "Chahe", 341100, "name", None, "Chuzhou-Nanjing intercity (Chuzhou section terminus)"),
    # Hangzhou-Haining intercity (stations 257, 266, 267 of the list; 临平南 and 海宁西 are reused)
    ("xucun", "许村", "Xucun", 330400, "gcj", (120.355546, 30.410557),
     "Hangzhou-Haining intercity, 2nd station (first in Haining)"),
    ("haichang_road", "海昌路", "Haichang Road", 330400, "gcj", (120.691841, 30.511177),
     "Hangzhou-Haining intercity, 11th station (Haining's seat)"),
    ("zhejiang_university_international_campus", "浙大国际校区", "Zhejiang University International Campus",
     330400, "gcj", (120.716785, 30.512564), "Hangzhou-Haining intercity terminus"),
    # Shaoxing Metro Line 1 (stations 155, 269, 276, 286, 288; 火车站(绍兴) is the reused 绍兴)
    ("guniangqiao", "姑娘桥", "Guniangqiao", 330100, "gcj", (120.330315, 30.175997),
     "Shaoxing Metro Line 1 terminus in Xiaoshan (interchange with Hangzhou Metro Line 5)"),
    ("yangxunqiao", "杨汛桥", "Yangxunqiao", 330600, "gcj", (120.365396, 30.144402),
     "Shaoxing Metro Line 1, first station in Keqiao"),
    ("china_textile_city", "中国轻纺城", "China Textile City", 330600, "gcj", (120.489374, 30.08189),
     "Shaoxing Metro Line 1 (Keqiao's seat; terminus of the Keqiao section 2021-2022)"),
    ("shaoxing_city_square", "城市广场", "City Square (Shaoxing)", 330600, "gcj", (120.581289, 30.004047),
     "Shaoxing Metro Line 1 (Yuecheng, the old city centre); the name is common, hence shaoxing_"),
    ("chengnan_avenue", "城南大道", "Chengnan Avenue", 330600, "gcj", (120.580438, 29.976014),
     "Shaoxing Metro Line 1 (Yuecheng)"),
]  # fmt: skip


def bd09_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """BD-09 → GCJ-02 (Baidu's published inverse) → WGS84 (iterative inverse of GCJ-02)."""
    x, y = lon - 0.0065, lat - 0.006
    z = math.hypot(x, y) - 0.00002 * math.sin(y * math.pi * 3000.0 / 180.0)
    t = math.atan2(y, x) - 0.000003 * math.cos(x * math.pi * 3000.0 / 180.0)
    w = gcj02_to_wgs84(np.array([z * math.cos(t)]), np.array([z * math.sin(t)]))
    return float(w[0][0]), float(w[1][0])


def _km(lon1: float, lat1: float, lon2: np.ndarray, lat2: np.ndarray) -> np.ndarray:
    p = math.pi / 180.0
    a = np.sin((lat2 - lat1) * p / 2) ** 2 + math.cos(lat1 * p) * np.cos(lat2 * p) * np.sin((lon2 - lon1) * p / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


def rows(osm_zip: Path) -> list[list[str]]:
    """The stations.csv rows of :data:`SPEC` (raises if a named point does not carry its name)."""
    import geopandas as gpd

    g = gpd.read_file(f"zip://{osm_zip}")
    lon, lat = g.geometry.x.to_numpy(), g.geometry.y.to_numpy()
    out = []
    for sid, zh, en, adcode, how, what, note in SPEC:
        if how == "gcj":
            w = gcj02_to_wgs84(np.array([what[0]]), np.array([what[1]]))  # type: ignore[index]
            x, y = float(w[0][0]), float(w[1][0])
            d = _km(x, y, lon, lat)
            src = (
                f"coord: derived = GCJ-02 point of {zh} in {MM} converted to WGS84 (GCJ-02 -> WGS84, "
                f"tools/suburban_stations.py); nearest point of the OSM extract {d.min():.2f} km away; {note}"
            )
        elif how == "bd09":
            x, y = bd09_to_wgs84(*what)  # type: ignore[misc]
            d = _km(x, y, lon, lat)
            src = (
                f"coord: derived = BD-09 point of {zh} in {YZ} (Baidu, about 2015) converted to WGS84 "
                f"(BD-09 -> GCJ-02 -> WGS84, tools/suburban_stations.py); no point in the OSM extract within "
                f"{d.min():.1f} km; {note}"
            )
        else:
            if how == "name" and what is None:
                hits = np.flatnonzero(g["name"].to_numpy() == zh)
                if len(hits) != 1:
                    raise SystemExit(f"{sid}: expected one point named {zh!r}, found {len(hits)}")
                i = int(hits[0])
            else:
                i = int(what)  # type: ignore[call-overload]
            if how == "name" and g["name"].iloc[i] != zh:
                raise SystemExit(f"{sid}: point #{i} is named {g['name'].iloc[i]!r}, not {zh!r}")
            x, y = float(lon[i]), float(lat[i])
            how_txt = f"named {zh}" if how == "name" else "unnamed in the extract"
            src = f"{OSM}; point #{i} ({how_txt}, station={g['station'].iloc[i]}); {note}"
        out.append([sid, zh, en, str(adcode), f"{x:.5f}", f"{y:.5f}", src])
    return out


def main() -> None:
    """Print the rows (and with ``--check`` the nearest existing station of each)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("osm_zip", type=Path)
    ap.add_argument("--check", action="store_true", help="print the distance to the nearest stations.csv row")
    a = ap.parse_args()
    out = rows(a.osm_zip)
    w = csv.writer(sys.stdout, lineterminator="\n")
    for r in out:
        w.writerow(r)
    if a.check:
        path = Path(__file__).resolve().parents[1] / "data" / "stations.csv"
        st = list(csv.DictReader(path.open(encoding="utf-8")))
        slon = np.array([float(s["lon"]) for s in st])
        slat = np.array([float(s["lat"]) for s in st])
        for r in out:
            d = _km(float(r[4]), float(r[5]), slon, slat)
            j = int(np.argmin(d))
            print(f"# {r[0]}: nearest stations.csv row {st[j]['station_id']} ({st[j]['name_zh']}) {d[j]:.2f} km")


if __name__ == "__main__":
    main()
