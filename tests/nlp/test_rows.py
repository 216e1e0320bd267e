"""spaCy rows: offsets slice back to the body, paragraphs end sentences, ids drop possessives."""

from __future__ import annotations

import re

from pipeline.config import DEFAULT_MODEL
from pipeline.nlp.entities import REFERENCE_LONG_FORMS, id_spelling
from pipeline.nlp.model import NER_LABELS
from pipeline.nlp.names import entity_key
from pipeline.sources.clean import clean
from tests.conftest import SEEDS
from tests.utils import doc_rows


def test_offsets_slice_back_on_every_seed(nlp) -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        body = clean(path.read_text(encoding="utf-8")).body
        sentences, mentions, n_tokens = doc_rows(nlp(body), "a1")
        assert sentences and mentions and n_tokens > 100
        for row in sentences + mentions:
            assert body[row["start_char"] : row["end_char"]] == row["text"]
        assert [s["sentence_idx"] for s in sentences] == list(range(len(sentences)))
        for m in mentions:
            sentence = sentences[m["sentence_idx"]]
            assert sentence["start_char"] <= m["start_char"] < sentence["end_char"]  # the sentence it starts in
            assert m["label"] in NER_LABELS


def test_paragraph_break_ends_a_sentence(nlp) -> None:
    body = "The analyst told The Washington Post\n\nAccording to the analyst, the plan may change."
    sentences, _, _ = doc_rows(nlp(body), "a1")
    assert [s["text"] for s in sentences] == [
        "The analyst told The Washington Post",
        "According to the analyst, the plan may change.",
    ]


def test_entity_key_strips_possessive() -> None:
    assert entity_key("Putin’s", "PERSON") == entity_key("Putin", "PERSON") == "person:putin"
    assert entity_key("Vladimir Putin's", "PERSON") == "person:vladimir_putin"


def test_verb_lemmas_match_the_full_lemmatizer(nlp) -> None:
    """The pipeline runs a verb-only lemmatizer; where extractors read lemmas they are the model's own."""
    import spacy

    assert "verb_lemmatizer" in nlp.pipe_names and "lemmatizer" in nlp.disabled
    full = spacy.load(DEFAULT_MODEL)
    body = clean((SEEDS / sorted(p.name for p in SEEDS.glob("*.txt"))[0]).read_text(encoding="utf-8")).body
    ours, theirs = nlp(body), full(body)
    verbs = [(a.text, a.lemma_, b.lemma_) for a, b in zip(ours, theirs) if a.pos_ in {"VERB", "AUX"}]
    assert len(verbs) > 50
    assert all(mine == model for _, mine, model in verbs), [v for v in verbs if v[1] != v[2]][:5]
    said = [t for t in nlp("Officials said the talks failed, and he told reporters so.") if t.pos_ == "VERB"]
    assert [t.lemma_ for t in said] == ["say", "fail", "tell"]


def test_long_text_is_parsed_in_chunks_with_exact_offsets(nlp) -> None:
    from pipeline.enrich import chunk_bounds, parse_long

    paragraph = "Officials in Kyiv said on Saturday that Ukrainian troops had advanced near Sudzha. " * 6
    body = "\n\n".join([paragraph.strip()] * 400) + " " + "x" * 50  # about 200,000 characters
    bounds = chunk_bounds(body, 60_000)
    assert "".join(body[a:b] for a, b in bounds) == body
    assert all(b - a <= 60_000 for a, b in bounds) and len(bounds) >= 4
    assert all(body[b - 2 : b] == "\n\n" for _, b in bounds[:-1])  # cut at paragraph breaks
    doc = parse_long(nlp, body)
    assert doc.text == body
    sentences, mentions, _ = doc_rows(doc, "a1")
    assert len(sentences) >= 2400 and mentions
    for row in sentences[-5:] + mentions[-5:]:
        assert body[row["start_char"] : row["end_char"]] == row["text"]


def test_text_without_breaks_is_cut_at_spaces_or_hard() -> None:
    from pipeline.enrich import chunk_bounds

    words = "word " * 30_000
    assert all(words[b - 1] == " " for _, b in chunk_bounds(words, 10_000)[:-1])
    solid = "x" * 25_000
    assert chunk_bounds(solid, 10_000) == [(0, 10_000), (10_000, 20_000), (20_000, 25_000)]


def _mentions(nlp, body: str, tagged: tuple[tuple[str, str], ...], in_order: bool = False) -> list[dict]:
    """The mention rows of ``body`` when the model tags exactly ``tagged`` (text, label), each where it
    first occurs (``in_order``: where it is first written whole, not inside a hyphenated word, after the one before)."""
    doc, at, spans = nlp(body), 0, []
    for written, label in tagged:
        start = re.compile(rf"(?<![\w-]){re.escape(written)}(?![\w-])").search(body, at).start() if in_order else body.index(written)
        spans.append(doc.char_span(start, start + len(written), label=label))
        at = start + len(written)
    doc.ents = spans
    return doc_rows(doc, "a1")[1]


def _tagged(nlp, body: str, tagged: tuple[tuple[str, str], ...]) -> list[str]:
    """The mentions' texts of ``body`` when the model tags exactly ``tagged`` (see :func:`_mentions`)."""
    return [m["text"] for m in _mentions(nlp, body, tagged)]


def _ids(nlp, body: str) -> dict[str, str]:
    """Each mention's text → its entity id, for one article."""
    _, mentions, _ = doc_rows(nlp(body), "a1")
    return {m["text"]: m["entity_id"] for m in mentions}


def test_well_known_acronyms_and_aliases_share_the_long_form_id(nlp) -> None:
    body = ("The United Nations met on Monday. The U.N. envoy said North Korea must talk. "
            "Officials in the DPRK refused, and the United States and America's allies in the UK waited.")
    ids = _ids(nlp, body)
    assert ids["United Nations"] == ids["U.N."] == "org:united_nations"
    assert ids["North Korea"] == ids["DPRK"] == "gpe:north_korea"
    assert ids["United States"] == ids["America"] == "gpe:united_states"
    assert ids["UK"] == "gpe:united_kingdom"
    # a well-known acronym's long form, written out with or without the acronym defined after it
    ids = _ids(nlp, "The North Atlantic Treaty Organization (NATO) met. Nato will grow, the North Atlantic Treaty Organisation said.")
    assert ids["North Atlantic Treaty Organization"] == ids["NATO"] == ids["Nato"] == ids["North Atlantic Treaty Organisation"] == "org:nato"
    ids = _ids(nlp, "Albania chairs the Organization for Security and Cooperation in Europe (OSCE) this year.")
    assert ids["Organization for Security and Cooperation in Europe"] == ids["OSCE"] == "org:osce"
    # "America" is the United States, not inside the name of a continent or a region
    ids = _ids(nlp, "Exports to Latin America and South America rose, America said.")
    assert ids["Latin America"] == "loc:latin_america" and ids["South America"] == "loc:south_america"
    assert ids["America"] == "gpe:united_states"
    # agencies, services and groups news names by an acronym that is not their initials, or on its own
    body = ("Russia's Federal Security Service said the FSB had detained two men. ISIS claimed the attack; "
            "Islamic State fighters fled. The IMF and the International Monetary Fund's staff agreed, "
            "as did the US Federal Reserve, and the Federal Reserve kept rates on hold. Fed up, traders left.")
    ids = _ids(nlp, body)
    assert ids["FSB"] == ids["Russia's Federal Security Service"] == "org:fsb"
    assert ids["ISIS"] == ids["Islamic State"] == "org:islamic_state"
    assert ids["IMF"] == ids["International Monetary Fund"] == "org:international_monetary_fund"
    assert ids["US Federal Reserve"] == ids["Federal Reserve"] == "org:federal_reserve"
    assert "Fed" not in ids  # "Fed up" is no bank
    # headlines' short forms of the two Koreas
    ids = _ids(nlp, "N. Korea fires missile over Japan, S. Korea says")
    assert ids["N. Korea"] == "gpe:north_korea" and ids["S. Korea"] == "gpe:south_korea"
    # a city and its state are one place the reference lists know, whichever way it is written
    ids = _ids(nlp, "The rally in Washington, D.C. drew thousands. Later, officials in Washington DC said more.")
    assert ids["Washington, D.C."] == ids["Washington DC"] == "gpe:washington_dc"


def test_a_body_name_the_model_leaves_untagged_after_a_known_place_is_one_organisation(nlp) -> None:
    """Handed "UK" or "UN" by the entity ruler, the model often tags nothing after it: "Film Council"
    and "Security Council" were lost, and US Airways counted as the United States."""
    body = ("The UK Film Council gave money. The UN Security Council met, and the Security Council voted. "
            "US Airways filed for bankruptcy. The US Department of Homeland Security and the Scottish Executive agreed.")
    ids = _ids(nlp, body)
    assert ids["UK Film Council"] == "org:united_kingdom_film_council" and ids["US Airways"] == "org:united_states_airways"
    assert ids["UN Security Council"] == ids["the Security Council"] == "org:united_nations_security_council"
    assert ids["US Department of Homeland Security"] == "org:united_states_department_of_homeland_security"
    assert ids["Scottish Executive"] == "org:scottish_executive"
    assert not {"UK", "UN", "US", "Scottish"} & ids.keys()
    # a person's title after the place is no body: the place stays, the title is no name
    ids = _ids(nlp, "Italian Prime Minister Silvio Berlusconi arrived.")
    assert ids["Italian"] == "norp:italian" and "Italian Prime Minister" not in ids
    # after a body the lists know by its full name, two words name a body of its own, one is that body's
    ids = _ids(nlp, "The United Nations General Assembly voted, and Madame Tussauds Museum reopened.")
    assert ids["United Nations General Assembly"] == "org:united_nations_general_assembly"
    assert "Madame Tussauds Museum" not in ids
    # outlets that write the place's initials with dots name the same body
    ids = _ids(nlp, "The U.S. Air Force and the U.N. Security Council acted.")
    assert ids["U.S. Air Force"] == "org:united_states_air_force" and ids["U.N. Security Council"] == "org:united_nations_security_council"


def test_a_body_is_one_id_whether_its_name_starts_with_the_initials_or_the_name_of_a_known_place(nlp) -> None:
    """"UN Security Council", "U.N. Security Council" and "United Nations Security Council" are one body,
    in one article (its short "the Security Council" then stands for it, as it did for none of two ids)
    and across the outlets of a story, which write one spelling each."""
    body = ("The UN Security Council met on Monday. Diplomats at the United Nations Security Council said the "
            "U.N. Security Council would vote, and the Security Council did.")
    ids = _ids(nlp, body)
    assert ids["UN Security Council"] == ids["United Nations Security Council"] == ids["U.N. Security Council"]
    assert ids["the Security Council"] == ids["UN Security Council"] == "org:united_nations_security_council"
    congress = {_ids(nlp, f"The {name} passed the bill on Monday.")[name] for name in ("US Congress", "U.S. Congress", "United States Congress")}
    assert congress == {"org:united_states_congress"}
    # the long forms come from the aliases that are the initials of their canonical name: not "USA"
    # (United States) nor "NATO" (its canonical name is NATO)
    long_forms = nlp.vocab.lookups.get_table(REFERENCE_LONG_FORMS)
    assert long_forms.get("UN") == "United Nations" and long_forms.get("US") == "United States"
    assert "USA" not in long_forms and "NATO" not in long_forms
    assert id_spelling("USA Today", "ORG", long_forms) == "USA Today"
    assert id_spelling("the U.K. Film Council", "ORG", long_forms) == "the United Kingdom Film Council"
    assert id_spelling("US Smith", "PERSON", long_forms) == "US Smith"  # a person's name is as written


