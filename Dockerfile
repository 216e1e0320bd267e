# The pipeline's image for docker-compose.yml: Python 3.11, the locked dependencies (Airflow among
# them) and the project, on a plain Debian base. No registry image is required: pass a Debian base
# you built yourself (debootstrap + docker import) as BASE_IMAGE; see `make compose-test`.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}

ARG UV_VERSION=0.13.8
ENV DEBIAN_FRONTEND=noninteractive \
    PYTHONUNBUFFERED=1 \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    AIRFLOW_HOME=/opt/airflow \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PATH=/opt/venv/bin:$PATH

COPY docker/ca-certificates/ /usr/local/share/ca-certificates/
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3.11 python3.11-venv ca-certificates curl tini \
 && rm -rf /var/lib/apt/lists/* \
 && update-ca-certificates \
 && useradd --uid 50000 --gid 0 --home-dir /home/airflow --create-home airflow \
 && mkdir -p /opt/airflow /opt/news && chown -R 50000:0 /opt/airflow /opt/news \
 && chmod -R g+rwX /opt/airflow /opt/news /home/airflow

# The lock first (its layer is reused while only the code changes), exactly as locked: the base
# image holds no Python packages that could be re-pinned.
COPY pyproject.toml uv.lock README.md /opt/news/
RUN python3.11 -m venv /opt/uv && /opt/uv/bin/pip install --no-cache-dir "uv==${UV_VERSION}" \
 && cd /opt/news && /opt/uv/bin/uv sync --locked --no-dev --no-install-project --python /usr/bin/python3.11

COPY pipeline /opt/news/pipeline
COPY dags /opt/news/dags
COPY expectations /opt/news/expectations
COPY devtools /opt/news/devtools
RUN cd /opt/news && /opt/uv/bin/uv sync --locked --no-dev --python /usr/bin/python3.11

USER 50000:0
WORKDIR /opt/news
ENTRYPOINT ["/usr/bin/tini", "--", "/opt/venv/bin/airflow"]
CMD ["version"]
