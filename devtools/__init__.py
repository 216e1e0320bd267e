"""Development tools outside the runtime package: the benchmark (:mod:`.bench`), the evaluation
commands behind ``python -m pipeline eval-*`` (:mod:`.evaluate`) and the brat standoff reader (:mod:`.brat`)."""
