"""`/healthz` for the load balancer and monitoring: 200 when this process can reach the database,
503 when it cannot. The body says only that (no version, host or figures), the check takes no
session and writes nothing, and it answers over plain HTTP (exempt from the HTTPS redirect) so a
load balancer can call each app server directly."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
@transaction.non_atomic_requests  # ATOMIC_REQUESTS would open the connection before the check
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("health check: the database did not answer (%s)", type(exc).__name__)
        # A broken connection must not be reused by the next request of this process.
        connection.close_if_unusable_or_obsolete()
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
