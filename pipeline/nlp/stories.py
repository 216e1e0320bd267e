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
        counts: dict[int, list] = {}
        for word in analyze(f"{title or ''} {title or ''} {body}"):
            column, weight = _feature(word)
            entry = counts.setdefault(column, [0, weight])
            entry[0] += 1
        for column, (count, weight) in counts.items():
            columns.append(column)
            data.append((1 + np.log(count)) * weight)
        pointers.append(len(columns))
    return sparse.csr_matrix((np.asarray(data, dtype=np.float32), np.asarray(columns, dtype=np.int64), np.asarray(pointers)),
                             shape=(len(pointers) - 1, N_FEATURES))


def story_id_for(article_id: str) -> str:
    """A story is named after the article that started it: stable, and the same on every machine."""
    return "story_" + hashlib.sha256(article_id.encode()).hexdigest()[:16]


def _day(moment: datetime | None) -> float:
    return moment.timestamp() / 86400 if moment else np.nan


@dataclass
class Story:
    story_id: str
    total: sparse.csr_matrix  # 1 x N_FEATURES: the sum of its articles' unit vectors
    n_articles: int
    first_day: float = np.nan
    last_day: float = np.nan
    touched: bool = False

    def unit(self) -> sparse.csr_matrix:
        norm = sparse.linalg.norm(self.total)
        return self.total / norm if norm > 0 else self.total

    def add(self, vector: sparse.csr_matrix, day: float) -> None:
        self.total = self.total + vector
        self.n_articles += 1
        if not np.isnan(day):
            self.first_day = day if np.isnan(self.first_day) else min(self.first_day, day)
            self.last_day = day if np.isnan(self.last_day) else max(self.last_day, day)
        self.touched = True

    def remove(self, vector: sparse.csr_matrix) -> None:
        self.total = self.total - vector
        self.total.data[np.abs(self.total.data) < 1e-6] = 0
        self.total.eliminate_zeros()
        self.n_articles -= 1
        self.touched = True


@dataclass
class NewArticle:
    article_id: str
    published_at: datetime | None
    vector: sparse.csr_matrix = field(repr=False)  # 1 x N_FEATURES unit vector (TF-IDF)


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
        rows = [self.stories[i].unit() for i in self._ids]
        self._matrix = sparse.vstack(rows, format="csr") if rows else sparse.csr_matrix((0, N_FEATURES), dtype=np.float32)
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
        scores = (self._matrix @ article.vector.T).toarray().ravel() - _penalty(day, self._first, self._last)
        best_id, best_score = None, -np.inf
        if len(scores):
            for position in np.argsort(-scores)[: len(self._dirty) + 1]:
                if self._ids[position] not in self._dirty and self._ids[position] in self.stories:
                    best_id, best_score = self._ids[position], float(scores[position])
                    break
        for story_id in self._dirty:
            story = self.stories.get(story_id)
            if story is None or story.n_articles <= 0:
                continue
            score = float((story.unit() @ article.vector.T).toarray()[0, 0]) - float(
                _penalty(day, np.array([story.first_day]), np.array([story.last_day]))[0])
            if score > best_score:
                best_id, best_score = story_id, score
        return best_id, best_score


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
            index.stories[story_id] = Story(story_id, sparse.csr_matrix((1, N_FEATURES), dtype=np.float32), 0)
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
