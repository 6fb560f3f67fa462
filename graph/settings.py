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

    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str = "neo4j"

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
