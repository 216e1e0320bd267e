"""Timeline rules on real parses: the verb's tense, a year written earlier in the sentence, ages."""

from __future__ import annotations

from datetime import date, datetime, timezone

from pipeline.nlp.timeline import timeline_rows

WEDNESDAY = datetime(2013, 3, 13, 12, 0, tzinfo=timezone.utc)


def _dates(nlp, text: str, published: datetime | None = WEDNESDAY) -> dict[str, tuple]:
    doc = nlp(text)
    sentences = [{"start_char": s.start_char, "end_char": s.end_char, "text": s.text} for s in doc.sents]
    return {r["date_text"]: (r["date"], r["precision"], r["resolved_from"]) for r in timeline_rows(doc, "a1", sentences, published)}


def test_a_weekday_follows_the_tense_of_its_verb(nlp) -> None:
    assert _dates(nlp, "Bombs exploded outside the embassy on Friday, witnesses said.")["Friday"][0] == date(2013, 3, 8)
    assert _dates(nlp, "The ministers will meet again on Friday in Geneva.")["Friday"][0] == date(2013, 3, 15)


def test_a_month_is_placed_by_tense_and_a_year_written_before_it_wins(nlp) -> None:
    assert _dates(nlp, "The company sold its shipyard in October.")["October"][:2] == (date(2012, 10, 1), "month")
    assert _dates(nlp, "The new line is expected to open in October.")["October"][:2] == (date(2013, 10, 1), "month")
    assert _dates(nlp, "In 2011, the talks collapsed in January after a long winter.")["January"] == (date(2011, 1, 1), "month", "context year")
    # a year of the sentence the tense rules out: invited in 2011, the country will join in October (of 2013)
    found = _dates(nlp, "Invited to join in 2011, the country will officially join the alliance in October.")
    assert found["October"] == (date(2013, 10, 1), "month", "published_at")


def test_ages_are_no_timeline_rows(nlp) -> None:
    found = _dates(nlp, "Her predecessor, George Lowe, 89, said the city had not seen such a quarrel since 1953.")
    assert "89" not in found and found["1953"] == (date(1953, 1, 1), "year", "explicit")
    # nor an age or a count the model runs into a date after it
    assert list(_dates(nlp, "He will turn 80 next month.")) == ["next month"]


def test_today_s_is_publication_day_only_for_what_happens_on_one_day(nlp) -> None:
    assert _dates(nlp, "The offer, advertised in today's editions of the Journal, expires soon.")["today"][0] == date(2013, 3, 13)
    assert _dates(nlp, "Phones are the toys of today's youth, the survey found.")["today"][0] is None


def test_a_repeated_day_or_month_has_no_date(nlp) -> None:
    found = _dates(nlp, "Orangemen march each July from their church, and the ferry leaves every Thursday.")
    assert found["each July"][0] is None and found["every Thursday"][0] is None


def test_is_to_sets_a_date_to_come(nlp) -> None:
    found = _dates(nlp, "The shares are traded in London and are to resume trading in Paris on Tuesday.")
    assert found["Tuesday"][0] == date(2013, 3, 19)


def test_the_future_in_general_has_no_date(nlp) -> None:
    assert _dates(nlp, "If I were choosing the people of tomorrow, I would choose them.")["tomorrow"][0] is None
    assert _dates(nlp, "The talks resume tomorrow in Geneva.")["tomorrow"][0] == date(2013, 3, 14)


def test_months_and_today_inside_names_are_no_dates(nlp) -> None:
    found = _dates(nlp, "Agents watched the annual March for Life on Capitol Hill, and she spoke to NBC News Today in March.")
    assert "Today" not in found and list(found) == ["March"] and found["March"][0] == date(2013, 3, 1)
    # without an article it is the month: "Protests grew in March for Ukraine's cause"
    assert _dates(nlp, "Protests grew in March for Ukraine's cause.")["March"][0] == date(2013, 3, 1)


def test_what_since_counts_from_is_past(nlp) -> None:
    # May is nearer to publication in March ahead than back, but "since" looks back
    found = _dates(nlp, "Investigators have been searching for him since shortly after the May 23 killing.")
    assert found["May 23"][:2] == (date(2012, 5, 23), "day")
    assert _dates(nlp, "Shares have fallen 12% since year-end.")["year-end"][:2] == (date(2012, 1, 1), "year")
    assert _dates(nlp, "The company expects to repay the loan by year-end.")["year-end"][:2] == (date(2013, 1, 1), "year")


