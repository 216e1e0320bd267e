"""Quote rules, one sentence each: which statement, which cue, which speaker (real model)."""

from __future__ import annotations

import pytest

from pipeline.nlp.quotes import extract_quotes

CASES = [
    pytest.param(
        '"We are not going to accept these cuts," said Senator Maria Lopez.',
        [("direct", '"We are not going to accept these cuts,"', "said", "Senator Maria Lopez", "Maria Lopez")],
        id="verb after the quote, subject inverted",
    ),
    pytest.param(
        'Maria Lopez said: "We are not going to accept these cuts."',
        [("direct", '"We are not going to accept these cuts."', "said", "Maria Lopez", "Maria Lopez")],
        id="verb before the quote",
    ),
    pytest.param(
        'Pamela Padilla: "We will keep the clinic open all winter."',
        [("direct", '"We will keep the clinic open all winter."', ":", "Pamela Padilla", "Pamela Padilla")],
        id="name before a colon",
    ),
    pytest.param(
        '"We will keep the clinic open all winter." ― Pamela Padilla',
        [("direct", '"We will keep the clinic open all winter."', "―", "Pamela Padilla", "Pamela Padilla")],
        id="name after a dash",
    ),
    pytest.param(
        '"We are not going to accept these cuts," Lopez said. "They hurt families across the state."',
        [("direct", '"We are not going to accept these cuts," Lopez said. "They hurt families across the state."', "said", "Lopez", None)],
        id="split quote rejoined",
    ),
    pytest.param(
        'The governor spoke at length.\n\nCaddell continued:\n\n"The water will be back by Friday for every home."',
        [("direct", '"The water will be back by Friday for every home."', "continued", "Caddell", None)],
        id="verb ending the previous paragraph with a colon",
    ),
    pytest.param(
        'Senator Maria Lopez said the talks had failed. "We are not going to accept these cuts," she said.',
        [("indirect", "the talks had failed", "said", "Senator Maria Lopez", "Maria Lopez"),
         ("direct", '"We are not going to accept these cuts,"', "said", "she", "Maria Lopez")],
        id="pronoun resolved to the last person who spoke",
    ),
    pytest.param(
        "Lopez told reporters that the committee would meet again next week.",
        [("indirect", "that the committee would meet again next week", "told", "Lopez", None)],
        id="indirect speech with that",
    ),
    pytest.param(
        "According to the treasury, the deficit will grow by two percent this year.",
        [("according_to", "the deficit will grow by two percent this year", "according to", "the treasury", None)],
        id="according to, leading",
    ),
    pytest.param(
        "The deficit will grow by two percent this year, according to the treasury.",
        [("according_to", "The deficit will grow by two percent this year", "according to", "the treasury", None)],
        id="according to, trailing",
    ),
    pytest.param('The so-called "special military operation" entered its third year.', [], id="a quoted phrase is not a quote"),
    pytest.param(
        'Podesta called the governor "the most extreme pick in a generation."',
        [("indirect", 'the governor "the most extreme pick in a generation."', "called", "Podesta", None)],
        id="a stance verb reports its object, through the quotation it ends in",
    ),
    pytest.param(
        "Recently, she said, the clinic has run out of insulin twice.",
        [("indirect", "Recently, she said, the clinic has run out of insulin twice", "said", "she", None)],
        id="a reporting verb inside its statement reports the sentence",
    ),
    pytest.param(
        "Trump has vowed to boycott the product.",
        [("indirect", "to boycott the product", "has vowed", "Trump", None)],
        id="a verb of intention reports its clause",
    ),
    pytest.param(
        "Sanders ended the speech by calling for a political revolution.",
        [("indirect", "a political revolution", "calling", "Sanders", None)],
        id="calling for, the subject found through by",
    ),
    pytest.param("Lopez is expected to win the primary.", [], id="a passive subject holds no statement"),
    pytest.param(
        "Lopez said she would support the bill.",
        [("indirect", "she would support the bill", "said", "Lopez", None)],
        id="a stance inside a reported clause is not a statement of its own",
    ),
    pytest.param(
        'The governor spoke for an hour. "We will rebuild every bridge," Lopez said.\n\n"Opening Night," which opens on Tuesday, is her first novel.',
        [("direct", '"We will rebuild every bridge,"', "said", "Lopez", None)],
        id="a title opening the next paragraph does not continue the speaker",
    ),
    pytest.param(
        '"The reality is, the clinic cannot stay open without the grant,“ said Jim Clyburn, a congressman.',
        [("direct", '"The reality is, the clinic cannot stay open without the grant,“', "said", "Jim Clyburn, a congressman", "Jim Clyburn")],
        id="an opening mark typed for the closing one",
    ),
    pytest.param(
        "\"Watch them say, 'We have to keep it open,' \" said Carly Fiorina during the debate.",
        [("direct", "\"Watch them say, 'We have to keep it open,' \"", "said", "Carly Fiorina", None)],
        id="a nested quotation closing before the outer mark",
    ),
    pytest.param(
        'A White House official who spoke anonymously said Wednesday, "Certainly there are talks between the two campaigns."',
        [("direct", '"Certainly there are talks between the two campaigns."', "said", "White House official", None)],
        id="a speaker the parser left without a subject link",
    ),
    pytest.param(
        'Asked about the vote, Clinton said, "as long as we are not breaking any election laws."',
        [("direct", '"as long as we are not breaking any election laws."', "said", "Clinton", "Clinton")],
        id="a quotation right after its verb counts even in lower case",
    ),
    pytest.param('Lopez signed copies of "Tough Choices."', [], id="a title is not a quote"),
    pytest.param(
        'At the rally in Tampa, Maria Lopez declared "What a Great Night!"',
        [("direct", '"What a Great Night!"', "declared", "Maria Lopez", "Maria Lopez")],
        id="a quotation in title case its verb introduces is speech",
    ),
    pytest.param(
        '"The dam was never inspected after the 2019 floods," according to the Ostra Water Board.',
        [("direct", '"The dam was never inspected after the 2019 floods,"', "according to", "the Ostra Water Board", None)],
        id="a quotation attributed with according to is direct",
    ),
    pytest.param(
        'The mayor spoke after the flood.\n\nMaria Lopez released the following statement:\n\n"Our thoughts are with every family that lost a home."',
        [("direct", '"Our thoughts are with every family that lost a home."', "released", "Maria Lopez", "Maria Lopez")],
        id="a statement a person released introduces the next paragraph",
    ),
    pytest.param(
        'The claims were checked.\n\n"Wages have not grown in forty years for most workers."\n\n- Maria Lopez.',
        [("direct", '"Wages have not grown in forty years for most workers."', "―", "Maria Lopez", "Maria Lopez")],
        id="a dash naming the speaker in the next paragraph",
    ),
    pytest.param(
        '"We will rebuild every bridge before the winter," Maria Lopez went on.',
        [("direct", '"We will rebuild every bridge before the winter,"', "went on", "Maria Lopez", "Maria Lopez")],
        id="a verb with its particle reports speech",
    ),
    pytest.param(
        '"This is the best day of my life," beamed Maria Lopez.',
        [("direct", '"This is the best day of my life,"', "beamed", "Maria Lopez", "Maria Lopez")],
        id="a verb of manner reports speech",
    ),
    pytest.param(
        'Maria Lopez wrote that, "Every family that lost a home will be housed by winter."',
        [("indirect", '"Every family that lost a home will be housed by winter."', "wrote", "Maria Lopez", "Maria Lopez")],
        id="a quotation that is the clause of said that is indirect speech",
    ),
    pytest.param(
        '"The water will be back by Friday," Maria Lopez, the director of the regional water board and a member '
        'of the flood committee since its founding in the spring, told reporters.',
        [("direct", '"The water will be back by Friday,"', "told",
          "Maria Lopez, the director of the regional water board and a member of the flood committee since its founding in the spring",
          "Maria Lopez")],
        id="the verb after a long apposition of its speaker",
    ),
    pytest.param(
        'Maria Lopez said, "The water will be back by Friday." She added, "Every school reopens on Monday."',
        [("direct", '"The water will be back by Friday."', "said", "Maria Lopez", "Maria Lopez"),
         ("direct", '"Every school reopens on Monday."', "added", "She", "Maria Lopez")],
        id="a verb after a finished quotation introduces the next one",
    ),
    pytest.param(
        'Maria Lopez told the Ostra Gazette: "The water will be back by Friday." She added that schools would reopen.',
        [("direct", '"The water will be back by Friday."', "told", "Maria Lopez", "Maria Lopez"),
         ("indirect", "that schools would reopen", "added", "She", "Maria Lopez")],
        id="a verb whose clause ends on a colon before the quotation keeps it",
    ),
    pytest.param(
        'Maria Lopez spoke about the dam in an interview on Tuesday: "It should have been replaced years ago."',
        [("indirect", "the dam in an interview on Tuesday", "spoke", "Maria Lopez", "Maria Lopez"),
         ("direct", '"It should have been replaced years ago."', ":", "Maria Lopez", "Maria Lopez")],
        id="a date before the colon is not the speaker",
    ),
    pytest.param(
        'The mayor of Ostra spoke on Monday. Maria Lopez issued a statement Tuesday saying, "We will rebuild the dam before the winter."',
        [("direct", '"We will rebuild the dam before the winter."', "saying", "Maria Lopez", "Maria Lopez")],
        id="a statement saying: the speaker is who issued it, never a date",
    ),
    pytest.param(
        "When Clinton noted that Lopez has occasionally not paid anything in federal income taxes ― as was true for "
        "the few years his tax returns were made public ― Lopez boasted, “That makes me smart.”",
        [("indirect", "that Lopez has occasionally not paid anything in federal income taxes ― as was true for the few years",
          "noted", "Clinton", "Clinton"),
         ("direct", "“That makes me smart.”", "boasted", "Lopez", None)],
        id="a dash the parser takes for a subject is not the speaker",
    ),
    pytest.param(
        "Maria Lopez: ‘Every Family Will Be Housed By Winter.’\n\nThe mayor of Ostra spoke on Monday.",
        [("direct", "‘Every Family Will Be Housed By Winter.’", ":", "Maria Lopez", "Maria Lopez")],
        id="a headline quoting its speaker in single marks after a colon",
    ),
    pytest.param(
        "Maria Lopez on the Flood Board: ‘We Will Rebuild.’\n\nThe mayor of Ostra spoke on Monday.",
        [("direct", "‘We Will Rebuild.’", ":", "Maria Lopez", "Maria Lopez")],
        id="a headline quoting the person named before on",
    ),
    pytest.param(
        "The Latest: ‘Every family will be housed.’\n\nThe mayor spoke.", [], id="a section label is not a headline's speaker",
    ),
    pytest.param(
        "Ukraine war live: ‘Every family will be housed.’\n\nThe mayor spoke.", [], id="a live page is not a headline's speaker",
    ),
    pytest.param(
        "Kursk incursion: ‘Every family will be housed.’\n\nThe mayor spoke.", [], id="a topic naming a place is not a headline's speaker",
    ),
    pytest.param(
        "Maria Lopez: ‘Doom and Despair’ on the Ostra River Board.\n\nThe mayor spoke.", [],
        id="a quotation stopping inside the headline is the writer's wording",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_quote_rule(nlp, text: str, expected: list[tuple]) -> None:
    found = [(q.kind, text[q.start_char : q.end_char], q.cue, q.speaker, q.speaker_resolved) for q in extract_quotes(nlp(text))]
    assert found == expected
    for q in extract_quotes(nlp(text)):
        if q.speaker is not None:
            assert text[q.speaker_start : q.speaker_end] == q.speaker


ROLE_CASES = [
    pytest.param(
        'Political scientist Dmitry Oreshkin spoke on the radio. Later the political scientist noted: "The front will not move before spring."',
        "Dmitry Oreshkin", id="role noun: the person introduced with that role",
    ),
    pytest.param(
        'Anna Lenz, an analyst at the Ostra Institute, said the dam was old. The analyst added: "It should have been replaced years ago."',
        "Anna Lenz", id="role noun: the person an apposition gave that role",
    ),
    pytest.param(
        'Anna Lenz, a professor at Velmora University, said the dam was old. The political scientist added: "It should have been replaced."',
        "Anna Lenz", id="role noun: no one with the word, the expert who spoke before",
    ),
    pytest.param(
        'President Ivo Rask visited the dam. Anna Lenz, a professor at Velmora University, said it was old. '
        'The governor added: "We will rebuild it before winter."',
        None, id="role noun: never a person of another kind",
    ),
]


@pytest.mark.parametrize(("text", "resolved"), ROLE_CASES)
def test_role_nouns_resolve_to_the_person_with_that_role(nlp, text: str, resolved: str | None) -> None:
    quotes = [q for q in extract_quotes(nlp(text)) if q.kind == "direct"]
    assert len(quotes) == 1
    assert quotes[0].speaker_resolved == resolved, (quotes[0].speaker, quotes[0].speaker_resolved)


PRONOUN_CASES = [
    pytest.param(
        'Mrs Jane Porter told the council the dam was old. Mr David Miller told reporters the budget was tight. '
        '"We will find the money," she said.',
        "Jane Porter", id="she: not the man who spoke last (honorifics)",
    ),
    pytest.param(
        'Mr David Miller told the council the dam was old. Mrs Jane Porter told reporters the budget was tight. '
        '"We will find the money," he said.',
        "David Miller", id="he: not the woman who spoke last (an honorific inside the name)",
    ),
    pytest.param(
        'Spokeswoman Anna Lenz said the dam was old. Ivo Rask, a spokesman for the council, said the budget was tight. '
        '"We will find the money," she said.',
        "Anna Lenz", id="she: not the spokesman who spoke last (gendered roles)",
    ),
]


@pytest.mark.parametrize(("text", "resolved"), PRONOUN_CASES)
def test_pronouns_resolve_only_to_a_compatible_person(nlp, text: str, resolved: str) -> None:
    quotes = [q for q in extract_quotes(nlp(text)) if q.kind == "direct"]
    assert len(quotes) == 1 and (quotes[0].speaker_resolved or "").endswith(resolved), [(q.speaker, q.speaker_resolved) for q in quotes]
