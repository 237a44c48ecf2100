"""yrdnet: accessibility, centrality and polycentricity of the Yangtze River Delta."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("yrdnet")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"