def test_a_statement_reported_as_made_on_a_weekday_was_made_before_publication(nlp) -> None:
    # published on a Wednesday: tomorrow is nearer than last Thursday, but what was said was said
    assert _dates(nlp, "New Zealand said Thursday it would send a frigate.")["Thursday"][0] == date(2013, 3, 7)
    # a past verb that is no statement may still name tomorrow ("headed Thursday to", as wire copy writes)
    assert _dates(nlp, "The secretary of state headed Thursday to East Africa.")["Thursday"][0] == date(2013, 3, 14)


def test_the_year_is_the_year_of_the_article_unless_a_period_is_named_by_its_end(nlp) -> None:
    found = _dates(nlp, "The company expects a loss for the year, after a weak summer.")
    assert found["the year"] == (date(2013, 1, 1), "year", "published_at")
    found = _dates(nlp, "Revenue rose 4% in the year ended Sept. 30, the company said.")
    assert found["the year"][0] is None and found["Sept. 30"][:2] == (date(2012, 9, 30), "day")
    # as British business news writes it: twelve months to March 2004, not the publication year
    found = _dates(nlp, "In the year to March 2004, the Indian economy grew by 8.5%.")
    assert found["the year"][0] is None and found["March 2004"][:2] == (date(2004, 3, 1), "month")
    found = _dates(nlp, "Average earnings rose by 4.3% in the three months to December.")
    assert found["the three months"][0] is None and found["December"][:2] == (date(2012, 12, 1), "month")
    # counted to date, this year is still the year: "this year through August"
    assert _dates(nlp, "Sales were flat this year to date.")["this year"][0] == date(2013, 1, 1)
    found = _dates(nlp, "In 2009 the mill closed, and later in the year the town lost its school.")
    assert found["the year"] == (date(2009, 1, 1), "year", "context year")  # the year written before it


def test_a_named_day_the_model_tags_an_event_is_still_a_date(nlp) -> None:
    doc_text = "Elian was found clinging to an inner tube on Thanksgiving Day, and he turned six on Dec. 6."
    found = _dates(nlp, doc_text, datetime(2000, 1, 7, tzinfo=timezone.utc))
    assert found["Thanksgiving Day"][:2] == (date(1999, 11, 25), "day")


def test_what_a_weekday_owns_has_happened_unless_the_sentence_looks_ahead(nlp) -> None:
    # published on a Wednesday: the Thursday whose closing price is quoted is the one gone by
    found = _dates(nlp, "The notes are convertible at $25 a share, a 24% premium over Thursday's closing price.")
    assert found["Thursday"][0] == date(2013, 3, 7)
    found = _dates(nlp, "The club hopes to sign the defender before Saturday's match.")
    assert found["Saturday"][0] == date(2013, 3, 16)
    found = _dates(nlp, "As Japan prepares to vote in Sunday's national election, Abe has called the threats a crisis.")
    assert found["Sunday"][0] == date(2013, 3, 17)


def test_a_weekday_with_nights_or_mornings_repeats(nlp) -> None:
    found = _dates(nlp, "Two new flights will leave Bombay on Monday and Tuesday nights from March 30.")
    assert found["Monday"][0] is None and found["Tuesday"][0] is None and found["March 30"][0] == date(2013, 3, 30)


def test_effective_and_postponed_until_name_a_date_to_come(nlp) -> None:
    # written in March: "created ..., effective June 1" is this June, not last; "postponed until Tuesday" next Tuesday
    found = _dates(nlp, "The bank also created a four-member office of the chairman, effective June 1.")
    assert found["June 1"][0] == date(2013, 6, 1)
    found = _dates(nlp, "Officials postponed until Tuesday any action on the boy's permission to stay.")
    assert found["Tuesday"][0] == date(2013, 3, 19)
    # a change that took effect days ago is still the one gone by
    assert _dates(nlp, "The minister resigned, effective March 1.")["March 1"][0] == date(2013, 3, 1)


