"""The local web app and REST API: ``create_app(db_path)`` returns a FastAPI application."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