def test_a_body_named_for_a_place_the_reference_lists_know_is_one_name(nlp) -> None:
    """The entity ruler hands the model "America", "China", "UK"; the bodies named for them stay whole,
    so Bank of America and Bank of China are two banks, not one ``org:bank`` beside two countries."""
    body = ("Bank of America and Bank of China both lent money. The Motion Picture Association of America (MPAA) "
            "sued, and the MPAA won. The UK Independence Party and the US Anti-Doping Agency objected. "
            "The US Securities and Exchange Commission fined the firm; the SEC said so.")
    ids = _ids(nlp, body)
    assert ids["Bank of America"] == "org:bank_of_america" and ids["Bank of China"] == "org:bank_of_china"
    assert ids["The Motion Picture Association of America"] == ids["MPAA"] == "org:motion_picture_association_of_america"
    assert ids["UK Independence Party"] == "org:united_kingdom_independence_party"
    assert ids["US Anti-Doping Agency"] == "org:united_states_anti_doping_agency"
    assert ids["US Securities and Exchange Commission"] == ids["SEC"]  # the initials after the country
    assert not {"Bank", "America", "China", "UK", "US"} & ids.keys()
    # two names side by side, or a place after a possessive, stay apart
    ids = _ids(nlp, "Russia WTO talks stall. Screen International's US box office figures rose.")
    assert ids["Russia"] == "gpe:russia" and ids["US"] == "gpe:united_states"
    # the long form of North Korea's name is North Korea, not the Republic of Korea inside it
    ids = _ids(nlp, "The Democratic People’s Republic of Korea fired a missile, the Republic of Korea said.")
    assert ids["Democratic People’s Republic of Korea"] == "gpe:north_korea"
    assert ids["Republic of Korea"] == "gpe:south_korea"


def test_a_rank_before_a_name_leaves_one_id_for_the_person(nlp) -> None:
    ids = _ids(nlp, "Augusto Pinochet ruled Chile until 1990. Critics said Gen Pinochet should face trial.")
    mention = next(text for text in ids if text.endswith("Pinochet") and text != "Augusto Pinochet")
    assert mention == "Pinochet" and ids[mention] == ids["Augusto Pinochet"] == "person:augusto_pinochet"


def test_a_region_of_a_place_is_a_place_of_its_own(nlp) -> None:
    body = ("Fighting spread across southern Russia on Monday. Russia said its troops held the line, "
            "and refugees from central Iran reached Iran's border towns.")
    _, mentions, _ = doc_rows(nlp(body), "a1")
    ids = {m["text"]: m["entity_id"] for m in mentions}
    assert ids["southern Russia"] != ids["Russia"] and ids["southern Russia"].endswith("southern_russia")
    assert ids["central Iran"] == "gpe:central_iran" and "Iran" not in {m["text"] for m in mentions if m["start_char"] < body.index("reached")}


def test_an_acronym_the_text_defines_as_a_thing_is_no_entity(nlp) -> None:
    body = ("The survey found that the purchasing manager index (PMI) fell to 51.7 in March. "
            "The PMI is watched by the Bank of England.")
    _, mentions, _ = doc_rows(nlp(body), "a1")
    assert "PMI" not in {m["text"] for m in mentions}
    assert "the Bank of England" in {m["text"] for m in mentions}


def test_a_term_of_the_reference_lists_is_no_entity(nlp) -> None:
    # the small model tags these abbreviations of things and titles as organisations or people
    body = ("The vote is due at 1900 GMT on Tuesday. MPs backed the bill by 300 votes. Shops will use RFID tags "
            "to track stock, Tesco said. Half of those phones use GPRS. The singer topped the R&B charts.")
    _, mentions, _ = doc_rows(nlp(body), "a1")
    found = {m["text"] for m in mentions}
    assert not found & {"GMT", "MPs", "GPRS", "RFID", "R&B"}
    assert "Tesco" in found


def test_a_name_the_model_ends_with_of_or_a_dash_ends_before_it(nlp) -> None:
    from spacy.tokens import Span

    doc = nlp("Patrick Leopold Gordon of Auchleuchries served the tsar - and Patrick Gordon, who died in Moscow, wrote.")
    words = [t.text for t in doc]
    second = words.index("Patrick", 1)
    # the spans the small model sometimes gives: a trailing "of", a trailing ", who"
    doc.ents = [Span(doc, 0, 4, label="PERSON"), Span(doc, second, second + 4, label="PERSON"),  # "Patrick Gordon, who"
                Span(doc, words.index("Moscow"), words.index("Moscow") + 1, label="GPE")]
    _, mentions, _ = doc_rows(doc, "a1")
    people = [(m["text"], m["entity_id"]) for m in mentions if m["label"] == "PERSON"]
    assert people == [("Patrick Leopold Gordon", "person:patrick_leopold_gordon"), ("Patrick Gordon", "person:patrick_leopold_gordon")]


def test_two_names_the_model_runs_together_are_two_mentions(nlp) -> None:
    body = ("Leeds v Saracens was called off, and Clyde 0-5 Celtic ended the tie. Clive Griffiths - Wales' coach - "
            "picked Tom Shanklin (Blues and Wales 13-12 won. The World Health Organisation (WHO) and Roe v. Wade.")
    doc = nlp(body)
    spans = []
    for written, label in (("Leeds v Saracens", "PERSON"), ("Clyde 0-5 Celtic", "ORG"), ("Clive Griffiths - Wales'", "PERSON"),
                           ("Tom Shanklin (Blues", "WORK_OF_ART"), ("Wales 13-12", "PERSON"),
                           ("The World Health Organisation (WHO", "ORG"), ("Roe v. Wade", "LAW")):
        start = body.index(written)
        spans.append(doc.char_span(start, start + len(written), label=label))
    doc.ents = spans
    _, mentions, _ = doc_rows(doc, "a1")
    ids = {m["text"]: m["entity_id"] for m in mentions}
    # the spans the small model gives a fixture, a dash and an open bracket: one mention per name
    assert [m["text"] for m in mentions] == ["Leeds", "Saracens", "Clyde", "Celtic", "Clive Griffiths", "Wales'",
                                             "Tom Shanklin", "Blues", "Wales", "The World Health Organisation", "WHO", "Roe v. Wade"]
    assert ids["Wales"] == ids["Wales'"] != ids["Clive Griffiths"] == "person:clive_griffiths"
    assert ids["WHO"] == ids["The World Health Organisation"] == "org:world_health_organisation"
    assert ids["Leeds"] == "person:leeds" and ids["Saracens"] == "org:saracens"  # two ids (a club word makes a body)
    # people the model ran into one person, places into one place, names either side of a slash
    body = ("Carragher and Brown scored, as did Martin Luther King, Jr. in Algoa Bay, Cape of Good Hope; "
            "Newsmax / Zogby polled Marks & Spencer.")
    doc = nlp(body)
    doc.ents = [doc.char_span(body.index(written), body.index(written) + len(written), label=label)
                for written, label in (("Carragher and Brown", "PERSON"), ("Martin Luther King, Jr.", "PERSON"),
                                       ("Algoa Bay, Cape of Good Hope", "GPE"), ("Newsmax / Zogby", "ORG"),
                                       ("Marks & Spencer", "ORG"))]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [m["text"] for m in mentions] == ["Carragher", "Brown", "Martin Luther King, Jr.", "Algoa Bay", "Cape of Good Hope",
                                             "Newsmax", "Zogby", "Marks & Spencer"]


def test_a_match_report_s_minute_after_a_player_s_surname_is_no_part_of_the_name(nlp) -> None:
    body = ("James Grady scored twice and Stevie Crawford once. The Jackson 5 sang and Michael Jackson danced.\n\n"
            "Goals: Grady 29, Crawford 41, Grady 47. Halo 2 sold well.")
    doc = nlp(body)
    doc.ents = [doc.char_span(body.index(written), body.index(written) + len(written), label=label)
                for written, label in (("James Grady", "PERSON"), ("Stevie Crawford", "PERSON"), ("Jackson 5", "ORG"),
                                       ("Michael Jackson", "PERSON"), ("Grady 29", "LAW"), ("Crawford 41", "ORG"),
                                       ("Halo 2", "LAW"))]
    _, mentions, _ = doc_rows(doc, "a1")
    found = [(m["text"], m["entity_id"]) for m in mentions]
    assert ("Grady", "person:james_grady") in found and ("Crawford", "person:stevie_crawford") in found
    # a band's name and a title whose word ends no person's full name keep their number
    assert ("Jackson 5", "org:jackson_5") in found and ("Halo 2", "law:halo_2") in found


def test_a_word_a_headline_puts_before_a_name_is_no_part_of_it(nlp) -> None:
    body = ("Sprinter Walker quits\n\nScottish sprinter Dougie Walker has retired. Walker said he was tired.\n\n"
            "Carlos Moya won on Sunday. Moya beat Marat Safin. Rapper Eminem sang. Then Eminem left.\n\n"
            "Hunter Davies wrote it. Davies is 70. Brother Roger prayed. Roger smiled.")
    doc = nlp(body)
    doc.ents = [doc.char_span(start, start + len(written), label="PERSON")
                for written, start in (("Sprinter Walker", 0), ("Dougie Walker", body.index("Dougie")),
                                       ("Walker", body.index("Walker said")), ("Carlos Moya", body.index("Carlos")),
                                       ("Moya", body.index("Moya beat")), ("Marat Safin", body.index("Marat")),
                                       ("Rapper Eminem", body.index("Rapper")), ("Eminem", body.index("Eminem left")),
                                       ("Hunter Davies", body.index("Hunter")), ("Davies", body.index("Davies is")),
                                       ("Brother Roger", body.index("Brother")), ("Roger", body.index("Roger smiled")))]
    _, mentions, _ = doc_rows(doc, "a1")
    found = [(m["text"], m["entity_id"]) for m in mentions]
    # a role (a noun made of a verb) at a sentence's start is left out: the headline's Walker is Dougie Walker
    assert found[0] == ("Walker", "person:dougie_walker") and ("Eminem", "person:eminem") in found
    # a given name that is also a word in the model's lists (WordNet holds "carlos", "marat" and "hunter") stays
    assert ("Carlos Moya", "person:carlos_moya") in found and ("Marat Safin", "person:marat_safin") in found
    assert ("Hunter Davies", "person:hunter_davies") in found
    assert ("Brother Roger", "person:brother_roger") in found  # a title is part of how the name is written
    assert ("Moya", "person:carlos_moya") in found
    # a noun for one who does something, of a noun ending in "y" (comedy, history)
    ids = _ids(nlp, "Comedian Sarah Silverman announced on Monday that she had split from Michael Sheen. "
                    "Sheen is an actor. Sarah Silverman wrote on Twitter, and Silverman laughed.")
    assert "Comedian Sarah Silverman" not in ids and ids["Silverman"] == ids["Sarah Silverman"] == "person:sarah_silverman"
    # also before a possessive ("Sprinter Walker's")
    body = "Sprinter Walker's farewell\n\nScottish sprinter Dougie Walker has retired. Walker said he was tired."
    doc = nlp(body)
    doc.ents = [doc.char_span(start, start + len(written), label="PERSON")
                for written, start in (("Sprinter Walker's", 0), ("Dougie Walker", body.index("Dougie")), ("Walker", body.index("Walker said")))]
    _, mentions, _ = doc_rows(doc, "a1")
    assert (mentions[0]["text"], mentions[0]["entity_id"]) == ("Walker's", "person:dougie_walker")