def test_that_year_and_the_following_year_count_from_the_last_year_written(nlp) -> None:
    found = _dates(nlp, "Nissan turned a loss in 2000 into a profit the following year. "
                        "Output rose 11.5% in 2004, down from 17% the previous year.")
    assert found["the following year"] == (date(2001, 1, 1), "year", "context year")
    assert found["the previous year"] == (date(2003, 1, 1), "year", "context year")
    found = _dates(nlp, "She moved to Paris in June 1998 and married later that year.")
    assert found["later that year"][:2] == (date(1998, 1, 1), "year")
    # nothing written before it: no date
    assert _dates(nlp, "Sales doubled that year, the company said.")["that year"][0] is None


def test_a_weekday_cut_off_the_calendar_date_after_it_is_that_date(nlp) -> None:
    doc = nlp("About $14 million of that seeped out Friday Oct. 13 alone, the fund said.")
    assert [e.text for e in doc.ents if e.label_ == "DATE"] == ["Friday", "Oct. 13"]  # the model's split
    found = _dates(nlp, "About $14 million of that seeped out Friday Oct. 13 alone, the fund said.")
    assert found == {"Friday Oct. 13": (date(2012, 10, 13), "day", "published_at")}
    # day before month, as British papers write it: the same, where the model splits it so
    from spacy.tokens import Span

    doc = nlp("Troops crossed on Tuesday 5 March, officials said.")
    weekday = next(t.i for t in doc if t.text == "Tuesday")
    doc.ents = [Span(doc, weekday, weekday + 1, label="DATE"), Span(doc, weekday + 1, weekday + 3, label="DATE")]
    sentences = [{"start_char": s.start_char, "end_char": s.end_char, "text": s.text} for s in doc.sents]
    rows = timeline_rows(doc, "a1", sentences, WEDNESDAY)
    assert [(r["date_text"], r["date"]) for r in rows] == [("Tuesday 5 March", date(2013, 3, 5))]


def test_weeks_keep_their_text_without_a_date(nlp) -> None:
    # a week is no day, month or year: a row with its text, never the day it starts on
    found = _dates(nlp, "Police said last week that two weeks ago the gang struck again; the trial opens early next week.")
    assert found["last week"] == found["two weeks ago"] == found["early next week"] == (None, None, None)
    assert _dates(nlp, "Talks continued this week in Geneva.")["this week"][0] is None
    assert _dates(nlp, "Sales rose over the past week, the company said.")["the past week"][0] is None
    assert _dates(nlp, "Shares fell in the week of March 6, the company said.")["the week of March 6"][0] is None


def test_a_capitalised_date_inside_quotation_marks_is_a_title(nlp) -> None:
    found = _dates(nlp, 'Baker, speaking on ABC News\' "This Week," said the request gave a legal basis.')
    assert "This Week" not in found


def test_the_day_before_a_weekday_is_that_weekday(nlp) -> None:
    doc = nlp("The boy was returned late in the day Friday, his relatives said.")
    assert any(e.text.endswith("the day Friday") for e in doc.ents)  # the model's span takes "the day" in
    found = _dates(nlp, "The boy was returned late in the day Friday, his relatives said.")
    assert [v[0] for k, v in found.items() if k.endswith("Friday")] == [date(2013, 3, 8)]


def test_an_arrangement_stated_in_the_present_names_a_day_to_come(nlp) -> None:
    # published on Wednesday 13 March 2013: the nearest Monday and Tuesday are gone, these are to come
    assert _dates(nlp, "A vote is due Monday.")["Monday"][0] == date(2013, 3, 18)
    assert _dates(nlp, "The verdict is expected on Tuesday.")["Tuesday"][0] == date(2013, 3, 19)
    assert _dates(nlp, "Elections are slated for Tuesday.")["Tuesday"][0] == date(2013, 3, 19)
    # "due" with the day said of "is", further off in the parse
    assert _dates(nlp, "The vote is due at 1900 GMT on Tuesday.")["Tuesday"][0] == date(2013, 3, 19)
    assert _dates(nlp, "Yukos is due in a US court on Tuesday.")["Tuesday"][0] == date(2013, 3, 19)
    assert _dates(nlp, "The vote was due at 1900 GMT on Tuesday.")["Tuesday"][0] == date(2013, 3, 12)
    # ...but not in the past tense, nor a date said of a noun, nor a past sentence's "due"
    assert _dates(nlp, "The verdict was expected Tuesday.")["Tuesday"][0] == date(2013, 3, 12)
    assert _dates(nlp, "The bonds due March 1 were repaid.")["March 1"][0] == date(2013, 3, 1)


