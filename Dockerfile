# Image for the several-machine set-up (docker-compose.yml): Airflow plus this project's locked dependencies.
FROM apache/airflow:3.3.2-python3.11
USER root
COPY --chown=airflow:root . /opt/news
USER airflow
WORKDIR /opt/news
RUN pip install --no-cache-dir uv==0.13.8 \
 && uv export --locked --no-dev --no-emit-project --no-hashes -o /tmp/requirements.txt \
 && pip install --no-cache-dir -r /tmp/requirements.txt \
 && pip install --no-cache-dir --no-deps -e /opt/news