def test_a_dash_the_model_takes_into_a_name_is_no_part_of_it(nlp) -> None:
    """A headline's "Abortion not a poll issue - Blair": the mention is "Blair", Tony Blair, so "Mr Blair"
    of the story is him too (a "- Blair" of its own made the surname stand for two names)."""
    body = "Abortion not a poll issue - Blair\n\nTony Blair does not believe it. Mr Blair's spokesman said so."
    doc = nlp(body)
    doc.ents = [doc.char_span(start, start + len(written), label="PERSON")
                for written, start in (("- Blair", body.index("- Blair")), ("Tony Blair", body.index("Tony")),
                                       ("Blair's", body.index("Blair's")))]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [(m["text"], m["entity_id"]) for m in mentions] == [
        ("Blair", "person:tony_blair"), ("Tony Blair", "person:tony_blair"), ("Blair's", "person:tony_blair")]


def test_a_span_without_a_capital_is_no_name(nlp) -> None:
    body = "The metro of Kyiv runs to the west coast, and plasma screens show the BBC's eBay story about 3M and the 49ers today."
    tagged = (("metro", "GPE"), ("Kyiv", "GPE"), ("the west coast", "LOC"), ("plasma screens", "PERSON"),
              ("BBC", "ORG"), ("eBay", "ORG"), ("3M", "ORG"), ("49ers", "ORG"))
    assert _tagged(nlp, body, tagged) == ["Kyiv", "BBC", "eBay", "3M", "49ers"]  # a digit makes a name too


def test_a_headline_s_capitalised_adjective_is_no_name_where_the_article_writes_it_in_lower_case(nlp) -> None:
    """"Broadband fuels online shopping" (the model tagged "Broadband" a place in 29 BBC articles), "Digital
    music sales soar": an English word that is never a noun, which the story writes in lower case too, is
    no name; "United" (a club) and an adjective the article never writes in lower case stay."""
    body = "Broadband fuels online shopping\n\nMore homes have broadband. Digital sales rose. United won against a united side. Paramount said digital films sell."
    tagged = (("Broadband", "GPE"), ("Digital", "ORG"), ("United", "ORG"), ("Paramount", "ORG"))
    assert _tagged(nlp, body, tagged) == ["United", "Paramount"]


def test_a_sum_in_a_currency_s_code_and_a_lone_jr_are_no_names(nlp) -> None:
    """The model calls "DKK" of "825 DKK" and "MXN 250" organisations; beside a number a currency's code
    is money. The code alone ("the CAD rose") and a bank's name stay; so does "Jr." inside a name."""
    body = "Rooms cost 825 DKK or MXN 250. The CAD rose at Danske Bank. Iván DeJesús, Jr. and Martin Luther King Jr. came."
    tagged = (("DKK", "ORG"), ("MXN 250", "ORG"), ("CAD", "ORG"), ("Danske Bank", "ORG"),
              ("Iván DeJesús", "PERSON"), ("Jr.", "PERSON"), ("Martin Luther King Jr.", "PERSON"))
    assert _tagged(nlp, body, tagged) == ["CAD", "Danske Bank", "Iván DeJesús", "Martin Luther King Jr."]


def test_a_prefix_cut_off_a_compound_or_a_web_address_is_no_name(nlp) -> None:
    """Seed 002's "Pro-Kremlin political analyst": the model tagged "Pro-" a person."""
    body = "Pro-Kremlin analyst Sergei Markov spoke. Non-EU citizens and Tages-Anzeiger readers waited."
    tagged = (("Pro-", "PERSON"), ("Kremlin", "ORG"), ("Sergei Markov", "PERSON"), ("Non-", "ORG"),
              ("EU", "ORG"), ("Tages-Anzeiger", "ORG"))
    assert _tagged(nlp, body, tagged) == ["Kremlin", "Sergei Markov", "EU", "Tages-Anzeiger"]
    # nor is a web address the model calls a body
    body = "Read or Share this story: https://usat.ly/2FDg8kl and www.example.com/report from USA Today."
    tagged = tuple((written, "ORG") for written in ("https://usat.ly/2FDg8kl", "www.example.com/report", "USA Today"))
    assert _tagged(nlp, body, tagged) == ["USA Today"]


def test_press_of_a_press_secretary_is_no_part_of_the_body_s_name(nlp) -> None:
    """Seed 002's "Deputy Pentagon Press Secretary Sabrina Singh": the model tags "Pentagon Press"."""
    ids = _ids(nlp, "Deputy Pentagon Press Secretary Sabrina Singh said so. The Associated Press reported it.")
    assert ids["Pentagon"] == "org:pentagon" and "Pentagon Press" not in ids
    assert ids["The Associated Press"] == "org:associated_press"  # a name that ends in "Press" keeps it


def test_a_surname_the_model_leaves_out_of_a_person_s_name_is_part_of_it(nlp) -> None:
    """The model tags "Johnny" of "Johnny Depp"; the surname after it, no English word (or a surname
    that is English only as a verb, "Heal"), belongs to the name. A word ("MP"), or the first words
    of a longer name ("Jack Alter Fort" + "Lee Community Center"), do not."""
    body = ("The film stars Johnny Depp, who met Sylvia Heal in Parliament. Frank Field MP spoke. "
            "They ate at the Jack Alter Fort Lee Community Center. Sam Bloggs Enterprises said so.")
    doc = nlp(body)
    doc.ents = [doc.char_span(body.index(written), body.index(written) + len(written), label="PERSON")
                for written in ("Johnny", "Sylvia", "Frank Field", "Jack Alter Fort", "Sam Bloggs")]
    _, mentions, _ = doc_rows(doc, "a1")
    names = [m["text"] for m in mentions if m["label"] == "PERSON"]
    assert names == ["Johnny Depp", "Sylvia Heal", "Frank Field", "Jack Alter Fort", "Sam Bloggs"]


def test_a_name_the_article_introduces_as_a_work_s_title_is_a_work_of_art(nlp) -> None:
    """The model calls film titles places, bodies and people ("Sideways" a place, "Vera Drake" an
    organisation); once the article writes "the comedy Sideways", every "Sideways" is the film."""
    body = ("Sideways leads the race. The comedy Sideways beat Mike Leigh's film Vera Drake, and Vera Drake lost. "
            "Hundreds vie for the best film Oscar. He toured Egypt after his album Egypt came out.\n\n"
            "Ray Charles died. The biopic Ray won.")
    doc = nlp(body)
    spans = [("Sideways", 0), ("Sideways", body.index("Sideways beat")), ("Mike Leigh", body.index("Mike")),
             ("Vera Drake", body.index("Vera Drake,")), ("Vera Drake", body.index("Vera Drake lost")),
             ("Oscar", body.index("Oscar")), ("Egypt", body.index("Egypt after")), ("Egypt", body.index("Egypt came")),
             ("Ray Charles", body.index("Ray Charles")), ("Ray", body.index("Ray won"))]
    doc.ents = [doc.char_span(start, start + len(written), label=label) for (written, start), label in
                zip(spans, ("GPE", "GPE", "PERSON", "ORG", "ORG", "PERSON", "GPE", "GPE", "PERSON", "PERSON"))]
    _, mentions, _ = doc_rows(doc, "a1")
    ids = [(m["text"], m["entity_id"]) for m in mentions]
    assert ids[:5] == [("Sideways", "work_of_art:sideways")] * 2 + [("Mike Leigh", "person:mike_leigh")] + [
        ("Vera Drake", "work_of_art:vera_drake")] * 2
    assert ("Oscar", "person:oscar") in ids  # an award's category, not a title
    assert ("Egypt", "gpe:egypt") in ids  # a country stays a place where the text does not make it a title
    assert ("Ray", "work_of_art:ray") in ids and ("Ray Charles", "person:ray_charles") in ids


def test_the_first_word_of_a_minister_s_or_secretary_s_office_is_no_body(nlp) -> None:
    """BBC's "Home Secretary Charles Clarke": the model tags "Home" an organisation (22 BBC mentions)."""
    body = "Home Secretary Charles Clarke met Defence Minister Geoff Hoon at the Home Office. UKIP Secretary Bob Smith came."
    tagged = (("Home", "ORG"), ("Charles Clarke", "PERSON"), ("Defence", "ORG"), ("Geoff Hoon", "PERSON"),
              ("Home Office", "ORG"), ("UKIP", "ORG"), ("Bob Smith", "PERSON"))
    assert _tagged(nlp, body, tagged) == ["Charles Clarke", "Geoff Hoon", "Home Office", "UKIP", "Bob Smith"]


def test_words_the_model_puts_before_a_name_and_a_role_on_its_own_are_no_part_of_names(nlp) -> None:
    from spacy.tokens import Span

    doc = nlp("The magician David Gish met F. W. de Klerk in united Germany. Thank you, Chair, said Gish.")
    words = [t.text for t in doc]

    def span(first: str, last: str, label: str) -> Span:
        return Span(doc, words.index(first), words.index(last) + 1, label=label)

    doc.ents = [span("magician", "Gish", "PERSON"), span("de", "Klerk", "PERSON"), span("united", "Germany", "GPE"),
                span("Chair", "Chair", "PERSON")]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [(m["text"], m["entity_id"]) for m in mentions] == [
        ("David Gish", "person:david_gish"), ("de Klerk", "person:de_klerk"), ("Germany", "gpe:germany"),
        ("Gish", "person:david_gish"),  # the surname repeated, found by the article's own names
    ]


def test_the_end_of_an_office_is_no_organisation(nlp) -> None:
    from spacy.tokens import Span

    doc = nlp("Secretary of State Antony Blinken met the Minister of Health and officials of Ukraine.")
    words = [t.text for t in doc]
    doc.ents = [Span(doc, words.index("State"), words.index("State") + 1, label="ORG"),
                Span(doc, words.index("Antony"), words.index("Blinken") + 1, label="PERSON"),
                Span(doc, words.index("Health"), words.index("Health") + 1, label="ORG"),
                Span(doc, words.index("Ukraine"), words.index("Ukraine") + 1, label="GPE")]
    _, mentions, _ = doc_rows(doc, "a1")
    # "of Ukraine" after "officials" is a place, not an office's end
    assert [m["text"] for m in mentions] == ["Antony Blinken", "Ukraine"]


def test_every_mention_of_an_entity_carries_its_label(nlp) -> None:
    from spacy.tokens import Span

    doc = nlp("Zaha Hadid was born in Baghdad. Hadid studied in Beirut. Hadid moved to London, where Hadid worked.")
    hadid = [t.i for t in doc if t.text == "Hadid"]
    doc.ents = [Span(doc, 0, 2, label="PERSON"), Span(doc, hadid[1], hadid[1] + 1, label="WORK_OF_ART"),
                Span(doc, hadid[2], hadid[2] + 1, label="PERSON"), Span(doc, hadid[3], hadid[3] + 1, label="ORG")]
    _, mentions, _ = doc_rows(doc, "a1")
    people = [(m["text"], m["label"], m["entity_id"]) for m in mentions if "Hadid" in m["text"]]
    assert people == [("Zaha Hadid", "PERSON", "person:zaha_hadid")] + [("Hadid", "PERSON", "person:zaha_hadid")] * 3


def test_covid_is_the_pandemic_not_a_person_or_an_organisation(nlp) -> None:
    body = "The government said COVID-19 cases rose. Covid-19 vaccines arrived, and COVID rules ended in May."
    _, mentions, _ = doc_rows(nlp(body), "a1")
    covid = [(m["text"], m["label"], m["entity_id"]) for m in mentions if "ovid" in m["text"].lower()]
    assert covid == [("COVID-19", "EVENT", "event:covid_19"), ("Covid-19", "EVENT", "event:covid_19"), ("COVID", "EVENT", "event:covid_19")]


