"""News ingestion and enrichment pipeline.

The stages, one module each, in flow order; each is a plain function that the Airflow DAG and the
command line both call, and each returns what it wrote for the next one to take:

:mod:`pipeline.discover` → :mod:`pipeline.enrich` → :mod:`pipeline.deduplicate` →
:mod:`pipeline.validate` → :mod:`pipeline.load` → :mod:`pipeline.publish`

Under them, by concern: :mod:`pipeline.sources` (the drop zone: paths, files, formats, manifests,
cleaning), :mod:`pipeline.nlp` (the model and the extractors), :mod:`pipeline.quality` (checks,
suites, findings, report), :mod:`pipeline.store` (DuckDB, tables, a run's staged files, the lake,
the readers' copy, the run lock). :mod:`pipeline.config` is the one place that reads the
environment.
"""

PIPELINE_VERSION = "0.1.0"
