"""The warehouse on disk: DuckDB connections (:mod:`.db`), the tables as staged (:mod:`.tables`,
from ``sql/schema.sql``), a run's staged files and decisions (:mod:`.staging`), the lake and the
quarantine copies (:mod:`.lake`), the readers' copy (:mod:`.readers`) and the run lock and claims
(:mod:`.lock`)."""
