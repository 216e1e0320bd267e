"""Names without a model: initials, acronyms the text defines, the id a name gets on its own."""

from __future__ import annotations

from pipeline.nlp.names import defined_acronyms, entity_key, initials, name_of


def test_initials_leave_out_function_words() -> None:
    assert initials("Institute for the Study of War") == "ISW"
    assert initials("The Velmora Flood Relief Agency") == "VFRA"
    assert initials("North Atlantic Treaty Organization") == "NATO"


def test_an_acronym_is_taken_only_where_the_text_defines_it_after_a_matching_name() -> None:
    text = "The Velmora Flood Relief Agency (VFRA) and the Ostra Water Board (OWB) met; the Red Cross (ICRC) came."
    mentions = [
        {"text": "The Velmora Flood Relief Agency", "end_char": text.index(" (VFRA)"), "entity_id": "org:vfra_long"},
        {"text": "the Ostra Water Board", "end_char": text.index(" (OWB)"), "entity_id": "org:owb_long"},
        {"text": "the Red Cross", "end_char": text.index(" (ICRC)"), "entity_id": "org:red_cross"},
    ]
    assert defined_acronyms(mentions, text) == {"VFRA": "org:vfra_long", "OWB": "org:owb_long"}  # ICRC ≠ RC: not taken


def test_a_name_on_its_own_gets_its_label_and_its_words() -> None:
    assert name_of(" Putin’s ") == "Putin"
    assert entity_key("Brankovic's", "PERSON") == "person:brankovic"


def test_ids_leave_out_articles_honorifics_and_a_defined_acronym() -> None:
    from pipeline.nlp.names import base_name

    assert entity_key("the Civic Party", "ORG") == entity_key("Civic Party's", "ORG") == "org:civic_party"
    assert entity_key("Mr. Ho", "PERSON") == entity_key("Ho", "PERSON") == "person:ho"
    assert base_name("American College of Pediatricians (ACPeds)") == "American College of Pediatricians"
    assert base_name("The Hague") == "Hague" and base_name("the") == "the"
    # letters after a person's name are no part of it; "the ... MP" is a description, "Smith MP" too short to tell
    assert entity_key("Ian MacDonald QC", "PERSON") == entity_key("Ian MacDonald", "PERSON") == "person:ian_macdonald"
    assert entity_key("Daniel Bernoulli FRS", "PERSON") == "person:daniel_bernoulli"
    assert entity_key("The Mid-Bedfordshire MP", "ORG") == "org:mid_bedfordshire_mp"


def _mentions(*pairs: tuple[str, str]) -> list[dict]:
    from pipeline.nlp.entities import resolve_mentions

    rows = [{"text": text, "label": label, "end_char": 0, "entity_id": None} for text, label in pairs]
    resolve_mentions(rows, [None] * len(rows))
    return rows


def test_one_id_per_person_whatever_label_a_mention_gets() -> None:
    ids = [m["entity_id"] for m in _mentions(("Donald Trump", "PERSON"), ("Trump", "ORG"), ("Trump", "PERSON"), ("Mr. Trump", "PERSON"))]
    assert set(ids) == {"person:donald_trump"}
    ids = [m["entity_id"] for m in _mentions(("Coase", "ORG"), ("Coase", "PERSON"), ("Coase", "PERSON"))]
    assert set(ids) == {"person:coase"}  # the majority label
    goode = _mentions(("Matthew William Goode", "PERSON"), ("Matthew Goode", "PERSON"), ("Goode", "PERSON"))
    assert {m["entity_id"] for m in goode} == {"person:matthew_william_goode"}
    cantón = _mentions(("Clara Martínez Cantón", "PERSON"), ("Martínez Cantón", "ORG"))
    assert {m["entity_id"] for m in cantón} == {"person:clara_martínez_cantón"}


def test_a_surname_stands_for_the_person_the_article_introduced_before_using_it() -> None:
    family = _mentions(("Jared Padalecki", "PERSON"), ("Padalecki", "PERSON"), ("Sherri Padalecki", "PERSON"),
                       ("Padalecki", "PERSON"), ("Padalecki", "GPE"))
    assert [m["entity_id"] for m in family] == ["person:jared_padalecki"] * 2 + ["person:sherri_padalecki"] + ["person:jared_padalecki"] * 2
    # a mention the model tags a place joins the person when most of the article's mentions of it are the person
    fillmore = _mentions(("Charles Fillmore", "PERSON"), ("Fillmore", "PERSON"), ("Fillmore", "PERSON"), ("Fillmore", "GPE"))
    assert {m["entity_id"] for m in fillmore} == {"person:charles_fillmore"}
    # a surname with a particle, capitalised at the start of a sentence
    persie = _mentions(("Robin van Persie", "PERSON"), ("Van Persie", "PERSON"))
    assert {m["entity_id"] for m in persie} == {"person:robin_van_persie"}
    # a first name is one person's only when the article has no other full name it begins
    davids = _mentions(("David Moorcroft", "PERSON"), ("David", "PERSON"), ("David Collins", "PERSON"))
    assert davids[1]["entity_id"] == "person:david"


