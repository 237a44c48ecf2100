"""The installed version of yrdnet (a leaf module: anything may import it)."""

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("yrdnet")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"