def test_a_named_storm_and_its_name_alone_are_one_event_not_a_person(nlp) -> None:
    body = "Cyclone Phailin hit Odisha on Saturday. Phailin forced the evacuation of 900,000 people, officials said."
    doc = nlp(body)
    assert [(e.text, e.label_) for e in doc.ents if "Phailin" in e.text] == [("Cyclone Phailin", "PERSON"), ("Phailin", "PERSON")]
    _, mentions, _ = doc_rows(doc, "a1")
    storm = [(m["text"], m["label"], m["entity_id"]) for m in mentions if "Phailin" in m["text"]]
    assert storm == [("Cyclone Phailin", "EVENT", "event:cyclone_phailin"), ("Phailin", "EVENT", "event:cyclone_phailin")]


def test_what_the_model_calls_a_person_after_the_is_a_body(nlp) -> None:
    """No one is named with "the" before the name: "the Young Greens" and "the Bee Gees" are a party and a
    band the model tags as people. A cleric's style ("the Rt Rev ...") and "the late ..." stay people."""
    body = "The Young Greens won. Voters of the Young Greens cheered the Bee Gees, the Rt Rev Michael Scott-Joynt and the late John Peel."
    doc = nlp(body)
    spans = [("The Young Greens", 0), ("the Young Greens", body.index("the Young Greens cheered")), ("the Bee Gees", body.index("the Bee")),
             ("the Rt Rev Michael Scott-Joynt", body.index("the Rt")), ("the late John Peel", body.index("the late"))]
    doc.ents = [doc.char_span(start, start + len(written), label="PERSON") for written, start in spans]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [m["entity_id"] for m in mentions] == ["org:young_greens", "org:young_greens", "org:bee_gees",
                                                  "person:rt_rev_michael_scott_joynt", "person:john_peel"]


def test_an_organisation_s_name_does_not_begin_a_person_s_name(nlp) -> None:
    """"Yahoo", mostly an organisation, is no first name of a "Yahoo Messenger" the model calls a
    person; a given name the model calls an organisation ("Kelly") still begins Kelly Holmes's name."""
    body = "Yahoo Messenger grew. Yahoo said so, and Yahoo shares rose. Kelly Holmes won gold. Kelly smiled."
    doc = nlp(body)
    spans = [("Yahoo Messenger", 0, "PERSON"), ("Yahoo", body.index("Yahoo said"), "ORG"), ("Yahoo", body.index("Yahoo shares"), "ORG"),
             ("Kelly Holmes", body.index("Kelly Holmes"), "PERSON"), ("Kelly", body.index("Kelly smiled"), "ORG")]
    doc.ents = [doc.char_span(start, start + len(written), label=label) for written, start, label in spans]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [m["entity_id"] for m in mentions] == ["person:yahoo_messenger", "org:yahoo", "org:yahoo",
                                                  "person:kelly_holmes", "person:kelly_holmes"]


def test_a_person_with_a_number_is_a_person_an_amount_a_body_or_a_product(nlp) -> None:
    """The model calls "Xbox 2", "G8", "280bn" and "Mario Ancic 6-3" people. An age or a score after a
    name is cut off; an amount is a number; letters and digits in one word are a body; the rest a product."""
    body = "Microsoft showed Xbox 2 at the G8 summit. It cost 280bn. Mario Ancic 6-3 beat Natalie Appleton,31, and Williams 1-6,4-6 lost."
    doc = nlp(body)
    written = ("Xbox 2", "G8", "280bn", "Mario Ancic 6-3", "Natalie Appleton,31", "Williams 1-6,4-6")
    doc.ents = [doc.char_span(body.index(w), body.index(w) + len(w), label="PERSON") for w in written]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [(m["text"], m["label"]) for m in mentions] == [
        ("Xbox 2", "PRODUCT"), ("G8", "ORG"), ("280bn", "CARDINAL"), ("Mario Ancic", "PERSON"),
        ("Natalie Appleton", "PERSON"), ("Williams", "PERSON")]


def test_a_club_the_model_calls_a_person_is_a_body(nlp) -> None:
    """"Manchester United" and "Sale Sharks" tagged as people are clubs: ``org:`` ids, and "United"
    after "Manchester United" is the club."""
    body = "Manchester United beat Sale Sharks' neighbours. United won again, Alex Ferguson said."
    doc = nlp(body)
    spans = [("Manchester United", 0), ("Sale Sharks", body.index("Sale")), ("United", body.index("United won")),
             ("Alex Ferguson", body.index("Alex"))]
    doc.ents = [doc.char_span(start, start + len(written), label="PERSON") for written, start in spans]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [m["entity_id"] for m in mentions] == ["org:manchester_united", "org:sale_sharks", "org:manchester_united",
                                                  "person:alex_ferguson"]


def test_a_name_the_article_introduces_as_a_body_s_is_an_organisation(nlp) -> None:
    """"Russian oil giant Yukos" and "the band Keane": the model's people are a company and a band
    wherever their names stand; a film-maker stays a person, and a country stays a place."""
    body = ("Russian oil giant Yukos appealed. Yukos lost. The band Keane played, and Keane won. "
            "The Dutch film maker Theo van Gogh died. The carrier Japan said no. West Bank Palestinians voted.")
    doc = nlp(body)
    spans = [("Yukos", body.index("Yukos appealed"), "PERSON"), ("Yukos", body.index("Yukos lost"), "PERSON"),
             ("Keane", body.index("Keane played"), "PERSON"), ("Keane", body.index("Keane won"), "PERSON"),
             ("Theo van Gogh", body.index("Theo"), "PERSON"), ("Japan", body.index("Japan said"), "PERSON"),
             ("Palestinians", body.index("Palestinians"), "NORP")]
    doc.ents = [doc.char_span(start, start + len(written), label=label) for written, start, label in spans]
    _, mentions, _ = doc_rows(doc, "a1")
    ids = [m["entity_id"] for m in mentions]
    assert ids[:5] == ["org:yukos", "org:yukos", "org:keane", "org:keane", "person:theo_van_gogh"]
    assert not ids[5].startswith("org:")  # a country's name is no body's (the model's label stays)
    assert ids[6] == "norp:palestinians"  # "Bank" of the West Bank is part of a name, no bank


def test_a_nationality_before_a_given_name_is_no_part_of_the_name(nlp) -> None:
    """Sports reports write "beat Briton Tim Henman" and "Kenyan Susan Chepkemei"; the model takes
    the nationality into the person's span. A given name first ("John Paul Jones")
    are not cut."""
    body = "Roddick beat Briton Tim Henman and Kenyan Susan Chepkemei won, as John Paul Jones watched."
    doc = nlp(body)
    doc.ents = [doc.char_span(body.index(w), body.index(w) + len(w), label="PERSON")
                for w in ("Roddick", "Briton Tim Henman", "Kenyan Susan Chepkemei", "John Paul Jones")]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [m["text"] for m in mentions] == ["Roddick", "Tim Henman", "Susan Chepkemei", "John Paul Jones"]


def test_a_place_the_model_calls_a_person_is_a_place(nlp) -> None:
    """A name ending or opening with a place's word is a place, unless a given name opens it: then
    the word is a surname ("Wayne Bridge", "Barbara Castle")."""
    body = ("Fans walked from Trafalgar Square to Fort Lee. Wayne Bridge and Barbara Castle stayed at Lake Tahoe."
            " The Skyforce play in Sioux Falls.")
    doc = nlp(body)
    spans = ["Trafalgar Square", "Fort Lee", "Wayne Bridge", "Barbara Castle", "Lake Tahoe", "Sioux Falls"]
    doc.ents = [doc.char_span(body.index(w), body.index(w) + len(w), label="PERSON") for w in spans]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [(m["text"], m["label"]) for m in mentions] == [
        ("Trafalgar Square", "FAC"), ("Fort Lee", "GPE"), ("Wayne Bridge", "PERSON"), ("Barbara Castle", "PERSON"),
        ("Lake Tahoe", "LOC"), ("Sioux Falls", "GPE")]


def test_a_body_or_building_the_model_calls_a_person_is_no_person(nlp) -> None:
    """A last word that names a kind of body or building makes no person's name after a word that is no
    given name, nor alone where it is no surname: the article's people were "Library" and "Cincinnati Zoo"."""
    body = ("The British Library and the Cincinnati Zoo hired Margaret Court. Library staff met Zoo keepers, "
            "Hall and Rob Da Bank.")
    doc = nlp(body)
    spans = [("British Library", "British"), ("Cincinnati Zoo", "Cincinnati"), ("Margaret Court", "Margaret"),
             ("Library", "Library staff"), ("Zoo", "Zoo keepers"), ("Hall", "Hall"), ("Rob Da Bank", "Rob")]
    doc.ents = [doc.char_span(body.index(at), body.index(at) + len(w), label="PERSON") for w, at in spans]
    _, mentions, _ = doc_rows(doc, "a1")
    labels = {m["text"]: m["label"] for m in mentions}
    assert labels == {"British Library": "ORG", "Cincinnati Zoo": "FAC", "Margaret Court": "PERSON", "Library": "ORG",
                      "Zoo": "FAC", "Hall": "PERSON", "Rob Da Bank": "PERSON"}  # the zoo the article named
    # news media's and labs' names too
    body = "The Cincinnati Enquirer and Common Sense Media cited Pyra Labs."
    doc = nlp(body)
    doc.ents = [doc.char_span(body.index(w), body.index(w) + len(w), label="PERSON") for w in ("Cincinnati Enquirer", "Common Sense Media", "Pyra Labs")]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [m["label"] for m in mentions] == ["ORG", "ORG", "ORG"]


def test_a_capital_inside_a_word_no_person_s_name_has_there_makes_a_company(nlp) -> None:
    body = "SpaceX and GlaxoSmithKline hired Rory McIlroy, Leonardo DiCaprio and DeAndre Hopkins."
    doc = nlp(body)
    spans = ["SpaceX", "GlaxoSmithKline", "Rory McIlroy", "Leonardo DiCaprio", "DeAndre Hopkins"]
    doc.ents = [doc.char_span(body.index(w), body.index(w) + len(w), label="PERSON") for w in spans]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [m["label"] for m in mentions] == ["ORG", "ORG", "PERSON", "PERSON", "PERSON"]


def test_news_agencies_and_platforms_are_known_bodies(nlp) -> None:
    """The reference lists know the agencies and platforms stories cite, by their short forms too."""
    doc = nlp("The Associated Press and Xinhua reported the launch, KCNA said. AP Photo. Twitter users shared it.")
    _, mentions, _ = doc_rows(doc, "a1")
    assert [(m["text"], m["entity_id"]) for m in mentions] == [
        ("The Associated Press", "org:associated_press"), ("Xinhua", "org:xinhua"), ("KCNA", "org:kcna"),
        ("AP", "org:associated_press"), ("Twitter", "org:twitter")]


def test_the_last_syllable_of_a_korean_given_name_is_part_of_the_name(nlp) -> None:
    body = "President Moon Jae-in met Tony Blair-era ministers."
    doc = nlp(body)
    doc.ents = [doc.char_span(body.index("Moon"), body.index("-in"), label="PERSON"),
                doc.char_span(body.index("Tony"), body.index("-era"), label="PERSON")]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [(m["text"], m["entity_id"]) for m in mentions] == [
        ("Moon Jae-in", "person:moon_jae_in"), ("Tony Blair", "person:tony_blair")]


def test_a_verb_of_a_headline_in_capitals_is_no_part_of_a_name(nlp) -> None:
    """A capitalised headline's verb the model takes into a name would give the article's every
    mention of that person a wrong id."""
    doc = nlp("Obama Says African-American Museum Will Tell of Struggle\n\nObama spoke on Saturday.")
    _, mentions, _ = doc_rows(doc, "a1")
    assert [(m["text"], m["entity_id"]) for m in mentions if m["label"] == "PERSON"] == [
        ("Obama", "person:obama"), ("Obama", "person:obama")]