def test_two_people_with_one_surname_are_never_merged() -> None:
    ho = _mentions(("Junius Ho", "PERSON"), ("Cyd Ho", "PERSON"), ("Ho", "PERSON"))
    assert [m["entity_id"] for m in ho] == ["person:junius_ho", "person:cyd_ho", "person:ho"]
    bush = _mentions(("George W. Bush", "PERSON"), ("George H. W. Bush", "PERSON"))
    assert bush[0]["entity_id"] != bush[1]["entity_id"]
    washington = _mentions(("George Washington", "PERSON"), ("Washington", "GPE"))
    assert washington[1]["entity_id"] == "gpe:washington"  # a place is not a short form of a person


def test_acronyms_and_names_without_their_designator_join_their_long_form() -> None:
    ids = [m["entity_id"] for m in _mentions(("the Securities and Exchange Commission", "ORG"), ("SEC", "ORG"), ("S.E.C.", "ORG"))]
    assert set(ids) == {"org:securities_and_exchange_commission"}  # initials, though the text never defines them
    assert {m["entity_id"] for m in _mentions(("Harvard University", "ORG"), ("Harvard", "ORG"))} == {"org:harvard_university"}
    assert {m["entity_id"] for m in _mentions(("the Labour Party", "ORG"), ("Labour", "ORG"))} == {"org:labour_party"}
    # a company's or a party's short name the model calls a person; not a place a school is named after
    assert {m["entity_id"] for m in _mentions(("Altria Group", "ORG"), ("Altria", "PERSON"))} == {"org:altria_group"}
    assert {m["entity_id"] for m in _mentions(("Jet Airways", "ORG"), ("Jet", "PERSON"))} == {"org:jet_airways"}
    assert {m["entity_id"] for m in _mentions(("Hyundai Motor", "ORG"), ("Hyundai", "ORG"))} == {"org:hyundai_motor"}
    assert {m["entity_id"] for m in _mentions(("Labour Party", "ORG"), ("Labour", "PERSON"))} == {"org:labour_party"}
    exeter = _mentions(("Exeter School", "ORG"), ("Exeter", "PERSON"))
    assert [m["entity_id"] for m in exeter] == ["org:exeter_school", "person:exeter"]


def test_acronyms_and_short_names_stay_apart_when_the_long_form_is_not_theirs() -> None:
    aceh = _mentions(("Aceh Province", "GPE"), ("AP", "ORG"))  # a news agency, not the province
    assert [m["entity_id"] for m in aceh] == ["gpe:aceh_province", "org:ap"]
    south = _mentions(("US-75 South", "ORG"), ("South", "ORG"))  # a direction stands for no name it ends
    assert [m["entity_id"] for m in south] == ["org:us_75_south", "org:south"]
    mexico = _mentions(("Mexico City", "GPE"), ("Mexico", "GPE"))
    assert [m["entity_id"] for m in mexico] == ["gpe:mexico_city", "gpe:mexico"]
    two = _mentions(("Central Bank", "ORG"), ("Commerce Board", "ORG"), ("CB", "ORG"))  # two long forms: neither
    assert two[2]["entity_id"] == "org:cb"
    numbers = _mentions(("18 to 21", "DATE"), ("12", "CARDINAL"))
    assert numbers[1]["entity_id"] == "cardinal:12"


def test_a_name_the_model_found_once_is_found_wherever_the_article_repeats_it() -> None:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from pipeline.nlp.entities import repeated_mentions

    words = "Lena Holt spoke . Holt left . Later Holt 's aide , New Holt University and holt met Holt .".split()
    tags = ["O"] * len(words)
    tags[0:2] = ["B-PERSON", "I-PERSON"]
    tags[4] = "B-PERSON"  # the model found "Holt" alone once ...
    pos = ["PROPN" if w[0].isupper() and w != "Later" else "X" for w in words]
    doc = Doc(Vocab(), words=words, pos=pos, ents=tags)
    found = [(doc[s:e].text, s, label) for s, e, label, _ in repeated_mentions(doc, tuple(doc.ents))]
    # ... so the other "Holt"s standing alone are mentions too; not inside "New Holt University", not "holt"
    assert found == [("Holt", words.index("Later") + 1, "PERSON"), ("Holt", len(words) - 2, "PERSON")]


def test_a_direction_tagged_once_is_not_a_name_everywhere() -> None:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from pipeline.nlp.entities import repeated_mentions

    words = "Trade with the East grew . Roads run East from the square .".split()
    tags = ["O"] * len(words)
    tags[3] = "B-LOC"
    doc = Doc(Vocab(), words=words, pos=["X"] * len(words), ents=tags)
    assert repeated_mentions(doc, tuple(doc.ents)) == []


