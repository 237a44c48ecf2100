"""Print the provenance summary of the curated data (pasted into data/README.md).

Usage: ``python tools/data_provenance.py [--write]`` — counts, per file, the rows whose source says
"unverified" or "derived", so the README's numbers can be regenerated after data edits.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path

import yrdnet
from yrdnet.region.datasets import load_airports


def summary() -> None:
    """Print a Markdown table of sourced / derived / unverified rows per file."""
    tables = {
        "cities.csv": yrdnet.load_cities(),
        "metros.csv": yrdnet.load_metros("current"),
        "stations.csv": yrdnet.load_stations(),
        "lines.csv": yrdnet.load_lines(),
        "highways.csv": yrdnet.load_highways(),
        "expressways.csv": yrdnet.load_expressways(),
        "main_stations.csv": yrdnet.load_main_stations(),
        "line_speeds.csv": yrdnet.load_line_speeds(),
        "suburban_lines.csv": yrdnet.load_suburban_lines(),
        "airports.csv": load_airports(),
        "corridors.csv": yrdnet.load_corridors(),
        "peripheries.csv": yrdnet.load_peripheries(),
    }
    print("| file | rows | rows with an unverified part | rows with a derived value |")
    print("| --- | ---: | ---: | ---: |")
    for name, df in tables.items():
        src = df["source"].astype(str)
        if "km_method" in df.columns:  # expressways.csv states its derivations apart from its sources
            src = src + " " + df["km_method"].astype(str)
        if name == "airports.csv":  # airports.csv sources its years apart
            src = src + " " + df["dates_source"].astype(str)
        unv = int(src.str.contains("unverified", case=False).sum())
        der = int(src.str.contains("derived", case=False).sum())
        print(f"| `{name}` | {len(df)} | {unv} | {der} |")
    st = tables["stations.csv"]["source"].astype(str)
    print()
    print(
        f"Station coordinates: {int((~st.str.contains('unverified')).sum())} sourced, "
        f"{int(st.str.contains('unverified').sum())} approximate (unverified)."
    )
    ds = tables["stations.csv"]["dates_source"].astype(str)
    print(
        f"Station dates: {int(ds.str.startswith('curated').sum())} curated (station_dates.csv), "
        f"{int(ds.str.startswith('derived').sum())} derived from the lines that list them, "
        f"{int(ds.str.startswith('no constraint').sum())} without a date (no open line lists them)."
    )
    hw = tables["highways.csv"]["source"].astype(str)
    print(
        f"Expressway km: {int((~hw.str.contains('km: derived')).sum())} sourced, "
        f"{int(hw.str.contains('km: derived').sum())} derived (geodesic x detour factor)."
    )
    ap = tables["airports.csv"]
    print(
        f"Airport dates: {int(ap['opened'].notna().sum())} of {len(ap)} rows with a sourced opening year, "
        f"{int(ap['closed'].notna().sum())} closed sites; "
        f"{int(ap['dates_source'].str.contains('unverified').sum())} unverified (no year: open in every year)."
    )
    pe = tables["peripheries.csv"]["source"].astype(str)
    print(
        f"Named peripheries: {len(pe)}; {int(pe.str.contains('secondary').sum())} rest in part on sources "
        "marked secondary (see peripheries.csv)."
    )
    xw = tables["expressways.csv"]
    print(
        f"County expressway sections: {len(xw)} on {xw['route'].nunique()} routes; km "
        f"{int(xw['km_method'].str.startswith('sourced').sum())} sourced, "
        f"{int(xw['km_method'].str.startswith('derived').sum())} derived; design speed "
        f"{int(xw['speed_method'].str.startswith('sourced').sum())} sourced, "
        f"{int((~xw['speed_method'].str.startswith('sourced')).sum())} assumed."
    )


def main() -> None:
    """Print the summary; with ``--write``, replace it in data/README.md."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        summary()
    text = buf.getvalue().strip()
    print(text)
    if "--write" in sys.argv:
        readme = Path(__file__).resolve().parents[1] / "data" / "README.md"
        s = readme.read_text(encoding="utf-8")
        s = re.sub(
            r"(<!-- provenance:start -->\n).*?(\n<!-- provenance:end -->)",
            lambda m: m.group(1) + text + m.group(2),
            s,
            flags=re.S,
        )
        readme.write_text(s, encoding="utf-8")


if __name__ == "__main__":
    main()
