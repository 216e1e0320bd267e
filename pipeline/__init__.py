"""News ingestion and enrichment pipeline.

Stages, one module each, every one a plain function the Airflow DAG and the CLI both call:
:mod:`pipeline.discover` → :mod:`pipeline.enrich` (:mod:`pipeline.sources.files`, :mod:`pipeline.sources.clean`,
:mod:`pipeline.nlp`) → :mod:`pipeline.validate` → :mod:`pipeline.load` (load, publish).
"""

PIPELINE_VERSION = "0.1.0"