def test_a_one_word_entity_tagged_as_a_verb_or_adverb_is_not_a_name() -> None:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from pipeline.nlp.entities import word_not_name

    words = ["Understand", "this", ":", "U2", "played", "in", "Kyiv", "first", "."]
    pos = ["VERB", "PRON", "PUNCT", "PART", "VERB", "ADP", "PROPN", "ADV", "PUNCT"]
    ents = ["B-GPE", "O", "O", "B-ORG", "O", "O", "B-GPE", "B-ORDINAL", "O"]
    doc = Doc(Vocab(), words=words, pos=pos, ents=ents)
    # "Understand" goes; a band's code name, a place and an ordinal (not a name label) stay
    assert [(e.text, e.label_) for e in doc.ents if not word_not_name(e)] == [("U2", "ORG"), ("Kyiv", "GPE"), ("first", "ORDINAL")]


def test_spellings_that_differ_only_in_accents_are_one_entity() -> None:
    ids = [m["entity_id"] for m in _mentions(("Zaha Hadid", "PERSON"), ("Zahā Ḥadīd", "PERSON"), ("Zaha Hadid", "PERSON"))]
    assert set(ids) == {"person:zaha_hadid"}
    assert _mentions(("Évariste Galois", "PERSON"))[0]["entity_id"] == "person:évariste_galois"  # one spelling: kept as written
    # the label vote counts both spellings as one name: the model's place and organisation tags do not split it
    ids = [m["entity_id"] for m in _mentions(("Yucatan", "GPE"), ("Yucatán", "ORG"), ("Yucatan", "GPE"))]
    assert set(ids) == {"gpe:yucatan"}


def test_an_acronym_defined_in_mixed_case_or_inside_the_span_joins_its_long_form() -> None:
    from pipeline.nlp.entities import resolve_mentions
    from pipeline.nlp.names import base_name

    assert base_name("the International Labour Organisation (ILO") == "International Labour Organisation"
    text = "The Bank of England (BoE) held rates. The British National Party (BNP said. The BoE and the BNP agreed."
    rows = []
    for name, label in [("The Bank of England", "ORG"), ("The British National Party (BNP", "ORG"), ("BoE", "ORG"), ("BNP", "ORG")]:
        start = text.index(name)
        rows.append({"text": name, "label": label, "start_char": start, "end_char": start + len(name), "entity_id": None})
    resolve_mentions(rows, [None] * len(rows), text)
    assert [r["entity_id"] for r in rows] == ["org:bank_of_england", "org:british_national_party", "org:bank_of_england", "org:british_national_party"]


def test_a_surname_the_model_left_untagged_is_a_mention_of_the_person() -> None:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from pipeline.nlp.entities import repeated_mentions

    words = ["Johnny", "Depp", "met", "Christian", "Aid", ".", "Depp", "gave", "aid", "and", "Aid", "thanked", "Depp", "."]
    pos = ["PROPN", "PROPN", "VERB", "PROPN", "PROPN", "PUNCT", "PROPN", "VERB", "NOUN", "CCONJ", "PROPN", "VERB", "PROPN", "PUNCT"]
    ents = ["B-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON", "O", "O", "O", "O", "O", "O", "O", "O", "O"]
    doc = Doc(Vocab(), words=words, pos=pos, ents=ents)
    found = [(doc[a:b].text, label) for a, b, label, _ in repeated_mentions(doc, doc.ents)]
    # "Aid" (the end of a mislabelled organisation, a word the article also writes in lower case) is not
    assert found == [("Depp", "PERSON"), ("Depp", "PERSON")]


def test_the_words_before_of_in_one_name_stand_for_it() -> None:
    bank = _mentions(("the Bank of England", "ORG"), ("the Bank", "ORG"), ("Bank", "ORG"))
    assert {m["entity_id"] for m in bank} == {"org:bank_of_england"}
    house = _mentions(("the House of Representatives", "ORG"), ("House", "ORG"))
    assert {m["entity_id"] for m in house} == {"org:house_of_representatives"}
    assembly = _mentions(("the General Assembly of the United Nations", "ORG"), ("the General Assembly", "ORG"))
    assert {m["entity_id"] for m in assembly} == {"org:general_assembly_of_the_united_nations"}
    # what follows "of" is not the name's short form: the city is not the university
    city = _mentions(("the University of Copenhagen", "ORG"), ("Copenhagen", "ORG"))
    assert city[1]["entity_id"] == "org:copenhagen"
    # two names it could begin: neither; a number is not a name
    two = _mentions(("the Bank of England", "ORG"), ("the Bank of Japan", "ORG"), ("the Bank", "ORG"))
    assert two[2]["entity_id"] == "org:bank"
    money = _mentions(("billions of dollars", "MONEY"), ("billions", "CARDINAL"))
    assert money[1]["entity_id"] == "cardinal:billions"


