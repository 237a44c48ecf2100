"""yrdnet.sweep on a real Dask LocalCluster (2 worker processes): the in-process table, row for row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from yrdnet.plans.sweep import local_cluster, package_scenario, sweep
from yrdnet.scenarios.scenario import Scenario, load_scenario

pytest.importorskip("distributed")


def _scenarios(tmp: Path) -> list[object]:
    bad = Scenario(name="ghost", base=load_scenario("baseline_2025"), edits=[{"op": "open_line", "line": "ghost"}])
    broken = tmp / "broken.toml"
    broken.write_text("[scenario\n", encoding="utf-8")
    return [
        "north_yangtze_hsr",
        "chaohu_maanshan",
        bad,
        package_scenario(["nanjing_huaian", "ningbo_zhoushan"]),
        "baseline_2020",  # routed in full
        broken,
        "yancheng_yixing",
    ]


@pytest.mark.slow
def test_local_cluster_table_equals_in_process(tmp_path: Path) -> None:
    items = _scenarios(tmp_path)
    local = sweep(items, progress=False)  # default indicators: the composite included
    with local_cluster(2) as client:
        remote = sweep(items, client=client, progress=False)
        # the base state (graph + all-node distances) was built at most once in each worker process
        builds = client.run(lambda: __import__("yrdnet.plans.sweep_eval", fromlist=["x"]).CACHE.builds)
        # a scheduler address: the sweep opens its own client and closes it (one cluster for both
        # checks, so pytest-xdist does not start two)
        address = client.cluster.scheduler_address
        by_address = sweep(["chaohu_maanshan"], indicators=["uci"], client=address, progress=False)
    assert len(builds) == 2 and all(b <= 1 for b in builds.values()) and sum(builds.values()) >= 1
    pd.testing.assert_frame_equal(local.drop(columns="seconds"), remote.drop(columns="seconds"))
    assert set(local["status"]) == {"ok", "failed"}
    assert (local.loc[local["scenario"] == "chaohu_maanshan", "method"] == "incremental").all()
    assert list(by_address["status"]) == ["ok"]
    uci = local.set_index(["scenario", "indicator"]).loc[("chaohu_maanshan", "uci"), "value"]
    assert by_address["value"].iloc[0] == uci


def test_client_of_the_wrong_type_fails_before_any_work() -> None:
    with pytest.raises(TypeError, match=r"client must be a distributed\.Client or a scheduler address, got int"):
        sweep(["chaohu_maanshan"], client=42, progress=False)  # type: ignore[arg-type]
