"""The Airflow plugin that mounts the news desk at ``/desk`` on the api-server, with a navigation entry.

Registered through the ``airflow.plugins`` entry point of this package, so every Airflow that has
the project installed (``make airflow``, ``make cluster``, the compose image) serves it. Requests
are checked by Airflow's own ``get_user``: the session cookie of Airflow's login or a bearer token.
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

DESK_PREFIX = "/desk"


def _desk_app():
    from airflow.api_fastapi.core_api.security import get_user

    from pipeline.desk.app import create_app

    return create_app(get_user)


class NewsDeskPlugin(AirflowPlugin):
    name = "news_desk"
    fastapi_apps = [{"app": _desk_app(), "url_prefix": DESK_PREFIX, "name": "News desk"}]
    external_views = [{"name": "News desk", "href": f"{DESK_PREFIX}/", "destination": "nav", "category": "browse"}]