def test_a_name_with_a_nickname_is_one_person_known_by_the_nickname(nlp) -> None:
    """The model cuts 'Robert C. "Bobby" Scott' at the quotation marks; made one, its id is the
    nickname's ("Bobby Scott", as the story then writes), and "Scott" is him, not Tim Scott who comes later."""
    body = ('Rep. Robert C. "Bobby" Scott opened his yard. Scott welcomed guests. "Our senator, Bobby Scott!" '
            "his niece shouted. Sen. Tim Scott disagreed. Scott, 69, is the front-runner.")
    _, mentions, _ = doc_rows(nlp(body), "a1")
    people = [(m["text"], m["entity_id"]) for m in mentions if m["entity_id"].startswith("person:")]
    assert people[0] == ('Robert C. "Bobby" Scott', "person:bobby_scott")
    assert {entity_id for text, entity_id in people if text in ("Scott", "Bobby Scott")} == {"person:bobby_scott"}
    assert ("Tim Scott", "person:tim_scott") in people


def test_a_legal_form_or_an_industry_after_no_given_name_makes_a_company(nlp) -> None:
    body = "Patriot Coal and Leadplex Inc hired Danielle Steel and Rob Da Bank."
    doc = nlp(body)
    spans = ["Patriot Coal", "Leadplex Inc", "Danielle Steel", "Rob Da Bank"]
    doc.ents = [doc.char_span(body.index(w), body.index(w) + len(w), label="PERSON") for w in spans]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [m["label"] for m in mentions] == ["ORG", "ORG", "PERSON", "PERSON"]
    # the company's short name, which the model calls a person, is the company
    body = "A few months earlier, the problem belonged to Patriot Coal. Patriot said it would close its mines."
    _, mentions, _ = doc_rows(nlp(body), "a1")
    assert [(m["text"], m["entity_id"]) for m in mentions if "Patriot" in m["text"]] == [
        ("Patriot Coal", "org:patriot_coal"), ("Patriot", "org:patriot_coal")]


def test_a_surname_the_model_tags_a_group_is_the_person_s(nlp) -> None:
    # "Arians" ends like a people's name ("Christians"): the model tags it NORP
    body = ("Coach Bruce Arians retired on Monday. Arians said the team was ready. The Americans won. "
            "Defense Secretary Jim Mattis spoke. Mattis said so.")
    ids = _ids(nlp, body)
    assert ids["Arians"] == ids["Bruce Arians"] == "person:bruce_arians"
    assert ids["Mattis"] == ids["Jim Mattis"] == "person:jim_mattis"
    assert ids["Americans"] == "norp:americans"  # a people stays a people
    # so does a nationality beside a person of that surname
    ids = _ids(nlp, "Film critic Philip French praised the French film.")
    assert ids["French"] == "norp:french" and ids["Philip French"] == "person:philip_french"


def test_a_photo_credit_s_slash_ends_the_photographer_s_name(nlp) -> None:
    body = ("Kim Jong Un watches the launch. (Mark Schiefelbein/AP) Trump spoke on Monday. "
            "(Matt York/File/Associated Press) Fans cheered. Photo: George Frey/Getty Images")
    ids = _ids(nlp, body)
    assert ids["Mark Schiefelbein"] == "person:mark_schiefelbein" and ids["Matt York"] == "person:matt_york"
    assert ids["George Frey"] == "person:george_frey" and ids["Getty Images"] == "org:getty_images"
    assert not {"File", "Matt York/File/"} & set(ids)


def test_a_quotation_mark_the_model_takes_into_a_name_is_no_part_of_it(nlp) -> None:
    # text that writes quotation marks as two apostrophes; the model's span takes the closing one in
    body = ("Keep the Returns, Trump\n\nMr. Trump has a deal to consider. Hillary Clinton said that Donald Trump "
            "''doesn't want the American people to know.'' Mr. Trump hardly clarified it.")
    ids = _ids(nlp, body)
    assert "Donald Trump ''" not in ids and ids["Donald Trump"] == ids["Trump"] == "person:donald_trump"
    # nor is a prefix that makes an adjective of the name
    ids = _ids(nlp, "Hillary Clinton spoke. The vote seems more anti-Trump than pro-Clinton.")
    assert "pro-Clinton" not in ids and ids["Clinton"] == "person:hillary_clinton"


def test_a_first_name_and_proper_nouns_the_model_left_untagged_are_a_person(nlp) -> None:
    body = ("Roddick into San Jose final\n\nAndy Roddick will play Cyril Saulnier in the final of the SAP Open "
            "in San Jose on Sunday. Roddick won in straight sets.")
    ids = _ids(nlp, body)
    assert ids["Andy Roddick"] == ids["Roddick"] == "person:andy_roddick"
    # common words and plurals after a first name make no person
    ids = _ids(nlp, "Fans of Star Wars and Man Utd cheered as the judges handed out the Jesse Owens Awards.")
    assert not {k for k, v in ids.items() if v.startswith("person:")}


def test_a_name_tagged_with_the_line_break_after_it_is_found_where_the_text_writes_it_again(nlp) -> None:
    """The model sometimes tags a heading's name with the line break after it ("Antonín Dvořák\\n\\n");
    the other places the article writes the name, without that break, are still its mentions."""
    body = ("Composers of Bohemia\n\nAntonín Dvořák\n\nDvořák showed his gifts early. He studied in Prague.\n\n"
            "Antonín Dvořák\n\nDvořák later moved to New York.")
    found = _tagged(nlp, body, (("Antonín Dvořák\n\n", "PERSON"),))
    assert found.count("Antonín Dvořák") == 2


def test_a_name_tagged_with_the_is_found_where_the_text_writes_it_without(nlp) -> None:
    """The model often tags a body with its article ("the Pittsburgh Pirates"); a list or a caption that
    writes the name without it ("Pittsburgh Pirates (2012)") still mentions the body."""
    body = "Holt signed with the Pittsburgh Pirates in 2012 and did well.\n\nTeams\n\nPittsburgh Pirates (2012)\n"
    assert _tagged(nlp, body, (("the Pittsburgh Pirates", "ORG"),)) == ["the Pittsburgh Pirates", "Pittsburgh Pirates"]
    # the model's "the The" (a source's typo) is no name, and leaves none to find at every sentence's start
    body = "He told the The army that day.\n\nThe army went home. The end came."
    assert _tagged(nlp, body, (("the The", "ORG"),)) == []


def test_a_given_name_alone_is_the_one_person_of_the_article_it_opens(nlp) -> None:
    """Interviews and features call people by their first name once they are introduced: "Isabel" after
    "Isabel Ruiz" is her; not where two people share it, nor a month ("May") or a word the article also
    writes in lower case ("Will" beside "will")."""
    body = "Isabel Ruiz founded the studio with Mario Lucero. Isabel said it grew fast."
    doc = nlp(body)
    doc.ents = [doc.char_span(0, len("Isabel Ruiz"), label="PERSON"),
                doc.char_span(body.index("Mario"), body.index("Mario") + len("Mario Lucero"), label="PERSON")]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [(m["text"], m["entity_id"]) for m in mentions if m["text"] == "Isabel"] == [("Isabel", "person:isabel_ruiz")]
    # also when the model tagged none of her name
    doc = nlp(body)
    doc.ents = [doc.char_span(body.index("Mario"), body.index("Mario") + len("Mario Lucero"), label="PERSON")]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [(m["text"], m["entity_id"]) for m in mentions if "Isabel" in m["text"]] == [
        ("Isabel Ruiz", "person:isabel_ruiz"), ("Isabel", "person:isabel_ruiz")]
    body = "Isabel Ruiz met Isabel Allende and May Smith in May. Isabel said so."
    doc = nlp(body)
    doc.ents = [doc.char_span(body.index(w), body.index(w) + len(w), label="PERSON") for w in ("Isabel Ruiz", "Isabel Allende", "May Smith")]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [m["text"] for m in mentions if m["label"] == "PERSON"] == ["Isabel Ruiz", "Isabel Allende", "May Smith"]
    # a club the model calls a person is no given name and surname
    body = "Preston North End won again. Fans said Preston played well."
    doc = nlp(body)
    doc.ents = [doc.char_span(0, len("Preston North End"), label="PERSON")]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [m["text"] for m in mentions] == ["Preston North End"]


def test_a_tag_that_runs_into_a_line_break_counts_less_than_the_text_s(nlp) -> None:
    """A headline's "Wales" the model tagged a body together with the line break after it does not
    outvote the story's place: the other places it writes Wales are the country, not the end of a
    mistagged "BBC Sport Wales"."""
    body = "Double injury blow strikes Wales\n\nWales centre Parker is out. Wales will miss him, he told BBC Sport Wales. Wales lost."
    doc = nlp(body)
    centre = body.index("Wales centre")
    doc.ents = [doc.char_span(body.index("Wales\n"), body.index("Wales\n") + 7, label="ORG"),
                doc.char_span(centre, centre + 5, label="GPE"),
                doc.char_span(body.index("BBC"), body.index("BBC") + len("BBC Sport Wales"), label="PERSON")]
    _, mentions, _ = doc_rows(doc, "a1")
    assert {m["entity_id"] for m in mentions if m["text"] == "Wales"} == {"gpe:wales"}


def test_a_name_run_together_with_its_owner_s_possessive_is_two_names(nlp) -> None:
    """"SpaceX’s Falcon Heavy" tagged as one name split the rocket from its other mentions and lost
    SpaceX; where the article names the owner on its own, the two are the owner and the thing. A brand
    always written with its possessive ("Foster's") owns nothing."""
    body = "SpaceX’s Falcon Heavy lifted off on Tuesday. SpaceX said the Falcon Heavy flew well."
    doc = nlp(body)
    second = body.index("SpaceX said")
    doc.ents = [doc.char_span(0, len("SpaceX’s Falcon Heavy"), label="ORG"), doc.char_span(second, second + 6, label="ORG"),
                doc.char_span(body.index("Falcon Heavy flew"), body.index(" flew"), label="ORG")]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [(m["text"], m["entity_id"]) for m in mentions] == [
        ("SpaceX", "org:spacex"), ("Falcon Heavy", "org:falcon_heavy"), ("SpaceX", "org:spacex"),
        ("Falcon Heavy", "org:falcon_heavy")]
    body = "Foster's Group sold more. Foster's sales rose."
    doc = nlp(body)
    doc.ents = [doc.char_span(0, len("Foster's Group"), label="ORG"),
                doc.char_span(body.index("Foster's sales"), body.index("Foster's sales") + 6, label="ORG")]
    _, mentions, _ = doc_rows(doc, "a1")
    assert mentions[0]["text"] == "Foster's Group"


def test_the_short_name_of_a_country_s_body_may_come_before_its_full_name(nlp) -> None:
    """A speech says "the Senate" long before it names "the U.S. Senate": the body of a country the
    reference lists know by its initials is one id whatever the order. A body named for another
    place keeps the order rule (the short name first is the party, not its local branch)."""
    body = "Vote news\n\nThe Senate voted on Monday. Later the U.S. Senate passed the bill, and the Senate adjourned."
    doc = nlp(body)
    doc.ents = [doc.char_span(body.index("Senate"), body.index("Senate") + 6, label="ORG"), doc.char_span(body.index("U.S."), body.index(" passed"), label="ORG"),
                doc.char_span(body.rindex("Senate"), body.rindex("Senate") + 6, label="ORG")]
    _, mentions, _ = doc_rows(doc, "a1")
    assert {m["entity_id"] for m in mentions if "Senate" in m["text"]} == {"org:united_states_senate"}
    body = "Election news\n\nUKIP won votes. Later Suffolk Coastal UKIP said UKIP would stand."
    doc = nlp(body)
    doc.ents = [doc.char_span(body.index("UKIP"), body.index("UKIP") + 4, label="ORG"), doc.char_span(body.index("Suffolk"), body.index(" said"), label="ORG"),
                doc.char_span(body.rindex("UKIP"), body.rindex("UKIP") + 4, label="ORG")]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [m["entity_id"] for m in mentions] == ["org:ukip", "org:suffolk_coastal_ukip", "org:ukip"]


