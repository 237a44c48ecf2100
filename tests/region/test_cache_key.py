"""The data caches are keyed by content, not modification time (issue 21, item 8).

A file replaced by a copy of the same size with its old mtime restored (``cp -p``,
``rsync -t``, ``os.utime``) used to be served from the validated-table cache: the old
numbers, silently. Every check below first proves that size and mtime are unchanged, so
a key of ``(mtime, size)`` would have missed the change.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import yrdnet
from yrdnet.core.cache import content_version
from yrdnet.region.datasets import file_version, load_cities, read_validated
from yrdnet.region.zones import load_zones

SHANGHAI, OLD, NEW = "310000", "24870900", "24870901"  # Shanghai's population; same length


def _replace_keeping_size_and_mtime(path: Path, old: str, new: str, *, via_copy: bool) -> None:
    st = path.stat()
    text = path.read_bytes()  # bytes: the line endings stay as they are
    assert len(old) == len(new) and text.count(old.encode()) == 1
    changed = text.replace(old.encode(), new.encode())
    if via_copy:  # another file of the same size, copied over with the old times (cp -p)
        other = path.with_name(f"other_{path.name}")
        other.write_bytes(changed)
        os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
        shutil.copy2(other, path)
        other.unlink()
    else:
        path.write_bytes(changed)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (st.st_size, st.st_mtime_ns), "the old key would not change"


@pytest.mark.parametrize("via_copy", [False, True], ids=["rewritten", "copied-over"])
def test_load_cities_reads_the_new_content(data_copy, via_copy):
    before = load_cities()
    assert str(int(before.loc[int(SHANGHAI), "population"])) == OLD
    _replace_keeping_size_and_mtime(data_copy / "cities.csv", OLD, NEW, via_copy=via_copy)
    assert str(int(load_cities().loc[int(SHANGHAI), "population"])) == NEW


def test_zones_are_rebuilt_from_the_new_content(data_copy):
    assert str(int(load_zones("city").table.loc[int(SHANGHAI), "population"])) == OLD
    _replace_keeping_size_and_mtime(data_copy / "cities.csv", OLD, NEW, via_copy=True)
    assert str(int(load_zones("city").table.loc[int(SHANGHAI), "population"])) == NEW


def test_read_validated_sees_a_middle_edit_of_the_same_size(tmp_path):
    p = tmp_path / "t.csv"
    rows = [f"r{i:04d},{i}" for i in range(5000)]  # > 1 block of 32 KiB: the edit is in the middle
    p.write_text("id,v\n" + "\n".join(rows) + "\n", encoding="utf-8")
    cols = [yrdnet.core.validation.Column("id", "str"), yrdnet.core.validation.Column("v", "int")]
    assert read_validated(p, cols, key="id").loc[2500, "v"] == 2500
    _replace_keeping_size_and_mtime(p, "r2500,2500", "r2500,7777", via_copy=False)
    assert read_validated(p, cols, key="id").loc[2500, "v"] == 7777


def test_file_version_is_the_content(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(b"x,y\n1,2\n")
    b.write_bytes(b"x,y\n1,2\n")
    os.utime(b, ns=(0, 0))
    assert file_version(a)[1:] == file_version(b)[1:], "same content, other mtime: one version"
    b.write_bytes(b"x,y\n1,3\n")
    os.utime(b, ns=(a.stat().st_atime_ns, a.stat().st_mtime_ns))
    assert file_version(a)[1] != file_version(b)[1], "other content, same size and mtime: another version"
    assert file_version(a)[2] == 8 and file_version(tmp_path / "missing.csv") == (str(tmp_path / "missing.csv"), 0, -1)
    assert content_version(a) == file_version(a)


def test_region_spec_reads_the_new_content(data_copy):
    from yrdnet.region.spec import region_spec

    assert region_spec(data_copy)["title"] == "YRD"
    _replace_keeping_size_and_mtime(data_copy / "region.toml", 'title = "YRD"', 'title = "XYZ"', via_copy=True)
    assert region_spec(data_copy)["title"] == "XYZ"


def test_a_kept_hash_is_never_stale(tmp_path, monkeypatch):
    # content_version keeps a settled file's hash against its stat; any write, even one of
    # the same size with the old mtime put back, changes st_ctime and is hashed again.
    import time

    from yrdnet.core import cache

    if os.name != "posix":
        pytest.skip("hashes are kept on POSIX only")
    p = tmp_path / "a.csv"
    p.write_bytes(b"x,y\n1,2\n")
    first = content_version(p)
    assert str(p) not in cache._HASHED, "a file changed just now is not kept (racy)"
    monkeypatch.setattr(cache, "SETTLED_SECONDS", -60.0)  # every file counts as settled
    assert content_version(p) == first and str(p) in cache._HASHED
    st = p.stat()
    time.sleep(0.05)  # past a coarse clock tick
    p.write_bytes(b"x,y\n1,3\n")
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert p.stat().st_size == st.st_size and p.stat().st_mtime_ns == st.st_mtime_ns
    second = content_version(p)
    assert second[1] != first[1], "same size and mtime, other content: a new hash"
    assert content_version(p) == second and cache._HASHED[str(p)][1] == second
    p.unlink()
    assert content_version(p) == (str(p), 0, -1)
    yrdnet.clear_caches()
    assert str(p) not in cache._HASHED
