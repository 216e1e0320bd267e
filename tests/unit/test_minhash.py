"""Near-duplicate search: the most similar earlier article, with comparisons bounded however alike the articles are."""

from __future__ import annotations

import random

from pipeline.nlp.minhash import BUCKET_CAP, CappedLSH, find_near_duplicates, signature

TEMPLATE = (
    "Officials in {town} said on {day} that repairs to the water network would take {n} weeks, and that "
    "residents should boil water before drinking it. The council will publish updates on its website every day."
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def _templated(n: int) -> list[tuple[str, list[int]]]:
    rng = random.Random(7)
    return [(f"a{i:05d}", signature(TEMPLATE.format(town=f"Town {i}", day=rng.choice(DAYS), n=rng.randint(2, 9)))) for i in range(n)]


def test_templated_articles_are_found_with_bounded_comparisons(monkeypatch) -> None:
    largest = []
    real_query = CappedLSH.query

    def counting(self, values):
        found = real_query(self, values)
        largest.append(len(found))
        return found

    monkeypatch.setattr(CappedLSH, "query", counting)
    articles = _templated(1500)
    found = find_near_duplicates([], articles, threshold=0.5)
    assert len(found) >= 1400  # all but the first few match an earlier copy
    lsh = CappedLSH(0.5)
    assert max(largest) <= lsh.bands * BUCKET_CAP  # never one comparison per earlier article


def test_most_similar_earlier_article_wins() -> None:
    base = "The regional governor said the bridge near the border would reopen next week after repairs to its supports. " * 3
    near = base.replace("next week", "next month")
    nearer = base.replace("next week", "next Monday")
    existing = [("old-near", signature(near)), ("old-far", signature("An unrelated report about football results and weather. " * 5))]
    found = find_near_duplicates(existing, [("new-nearer", signature(nearer)), ("new", signature(base))], threshold=0.5)
    assert found["new-nearer"][0] == "old-near"
    assert found["new"][0] == "new-nearer" and found["new"][1] >= found["new-nearer"][1]
    assert "old-far" not in {of for of, _ in found.values()}
