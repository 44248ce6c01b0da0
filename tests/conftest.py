"""Shared fixtures: an in-memory store, the seeds folder, a spaCy pipeline."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from rashomon.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EVAL = SHARED / "eval"


@pytest.fixture
def fresh_db(tmp_path: Path) -> Store:
    """A new file-backed workspace (file, so WAL and transactions behave as in use)."""
    store = Store(tmp_path / "test.db")
    yield store
    store.close()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"../shared/seeds not present at {SEEDS}; real-corpus tests need it")
    return SEEDS


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    if not EVAL.is_dir():
        pytest.skip(f"../shared/eval not present at {EVAL}; gold-data tests need it")
    return EVAL


@pytest.fixture(scope="session")
def nlp():
    from rashomon.analyze.nlp import load_nlp

    return load_nlp()


@pytest.fixture
def closed_port() -> int:
    """A local TCP port nothing listens on, for "unreachable server" cases."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
