"""Story grouping on its own: vectors, placing articles, the B-cubed scorer (no model, no warehouse)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from devtools.stories_eval import bcubed
from pipeline.nlp.stories import (
    JOIN_THRESHOLD,
    NewArticle,
    StoryIndex,
    assign,
    idf,
    story_id_for,
    term_counts,
    unit_vectors,
)

MISSILE = [
    ("North Korea fires missile over Hokkaido", "North Korea fired a ballistic missile over Hokkaido into the Pacific, Japan said; sirens sounded across Hokkaido."),
    ("Pyongyang missile flies over Japan", "A North Korean ballistic missile flew over Japan's Hokkaido island before falling into the Pacific Ocean."),
    ("Japan condemns North Korean launch", "Japan condemned the North Korean ballistic missile launch over Hokkaido, the second over its territory."),
]
GORILLA = [
    ("Cincinnati Zoo kills gorilla Harambe", "Zoo officials shot Harambe, a western lowland gorilla, after a boy fell into the enclosure in Cincinnati."),
    ("Harambe shooting divides zoo visitors", "The killing of the gorilla Harambe at the Cincinnati Zoo after a child climbed into his enclosure drew anger."),
]


def _articles(texts, start: datetime, prefix: str) -> list[NewArticle]:
    counts = term_counts([t for t, _ in texts], [b for _, b in texts])
    weights = counts.copy()
    weights.data[:] = 1.0
    vectors = unit_vectors(counts, weights)
    return [NewArticle(f"{prefix}{i}", start + timedelta(hours=i), vectors[i]) for i in range(len(texts))]


def test_write_ups_of_one_event_share_a_story_and_other_events_do_not() -> None:
    day = datetime(2017, 9, 15, tzinfo=timezone.utc)
    articles = _articles(MISSILE, day, "m") + _articles(GORILLA, day, "g")
    placed = assign(articles, StoryIndex([]))
    assert len({placed[f"m{i}"] for i in range(3)}) == 1
    assert len({placed[f"g{i}"] for i in range(2)}) == 1
    assert placed["m0"] != placed["g0"]
    assert placed["m0"] == story_id_for("m0")  # named after the article that started it


def test_a_later_run_joins_the_existing_story_and_earlier_articles_stay() -> None:
    day = datetime(2017, 9, 15, tzinfo=timezone.utc)
    index = StoryIndex([])
    first = assign(_articles(MISSILE[:2], day, "m"), index)
    index = StoryIndex(list(index.stories.values()))  # as the next run reads them back
    second = assign(_articles(MISSILE[2:], day + timedelta(days=1), "later") + _articles(GORILLA, day, "g"), index)
    assert second["later0"] == first["m0"] == first["m1"]
    assert second["g0"] == second["g1"] != first["m0"]


def test_time_far_apart_weakens_a_borderline_match() -> None:
    day = datetime(2017, 9, 15, tzinfo=timezone.utc)
    near = _articles(MISSILE, day, "n")
    index = StoryIndex([])
    assign(near[:1], index)
    (story,) = index.stories.values()
    _, close = index.best(near[1])
    far = NewArticle("far", day + timedelta(days=200), near[1].vector)
    _, distant = index.best(far)
    assert close > JOIN_THRESHOLD and close - distant == pytest.approx(0.1, abs=1e-6)


def test_title_words_count_twice_and_rare_words_weigh_more() -> None:
    counts = term_counts(["Kursk"], ["week Kursk week"]).toarray().ravel()
    kursk, week = sorted(counts[counts > 0])[::-1]
    assert kursk > week  # "Kursk" (twice in the title, once in the body, rare) outweighs "week" (twice, common)


def test_document_frequencies_count_little_while_the_warehouse_is_small() -> None:
    rare, common = np.array([1.0]), np.array([5.0])
    assert idf(common, 5)[0] == pytest.approx(1.0, abs=0.05)  # five articles of one story: shared words still count
    assert idf(rare, 5000)[0] - idf(common, 5000)[0] > 1.0  # thousands of articles: frequencies count fully


def test_bcubed_scores_known_clusterings() -> None:
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert bcubed({"a": "x", "b": "x", "c": "y", "d": "y"}, gold)["f1"] == 1.0
    lumped = bcubed({k: "x" for k in gold}, gold)
    assert (lumped["precision"], lumped["recall"]) == (0.5, 1.0)
    split = bcubed({k: k for k in gold}, gold)
    assert (split["precision"], split["recall"]) == (1.0, 0.5)