def test_a_year_in_a_clause_of_its_own_does_not_date_the_main_clause(nlp) -> None:
    # "approved in 2011" and "who formed ... in 1977" belong to their own clauses, not to the sentence's events
    found = _dates(nlp, "Under a buyback programme approved in 2011, the company had bought 481,000 shares through Sept. 29.")
    assert found["Sept. 29"] == (date(2012, 9, 29), "day", "published_at")
    found = _dates(nlp, "The band, who formed at school in 1977, begin a world tour on 28 March.")
    assert found["28 March"] == (date(2013, 3, 28), "day", "published_at")
    # a year the main clause writes still dates what follows in it
    found = _dates(nlp, "In 2011, the firm said that talks began in January.")
    assert found["January"] == (date(2011, 1, 1), "month", "context year")


def test_a_plan_given_up_looks_back_and_a_plan_in_progress_ahead(nlp) -> None:
    assert _dates(nlp, "The offer previously had been scheduled to expire at midnight Friday.")["midnight Friday"][0] == date(2013, 3, 8)
    found = _dates(nlp, "Protesters held a rally on Saturday and were planning to drive around the airport on Monday.")
    assert found["Monday"][0] == date(2013, 3, 18)


def test_a_deadline_extended_through_a_month_is_to_come(nlp) -> None:
    # written at the end of October: the January to come, though "has extended" is a past form
    autumn = datetime(2013, 10, 30, 12, 0, tzinfo=timezone.utc)
    found = _dates(nlp, "A group of lenders has extended the company up to $90 million in loans through January.", autumn)
    assert found["January"][:2] == (date(2014, 1, 1), "month")


def test_a_day_the_model_cut_off_its_year_takes_that_year(nlp) -> None:
    text = "In this Dec. 31, 2016 file photo, visitors stand in front of the stage."
    doc = nlp(text)
    assert [e.text for e in doc.ents if e.label_ == "DATE"] == ["this Dec. 31", "2016"]  # the model's split
    assert _dates(nlp, text) == {"this Dec. 31, 2016": (date(2016, 12, 31), "day", "explicit")}


def test_an_award_of_the_year_is_no_date(nlp) -> None:
    assert _dates(nlp, "Arians became the first interim head coach to win Coach of the Year.") == {}
    assert _dates(nlp, "Lorde, the sole female nominee for album of the year, did not perform.") == {}
    # a part of the year, or the year a superlative ranks in, is the year
    assert _dates(nlp, "He will leave by the end of the year.")["the end of the year"][0] == date(2013, 1, 1)
    assert _dates(nlp, "It was the biggest deal of the year, bankers said.")["the year"][0] == date(2013, 1, 1)


def test_a_day_that_names_a_thing_is_no_date_and_the_sept_11_attacks_are_2001s(nlp) -> None:
    assert _dates(nlp, "It sent Christmas trees from Oregon to the capital.") == {}
    assert _dates(nlp, "Sales rose over Christmas, the retailer said.")["Christmas"][0] == date(2012, 12, 25)
    found = _dates(nlp, "The failure to see the threat before the Sept. 11 attacks is excusable.")
    assert found["Sept. 11"] == (date(2001, 9, 11), "day", "explicit")
    # the anniversary's ceremony is this year's
    assert _dates(nlp, "She left the Sept. 11 memorial ceremony early.")["Sept. 11"][0] == date(2012, 9, 11)


def test_a_time_on_the_24_hour_clock_is_no_year(nlp) -> None:
    assert set(_dates(nlp, "The vote is due at 1900 GMT on Tuesday.")) == {"Tuesday"}
    assert set(_dates(nlp, "Markets closed at 1630 GMT on Friday.")) == {"Friday"}
    # the same four digits before other words are a year
    assert _dates(nlp, "In 1900 local elections were held.")["1900"] == (date(1900, 1, 1), "year", "explicit")
    assert _dates(nlp, "In 2010 West Ham won the cup.")["2010"] == (date(2010, 1, 1), "year", "explicit")


def test_an_arranged_passive_names_a_date_to_come(nlp) -> None:
    # "is expected to be published", "are to be married": an infinitive in the passive, arranged in the present
    assert _dates(nlp, "The report is expected to be published on Monday.")["Monday"][0] == date(2013, 3, 18)
    assert _dates(nlp, "They are to be married on 8 April.")["8 April"][0] == date(2013, 4, 8)
    assert _dates(nlp, "The report was published on Monday.")["Monday"][0] == date(2013, 3, 11)