def test_a_full_name_tagged_an_organisation_is_a_person_when_the_article_writes_mr_before_its_surname() -> None:
    ebbers = _mentions(("Bernie Ebbers", "ORG"), ("Mr Ebbers", "ORG"), ("Mr Ebbers", "PERSON"))
    assert {m["entity_id"] for m in ebbers} == {"person:bernie_ebbers"}

    from pipeline.nlp.entities import resolve_mentions

    text = "Yonca Brunini runs the firm. Ms. Brunini said sales rose."
    rows = [{"text": "Yonca Brunini", "label": "ORG", "start_char": 0, "end_char": 13, "entity_id": None},
            {"text": "Brunini", "label": "PERSON", "start_char": 33, "end_char": 40, "entity_id": None}]
    resolve_mentions(rows, [None, None], text)
    assert [m["entity_id"] for m in rows] == ["person:yonca_brunini"] * 2
    # or when the article tags the surname alone a person twice or more
    jones = _mentions(("Marion Jones", "ORG"), ("Jones", "PERSON"), ("Jones", "PERSON"))
    assert {m["entity_id"] for m in jones} == {"person:marion_jones"}
    # otherwise an organisation's name stays one ("Goldman Sachs" and "Sachs"), and so does a list
    assert _mentions(("Goldman Sachs", "ORG"), ("Sachs", "ORG"))[0]["entity_id"] == "org:goldman_sachs"
    listed = _mentions(("Carragher and Brown", "ORG"), ("Brown", "PERSON"), ("Brown", "PERSON"))
    assert listed[0]["entity_id"] == "org:carragher_and_brown"
    # hyphenated given names and double surnames are people's names; a hyphenated place opening a club's is not
    gescher = _mentions(("Jeanne-Marie Gescher", "ORG"), ("Gescher", "PERSON"), ("Gescher", "PERSON"))
    assert {m["entity_id"] for m in gescher} == {"person:jeanne_marie_gescher"}
    silk = _mentions(("Robert Kilroy-Silk", "ORG"), ("Kilroy-Silk", "PERSON"), ("Kilroy-Silk", "PERSON"))
    assert {m["entity_id"] for m in silk} == {"person:robert_kilroy_silk"}
    club = _mentions(("Neath-Swansea Ospreys", "ORG"), ("Ospreys", "PERSON"), ("Ospreys", "PERSON"))
    assert club[0]["entity_id"] == "org:neath_swansea_ospreys"


def test_a_name_and_its_nickname_with_one_surname_are_one_person_but_not_father_and_son() -> None:
    biden = _mentions(("Joseph R. Biden Jr.", "PERSON"), ("Joe Biden", "PERSON"), ("Biden", "PERSON"))
    assert {m["entity_id"] for m in biden} == {"person:joseph_r_biden_jr"}
    lessig = _mentions(("Lawrence Lessig", "PERSON"), ("Larry Lessig", "PERSON"))
    assert {m["entity_id"] for m in lessig} == {"person:lawrence_lessig"}
    gates = _mentions(("William H. Gates Sr.", "PERSON"), ("Bill Gates", "PERSON"))
    assert gates[0]["entity_id"] != gates[1]["entity_id"]
    # three people with the surname: no guess
    three = _mentions(("Robert Kennedy", "PERSON"), ("Robert F. Kennedy Jr.", "PERSON"), ("Bobby Kennedy", "PERSON"))
    assert len({m["entity_id"] for m in three}) == 3


def _in_text(text: str, *pairs: tuple[str, str]) -> list[str]:
    """Ids of mentions found in ``text`` in order (each pair: the words, the model's label)."""
    from pipeline.nlp.entities import resolve_mentions

    rows, position = [], 0
    for words, label in pairs:
        start = text.index(words, position)
        position = start + len(words)
        rows.append({"text": words, "label": label, "start_char": start, "end_char": position, "entity_id": None})
    resolve_mentions(rows, [None] * len(rows), text)
    return [m["entity_id"] for m in rows]


def test_an_initial_and_a_surname_are_the_one_full_name_with_that_initial() -> None:
    text = "Charlie Hodgson kicked well. England: C Hodgson, S Jones; Stephen Jones and Shane Jones were dropped."
    found = _in_text(text, ("Charlie Hodgson", "PERSON"), ("C Hodgson", "PERSON"), ("S Jones", "PERSON"),
                     ("Stephen Jones", "PERSON"), ("Shane Jones", "PERSON"))
    assert found[:2] == ["person:charlie_hodgson"] * 2
    assert found[2] == "person:s_jones"  # two full names begin with S: neither


