"""/healthz: 200 when the database and the broker answer, 503 when one does not, the JSON
saying which; on the embedded default the broker is "not configured", which is no failure.
Open to anyone, so it says nothing else."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

NOT_CONFIGURED = "not configured (tasks run in-process)"


def closed_port() -> int:
    """A port nothing listens on: bound, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.django_db
def test_embedded_default_is_healthy_without_a_broker(
    client: Client, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.CELERY_BROKER_URL = "memory://"
    with django_assert_num_queries(1):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": NOT_CONFIGURED}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_broker_down_is_503(client: Client, settings: Any) -> None:
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "database": "ok",
        "broker": "unreachable (ConnectionError)",
    }


@pytest.mark.redis
@pytest.mark.django_db
def test_broker_up_is_200(client: Client, settings: Any) -> None:
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_database_down_is_503(client: Client, settings: Any, monkeypatch: Any) -> None:
    from botoxcare import health

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused: secret host details")

    settings.CELERY_BROKER_URL = "memory://"
    monkeypatch.setattr(health.connection, "cursor", refused)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "database": "unreachable (OperationalError)",
        "broker": NOT_CONFIGURED,
    }
    assert b"secret" not in response.content  # the kind of failure, never its message