def test_a_car_s_model_year_is_no_timeline_date(nlp) -> None:
    assert set(_dates(nlp, "Kopp's 1987 Chevrolet Cavalier was discovered last month.")) == {"last month"}
    assert _dates(nlp, "It will carry his cherry red 2008 Tesla Roadster.") == {}
    # the year of an event stays: after a preposition, or before a make that is no car here
    assert _dates(nlp, "In 2008 Tesla began selling the Roadster.")["2008"][0] == date(2008, 1, 1)
    assert _dates(nlp, "Aides of the 1976 Ford administration met.")["1976"][0] == date(1976, 1, 1)


def test_a_month_said_of_a_simple_past_verb_is_not_one_to_come(nlp) -> None:
    # written late in October: a December "changed" in is last year's, though the coming one is nearer
    autumn = datetime(1989, 10, 27, 12, 0, tzinfo=timezone.utc)
    found = _dates(nlp, "The company changed from a fiscal year to a calendar year in December.", autumn)
    assert found["December"][:2] == (date(1988, 12, 1), "month")
    assert _dates(nlp, "The chain changed its name in October.", autumn)["October"][:2] == (date(1989, 10, 1), "month")
    # an arrangement, a bound or a plan may still lie ahead
    assert _dates(nlp, "The offer had been set to expire in December.", autumn)["December"][:2] == (date(1989, 12, 1), "month")
    found = _dates(nlp, "The government gave the company until mid-November to submit more information.", autumn)
    assert found["mid-November"][:2] == (date(1989, 11, 1), "month")


def test_a_month_and_number_in_a_rocket_s_name_are_no_date(nlp) -> None:
    assert _dates(nlp, "The key to this is the Long March 9 rocket, which is in development.") == {}
    assert list(_dates(nlp, "The mission will launch in June, when a Long March 4C rocket will carry a satellite.")) == ["June"]
    # a weekday or a headline word before the month leaves the date
    assert _dates(nlp, "Talks resumed on Friday March 8 in Paris.")["Friday March 8"][0] == date(2013, 3, 8)
    assert _dates(nlp, "The rally is set for March 4th.")["March 4th"][0] == date(2013, 3, 4)


def test_a_named_day_the_model_tags_an_event_takes_the_year_written_before_it(nlp) -> None:
    late_2017 = datetime(2017, 12, 30, 12, 0, tzinfo=timezone.utc)
    found = _dates(nlp, "Most of the alleged perpetrators responsible for the 2015 New Year's Eve assaults stood accused.", late_2017)
    assert found["New Year's Eve"] == (date(2015, 12, 31), "day", "context year")


def test_the_present_passive_in_progress_is_no_past(nlp) -> None:
    # published on a Saturday: a seminar "being presented" on Tuesday is the nearer Tuesday, to come
    saturday = datetime(2013, 3, 16, 12, 0, tzinfo=timezone.utc)
    text = "The research project, which is being presented at a seminar on Tuesday in London, was funded by the council."
    assert _dates(nlp, text, saturday)["Tuesday"][0] == date(2013, 3, 19)
    assert _dates(nlp, "The report was presented at a seminar on Tuesday.", saturday)["Tuesday"][0] == date(2013, 3, 12)


def test_a_month_of_a_habit_has_no_date(nlp) -> None:
    found = _dates(nlp, "The move, earlier than its usual March launches, will help it against Apple, which usually waits until September.")
    assert found["March"][0] is None and found["September"][0] is None
    assert _dates(nlp, "December is traditionally a quiet month for the housing market.")["December"][0] is None
    # a habit said of another clause, or how often within a time, leaves the date
    assert _dates(nlp, "I'd hope to be training regularly by March.")["March"][0] == date(2013, 3, 1)
    assert _dates(nlp, "The fair was held in May.")["May"][0] == date(2012, 5, 1)


def test_the_last_year_is_a_span_up_to_publication_not_a_calendar_year(nlp) -> None:
    found = _dates(nlp, "Blog readership has shot up by 58% in the last year, and spam rose over the last month.")
    assert found["the last year"][0] is None and found["the last month"][0] is None
    assert _dates(nlp, "Sales fell last year.")["last year"][:2] == (date(2012, 1, 1), "year")


