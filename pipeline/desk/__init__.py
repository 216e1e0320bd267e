"""The news desk: the warehouse's stories, speakers, sources, claims, search and runs in the Airflow UI.

A FastAPI app (:mod:`pipeline.desk.app`) that the Airflow plugin (:mod:`pipeline.desk.plugin`)
mounts at ``/desk`` on the api-server, behind Airflow's login. It reads the readers' copy of the
warehouse read-only; charts are drawn by Apache ECharts, served from the package (no internet).
"""
