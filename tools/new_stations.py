"""``stations.csv`` rows for the YRD stations of the 2023 timetable that have none.

``name_zh`` is the timetable name; ``name_en`` comes from the pinyin of 12306
``station_name`` (``gtfs_common.english_name``: place + East/South/West/North; a name of
three or more characters ending in 县 is "<place> County", as 东海县 Donghai County;
apostrophes where the pinyin needs one come from :data:`EN_2023`); ``station_id`` follows
``data/SCHEMA.md`` (ascii snake_case of the English name, apostrophe dropped as in
``huaian_east`` / ``maanshan_east``; Suzhou (Anhui) ``_ah``, Taizhou (Zhejiang) ``_zj``; an id
already taken by another station gets the province suffix ``_sh`` / ``_js`` / ``_zj`` /
``_ah``). ``source`` names the coordinate's origin and the 12306 record.
"""

from __future__ import annotations

import pandas as pd
from gtfs_common import EN_OVERRIDES, TsStation, english_name, station_id
from locate_stations import CNSTATION_REF, OSM_REF, Located

__all__ = ["EN_2023", "new_station_rows"]

#: English names the plain pinyin rule cannot give: apostrophes (as in Huai'an East,
#: Ma'anshan East of stations.csv), and 松江, which 12306 ``station_name`` (2026) no longer
#: lists: its pinyin is that of 上海松江 (shanghaisongjiang) less shanghai.
EN_2023 = {**EN_OVERRIDES, "淮安": "Huai'an", "马鞍山": "Ma'anshan", "松江": "Songjiang"}
PROVINCE_SUFFIX = {31: "_sh", 32: "_js", 33: "_zj", 34: "_ah"}
STATION_NAME_REF = "12306 station_name (pomerun/china-railway-station src/data.ts, 2026-01)"
ADDED_BY = "added by tools/make_gtfs_2023.py"
TIMETABLE_REF = "12306 timetable of 2023-12-15 (Hu-xiaojiao/12306-code-database-2023-12-15)"


def english_2023(name: str, pinyin: str) -> str:
    """English name of a new station (see the module docstring).

    Parameters
    ----------
    name
        Chinese name.
    pinyin
        12306 pinyin of the whole name.

    Returns
    -------
    str
        E.g. ``Jixi County``.
    """
    if name not in EN_2023 and len(name) >= 3 and name.endswith("县") and pinyin.endswith("xian"):
        return english_name(name[:-1], pinyin[:-4], EN_2023) + " County"
    return english_name(name, pinyin, EN_2023)


def _coord_source(loc: Located) -> str:
    if loc.via == "cnstation":
        src = (
            f"coord: derived = cnstation.csv GCJ-02 lng火星/lat火星 of {loc.name} ({CNSTATION_REF}; about 2019) "
            "converted to WGS84 with tools/make_boundaries.py gcj02_to_wgs84"
        )
    else:
        src = f"coord: OpenStreetMap station=train point named {loc.name} ({OSM_REF}, OSM 2025-02; ODbL); WGS84"
    checks = [n for n in loc.notes if "km" in n]
    return src + (f" ({'; '.join(checks)})" if checks else "")


def new_station_rows(missing: list[Located], known: pd.DataFrame, ts: list[TsStation]) -> list[dict[str, str]]:
    """One row per new YRD station, sorted by adcode and id.

    Parameters
    ----------
    missing
        Located YRD stations without a ``stations.csv`` row (updated: ``station_id``).
    known
        ``data/stations.csv``.
    ts
        12306 ``station_name`` records.

    Returns
    -------
    list of dict
        Rows in the ``stations.csv`` column order.

    Raises
    ------
    ValueError
        When a name has no pinyin (not in ``station_name`` and not in :data:`EN_2023`) or an
        id clashes even with its province suffix.
    """
    taken = set(known["station_id"])
    rows = []
    for loc in sorted(missing, key=lambda x: x.name):
        if loc.ts is None and loc.name not in EN_2023:
            msg = f"{loc.name}: not in 12306 station_name, no pinyin for its English name"
            raise ValueError(msg)
        name_en = english_2023(loc.name, loc.ts.pinyin if loc.ts else "")
        adcode = int(loc.adcode or 0)
        sid = station_id(name_en.replace("'", ""), adcode)
        if sid in taken:
            sid += PROVINCE_SUFFIX[adcode // 10000]
        if sid in taken:
            msg = f"{loc.name}: station id {sid} already used in stations.csv"
            raise ValueError(msg)
        taken.add(sid)
        loc.station_id = sid
        named = (
            f"name: {STATION_NAME_REF} telecode {loc.ts.code}"
            if loc.ts
            else "name: not in 12306 station_name (2026-01)"
        )
        rows.append(
            {
                "station_id": sid,
                "name_zh": loc.name,
                "name_en": name_en,
                "adcode": str(adcode),
                "lon": f"{loc.lon:.5f}",
                "lat": f"{loc.lat:.5f}",
                "source": f"{_coord_source(loc)}; {named}; served in the {TIMETABLE_REF}; {ADDED_BY}",
            }
        )
    return sorted(rows, key=lambda r: (int(r["adcode"]), r["station_id"]))