def test_the_date_of_a_forecast_set_beside_a_figure_is_past(nlp) -> None:
    autumn = datetime(2016, 10, 5, 12, 0, tzinfo=timezone.utc)
    text = "The IMF expects that U.S. output will expand by 1.6 percent, half a point less than forecast in July."
    assert _dates(nlp, text, autumn)["July"][:2] == (date(2016, 7, 1), "month")


def test_a_month_of_last_or_next_year_is_in_that_calendar_year(nlp) -> None:
    autumn = datetime(2016, 10, 2, 12, 0, tzinfo=timezone.utc)
    found = _dates(nlp, "We started this journey on June 16th of last year.", autumn)
    assert found["June 16th of last year"][0] == date(2015, 6, 16)
    # "last June" is the latest June, of this year
    assert _dates(nlp, "We started last June.", autumn)["last June"][0] == date(2016, 6, 1)
    january = datetime(2016, 1, 20, 12, 0, tzinfo=timezone.utc)
    assert _dates(nlp, "The plant will open in December next year.", january)["December next year"][0] == date(2017, 12, 1)


def test_a_weekday_of_last_or_next_week_is_that_day_of_that_week(nlp) -> None:
    thursday = datetime(2016, 9, 29, 12, 0, tzinfo=timezone.utc)
    assert _dates(nlp, "The vote happened on Tuesday of last week.", thursday)["Tuesday of last week"][0] == date(2016, 9, 20)
    # the model tags "Monday" and "next week" apart: one date, the Monday to come
    assert _dates(nlp, "The talks resume Monday next week.", thursday)["Monday next week"][0] == date(2016, 10, 3)


def test_a_time_of_day_that_names_its_day_is_dated_by_the_day(nlp) -> None:
    tuesday = (date(2013, 3, 12), "day", "published_at")
    assert _dates(nlp, "The incident occurred at 3 p.m. Tuesday.")["3 p.m. Tuesday"] == tuesday
    assert _dates(nlp, "Police arrived late Tuesday night.")["late Tuesday night"] == tuesday
    assert _dates(nlp, "Rebels attacked the town last night.")["last night"] == tuesday
    # a time of day alone has no row; a show's name, a kind of thing and what repeats have no date
    assert "about 2 a.m." not in _dates(nlp, "The shooting happened at about 2 a.m.")
    found = _dates(nlp, "She told ITV1's This Morning about the Saturday Night Takeaway and a Saturday-night stay.")
    assert not any(value[0] for value in found.values())


def test_a_year_the_phrase_gives_after_in_or_of_wins_over_publication(nlp) -> None:
    # the model tags "January day" and "2011" apart: the phrase is one date, in 2011
    found = _dates(nlp, "He recalled that January day in 2011 when the protests began.")
    assert found == {"January day in 2011": (date(2011, 1, 1), "month", "explicit")}
    # at a sentence's end it tags "January day in" and "2011": the "in" inside the month's span
    assert _dates(nlp, "He recalled that January day in 2011.") == {"January day in 2011": (date(2011, 1, 1), "month", "explicit")}
    found = _dates(nlp, "A British general election was last held in February in 1974.")
    assert found["February in 1974"] == (date(1974, 2, 1), "month", "explicit")
    # a weekday is no month: "Tuesday in 2011" stays two expressions
    assert set(_dates(nlp, "The vote on Tuesday in 2011 failed.")) == {"Tuesday", "2011"}


def test_the_present_progressive_names_an_arrangement_to_come(nlp) -> None:
    # written on a Wednesday: the nearer Monday has gone by, but "is resigning on Monday" is arranged
    assert _dates(nlp, "The minister is resigning on Monday, his office said.")["Monday"][0] == date(2013, 3, 18)
    assert _dates(nlp, "Finance ministers are meeting Monday in Brussels.")["Monday"][0] == date(2013, 3, 18)
    # the past progressive looks back
    assert _dates(nlp, "The minister was resigning on Monday when the call came.")["Monday"][0] == date(2013, 3, 11)


def test_a_count_of_time_is_one_expression_and_no_date(nlp) -> None:
    # "up to a year" was cut at "to" into the rows "up" and "a year" (seed 002)
    found = _dates(nlp, "Recovering the region may take up to a year, and the ban two or three years.")
    assert list(found) == ["up to a year", "two or three years"] and {v[0] for v in found.values()} == {None}
    # a word left after a count, or a count alone, is no row; a day before a month keeps its date
    assert list(_dates(nlp, "For the first 10 years or so, readers aged nine to 11 voted.")) == ["the first 10 years"]
    assert _dates(nlp, "The talks ran on 1 and 2 June.") == {"2 June": (date(2012, 6, 2), "day", "published_at")}


