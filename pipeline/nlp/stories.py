"""Stories: the articles about one event across outlets, grouped run by run.

Each article is a TF-IDF vector of the words of its title (counted twice) and body: words hashed
as scikit-learn's ``HashingVectorizer`` hashes them (no vocabulary to keep), sublinear term
frequency, inverse document frequency over every article loaded so far (``story_term_df``), and
each word's rarity in general English (``wordfreq``) as a background weight. A story is the
sum of its articles' unit vectors; its centroid is that sum, normalised.

A run's new articles are taken in publication order. Each joins the story whose centroid it is
most similar to (cosine), less a penalty for distance in time from the story's dates, when that
score reaches ``JOIN_THRESHOLD``; otherwise it starts a story of its own. Then, ``REFINE_ROUNDS``
times, each new article is taken out of its story and placed again against the centroids as they
now stand (early articles of a run no longer decide alone; articles of earlier runs never move).
Every comparison is with a story centroid, never with earlier articles one by one: the cost of a
run grows with its new articles times the stories, not with the warehouse's articles.

An edited article leaves its story (its stored vector is subtracted) and is placed again; an
article that is not edited keeps its story id in every later run. The parameters were set on a
development set of 35 stories (``python -m pipeline eval-stories``) and sit inside a plateau:
join thresholds 0.15 to 0.25 score within 0.01 of each other there.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import numpy as np
from scipy import sparse

N_FEATURES = 2**20
JOIN_THRESHOLD = 0.2
REFINE_ROUNDS = 2
TIME_PENALTY = 0.1  # taken off the similarity at full distance
TIME_GRACE_DAYS = 2  # articles this close to a story's dates are not penalised
TIME_SCALE_DAYS = 14  # days past the grace period at which the full penalty applies
TOKEN_PATTERN = r"(?u)\b[^\W\d_][^\W\d_]+\b"  # words of two letters or more, no digits
IDF_PRIOR_ARTICLES = 100  # document frequencies count half at this many articles
MIN_FREQUENCY = 1e-8  # words wordfreq does not know count as this rare


@lru_cache(maxsize=1)
def _analyzer():
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(stop_words="english", token_pattern=TOKEN_PATTERN).build_analyzer()


@lru_cache(maxsize=200_000)
def _feature(word: str) -> tuple[int, float]:
    """A word's hashed feature (as scikit-learn's HashingVectorizer hashes) and its background weight.

    The background weight is the square root of the word's information in general English,
    -log(frequency) from ``wordfreq`` (its word lists ship in the package): "Kursk" or "Harambe"
    weigh far more than "week". It makes the first small batches cluster as well as large ones,
    where document frequencies over a handful of articles say little.
    """
    from sklearn.utils import murmurhash3_32
    from wordfreq import word_frequency

    return murmurhash3_32(word, positive=True) % N_FEATURES, float(np.sqrt(-np.log(max(word_frequency(word, "en"), MIN_FREQUENCY))))


def term_counts(titles: list[str | None], bodies: list[str]) -> sparse.csr_matrix:
    """Per article: sublinear term frequency (1 + log tf) of title (twice) and body words, times each
    word's background weight; one row per article, hashed features as columns."""
    analyze = _analyzer()
    data, columns, pointers = [], [], [0]
    for title, body in zip(titles, bodies):
        weighted: dict[int, float] = {}
        for word, count in Counter(analyze(f"{title or ''} {title or ''} {body}")).items():
            column, weight = _feature(word)
            weighted[column] = weighted.get(column, 0.0) + (1 + np.log(count)) * weight
        columns.extend(weighted)
        data.extend(weighted.values())
        pointers.append(len(columns))
    return sparse.csr_matrix((np.asarray(data, dtype=np.float32), np.asarray(columns, dtype=np.int64), np.asarray(pointers)),
                             shape=(len(pointers) - 1, N_FEATURES))


def story_id_for(article_id: str) -> str:
    """A story is named after the article that started it: stable, and the same on every machine."""
    return "story_" + hashlib.sha256(article_id.encode()).hexdigest()[:16]


