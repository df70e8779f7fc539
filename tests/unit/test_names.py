from eventwire.extract.names import (
    clean_surface,
    core_tokens,
    fold,
    initials,
    is_acronym,
    load_titles,
    strip_honorifics,
    surname,
)


def test_honorifics_and_titles_are_dropped_for_matching():
    assert core_tokens("Sheikh Saleh al-Arouri") == ("saleh", "arouri")
    assert core_tokens("Prime Minister Benjamin Netanyahu") == ("benjamin", "netanyahu")
    assert strip_honorifics("Sayyed Hassan Nasser") == "Hassan Nasser"
    assert strip_honorifics("Dr. Jane Roe") == "Jane Roe"


def test_particles_case_possessive_and_curly_quotes():
    assert core_tokens("Al-Badri’s") == core_tokens("al-Badri") == ("badri",)
    assert core_tokens("Osama bin Laden") == ("osama", "laden")
    assert core_tokens("Ludwig van Beethoven") == ("ludwig", "beethoven")
    assert surname("Ban Ki-moon") == "ki-moon"  # only particles split off a hyphenated name
    assert clean_surface("“Hezbollah’s") == "Hezbollah"
    assert fold("Hezbollah’s") == fold("HEZBOLLAH") == "hezbollah"


def test_acronyms_and_initials():
    assert is_acronym("PIJ") and is_acronym("U.S.") and not is_acronym("Hamas")
    assert initials("Palestinian Islamic Jihad") == "PIJ"
    assert initials("Organization of the Petroleum Exporting Countries") == "OPEC"


def test_titles_lexicon_is_versioned_data():
    lexicon = load_titles()
    assert lexicon.version
    assert "sheikh" in lexicon.honorifics and "al" in lexicon.particles
    assert {t["title"] for t in lexicon.titles} >= {"leader", "secretary general", "spokesperson"}


def test_titles_lexicon_lists_org_heads_and_person_verbs():
    lexicon = load_titles()
    assert int(lexicon.version) >= 2
    assert {"center", "centre", "institute", "ministry", "front", "party"} <= lexicon.org_heads
    assert {"say", "tell", "add"} <= lexicon.person_verbs
    assert "and" not in lexicon.org_heads and "the" not in lexicon.org_heads
