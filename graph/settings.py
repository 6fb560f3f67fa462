"""One settings object, read from the environment (DESIGN §6)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import BadRequest

REPO = Path(__file__).resolve().parent.parent
# Run from a checkout (or an editable install of one), the engine's home is var/ beside the
# source and the engine is built in engine/; installed from a wheel, they live in the user's
# data and cache folders (the wheel carries the engine's Maven project, built there on first use).
CHECKOUT = (REPO / "pyproject.toml").is_file() and (REPO / "engine" / "pom.xml").is_file()


def _user_folder(variable: str, fallback: str) -> Path:
    base = os.environ.get(variable)
    return (Path(base) if base else Path.home() / fallback) / "orgnet"


def default_home() -> Path:
    return REPO / "var" if CHECKOUT else _user_folder("XDG_DATA_HOME", ".local/share")


def default_engine_dir() -> Path:
    return REPO / "engine" if CHECKOUT else _user_folder("XDG_CACHE_HOME", ".cache") / "engine"


class Settings(BaseSettings):
    """Where the graph lives and how to reach it.

    With ``NEO4J_URI`` set, that server (a standalone server, a cluster or Aura) is used and the
    embedded engine is never started. Otherwise the embedded engine keeps everything — store,
    password, logs, pid and port — under ``ORGNET_HOME`` (``var/`` in the project by default).
    """

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    orgnet_home: Path = Field(default_factory=default_home)
    orgnet_port: int | None = Field(default=None, ge=1, le=65535)
    # Sized for a 2-core, 24 GB machine: the store's hot set in the page cache, the heap large
    # enough for the loader's 20,000-row transactions, and room left for the Python side.
    orgnet_heap: str = "4g"
    orgnet_pagecache: str = "6g"
    orgnet_engine_dir: Path = Field(default_factory=default_engine_dir)

    # Concurrency, sized for a server: connections the driver keeps, threads that run a
    # question's independent queries at once (shared by every request), and requests the HTTP
    # API serves at once.
    orgnet_db_pool: int = Field(default=64, ge=1, le=1000)
    orgnet_query_threads: int = Field(default=32, ge=1, le=1000)
    orgnet_api_threads: int = Field(default=64, ge=1, le=1000)
    # Answers the HTTP API keeps until the graph changes (0: none).
    orgnet_api_cache: int = Field(default=256, ge=0, le=100_000)
    # The largest dataset the HTTP API takes (POST /v1/datasets), in megabytes: the upload, and
    # what a zip expands to.
    orgnet_upload_mb: int = Field(default=200, ge=1, le=100_000)
    # Where the HTTP API keeps its keys and its audit log (ORGNET_HOME when not set).
    orgnet_api_home: Path | None = None
    # The time budget of each read the HTTP API runs, in seconds (0: none); past it the
    # database stops the read and the client gets 504.
    orgnet_api_timeout: float = Field(default=60.0, ge=0, le=86_400)
    # Origins a browser may call the HTTP API from (a data screen served elsewhere), separated
    # by commas: https://screen.example.gov.cn. None by default: only same-origin pages.
    orgnet_api_cors: str = ""
    # The console: minutes a session may be idle before it ends; failed sign-ins in a row
    # that lock an account, and for how many minutes.
    orgnet_session_idle: float = Field(default=30.0, gt=0, le=7 * 24 * 60)
    orgnet_signin_attempts: int = Field(default=5, ge=1, le=100)
    orgnet_signin_lock: float = Field(default=15.0, ge=0, le=7 * 24 * 60)

    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str = "neo4j"

    @property
    def api_home(self) -> Path:
        return self.orgnet_api_home or self.orgnet_home

    @property
    def cors_origins(self) -> list[str]:
        return [o.strip() for o in self.orgnet_api_cors.split(",") if o.strip()]

    @property
    def external(self) -> bool:
        return bool(self.neo4j_uri)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process's environment; a value that is not one is a BadRequest
    naming the variable."""
    try:
        return Settings()
    except ValidationError as e:
        wrong = "; ".join(
            f"{str(error['loc'][0]).upper()}={error.get('input')!r}: {error['msg']}"
            for error in e.errors()
        )
        raise BadRequest(f"environment: {wrong}") from None