def _day(moment: datetime | None) -> float:
    return moment.timestamp() / 86400 if moment else np.nan


@dataclass(frozen=True)
class Vec:
    """A sparse vector over the hashed features: sorted feature indices and their weights.

    Plain numpy: adding and comparing two of them costs their own length, never the 2**20 features.
    """

    indices: np.ndarray
    data: np.ndarray

    @classmethod
    def empty(cls) -> "Vec":
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0))

    @classmethod
    def of(cls, indices, data) -> "Vec":
        indices, data = np.asarray(indices, dtype=np.int64), np.asarray(data, dtype=np.float64)
        order = np.argsort(indices, kind="stable")
        return cls(indices[order], data[order])

    @classmethod
    def row(cls, matrix: sparse.csr_matrix, i: int) -> "Vec":
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        return cls.of(matrix.indices[start:end], matrix.data[start:end])

    def plus(self, other: "Vec", sign: float = 1.0) -> "Vec":
        indices = np.concatenate([self.indices, other.indices])
        features, inverse = np.unique(indices, return_inverse=True)
        summed = np.bincount(inverse, weights=np.concatenate([self.data, sign * other.data]), minlength=len(features))
        keep = np.abs(summed) > 1e-7
        return Vec(features[keep], summed[keep])

    def dot(self, other: "Vec") -> float:
        _, mine, theirs = np.intersect1d(self.indices, other.indices, assume_unique=True, return_indices=True)
        return float(self.data[mine] @ other.data[theirs])

    def unit(self) -> "Vec":
        norm = float(np.sqrt(self.data @ self.data))
        return Vec(self.indices, self.data / norm) if norm > 0 else self


def _matrix(vectors: list[Vec]) -> sparse.csc_matrix:
    """Rows of vectors as one matrix, by columns (an article is scored on its own terms' columns only)."""
    pointers = np.concatenate([[0], np.cumsum([len(v.indices) for v in vectors])]).astype(np.int64)
    indices = np.concatenate([v.indices for v in vectors]) if vectors else np.zeros(0, dtype=np.int64)
    data = np.concatenate([v.data for v in vectors]) if vectors else np.zeros(0)
    return sparse.csr_matrix((data, indices, pointers), shape=(len(vectors), N_FEATURES)).tocsc()


@dataclass
class Story:
    story_id: str
    total: Vec  # the sum of its articles' unit vectors
    n_articles: int
    first_day: float = np.nan
    last_day: float = np.nan
    touched: bool = False
    _unit: Vec | None = field(default=None, repr=False)

    def unit(self) -> Vec:
        """The centroid: the sum normalised (computed once per change)."""
        if self._unit is None:
            self._unit = self.total.unit()
        return self._unit

    def add(self, vector: Vec, day: float) -> None:
        self.total, self._unit = self.total.plus(vector), None
        self.n_articles += 1
        if not np.isnan(day):
            self.first_day = day if np.isnan(self.first_day) else min(self.first_day, day)
            self.last_day = day if np.isnan(self.last_day) else max(self.last_day, day)
        self.touched = True

    def remove(self, vector: Vec) -> None:
        self.total, self._unit = self.total.plus(vector, -1.0), None
        self.n_articles -= 1
        self.touched = True


@dataclass
class NewArticle:
    article_id: str
    published_at: datetime | None
    vector: Vec = field(repr=False)  # its TF-IDF unit vector


