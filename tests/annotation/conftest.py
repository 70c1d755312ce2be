"""One real Label Studio server per test session (installed into .cache/label-studio/ on first
use; a failed install or start fails the tests that need it, it never skips them)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory):
    from annotation.server import LabelStudioServer

    server = LabelStudioServer(tmp_path_factory.mktemp("label-studio"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def ls_client(label_studio):
    from annotation.client import connect

    return connect(label_studio.url, label_studio.api_key)
