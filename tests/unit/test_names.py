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
