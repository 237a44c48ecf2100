"""Full disks and refused permissions name the user's path; nothing half-written is left.

Issue 21, item 6 (the part in :mod:`yrdnet.core.io`): the CLI said ``cannot read or
write : No space left on device`` with an empty file name. Each fault is simulated by
making one system call of an atomic write raise ``OSError`` with and without a file
name; the error must name the target (not the hidden temporary file), keep its errno
(``PermissionError`` for ``EACCES``), leave the previous contents and no hidden file.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import yrdnet.core.io as io
from yrdnet.cli import commands
from yrdnet.core.io import MARKER, atomic_dir, describe_os_error, write_csv, write_text

ERRNOS = [errno.ENOSPC, errno.EACCES, errno.EROFS, errno.EDQUOT]


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _fail(code: int, filename: str | None) -> Callable[..., None]:
    def raise_(*args: object, **kwargs: object) -> None:
        if filename is None:
            raise OSError(code, os.strerror(code))
        raise OSError(code, os.strerror(code), filename)

    return raise_


@pytest.mark.parametrize("code", ERRNOS)
@pytest.mark.parametrize("named", ["no file", "temporary file"])
def test_a_failed_file_write_names_the_file(tmp_path, monkeypatch, code, named):
    target = tmp_path / "cities.csv"
    target.write_text("previous")
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        _fail(code, None if named == "no file" else str(src))()

    monkeypatch.setattr(io.os, "replace", replace)
    with pytest.raises(OSError) as info:
        write_text(target, "new")
    monkeypatch.setattr(io.os, "replace", real_replace)
    e = info.value
    assert e.errno == code and e.filename == str(target)
    assert isinstance(e, PermissionError) == (code == errno.EACCES)
    assert str(target) in describe_os_error(e) and os.strerror(code) in describe_os_error(e)
    assert target.read_text() == "previous" and _hidden(tmp_path) == []


@pytest.mark.parametrize("code", ERRNOS)
@pytest.mark.parametrize("named", ["no file", "file in the hidden folder"])
def test_a_failed_folder_write_names_the_file_under_the_folder(tmp_path, monkeypatch, code, named):
    out = tmp_path / "out"
    with atomic_dir(out) as tmp:
        write_text(tmp / "a.csv", "previous")
    frame = pd.DataFrame({"x": [1, 2]})

    def to_csv(self: pd.DataFrame, path: Path, **kwargs: object) -> None:
        Path(path).write_text("half")
        _fail(code, None if named == "no file" else str(path))()

    monkeypatch.setattr(pd.DataFrame, "to_csv", to_csv)
    with pytest.raises(OSError) as info, atomic_dir(out) as tmp:
        write_csv(tmp / "cities.csv", frame)
    e = info.value
    assert e.errno == code
    assert e.filename == str(out / "cities.csv"), "names the user's file, not the hidden one"
    assert (out / "a.csv").read_text() == "previous" and sorted(p.name for p in out.iterdir()) == [MARKER, "a.csv"]
    assert _hidden(tmp_path) == []


@pytest.mark.parametrize("code", ERRNOS)
def test_a_fault_with_no_file_inside_a_folder_write_names_the_folder(tmp_path, code):
    out = tmp_path / "out"
    with pytest.raises(OSError) as info, atomic_dir(out):
        _fail(code, None)()
    assert info.value.errno == code and info.value.filename == str(out)
    assert not out.exists() and _hidden(tmp_path) == []


def test_a_fault_naming_another_file_keeps_that_name(tmp_path):
    with pytest.raises(OSError) as info, atomic_dir(tmp_path / "out"):
        _fail(errno.EACCES, "/etc/yrdnet/input.csv")()
    assert info.value.filename == "/etc/yrdnet/input.csv"


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES])
def test_a_failed_commit_names_the_folder_and_keeps_the_previous_one(tmp_path, monkeypatch, code):
    out = tmp_path / "out"
    with atomic_dir(out) as tmp:
        write_text(tmp / "a.csv", "previous")
    monkeypatch.setattr(io, "_swap_in", _fail(code, None))
    with pytest.raises(OSError) as info, atomic_dir(out) as tmp:
        write_text(tmp / "a.csv", "new")
    assert info.value.filename == str(out)
    assert (out / "a.csv").read_text() == "previous" and _hidden(tmp_path) == []


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "(the system named no file): No space left on device"),
        (OSError(errno.ENOSPC, "No space left on device", "/out/a.csv"), "/out/a.csv: No space left on device"),
        (OSError(errno.EXDEV, "Invalid cross-device link", "/a", None, "/b"), "/a -> /b: Invalid cross-device link"),
        (PermissionError(errno.EACCES, "Permission denied", b"/out"), "/out: Permission denied"),
    ],
)
def test_describe_os_error_never_shows_an_empty_path(exc, expected):
    text = describe_os_error(exc)
    assert text == f"cannot read or write {expected}"
    assert "write :" not in text


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES])
def test_the_cli_names_the_path_of_a_full_disk(tmp_path, monkeypatch, capsys, code):
    out = tmp_path / "out"

    def run(args: object) -> int:  # what every writing command does
        with atomic_dir(out) as tmp:
            write_text(tmp / "cities.csv", "x")
        return 0

    monkeypatch.setattr(commands, "_run", run)
    monkeypatch.setattr(io.os, "replace", _fail(code, None))
    assert commands.main(["analyze", "baseline_2025", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"cannot read or write {out / 'cities.csv'}: {os.strerror(code)}" in err
    assert not out.exists() and _hidden(tmp_path) == []


def test_a_symlinked_out_is_refused_and_left_alone(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    with pytest.raises(io.OutputError, match="symbolic link"), atomic_dir(link) as tmp:
        write_text(tmp / "a.csv", "x")
    assert link.is_symlink() and list(real.iterdir()) == [] and _hidden(tmp_path) == []


@pytest.mark.parametrize("kind", ["folder", "file"])
def test_a_name_too_long_for_the_hidden_sibling_names_the_users_path(tmp_path, kind):
    target = tmp_path / ("n" * 250 + ("" if kind == "folder" else ".csv"))  # valid; ".<name>.tmp-…" is not
    with pytest.raises(OSError) as info:
        if kind == "folder":
            with atomic_dir(target) as tmp:
                write_text(tmp / "a.csv", "x")
        else:
            write_text(target, "x")
    assert info.value.errno == errno.ENAMETOOLONG and info.value.filename == str(target)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind", ["folder", "file"])
def test_a_parent_that_is_a_file_is_named(tmp_path, kind):
    (tmp_path / "notes").write_text("precious")
    target = tmp_path / "notes" / ("out" if kind == "folder" else "a.csv")
    with pytest.raises(OSError) as info:
        if kind == "folder":
            with atomic_dir(target):
                pass
        else:
            write_text(target, "x")
    assert info.value.filename == str(tmp_path / "notes")
    assert (tmp_path / "notes").read_text() == "precious" and _hidden(tmp_path) == []
