"""Validation internals: cross-table check columns (:mod:`.checks`), Great Expectations suites
(:mod:`.suites`), what a failure concerns (:mod:`.findings`) and the HTML report (:mod:`.report`)."""