class StoryIndex:
    """The stories as they stand, scored against articles in one sparse product.

    The centroids of stories not changed since the last :meth:`_rebuild` sit in one matrix; the
    few changed since are scored one by one until the next rebuild.
    """

    REBUILD_EVERY = 64  # changes between rebuilds of the centroid matrix

    def __init__(self, stories: list[Story]) -> None:
        self.stories = {s.story_id: s for s in stories}
        self._rebuild()

    def _rebuild(self) -> None:
        self._ids = list(self.stories)
        self._matrix = _matrix([self.stories[i].unit() for i in self._ids])
        self._first = np.array([self.stories[i].first_day for i in self._ids])
        self._last = np.array([self.stories[i].last_day for i in self._ids])
        self._dirty: set[str] = set()

    def changed(self, story_id: str) -> None:
        self._dirty.add(story_id)
        if len(self._dirty) >= self.REBUILD_EVERY:
            self._rebuild()

    def best(self, article: NewArticle) -> tuple[str | None, float]:
        """The story this article fits best and its score (similarity less the time penalty)."""
        day = _day(article.published_at)
        vector = article.vector
        best_id, best_score = None, -np.inf
        if self._ids:
            scores = self._matrix[:, vector.indices] @ vector.data - _penalty(day, self._first, self._last)
            for position in np.argsort(-scores)[: len(self._dirty) + 1]:
                if self._ids[position] not in self._dirty and self._ids[position] in self.stories:
                    best_id, best_score = self._ids[position], float(scores[position])
                    break
        for story_id in self._dirty:
            story = self.stories.get(story_id)
            if story is None or story.n_articles <= 0:
                continue
            score = story.unit().dot(vector) - _story_penalty(day, story)
            if score > best_score:
                best_id, best_score = story_id, score
        return best_id, best_score


def _story_penalty(day: float, story: Story) -> float:
    """:func:`_penalty` for one story."""
    if np.isnan(day) or np.isnan(story.first_day):
        return 0.0
    gap = max(story.first_day - day, day - story.last_day, 0.0)
    return TIME_PENALTY * min(1.0, max(0.0, (gap - TIME_GRACE_DAYS) / TIME_SCALE_DAYS))


def _penalty(day: float, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    if np.isnan(day) or not len(first):
        return np.zeros(len(first))
    with np.errstate(invalid="ignore"):
        gap = np.fmax(np.fmax(first - day, day - last), 0)
    gap = np.nan_to_num(gap, nan=0.0)
    return TIME_PENALTY * np.clip((gap - TIME_GRACE_DAYS) / TIME_SCALE_DAYS, 0, 1)


def assign(articles: list[NewArticle], index: StoryIndex) -> dict[str, str]:
    """Place each new article in a story (joining or starting one); returns article_id -> story_id.

    ``index`` is updated in place: the stories touched carry ``touched = True``.
    """
    order = sorted(articles, key=lambda a: (a.published_at is None, a.published_at or datetime.min, a.article_id))
    placed: dict[str, str] = {}
    for article in order:
        _place(article, index, placed)
    for _ in range(REFINE_ROUNDS):
        moved = 0
        for article in order:
            before = placed[article.article_id]
            story = index.stories[before]
            story.remove(article.vector)
            if story.n_articles == 0:
                del index.stories[before]
            index.changed(before)
            _place(article, index, placed)
            moved += placed[article.article_id] != before
        if not moved:
            break
    return placed


def _place(article: NewArticle, index: StoryIndex, placed: dict[str, str]) -> None:
    story_id, score = index.best(article)
    if story_id is None or score < JOIN_THRESHOLD:
        story_id = story_id_for(article.article_id)
        existing = index.stories.get(story_id)
        if existing is None:  # a story this article started before (a refinement round) is reused
            index.stories[story_id] = Story(story_id, Vec.empty(), 0)
    index.stories[story_id].add(article.vector, _day(article.published_at))
    index.changed(story_id)
    placed[article.article_id] = story_id


def idf(document_frequency: np.ndarray, n_documents: int) -> np.ndarray:
    """Smoothed inverse document frequency (as scikit-learn's TfidfTransformer computes it), shrunk
    towards 1 while the warehouse holds few articles: over five articles of one story every shared
    word would look common and the story would fall apart; the background weight carries it then."""
    raw = np.log((1 + n_documents) / (1 + document_frequency)) + 1
    return 1 + (raw - 1) * n_documents / (n_documents + IDF_PRIOR_ARTICLES)


def unit_vectors(counts: sparse.csr_matrix, weights: sparse.csr_matrix) -> sparse.csr_matrix:
    """Rows of ``counts`` weighted by the IDF of their terms (``weights``: same shape) and normalised."""
    from sklearn.preprocessing import normalize

    return normalize(counts.multiply(weights).tocsr())