def test_a_day_the_model_left_out_before_a_month_is_part_of_the_date(nlp) -> None:
    # the model tags "August" alone: the sixth, not all August
    assert _dates(nlp, "Troops entered the region on the night of 6 August.") == {"6 August": (date(2012, 8, 6), "day", "published_at")}
    # a digit that is no number ("²") is no day
    assert _dates(nlp, "The area grew by 5 ² August figures show.")["August"][:2] == (date(2012, 8, 1), "month")
    # written day first, the attacks are still 2001's
    found = _dates(nlp, "A TV benefit after the 11 September terror attacks raised $150m.")
    assert found == {"11 September": (date(2001, 9, 11), "day", "explicit")}


def test_a_sports_season_named_by_its_years_is_its_first_year(nlp) -> None:
    assert _dates(nlp, "The 1957-58 season was his best.")["1957-58 season"] == (date(1957, 1, 1), "year", "explicit")
    # a season of the year stays open: the text fixes no month
    assert _dates(nlp, "The summer of 1815 was cold.")["The summer of 1815"][0] is None


def test_the_day_before_or_after_a_day_is_the_day_next_to_it(nlp) -> None:
    # the model tags "The day" and "last Tuesday's" apart here: one expression, the Monday
    found = _dates(nlp, "At least one attempt was made. The day before last Tuesday's federal court hearing, "
                        "Manuel went to Lazaro's home.")
    assert found == {"The day before last Tuesday's": (date(2013, 3, 11), "day", "published_at")}
    assert _dates(nlp, "It was the day before yesterday.")["the day before yesterday"][0] == date(2013, 3, 11)
    assert _dates(nlp, "Shops reopened the day after Christmas.")["the day after Christmas"][0] == date(2012, 12, 26)
    # the day after an event the text does not date, or after a month, is no day
    assert all(value[0] is None for value in _dates(nlp, "On the day after the election, he resigned.").values())
    assert _dates(nlp, "He left the day after March.").get("the day after March", (None,))[0] is None


def test_this_past_day_or_month_is_the_last_one(nlp) -> None:
    """"this past Sunday" is the last Sunday before publication, as "last Sunday" is, whatever the
    verb; "this past week" and "this past year" are spans up to publication, no date."""
    assert _dates(nlp, "The team lost this past Sunday.")["this past Sunday"] == (date(2013, 3, 10), "day", "published_at")
    assert _dates(nlp, "The coach will review this past Sunday's game.")["this past Sunday"][0] == date(2013, 3, 10)
    assert _dates(nlp, "Sales will rise after this past Christmas.")["this past Christmas"][0] == date(2012, 12, 25)
    found = _dates(nlp, "Prices rose this past week and over this past year.")
    assert all(value[0] is None for value in found.values()), found


def test_a_plan_told_in_the_past_tense_names_no_day_to_come(nlp) -> None:
    """"was scheduled to take off Sunday" tells a plan in the past, as "was expected Tuesday" does:
    the Sunday before publication; "is scheduled to take off Sunday" is the one to come."""
    found = _dates(nlp, "The flight was scheduled to take off at 11:55 p.m. Sunday, but left about 10 minutes late.")
    assert found["Sunday"][0] == date(2013, 3, 10)
    assert _dates(nlp, "The flight is scheduled to take off Sunday.")["Sunday"][0] == date(2013, 3, 17)


def test_without_a_publication_date_one_historical_full_date_fixes_no_month(nlp) -> None:
    """An article without a publication date that writes one full date of the past ("the attacks of
    11 September 2001", in a story of 2004) gives a bare "April" no year; two full dates of one year
    (the seed story's "August 2024" and "October 1, 2024") still do."""
    text = ("The attacks on 11 September 2001 raised concern. Ms Hughes was forced to resign in April "
            "over abuses in the visa system.")
    found = _dates(nlp, text, published=None)
    assert found["11 September 2001"][0] == date(2001, 9, 11)
    assert found["April"] == (None, None, None)
    found = _dates(nlp, "Talks began in August 2024. A deal was signed on October 1, 2024. Troops left in April.", published=None)
    assert found["April"] == (date(2024, 4, 1), "month", "context year")
