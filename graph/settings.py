"""One settings object, read from the environment (DESIGN §6)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import BadRequest

REPO = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Where the graph lives and how to reach it.

    With ``NEO4J_URI`` set, that server (a standalone server, a cluster or Aura) is used and the
    embedded engine is never started. Otherwise the embedded engine keeps everything — store,
    password, logs, pid and port — under ``ORGNET_HOME`` (``var/`` in the project by default).
    """

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    orgnet_home: Path = Field(default=REPO / "var")
    orgnet_port: int | None = Field(default=None, ge=1, le=65535)
    # Sized for a 2-core, 24 GB machine: the store's hot set in the page cache, the heap large
    # enough for the loader's 20,000-row transactions, and room left for the Python side.
    orgnet_heap: str = "4g"
    orgnet_pagecache: str = "6g"
    orgnet_engine_dir: Path = Field(default=REPO / "engine")

    # Concurrency, sized for a server: connections the driver keeps, threads that run a
    # question's independent queries at once (shared by every request), and requests the HTTP
    # API serves at once.
    orgnet_db_pool: int = Field(default=64, ge=1, le=1000)
    orgnet_query_threads: int = Field(default=32, ge=1, le=1000)
    orgnet_api_threads: int = Field(default=64, ge=1, le=1000)
    # The largest dataset the HTTP API takes (POST /v1/datasets), in megabytes: the upload, and
    # what a zip expands to.
    orgnet_upload_mb: int = Field(default=200, ge=1, le=100_000)
    # Where the HTTP API keeps its keys and its audit log (ORGNET_HOME when not set).
    orgnet_api_home: Path | None = None
    # The time budget of each read the HTTP API runs, in seconds (0: none); past it the
    # database stops the read and the client gets 504.
    orgnet_api_timeout: float = Field(default=60.0, ge=0, le=86_400)

    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str = "neo4j"

    @property
    def api_home(self) -> Path:
        return self.orgnet_api_home or self.orgnet_home

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