def test_a_title_and_a_surname_are_the_one_full_name_with_that_surname() -> None:
    text = "Desmond Tutu spoke. Archbishop Tutu said Tutu would go. Prince Charles and Charles Kennedy met."
    found = _in_text(text, ("Desmond Tutu", "PERSON"), ("Archbishop Tutu", "PERSON"), ("Tutu", "PERSON"),
                     ("Prince Charles", "PERSON"), ("Charles Kennedy", "PERSON"))
    assert found == ["person:desmond_tutu"] * 3 + ["person:prince_charles", "person:charles_kennedy"]
    # a peer named for a place is not another man with the surname; a title alone keeps its own id
    text = "Lord Roberts said no. Sion Aubrey Roberts was convicted. Lord Roberts of Conwy agreed. Lord Armstrong said Armstrong erred."
    found = _in_text(text, ("Lord Roberts", "PERSON"), ("Sion Aubrey Roberts", "PERSON"), ("Lord Roberts", "PERSON"),
                     ("Lord Armstrong", "PERSON"), ("Armstrong", "PERSON"))
    assert found == ["person:lord_roberts", "person:sion_aubrey_roberts", "person:lord_roberts"] + ["person:lord_armstrong"] * 2


def test_a_surname_the_model_tags_a_place_is_the_person_unless_the_text_makes_it_one() -> None:
    text = "Lindsay Davenport won in Dallas. Davenport said the final was hard."
    assert _in_text(text, ("Lindsay Davenport", "PERSON"), ("Dallas", "GPE"), ("Davenport", "GPE")) == [
        "person:lindsay_davenport", "gpe:dallas", "person:lindsay_davenport"]
    # after "in", "to", "from" ... a name is the place
    text = "Sam Houston was born in Virginia. He later moved to Houston."
    assert _in_text(text, ("Sam Houston", "PERSON"), ("Virginia", "GPE"), ("Houston", "GPE"))[2] == "gpe:houston"
    # a country or a state is never a surname ("Jordan" beside "Michael Jordan")
    text = "Michael Jordan spoke. Jordan has closed its border."
    assert _in_text(text, ("Michael Jordan", "PERSON"), ("Jordan", "GPE"))[1] == "gpe:jordan"
    # nor is a place a first name ("Charlotte" beside "Charlotte Brontë")
    text = "Charlotte Brontë wrote. Charlotte grew fast as a city."
    assert _in_text(text, ("Charlotte Brontë", "PERSON"), ("Charlotte", "GPE"))[1] == "gpe:charlotte"
    # the place in a title ("the King of Athens", "the Earl of Clare") is no surname, whatever the model tags it
    text = "Theseus was the King of Athens. Athens grew rich. Athens is loud. Athens is old."
    found = _in_text(text, ("the King of Athens", "PERSON"), ("Athens", "PERSON"), ("Athens", "GPE"), ("Athens", "GPE"))
    assert found == ["person:king_of_athens"] + ["gpe:athens"] * 3
    # once the article writes it as a surname, "a save from Scholes" is the player too
    text = "Paul Scholes started. Scholes scored, and Jones saved well from Scholes."
    assert _in_text(text, ("Paul Scholes", "PERSON"), ("Scholes", "GPE"), ("Scholes", "GPE")) == ["person:paul_scholes"] * 3
    # Wales is a country (pycountry names it "Wales [Cymru GB-CYM]"), not the surname of a mistagged "Said Wales"
    text = "Charvis is unlikely to play in Wales' final. Said Wales would win. Wales lost."
    assert _in_text(text, ("Wales", "GPE"), ("Said Wales", "PERSON"), ("Wales", "GPE"))[2] == "gpe:wales"
    # the article's majority decides: a headline's "Wales" the model tags a person is the country
    # the story names three times, not the surname of a mistagged "BBC Sport Wales"
    text = "Injury blow strikes Wales\n\nWales centre Parker is out. Wales will miss him, he told BBC Sport Wales. Wales lost."
    found = _in_text(text, ("Wales", "PERSON"), ("Wales", "GPE"), ("Wales", "GPE"), ("BBC Sport Wales", "PERSON"), ("Wales", "GPE"))
    assert found[0] == "gpe:wales"
    # a place word ends a person's name after a given name: "Street" is Sharon Street, "Bridge" Wayne Bridge
    text = "Sharon Street argues so. Street is a realist. Wayne Bridge is out. Bridge is injured."
    found = _in_text(text, ("Sharon Street", "PERSON"), ("Street", "GPE"), ("Wayne Bridge", "PERSON"), ("Bridge", "PERSON"))
    assert found == ["person:sharon_street"] * 2 + ["person:wayne_bridge"] * 2
    # "for" makes no place: one is nominated for a person as often as one leaves for a town
    text = "Imelda Staunton starred. It was a debut nomination for Staunton."
    assert _in_text(text, ("Imelda Staunton", "PERSON"), ("Staunton", "GPE"))[1] == "person:imelda_staunton"
    # a surname of two words the model tags a place, but not after "in", "to" ... (Santa Anna is a town too)
    text = "General Antonio Lopez de Santa Anna took power. Santa Anna dismissed Congress."
    found = _in_text(text, ("Antonio Lopez de Santa Anna", "PERSON"), ("Santa Anna", "GPE"))
    assert found == ["person:antonio_lopez_de_santa_anna"] * 2
    text = "General Antonio Lopez de Santa Anna took power. Texans fled to Santa Anna."
    assert _in_text(text, ("Antonio Lopez de Santa Anna", "PERSON"), ("Santa Anna", "GPE"))[1] == "gpe:santa_anna"
    # a surname the model calls a product or a work of art ("Mendes", "Cueto") is the person's
    text = "Pedro Mendes scored twice. Mendes said he was happy, and Mark Cueto agreed. Cueto left."
    found = _in_text(text, ("Pedro Mendes", "PERSON"), ("Mendes", "PRODUCT"), ("Mark Cueto", "PERSON"), ("Cueto", "WORK_OF_ART"))
    assert found == ["person:pedro_mendes", "person:pedro_mendes", "person:mark_cueto", "person:mark_cueto"]