def test_according_to_a_surname_the_model_calls_a_place_is_the_person(nlp) -> None:
    """"According to Alyukov" attributes a view to Maxim Alyukov (seed 003), which the model tags a
    place; "to" there names no destination, as it does in "flew to Washington"."""
    body = "Maxim Alyukov studies Russia. According to Alyukov, the move was bold. George Washington flew to Washington."
    doc = nlp(body)
    at = body.index("Alyukov,")
    doc.ents = [doc.char_span(0, len("Maxim Alyukov"), label="PERSON"), doc.char_span(at, at + 7, label="GPE"),
                doc.char_span(body.index("George"), body.index(" flew"), label="PERSON"),
                doc.char_span(body.rindex("Washington"), body.rindex("Washington") + 10, label="GPE")]
    _, mentions, _ = doc_rows(doc, "a1")
    ids = [(m["text"], m["entity_id"]) for m in mentions]
    assert ("Alyukov", "person:maxim_alyukov") in ids and ids[-1] == ("Washington", "gpe:washington")


def test_a_double_surname_is_one_name_and_its_first_part_the_same_person(nlp) -> None:
    """"Kilroy-Silk" written again untagged is Robert Kilroy-Silk, not a "Silk" of its own; "Kilroy"
    alone is him too. A first part some full name of the article ends in stays that person's ("Lewis"
    beside "Denise Lewis" and "Mark Lewis-Francis"), and names joined by a hyphen that the article
    names apart stay apart ("the Bush-Cheney campaign")."""
    def rows(body: str, people: list[str]) -> list[tuple[str, str]]:
        mentions = _mentions(nlp, body, tuple((person, "PERSON") for person in people), in_order=True)
        return [(m["text"], m["entity_id"]) for m in mentions if m["label"] == "PERSON"]

    body = "MEP Robert Kilroy-Silk quit the party. Voters said Kilroy-Silk was right. Kilroy has one agenda."
    assert rows(body, ["Robert Kilroy-Silk", "Kilroy"]) == [
        ("Robert Kilroy-Silk", "person:robert_kilroy_silk"), ("Kilroy-Silk", "person:robert_kilroy_silk"),
        ("Kilroy", "person:robert_kilroy_silk")]
    body = "Henin-Hardenne beaten\n\nJustine Henin-Hardenne lost on Sunday. Henin-Hardenne was ill."
    assert rows(body, ["Justine Henin-Hardenne"]) == [("Henin-Hardenne", "person:justine_henin_hardenne")] + [
        ("Justine Henin-Hardenne", "person:justine_henin_hardenne"), ("Henin-Hardenne", "person:justine_henin_hardenne")]
    body = "Denise Lewis and Mark Lewis-Francis ran. Lewis won the heptathlon."
    assert rows(body, ["Denise Lewis", "Mark Lewis-Francis", "Lewis"])[-1] == ("Lewis", "person:denise_lewis")
    body = "George Bush and Dick Cheney spoke. The Bush-Cheney campaign paid."
    assert [text for text, _ in rows(body, ["George Bush", "Dick Cheney"])] == ["George Bush", "Dick Cheney", "Bush", "Cheney"]
    # a double surname the model also tagged on its own is one mention where the text repeats it, not
    # one per surname of the article it holds (the run's unique-span check stopped a benchmark on it)
    body = "Day-Lewis honoured\n\nActor Daniel Day-Lewis won. Mark Lewis-Francis ran. Fans cheered Day-Lewis."
    doc, spans = nlp(body), []
    for name, label in (("Daniel Day-Lewis", "PERSON"), ("Mark Lewis-Francis", "PERSON"), ("Day-Lewis.", "ORG")):
        at = body.index(name)
        spans.append(doc.char_span(at, at + len(name.rstrip(".")), label=label))
    doc.ents = spans
    _, mentions, _ = doc_rows(doc, "a1")
    found = [(m["start_char"], m["end_char"]) for m in mentions]
    assert len(found) == len(set(found)) and all(a[1] <= b[0] for a, b in zip(sorted(found), sorted(found)[1:]))
    assert [m["text"] for m in mentions].count("Day-Lewis") == 2  # the headline's and the last sentence's


def test_a_country_the_model_calls_a_person_is_the_country(nlp) -> None:
    """"when we play Wales on Saturday", "Mauritius v Madagascar": a country's name alone that the model
    tags a person is the country, unless a person of the article bears it ("Chris England") or it is a
    common given name ("Jordan")."""
    def labelled(body: str, people: list[str]) -> list[tuple[str, str, str]]:
        doc = nlp(body)
        doc.ents = [doc.char_span(m.start(), m.end(), label="PERSON") for p in people for m in re.finditer(rf"\b{p}\b", body)]
        _, mentions, _ = doc_rows(doc, "a1")
        return [(m["text"], m["label"], m["entity_id"]) for m in mentions]

    assert labelled("Italy hope to push Ireland close when they meet Wales on Saturday.", ["Wales"]) == [
        ("Wales", "GPE", "gpe:wales")]
    assert [r[1:] for r in labelled("Mauritius v Madagascar\n\nMauritius host the first group.", ["Mauritius", "Madagascar"])] == [
        ("GPE", "gpe:mauritius"), ("GPE", "gpe:madagascar"), ("GPE", "gpe:mauritius")]
    assert labelled("Chris England wrote the play. England said it took a year.", ["Chris England", "(?<!Chris )England"])[-1] == (
        "England", "PERSON", "person:chris_england")
    assert labelled("Jordan said she would sing.", ["Jordan"]) == [("Jordan", "PERSON", "person:jordan")]


def test_a_person_described_by_trade_or_nationality_the_model_calls_a_body_is_the_person(nlp) -> None:
    """"Actress Amber Heard" tagged an organisation, "Frenchman Cyril Saulnier" a building: the person,
    without the description. Bodies that open with such a word stay whole ("Dubai Duty Free",
    "Allied Irish Banks", "Royal Albert Hall", "the British Davis Cup team")."""
    def tagged(body: str, name: str, label: str) -> list[tuple[str, str, str]]:
        return [(m["text"], m["label"], m["entity_id"]) for m in _mentions(nlp, body, ((name, label),))]

    assert tagged("Actress Amber Heard filed for divorce.", "Actress Amber Heard", "ORG") == [
        ("Amber Heard", "PERSON", "person:amber_heard")]
    assert tagged("He beat Frenchman Cyril Saulnier in Memphis.", "Frenchman Cyril Saulnier", "FAC") == [
        ("Cyril Saulnier", "PERSON", "person:cyril_saulnier")]
    for body, name in (("Sales at Dubai Duty Free rose.", "Dubai Duty Free"), ("Allied Irish Banks fell.", "Allied Irish Banks"),
                       ("The Royal Albert Hall was full.", "Royal Albert Hall"), ("The British Davis Cup team lost.", "British Davis Cup")):
        assert [text for text, _, _ in tagged(body, name, "ORG")] == [name]


def test_a_us_state_s_code_after_a_place_and_a_comma_is_the_state(nlp) -> None:
    """Datelines and addresses write states by postal code or AP abbreviation ("Paramus, NJ",
    "Parkland, Fla."): the state, with the id of its name ("New Jersey" of the same article), whatever
    the model called the code. "OK" and "Mass." elsewhere stay what they were."""
    body = "Fort Lee lies between the Paramus, NJ corridor and the river. New Jersey grew. Parkland, Fla. mourned. He said OK at Mass."
    tagged = (("Fort Lee", "GPE"), ("Paramus", "GPE"), ("NJ", "ORG"), ("New Jersey", "GPE"), ("Parkland", "GPE"),
              ("Fla.", "GPE"), ("OK", "ORG"), ("Mass.", "ORG"))
    found = {m["text"]: (m["label"], m["entity_id"]) for m in _mentions(nlp, body, tagged)}
    assert found["NJ"] == found["New Jersey"] == ("GPE", "gpe:new_jersey")
    assert found["Fla."] == ("GPE", "gpe:florida")
    assert found["OK"] == ("ORG", "org:ok") and found["Mass."] == ("ORG", "org:mass")


def test_names_the_model_runs_across_a_verb_are_two_names(nlp) -> None:
    """"Byron composed Thyrza", a headline's "Campbell rescues Arsenal": the names on either side of a
    verb in lower case, each found again where the article repeats it ("Byron" alone). A particle of a
    name stays in it ("Jurgen den Hartog")."""
    body = "In his memory Byron composed Thyrza, a poem. Byron left Harrow. Jurgen den Hartog said so."
    doc = nlp(body)
    doc.ents = [doc.char_span(body.index(w), body.index(w) + len(w), label=label)
                for w, label in (("Byron composed Thyrza", "ORG"), ("Harrow", "GPE"), ("Jurgen den Hartog", "PERSON"))]
    _, mentions, _ = doc_rows(doc, "a1")
    assert [m["text"] for m in mentions] == ["Byron", "Thyrza", "Byron", "Harrow", "Jurgen den Hartog"]
    assert mentions[0]["entity_id"] == mentions[2]["entity_id"]


def test_the_surname_of_a_name_with_a_generational_suffix_is_the_word_before_it(nlp) -> None:
    """"King" after "Martin Luther King Jr." is him, tagged or not, and so is "DeJesús" after "Iván
    DeJesús, Jr.": "Jr." is no surname. A father and a son both named stay apart ("Bush" stands for
    neither "George Bush Sr." nor "George Bush Jr.")."""
    body = "Martin Luther King Jr. spoke in Memphis. King was killed in 1968, and crowds mourned King."
    rows = _mentions(nlp, body, (("Martin Luther King Jr.", "PERSON"), ("Memphis", "GPE")))
    assert [(m["text"], m["entity_id"]) for m in rows if m["label"] == "PERSON"] == [
        ("Martin Luther King Jr.", "person:martin_luther_king_jr"), ("King", "person:martin_luther_king_jr"),
        ("King", "person:martin_luther_king_jr")]
    body = "Crowds mourned King in Memphis, where Martin Luther King Jr. spoke."
    rows = _mentions(nlp, body, (("King", "PERSON"), ("Memphis", "GPE"), ("Martin Luther King Jr.", "PERSON")))
    assert {m["entity_id"] for m in rows if m["label"] == "PERSON"} == {"person:martin_luther_king_jr"}
    body = "The Mets traded Iván DeJesús, Jr. in July. DeJesús hit .300 for the Dodgers."
    rows = _mentions(nlp, body, (("Iván DeJesús, Jr.", "PERSON"), ("Mets", "ORG"), ("Dodgers", "ORG")))
    assert ("DeJesús", "person:iván_dejesús_jr") in [(m["text"], m["entity_id"]) for m in rows]
    body = "Bush said nothing when George Bush Sr. and George Bush Jr. met the press."
    rows = _mentions(nlp, body, (("George Bush Sr.", "PERSON"), ("George Bush Jr.", "PERSON"), ("Bush", "PERSON")))
    assert [m["entity_id"] for m in rows if m["text"] == "Bush"] == ["person:bush"]


