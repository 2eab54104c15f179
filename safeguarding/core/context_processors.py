from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from safeguarding.accounts import access


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "demo_banner": settings.DEMO_BANNER,
        "nav_registers": access.can_user_use_registers(user),
        "nav_dashboard": access.can_user_see_dashboard(user)
        and not access.can_user_administer_service(user),
        "nav_service": access.can_user_administer_service(user),
        "nav_home": reverse(access.landing_url_name(user)),
        "nav_settings": access.can_user_manage_partnership(user),
        "nav_summary": access.can_user_see_period_summary(user),
        "nav_reports": access.can_user_see_reports(user),
    }