def test_an_acronym_defined_after_lower_case_words_is_a_thing_not_a_name() -> None:
    from pipeline.nlp.names import common_noun_acronyms

    text = ("The purchasing manager index (PMI) fell, and weapons of mass destruction (WMD) were not found; "
            "the Chartered Institute of Purchasing and Supply (CIPS) said so, as did the Islamic State (IS).")
    assert common_noun_acronyms(text) == {"PMI", "PMIs", "WMD", "WMDs"}


def test_the_last_words_of_one_organisation_s_name_stand_for_it_once_it_is_written() -> None:
    sox = _mentions(("the Boston Red Sox", "ORG"), ("the Red Sox", "ORG"), ("Pittsburgh", "GPE"))
    assert sox[0]["entity_id"] == sox[1]["entity_id"] == "org:boston_red_sox"
    united = _mentions(("Manchester United", "GPE"), ("United", "ORG"))  # the long name tagged a place
    assert united[1]["entity_id"] == "gpe:manchester_united"
    # two names end so: neither; written before the long name: the party itself, not its local branch
    posts = _mentions(("The Washington Post", "ORG"), ("the New York Post", "ORG"), ("the Post", "ORG"))
    assert posts[2]["entity_id"] == "org:post"
    ukip = _mentions(("UKIP", "ORG"), ("Suffolk Coastal UKIP", "ORG"), ("UKIP", "ORG"))
    assert ukip[0]["entity_id"] == ukip[2]["entity_id"] == "org:ukip"
    # not what follows "of" or "&"
    copenhagen = _mentions(("the University of Copenhagen", "ORG"), ("Copenhagen", "ORG"))
    assert copenhagen[1]["entity_id"] == "org:copenhagen"


def test_a_name_after_an_honorific_is_a_person_whatever_the_model_tags_it() -> None:
    # "Irish" is mostly a nationality in the article, but "Mr Irish" is Oliver Irish
    text = "Oliver Irish runs the shop. Irish fans came. Mr Irish said the Irish team lost."
    assert _in_text(text, ("Oliver Irish", "PERSON"), ("Irish", "NORP"), ("Irish", "NORP"), ("Irish", "NORP")) == [
        "person:oliver_irish", "norp:irish", "person:oliver_irish", "norp:irish"]
    # without a full name in the article: the person's own id, apart from the city
    text = "Houston voted. Mr Houston, the mayor's aide, said Houston would pay."
    assert _in_text(text, ("Houston", "GPE"), ("Mr Houston", "GPE"), ("Houston", "GPE")) == [
        "gpe:houston", "person:houston", "gpe:houston"]
    # not a role after "Madam", nor a lower-case "miss" before a number or a name
    text = "Karen Bass spoke. Madam Chair, thank you. Camara will miss Chelsea in May."
    ids = _in_text(text, ("Karen Bass", "PERSON"), ("Chair", "ORG"), ("Chelsea", "ORG"))
    assert ids[1:] == ["org:chair", "org:chelsea"]


def test_a_full_name_the_model_tags_a_place_or_a_thing_is_a_person_when_its_surname_alone_is_one() -> None:
    dementieva = _mentions(("Elena Dementieva", "FAC"), ("Dementieva", "PERSON"))
    assert [m["entity_id"] for m in dementieva] == ["person:elena_dementieva"] * 2
    primus = _mentions(("Linvoy Primus", "ORG"), ("Primus", "PERSON"), ("Primus", "PERSON"))
    assert {m["entity_id"] for m in primus} == {"person:linvoy_primus"}
    # not a building's or a club's name whose last word the model once took for a person
    palace = _mentions(("Crystal Palace", "FAC"), ("Palace", "PERSON"))
    assert palace[0]["entity_id"] == "fac:crystal_palace"


def test_a_person_faced_is_no_place() -> None:
    text = "Spain coach Luis Aragones spoke. The league took no action against Aragones after the match."
    assert _in_text(text, ("Luis Aragones", "PERSON"), ("Aragones", "GPE")) == ["person:luis_aragones"] * 2


