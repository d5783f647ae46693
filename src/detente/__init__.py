"""Detente: a sourced record of a conflict's diplomacy, built from the articles that report it."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("detente")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+local"

__all__ = ["__version__"]
