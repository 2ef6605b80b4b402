"""The bare app: no validation (the floor)."""

from __future__ import annotations

from benchmarks.middleware_apps.common import create_app

app = create_app()