def test_a_headline_may_use_an_organisation_s_short_name_before_the_story_writes_it_in_full() -> None:
    from pipeline.nlp.entities import resolve_mentions

    rows = [{"text": text, "label": "ORG", "sentence_idx": index, "end_char": 0, "entity_id": None}
            for text, index in (("Rover", 0), ("MG Rover", 1), ("Rover", 2))]
    resolve_mentions(rows, [None] * len(rows))
    assert {m["entity_id"] for m in rows} == {"org:mg_rover"}
    # in the story itself the short name written first stays the short name's (a party before its branch)
    rows = [{"text": text, "label": "ORG", "sentence_idx": index, "end_char": 0, "entity_id": None}
            for text, index in (("UKIP", 1), ("Suffolk Coastal UKIP", 2), ("UKIP", 3))]
    resolve_mentions(rows, [None] * len(rows))
    assert rows[0]["entity_id"] == rows[2]["entity_id"] == "org:ukip"


def test_a_rank_before_a_person_s_name_is_no_part_of_it() -> None:
    from pipeline.nlp.entities import _name_bounds

    text = "Gen Pinochet and Lt Col Tim Collins met General Motors and Prince Charles."
    def bounds(words: str, label: str) -> str:
        start = text.index(words)
        found = _name_bounds(text, start, start + len(words), label, None)
        return text[found[0] : found[1]]
    assert bounds("Gen Pinochet", "PERSON") == "Pinochet" and bounds("Lt Col Tim Collins", "PERSON") == "Tim Collins"
    assert bounds("Gen Pinochet", "ORG") == "Pinochet"  # abbreviated, a rank begins no other name
    assert bounds("General Motors", "ORG") == "General Motors" and bounds("Prince Charles", "PERSON") == "Prince Charles"
    text = "President Trump met Congresswoman Dean and Prime Minister Boris Johnson."
    assert bounds("President Trump", "PERSON") == "Trump" and bounds("Congresswoman Dean", "PERSON") == "Dean"
    assert bounds("Prime Minister Boris Johnson", "PERSON") == "Boris Johnson"


def test_directions_lone_words_and_scores_cut_out_of_a_span_are_no_names() -> None:
    from pipeline.nlp.entities import _names_in

    def names(written: str, label: str) -> list[str]:
        return [written[a:b] for a, b in _names_in(written, 0, len(written), label)]
    assert names("the North / Kansas", "ORG") == ["Kansas"] and names("Newsmax / Zogby", "ORG") == ["Newsmax", "Zogby"]
    assert names("the North", "LOC") == ["the North"]  # tagged alone, it stays
    # a word the model took in after a dash is no name; every score after a player goes
    assert names("Jerry Springer - The", "PERSON") == ["Jerry Springer"]
    assert names("Roger Daltrey - The Who", "PERSON") == ["Roger Daltrey", "The Who"]
    assert names("the World Health Organisation (WHO", "ORG") == ["the World Health Organisation", "WHO"]
    assert names("Frenchman Gilles Simon 7-6 6-3", "PERSON") == ["Frenchman Gilles Simon"]


def _reference_lists(folder, gazetteer: str, aliases: str) -> str:
    """A reference folder holding these two CSV texts; its path."""
    folder.mkdir(exist_ok=True)
    (folder / "gazetteer.csv").write_text(gazetteer, encoding="utf-8")
    (folder / "aliases.csv").write_text(aliases, encoding="utf-8")
    return str(folder)