def test_the_north_and_the_south_of_a_korea_story_are_the_countries(nlp) -> None:
    """Reports on the Korean peninsula call North Korea "the North" and South Korea "the South"; the
    model tags them as bare directions (``loc:north``). Where the article names one country that
    opens with the word they are that country; where it names none ("the North" of the American
    Civil War, of England) or two, the direction stays as it was."""
    body = "North Korea fired a missile on Tuesday. South Korea said the North had launched it, and the South’s forces were on alert."
    rows = _mentions(nlp, body, (("North Korea", "GPE"), ("South Korea", "GPE"), ("North", "LOC"), ("South’s", "LOC")), in_order=True)
    assert [(m["text"], m["label"], m["entity_id"]) for m in rows] == [
        ("North Korea", "GPE", "gpe:north_korea"), ("South Korea", "GPE", "gpe:south_korea"),
        ("North", "GPE", "gpe:north_korea"), ("South’s", "GPE", "gpe:south_korea")]
    body = "Grant led the armies of the North. Lincoln visited North Carolina after the war."
    rows = _mentions(nlp, body, (("Grant", "PERSON"), ("North", "LOC"), ("Lincoln", "PERSON"), ("North Carolina", "GPE")), in_order=True)
    assert [m["entity_id"] for m in rows if m["text"] == "North"] == ["loc:north"]
    body = "Envoys of North Korea and North Macedonia met in Geneva. Officials of the North said little."
    rows = _mentions(nlp, body, (("North Korea", "GPE"), ("North Macedonia", "GPE"), ("Geneva", "GPE"), ("North", "LOC")), in_order=True)
    assert [m["entity_id"] for m in rows if m["text"] == "North"] == ["loc:north"]
    # a direction with no "the" before it is no country's short name ("North and South Korea")
    body = "Talks between North and South Korea resumed. South Korea hosted them."
    rows = _mentions(nlp, body, (("North", "LOC"), ("South Korea", "GPE")))
    assert [m["entity_id"] for m in rows if m["text"] == "North"] == ["loc:north"]


def test_a_natural_feature_s_name_alone_is_the_feature(nlp) -> None:
    """"Socotra" after "Socotra Island", "Everest" after "Mount Everest": the name without the word
    that makes it a feature's is the feature, whatever the model called it (a person, a body). Not a
    town, a state or a country ("Washington" beside "Lake Washington" stays the city)."""
    body = "Socotra Island lies off Yemen. Socotra has unique trees. Climbers left Mount Everest, and Everest was quiet."
    rows = _mentions(nlp, body, (("Socotra Island", "LOC"), ("Yemen", "GPE"), ("Socotra", "PERSON"),
                                 ("Mount Everest", "LOC"), ("Everest", "ORG")), in_order=True)
    assert [(m["text"], m["label"], m["entity_id"]) for m in rows if m["text"] != "Yemen"] == [
        ("Socotra Island", "LOC", "loc:socotra_island"), ("Socotra", "LOC", "loc:socotra_island"),
        ("Mount Everest", "LOC", "loc:mount_everest"), ("Everest", "LOC", "loc:mount_everest")]
    body = "Rowers crossed Lake Washington. Washington said the water was calm."
    rows = _mentions(nlp, body, (("Lake Washington", "LOC"), ("Washington", "GPE")), in_order=True)
    assert [m["entity_id"] for m in rows] == ["loc:lake_washington", "gpe:washington"]


def test_an_era_after_a_year_is_no_name(nlp) -> None:
    """"3000 BC", "about 500 CE", "AD842": the model tags the era as a body or a place; it is part of
    a date, no name. "BC" that is no era ("Vancouver, BC", "the BC Liberals") stays."""
    body = "The town was founded in 3000 BC and fell about 500 CE. A coin of AD842 and a pot of 1230 B.C. survive. The BC Liberals won."
    rows = _mentions(nlp, body, (("BC", "ORG"), ("CE", "ORG"), ("AD842", "ORG"), ("B.C.", "GPE"), ("BC Liberals", "ORG")),
                     in_order=True)
    assert [m["text"] for m in rows] == ["BC Liberals"]


def test_a_canadian_province_s_code_after_a_place_and_a_comma_is_the_province(nlp) -> None:
    """"Vancouver, B.C.", "Vancouver, BC", "Kingston, Ont.": Canadian datelines write provinces so, as
    American ones write states; the province, whatever the model called it. "BC" of "the BC Liberals"
    stays a body, and so do a degree or a rank after a person's name ("Jane Doe, MD", "John Smith, QC")."""
    body = "The tour opens in Vancouver, B.C., then Kingston, Ont. and Surrey, BC follow. The BC Liberals cheered."
    tagged = (("Vancouver", "GPE"), ("B.C.", "ORG"), ("Kingston", "GPE"), ("Ont.", "ORG"), ("Surrey", "GPE"), ("BC", "ORG"),
              ("BC Liberals", "ORG"))
    rows = _mentions(nlp, body, tagged, in_order=True)
    assert [(m["text"], m["label"], m["entity_id"]) for m in rows if m["text"] in ("B.C.", "BC", "Ont.", "BC Liberals")] == [
        ("B.C.", "GPE", "gpe:british_columbia"), ("Ont.", "GPE", "gpe:ontario"), ("BC", "GPE", "gpe:british_columbia"),
        ("BC Liberals", "ORG", "org:bc_liberals")]
    # after a person's name the letters are a degree or a rank, no state
    body = "Dr. Jane Doe, MD, spoke in Bethesda, MD, with John Smith, QC."
    tagged = (("Jane Doe", "PERSON"), ("MD", "GPE"), ("Bethesda", "GPE"), ("MD", "GPE"), ("John Smith", "PERSON"), ("QC", "ORG"))
    rows = _mentions(nlp, body, tagged, in_order=True)
    assert [m["entity_id"] for m in rows if m["text"] == "MD"] == ["gpe:md", "gpe:maryland"]
    assert "gpe:quebec" not in {m["entity_id"] for m in rows}


def test_an_english_word_that_is_no_noun_opening_a_sentence_is_no_name(nlp) -> None:
    """"Understand, this is new", "Quirky comedy wins": a word that is never a noun, opening a sentence,
    which the model calls a place or a person, is no name where the article never writes it with a
    capital inside a sentence. A census name stays ("Swift" of Taylor Swift), and so do capitals
    ("CARE"), a people's adjective ("Islamic" NORP) and a word the article also writes as a name
    inside a sentence ("the Quirky awards")."""
    body = "Quirky comedy wins prize\n\nUnderstand, this is new. Swift said she would sing. CARE gave aid."
    rows = _mentions(nlp, body, (("Quirky", "PERSON"), ("Understand", "GPE"), ("Swift", "PERSON"), ("CARE", "ORG")))
    assert [m["text"] for m in rows] == ["Swift", "CARE"]
    rows = _mentions(nlp, "Islamic scholars met in Cairo.", (("Islamic", "NORP"), ("Cairo", "GPE")))
    assert [m["text"] for m in rows] == ["Islamic", "Cairo"]
    body = "Quirky comedy wins prize\n\nIt took the Quirky award on Friday."
    rows = _mentions(nlp, body, (("Quirky", "PERSON"),))
    assert [m["text"] for m in rows] == ["Quirky", "Quirky"]


def test_the_authors_of_author_year_citations_are_people(nlp) -> None:
    """Reports of studies cite "(Dye & Bavelier, 2010; Feng, Spence, & Pratt, 2007)" and "Carrano and
    Biewener (1999)": the model tags such lists as one body or leaves them out; each author is a
    person. A film's title and year ("Airport (1970)", "The Jazz Singer (1927)"), a place the model
    tags ("Casablanca (1942)") and a name of the reference lists ("Reuters, 2010") are no authors."""
    body = ("Players improve (Dye & Bavelier, 2010; Feng, Spence, & Pratt, 2007). In Carrano and Biewener (1999) "
            "bones grew (see Makel et al., 2012). Sales rose (Reuters, 2010). Bogart starred in Casablanca (1942), "
            "The Jazz Singer (1927) and Airport (1970).")
    tagged = (("Dye & Bavelier", "ORG"), ("Feng, Spence, & Pratt", "ORG"), ("Carrano", "ORG"), ("Reuters", "ORG"),
              ("Bogart", "PERSON"), ("Casablanca", "GPE"), ("Airport", "ORG"))
    rows = _mentions(nlp, body, tagged)
    assert [(m["text"], m["label"]) for m in rows] == [
        ("Dye", "PERSON"), ("Bavelier", "PERSON"), ("Feng", "PERSON"), ("Spence", "PERSON"), ("Pratt", "PERSON"),
        ("Carrano", "PERSON"), ("Biewener", "PERSON"), ("Makel", "PERSON"), ("Reuters", "ORG"), ("Bogart", "PERSON"),
        ("Casablanca", "GPE"), ("Airport", "ORG")]


def test_awards_festivals_and_championships_are_events(nlp) -> None:
    """The model calls "the Grammy Awards" a person, "the Berlin Film Festival" a building and "the
    Booker Prize" a body; each is an event, and its name less the last word is the same event ("the
    Grammy went to Adele"). A person's full name ("Hans Christian Andersen" of his award), a people
    ("European") and the body that gives an award ("the Academy") stay what they are; "nine awards" is no name."""
    body = ("She won on the Grammy Awards broadcast. The Grammy went to Adele. The Berlin Film Festival and the Booker "
            "Prize followed. Hans Christian Andersen won the Hans Christian Andersen Award. The European Championships "
            "drew European teams. The Academy gave the Academy Awards; he won nine awards.")
    tagged = (("Grammy Awards", "PERSON"), ("Grammy", "WORK_OF_ART"), ("Adele", "PERSON"), ("Berlin Film Festival", "FAC"),
              ("Booker Prize", "ORG"), ("Hans Christian Andersen", "PERSON"), ("Hans Christian Andersen Award", "LAW"),
              ("European Championships", "ORG"), ("European", "NORP"), ("Academy", "ORG"), ("Academy Awards", "ORG"),
              ("nine awards", "CARDINAL"))
    rows = {(m["text"], m["entity_id"]) for m in _mentions(nlp, body, tagged, in_order=True)}
    assert {("Grammy Awards", "event:grammy_awards"), ("Grammy", "event:grammy_awards"),
            ("Berlin Film Festival", "event:berlin_film_festival"), ("Booker Prize", "event:booker_prize"),
            ("Hans Christian Andersen", "person:hans_christian_andersen"),
            ("Hans Christian Andersen Award", "event:hans_christian_andersen_award"),
            ("European Championships", "event:european_championships"), ("European", "norp:european"),
            ("Academy", "org:academy"), ("Academy Awards", "event:academy_awards")} <= rows
    assert not any(text == "nine awards" and entity_id.startswith("event:") for text, entity_id in rows)


def test_a_rank_alone_is_no_name_and_the_moon_is_no_person(nlp) -> None:
    """"Col" of "Col. Rob Manning", which the model tags a person on its own, is no name; "the Moon" of a
    launch story is a place, not a person, while "Moon" alone stays the president's surname and "the
    Moon Village" a name of its own."""
    body = "Pentagon spokesman Col. Rob Manning said the lander reached the surface of the Moon."
    _, rows, _ = doc_rows(nlp(body), "a1")
    assert [(m["text"], m["entity_id"]) for m in rows if m["label"] in ("PERSON", "LOC")] == [
        ("Rob Manning", "person:rob_manning"), ("Moon", "loc:moon")]
    _, rows, _ = doc_rows(nlp("Moon Jae-in said Moon would visit the Moon Village."), "a1")
    assert [(m["text"], m["entity_id"]) for m in rows if m["label"] == "PERSON"] == [
        ("Moon Jae-in", "person:moon_jae_in"), ("Moon", "person:moon_jae_in")]
    assert "loc:moon" not in {m["entity_id"] for m in rows}


