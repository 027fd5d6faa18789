from catalog.taxonomy import load_taxonomy


def test_the_four_pilot_industries_and_twenty_scenarios():
    taxonomy = load_taxonomy()
    assert list(taxonomy.industries) == ["bearings", "nonferrous", "electrical", "chemicals"]
    assert len(taxonomy.scenarios) == 20
    assert len(taxonomy.national_scenes) == 16


def test_every_scenario_belongs_to_a_known_group_with_labels_in_both_languages():
    taxonomy = load_taxonomy()
    for term in taxonomy.scenarios.values():
        assert term.group in taxonomy.groups
        assert term.label("zh") != term.label("en")
    assert taxonomy.group_of("warehouse") == "supply_chain"