def test_reference_lists_load_and_a_bad_row_is_named_with_its_file_and_row(tmp_path) -> None:
    import pytest

    from pipeline.nlp.names import load_reference

    reference = load_reference(_reference_lists(
        tmp_path / "good",
        "entity_id,label,canonical_name,iso_code\ngpe:velmora,GPE,Velmora,VL\norg:ostra_board,ORG,Ostra Water Board,\n",
        "alias,entity_id\nthe Board,org:ostra_board\n,gpe:velmora\n"))
    assert reference.entities["gpe:velmora"] == {"label": "GPE", "canonical_name": "Velmora", "iso_code": "VL"}
    assert reference.entities["org:ostra_board"]["iso_code"] is None
    assert reference.aliases == (("the Board", "org:ostra_board"),)  # a row without an alias adds none

    missing = _reference_lists(tmp_path / "missing_label", "entity_id,label,canonical_name\ngpe:velmora,GPE,Velmora\ngpe:ostra,,Ostra\n",
                               "alias,entity_id\n")
    with pytest.raises(ValueError, match=r"missing_label/gazetteer\.csv row 3: entity_id, label and canonical_name are required"):
        load_reference(missing)
    unknown = _reference_lists(tmp_path / "unknown_alias", "entity_id,label,canonical_name\ngpe:velmora,GPE,Velmora\n",
                               "alias,entity_id\nVel,gpe:velmora\nOB,org:ostra_board\n")
    with pytest.raises(ValueError, match=r"unknown_alias/aliases\.csv row 3: entity_id 'org:ostra_board' is not in gazetteer\.csv; add it there first"):
        load_reference(unknown)
    assert reference.terms == frozenset()  # a folder without terms.csv loads: it has no terms

    terms = _reference_lists(tmp_path / "terms", "entity_id,label,canonical_name\ngpe:velmora,GPE,Velmora\n", "alias,entity_id\n")
    (tmp_path / "terms" / "terms.csv").write_text("term,meaning\nGMT,a time zone\nMPs,members of parliament\n", encoding="utf-8")
    assert load_reference(terms).terms == {"GMT", "MPs"}
    empty = _reference_lists(tmp_path / "empty_term", "entity_id,label,canonical_name\ngpe:velmora,GPE,Velmora\n", "alias,entity_id\n")
    (tmp_path / "empty_term" / "terms.csv").write_text("term,meaning\nGMT,a time zone\n,forgotten\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"empty_term/terms\.csv row 3: the term is empty"):
        load_reference(empty)


def test_an_island_group_called_by_its_plural_is_the_group() -> None:
    falklands = _mentions(("the Falkland Islands", "GPE"), ("the Falklands", "GPE"), ("Falklands", "ORG"))
    assert {m["entity_id"] for m in falklands} == {"gpe:falkland_islands"}
    chathams = _mentions(("The Chatham Islands", "LOC"), ("Chathams", "ORG"))
    assert {m["entity_id"] for m in chathams} == {"loc:chatham_islands"}
    # a person's name is not an island group's ("the Solomons" the family beside "Solomon Islands" stays a person)
    solomons = _mentions(("Solomon Islands", "GPE"), ("Solomons", "PERSON"), ("Solomons", "PERSON"))
    assert solomons[1]["entity_id"] == "person:solomons"


def test_a_surname_in_the_headline_stands_for_the_person_the_text_introduces_first() -> None:
    from pipeline.nlp.entities import resolve_mentions

    text = "Mixed messages on Trump\n\nDonald Trump's aides spoke. Trump said so. Ivanka Trump spoke. Trump left."
    rows = [{"text": t, "label": label, "sentence_idx": sentence, "start_char": text.index(t, at),
             "end_char": text.index(t, at) + len(t), "entity_id": None}
            for t, label, at, sentence in (("Trump", "ORG", 0, 0), ("Donald Trump", "PERSON", 20, 1), ("Trump", "ORG", 50, 2),
                                           ("Ivanka Trump", "PERSON", 60, 3), ("Trump", "ORG", 80, 4))]
    resolve_mentions(rows, [None] * len(rows), text)
    assert [m["entity_id"] for m in rows] == ["person:donald_trump"] * 3 + ["person:ivanka_trump", "person:donald_trump"]
    # in the text itself, a surname first used before both full names stands for neither
    rows = [dict(r, entity_id=None, sentence_idx=r["sentence_idx"] + 1) for r in rows]
    resolve_mentions(rows, [None] * len(rows), text)
    assert rows[0]["entity_id"] == "org:trump"


def test_a_plural_the_model_calls_a_place_or_a_product_is_the_end_of_the_one_club_it_ends() -> None:
    team = _mentions(("the Pittsburgh Pirates", "ORG"), ("Pirates", "GPE"), ("Green Bay Packers", "ORG"), ("Packers", "PRODUCT"))
    assert [m["entity_id"] for m in team] == ["org:pittsburgh_pirates"] * 2 + ["org:green_bay_packers"] * 2
    # a country or a people keeps its own id
    others = _mentions(("BBC Sport Wales", "ORG"), ("Wales", "GPE"), ("Social Democrats", "ORG"), ("Democrats", "NORP"))
    assert [m["entity_id"] for m in others][1::2] == ["gpe:wales", "norp:democrats"]


def test_an_entity_s_canonical_name_is_the_name_its_id_spells(tmp_path) -> None:
    """``person:tony_blair`` is "Tony Blair" in ``entities`` though its mentions write "Blair" more
    often; a name in capitals only where no mention writes it otherwise; the gazetteer's name wins;
    an id no mention spells (an acronym's, made from its long form) keeps the most common name."""
    from pipeline.nlp.entities import entity_records
    from pipeline.nlp.names import load_reference

    reference = load_reference(_reference_lists(
        tmp_path, "entity_id,label,canonical_name,iso_code\ngpe:velmora,GPE,Republic of Velmora,VL\n", "alias,entity_id\n"))
    stats = [
        ("person:tony_blair", "PERSON", "Blair", ["Blair", "Mr Blair", "Tony Blair's", "Tony Blair"], 12, 1, 1),
        ("org:american_airlines", "ORG", "AMERICAN AIRLINES", ["AMERICAN AIRLINES", "American Airlines", "the airline"], 3, 1, 1),
        ("org:velmora_flood_relief_agency", "ORG", "VFRA", ["VFRA"], 4, 1, 1),
        ("gpe:velmora", "GPE", "Velmora", ["Velmora"], 2, 1, 1),
    ]
    names = {r["entity_id"]: r["canonical_name"] for r in entity_records(stats, reference)}
    assert names == {"person:tony_blair": "Tony Blair", "org:american_airlines": "American Airlines",
                     "org:velmora_flood_relief_agency": "VFRA", "gpe:velmora": "Republic of Velmora"}