def test_a_name_after_a_rank_is_a_person_whatever_the_model_called_it(nlp) -> None:
    """"President Trump", "Gov. Andrew Cuomo", "Chancellor Merkel": the model sometimes calls the name a
    body or a place, with or without the rank in its span; after a rank it is a person, without the
    rank. Names that open with a word that is also a rank stay bodies ("General Motors", "the Premier
    League", "Major League Baseball"), and so does a building after one ("the President Hotel")."""
    def rows(body: str, *tagged: tuple[str, str]) -> list[tuple[str, str]]:
        return [(m["text"], m["entity_id"]) for m in _mentions(nlp, body, tagged, in_order=True)]

    assert rows("President Trump and South Korea agree.", ("President Trump", "ORG"), ("South Korea", "GPE")) == [
        ("Trump", "person:trump"), ("South Korea", "gpe:south_korea")]
    assert rows("Why? President Trump and Gov. Andrew Cuomo met Chancellor Merkel.",
                ("Trump", "ORG"), ("Andrew Cuomo", "ORG"), ("Merkel", "GPE")) == [
        ("Trump", "person:trump"), ("Andrew Cuomo", "person:andrew_cuomo"), ("Merkel", "person:merkel")]
    # a name written after a rank once is a person's where the model calls most of its mentions a body
    assert rows("President Trump spoke. China angered Trump, and Trump replied.", ("Trump", "PERSON"), ("China", "GPE"),
                ("Trump", "ORG"), ("Trump", "ORG")) == [
        ("Trump", "person:trump"), ("China", "gpe:china"), ("Trump", "person:trump"), ("Trump", "person:trump")]
    assert rows("General Motors, the Premier League and Major League Baseball met at the President Hotel.",
                ("General Motors", "ORG"), ("Premier League", "ORG"), ("Major League Baseball", "ORG"), ("President Hotel", "FAC")) == [
        ("General Motors", "org:general_motors"), ("Premier League", "org:premier_league"),
        ("Major League Baseball", "org:major_league_baseball"), ("President Hotel", "fac:president_hotel")]


def test_a_party_s_name_is_the_party_not_the_surname_of_a_name_ending_in_it(nlp) -> None:
    """"Labour" of a story on "the Labour Party", which the model calls a person, is the party, though
    the model also calls "New Labour" a person whose surname "Labour" would be. A surname beside a
    body's name that is no party's stays the person's ("Dell" after "Michael Dell")."""
    body = "The Labour Party met. Labour said New Labour was over. Michael Dell spoke at Dell Inc. on Monday. Dell said no."
    tagged = (("Labour Party", "ORG"), ("Labour", "PERSON"), ("New Labour", "PERSON"), ("Michael Dell", "PERSON"),
              ("Dell Inc.", "ORG"), ("Dell", "PERSON"))
    rows = [(m["text"], m["entity_id"]) for m in _mentions(nlp, body, tagged, in_order=True)]
    assert ("Labour", "org:labour_party") in rows
    assert ("Labour", "person:new_labour") not in rows
    assert ("Dell", "person:michael_dell") in rows


def test_a_surname_owns_as_the_full_name_does_and_a_cut_quoted_title_is_no_name(nlp) -> None:
    """The model runs an owner into what is owned: "Timberlake's Super Bowl" is Justin Timberlake (by
    his surname) and the Super Bowl; "Justin Timberlake's 'Man", a quoted title cut after its first
    word, is only the singer. "McDonald's Corporation" stays one name (no McDonald stands alone)."""
    body = ("Justin Timberlake performed. Justin Timberlake's 'Man of the Woods' came out. Timberlake's Super Bowl show "
            "drew viewers. McDonald's Corporation paid.")
    tagged = (("Justin Timberlake", "PERSON"), ("Justin Timberlake's 'Man", "PERSON"), ("Timberlake's Super Bowl", "ORG"),
              ("McDonald's Corporation", "ORG"))
    rows = [(m["text"], m["entity_id"]) for m in _mentions(nlp, body, tagged, in_order=True)]
    assert rows == [("Justin Timberlake", "person:justin_timberlake"), ("Justin Timberlake", "person:justin_timberlake"),
                    ("Timberlake", "person:justin_timberlake"), ("Super Bowl", "org:super_bowl"),
                    ("McDonald's Corporation", "org:mcdonald_s_corporation")]


def test_a_place_s_name_the_model_cuts_at_its_first_hyphen_is_whole(nlp) -> None:
    """The model tags "Mazar" of "Mazar-e-Sharif" and "Stratford" of "Stratford-upon-Avon" (as a person);
    each is the whole town, "Stratford-upon-Avon" a place whatever the model said. A person's
    hyphenated given name stays the person's ("Jean-Paul Sartre"), and a name the model tags inside
    the widened one goes ("Sharif")."""
    body = "Troops entered Mazar-e-Sharif. Jean-Paul Sartre was not born in Stratford-upon-Avon."
    tagged = (("Mazar", "LOC"), ("Sharif", "PERSON"), ("Jean-Paul Sartre", "PERSON"), ("Stratford", "PERSON"))
    rows = [(m["text"], m["entity_id"]) for m in _mentions(nlp, body, tagged)]
    assert rows == [("Mazar-e-Sharif", "loc:mazar_e_sharif"), ("Jean-Paul Sartre", "person:jean_paul_sartre"),
                    ("Stratford-upon-Avon", "gpe:stratford_upon_avon")]


def test_a_body_the_model_names_around_one_the_lists_know_is_one_body(nlp) -> None:
    """The entity ruler hands the model "Reuters" and "Labour Party"; the model then tags the words
    before them apart ("the Thomson", "The Parliamentary"). Where the whole ends in a word for a body,
    it is one body; a description before a name stays apart ("Russian News Agency" + "Interfax")."""
    ids = _ids(nlp, "The Parliamentary Labour Party met the Thomson Reuters Foundation, according to Russian News Agency Interfax.")
    assert ids.get("The Parliamentary Labour Party") == "org:parliamentary_labour_party"
    assert ids.get("the Thomson Reuters Foundation") == "org:thomson_reuters_foundation"
    assert ids.get("Interfax") == "org:interfax" and "Russian News Agency Interfax" not in ids


def test_an_acronym_the_text_defines_is_found_though_the_model_leaves_it_untagged(nlp) -> None:
    """"the International Labour Organisation (ILO)": the model tags the long name and often not the
    acronym; it is a mention of the body where it is defined and wherever the article writes it again.
    Not an acronym of a thing the model calls a body ("Geographic Information Systems (GIS)")."""
    body = ("Figures from the International Labour Organisation (ILO) showed a rise. The ILO said so. "
            "Planners use Geographic Information Systems (GIS) daily, and GIS maps help.")
    tagged = (("International Labour Organisation", "ORG"), ("Geographic Information Systems", "ORG"))
    rows = [(m["text"], m["entity_id"]) for m in _mentions(nlp, body, tagged)]
    assert rows.count(("ILO", "org:international_labour_organisation")) == 2
    assert not any(text == "GIS" for text, _ in rows)


def test_the_uk_parties_have_one_id_each_whatever_the_model_calls_them(nlp) -> None:
    """The reference lists know the UK's parties by the names reports use ("Lib Dems", "Tories"), which
    the model calls people or a people; "Labour" alone is the Labour Party where the article names it.
    A person after a party's short name is still found ("Lib Dem leader Charles Kennedy"), and "Labour
    Day" stays a holiday."""
    ids = _ids(nlp, "Lib Dem leader Charles Kennedy attacked the Tories. The Liberal Democrats and the Conservative Party "
                    "disagree. The Labour Party met; Labour said the Conservatives were wrong. Shops close on Labour Day.")
    assert ids["Lib Dem"] == ids["Liberal Democrats"] == "org:liberal_democrats"
    assert ids["Tories"] == ids["Conservative Party"] == ids["Conservatives"] == "org:conservative_party"
    assert ids["Labour Party"] == ids["Labour"] == "org:labour_party"
    assert ids["Charles Kennedy"] == "person:charles_kennedy"
    assert ids.get("Labour Day", "").startswith("date:")


def test_a_given_name_and_surname_the_model_calls_a_body_is_the_person_with_the_middle_name(nlp) -> None:
    """"Brock Holt", which the model calls an organisation, beside "Brock Wyatt Holt" is the player,
    as two people's names with the same first and last words are one person."""
    body = "Brock Holt was drafted. Brock Wyatt Holt was born in Texas."
    tagged = (("Brock Holt", "ORG"), ("Brock Wyatt Holt", "PERSON"))
    rows = [(m["text"], m["entity_id"]) for m in _mentions(nlp, body, tagged)]
    assert rows == [("Brock Holt", "person:brock_wyatt_holt"), ("Brock Wyatt Holt", "person:brock_wyatt_holt")]


def test_a_surname_stands_for_the_full_name_another_of_its_names_ends(nlp) -> None:
    """The model's "Christian Andersen's" beside "Hans Christian Andersen" is one more name of the
    writer, not a second person: "Andersen" alone is his (it had two full names to choose from and
    took neither). A surname two people share stays apart from both."""
    body = ("Jarre will mark the birth of Hans Christian Andersen. \"Christian Andersen's tales are timeless,\" "
            "said Jarre. The world will celebrate Andersen and his work.")
    tagged = (("Hans Christian Andersen", "PERSON"), ("Christian Andersen's", "PERSON"), ("Andersen", "PERSON"))
    ids = {m["text"]: m["entity_id"] for m in _mentions(nlp, body, tagged, in_order=True)}
    assert ids == {"Hans Christian Andersen": "person:hans_christian_andersen",
                   "Christian Andersen's": "person:hans_christian_andersen", "Andersen": "person:hans_christian_andersen"}

    two = body.replace("said Jarre.", "said Karen Andersen.")
    tagged = (*tagged[:2], ("Karen Andersen", "PERSON"), ("Andersen", "PERSON"))
    ids = {m["text"]: m["entity_id"] for m in _mentions(nlp, two, tagged, in_order=True)}
    assert ids["Christian Andersen's"] == "person:hans_christian_andersen"
    assert ids["Andersen"] == "person:andersen"


def test_a_name_ends_before_the_full_stop_of_its_sentence(nlp) -> None:
    """The model may take a sentence's full stop into a name ("said Mr Dergarabedian."): the row's
    text ends before it, and the surname finds its full name; an abbreviation keeps its stop."""
    body = ("Paul Dergarabedian runs a box-office firm. Takings rose, said Mr Dergarabedian. "
            "The film by Warner Bros. opens in Los Angeles, Calif. on Friday.")
    tagged = (("Paul Dergarabedian", "PERSON"), ("Mr Dergarabedian.", "PERSON"), ("Warner Bros.", "ORG"), ("Calif.", "GPE"))
    rows = [(m["text"], m["entity_id"]) for m in _mentions(nlp, body, tagged)]
    assert ("Mr Dergarabedian", "person:paul_dergarabedian") in rows
    assert ("Warner Bros.", "org:warner_bros") in rows and ("Calif.", "gpe:california") in rows


def test_a_direction_without_the_is_the_surname_of_the_person_it_ends(nlp) -> None:
    """"Coase and North", which the model calls a place, is Douglass North (pycountry's Cameroon has
    a North region, which kept the word from every surname); "The North voted" stays a region."""
    body = ("The prize went to Douglass North and Ronald Coase. Costs were analyzed by Coase and North. "
            "The North voted against it.")
    tagged = (("Douglass North", "PERSON"), ("Ronald Coase", "PERSON"), ("Coase", "PERSON"), ("North", "LOC"), ("North", "LOC"))
    rows = [(m["text"], m["entity_id"]) for m in _mentions(nlp, body, tagged, in_order=True)]
    assert ("North", "person:douglass_north") in rows
    assert rows[-1] == ("North", "loc:north")
