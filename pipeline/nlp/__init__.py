"""spaCy and the extractors: the model with the project's components (:mod:`.model`), the parsed
document's caches and offsets (:mod:`.doc`), sentences, mentions and canonical entities
(:mod:`.entities`), quotes (:mod:`.quotes`), cited sources (:mod:`.citations`), numeric claims
(:mod:`.claims`), dates (:mod:`.timeline`) and near-duplicate signatures (:mod:`.minhash`). Each
extractor makes its own table's rows; the reference lists live in ``reference/``."""
