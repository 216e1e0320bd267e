"""Cross-table checks, as boolean columns the suites test like any other (their names start with ``_``).

Great Expectations checks one table at a time; the invariants that span tables (an offset slices
back to its article's body, every article has sentences, every quarantined file has a reason)
are computed here, one function per table, from the frames of one chunk of a run.
"""

from __future__ import annotations

import pandas as pd

from pipeline.config import TIMELINE_YEARS
from pipeline.nlp.minhash import NUM_PERM


def offset_checks(frame: pd.DataFrame, bodies: dict[str, str], text_column: str = "text") -> pd.DataFrame:
    """``_article_known``, ``_within_body``, ``_slice_matches``: ``body[start_char:end_char] == text``."""
    known, within, matches = [], [], []
    for article_id, start, end, text in zip(frame["article_id"], frame["start_char"], frame["end_char"], frame[text_column]):
        body = bodies.get(article_id)
        known.append(body is not None)
        ok = body is not None and 0 <= start <= end <= len(body)
        within.append(ok)
        matches.append(bool(ok and body[start:end] == text))
    return frame.assign(_article_known=known, _within_body=within, _slice_matches=matches)


def article_checks(articles: pd.DataFrame, sentences: pd.DataFrame, ingest: pd.DataFrame, signatures: pd.DataFrame) -> pd.DataFrame:
    """Every article has its sentences (as many as it says), its signature, a loaded file, a sane near-duplicate link."""
    counts = articles["article_id"].map(sentences.groupby("article_id").size()).fillna(0).astype(int)
    loaded_paths = set(ingest.loc[ingest["status"] == "loaded", "path"])
    near_of = articles["near_duplicate_of"]
    return articles.assign(
        _has_sentences=counts > 0,
        _n_sentences_matches=counts == articles["n_sentences"],
        _near_duplicate_is_other=(near_of.isna() == articles["near_duplicate_similarity"].isna())
        & (near_of.isna() | (near_of != articles["article_id"])),
        _file_logged=articles["source_path"].str.split("#").str[0].isin(loaded_paths),
        _has_signature=articles["article_id"].isin(set(signatures["article_id"])),
    )


def quote_checks(quotes: pd.DataFrame, bodies: dict[str, str]) -> pd.DataFrame:
    """Quote offsets, the speaker's offsets slicing back to the speaker (a named speaker needs them), no blank quote."""
    quotes = offset_checks(quotes, bodies, "quote")
    speaker_ok = []
    for article_id, start, end, speaker in zip(quotes["article_id"], quotes["speaker_start"], quotes["speaker_end"], quotes["speaker"]):
        body = bodies.get(article_id)
        if speaker is None or pd.isna(speaker):
            speaker_ok.append(True)  # an unattributed statement: nothing to check
        elif pd.isna(start) or pd.isna(end):
            speaker_ok.append(False)  # a speaker without its place in the body
        else:
            speaker_ok.append(body is not None and body[int(start) : int(end)] == speaker)
    return quotes.assign(_speaker_slice_matches=speaker_ok, _quote_not_blank=quotes["quote"].fillna("").str.strip() != "")


def timeline_checks(timeline: pd.DataFrame, bodies: dict[str, str]) -> pd.DataFrame:
    """Date-expression offsets, dates within the warehouse's years, a precision exactly when there is a date."""
    timeline = offset_checks(timeline, bodies, "date_text")
    # Years are read off the values: pandas timestamps cannot hold a date before 1677.
    years = [None if value is None or value is pd.NaT or pd.isna(value) else value.year for value in timeline["date"]]
    no_date = timeline["date"].isna()
    return timeline.assign(
        _date_in_range=[year is None or TIMELINE_YEARS[0] <= year <= TIMELINE_YEARS[1] for year in years],
        _precision_with_date=(no_date == timeline["precision"].isna()) & (no_date == timeline["resolved_from"].isna()),
    )


def mention_checks(mentions: pd.DataFrame, sentences: pd.DataFrame, bodies: dict[str, str]) -> pd.DataFrame:
    """Mention offsets, and each mention starts inside the sentence it names."""
    spans = {(a, i): (s, e) for a, i, s, e in zip(sentences["article_id"], sentences["sentence_idx"], sentences["start_char"], sentences["end_char"])}
    mentions = offset_checks(mentions, bodies)
    known = []
    for a, i, s in zip(mentions["article_id"], mentions["sentence_idx"], mentions["start_char"]):
        span = spans.get((a, i))
        known.append(span is not None and span[0] <= s < span[1])
    return mentions.assign(_sentence_known=known)


def ingest_checks(ingest: pd.DataFrame, bodies: dict[str, str]) -> pd.DataFrame:
    """Every file not loaded says why; a loaded file's article exists; a duplicate names its original."""
    needs_reason = ingest["status"].isin(["quarantined", "duplicate", "ignored"])
    has_reason = ingest["reason"].fillna("").str.strip() != ""
    is_loaded = ingest["status"] == "loaded"
    return ingest.assign(
        _reason_given=~needs_reason | has_reason,
        _article_given=~is_loaded | ingest["article_id"].isna() | ingest["article_id"].isin(bodies),
        _duplicate_named=(ingest["status"] != "duplicate") | ingest["duplicate_of"].notna(),
    )


def with_checks(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every table's frame with the check columns its suite refers to."""
    articles, sentences = frames["articles"], frames["sentences"]
    bodies = dict(zip(articles["article_id"], articles["body"]))
    signatures, claims, cleaning = frames["article_signatures"], frames["claims"], frames["cleaning_log"]
    checked_claims = offset_checks(claims, bodies)
    return {  # the order the suites run in, and the order reasons are given in
        "articles": article_checks(articles, sentences, frames["ingest_log"], signatures),
        "sentences": offset_checks(sentences, bodies),
        "article_signatures": signatures.assign(
            _article_known=signatures["article_id"].isin(bodies), _full_length=[len(v) == NUM_PERM for v in signatures["minhash"]]
        ),
        "quotes": quote_checks(frames["quotes"], bodies),
        "citations": offset_checks(frames["citations"], bodies, "source_name"),
        "claims": checked_claims.assign(_range_ordered=checked_claims["value_high"].isna() | (checked_claims["value_high"] >= checked_claims["value"])),
        "timeline": timeline_checks(frames["timeline"], bodies),
        "entity_mentions": mention_checks(frames["entity_mentions"], sentences, bodies),
        "cleaning_log": cleaning.assign(_article_known=cleaning["article_id"].isin(bodies)),
        "ingest_log": ingest_checks(frames["ingest_log"], bodies),
    }
