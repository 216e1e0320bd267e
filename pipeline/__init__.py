"""News ingestion and enrichment pipeline.

Stages, one module each, every one a plain function the Airflow DAG and the CLI both call:
:mod:`pipeline.discover` → :mod:`pipeline.enrich` (:mod:`pipeline.ingest`, :mod:`pipeline.clean`,
:mod:`pipeline.nlp`) → :mod:`pipeline.validate` → :mod:`pipeline.warehouse` (load, publish).
"""

PIPELINE_VERSION = "0.1.0"
