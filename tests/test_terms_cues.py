"""Table tests: every provision is found in its verb form and its noun form (own sentences)."""

from __future__ import annotations

import pytest

from detente.terms import extract_terms, load_taxonomy

# (provision, verb form, noun form): each pair states the same provision two ways
CASES = [
    ("CEASEFIRE", "The rebels promised to stop fighting by Sunday.",
     "The envoy asked for a cessation of hostilities."),
    ("SECTORAL_TRUCE", "Both sides will refrain from strikes on power plants.",
     "The plan sets a moratorium on attacks against the grid."),
    ("LINE_OF_CONTACT", "The armies would freeze the front where it stands.",
     "The text creates a buffer zone between the armies."),
    ("WITHDRAWAL_OF_FORCES", "The government agreed to pull back its soldiers from the valley.",
     "The accord provides for the departure of foreign battalions."),
    ("HEAVY_WEAPONS_PULLBACK", "Both sides must pull back heavy weapons.",
     "The withdrawal of heavy weaponry starts on Monday."),
    ("FORCE_LIMITS_DEMILITARIZATION", "The militia agreed to disarm within a month.",
     "The deal requires the demobilisation of former combatants."),
    ("DEMINING_AND_UXO", "Engineers will clear the landmines around the villages.",
     "The plan funds the removal of unexploded ordnance."),
    ("NEUTRALITY_NON_ALIGNMENT", "The republic would renounce any military alliance.",
     "The minister proposed permanent neutrality for the country."),
    ("ALLIANCE_MEMBERSHIP", "The country may never join the alliance, Moscow insisted.",
     "Moscow opposed the accession of its neighbour to NATO."),
    ("FOREIGN_FORCES_AND_BASES", "No third-party forces may be deployed along the border.",
     "Moscow demanded the closure of foreign bases."),
    ("NUCLEAR_STATUS", "Tehran offered to curb its uranium enrichment.",
     "The talks focused on the dismantlement of the nuclear programme."),
    ("NUCLEAR_PLANT_SAFETY", "Inspectors asked to visit the nuclear power plant.",
     "The IAEA warned about the safety of the reactor site."),
    ("SECURITY_GUARANTEES", "Its allies would guarantee the security of the republic.",
     "Kyiv asked for security guarantees from its partners."),
    ("ARMS_CONTROL_CBMS", "Pyongyang offered to halt missile tests.",
     "Washington proposed a moratorium on testing."),
    ("SECURITY_ARCHITECTURE", "The sides promised to build a collective security system.",
     "Moscow proposed a new security architecture for the continent."),
    ("TERRITORIAL_STATUS", "Both states agreed to recognise each other's borders.",
     "The treaty starts the delimitation of the frontier."),
    ("DEFERRED_STATUS", "The parties will postpone the status question for five years.",
     "They agreed to set the sovereignty dispute aside."),
    ("AUTONOMY_SPECIAL_STATUS", "The capital offered to devolve powers to the province.",
     "The plan creates a devolved assembly for the region."),
    ("CONSTITUTIONAL_CHANGE", "Yerevan was told to amend its constitution.",
     "The accord requires an amendment to the constitution."),
    ("LANGUAGE_MINORITY_RELIGION", "The state will protect minority languages.",
     "The protection of religious communities is guaranteed."),
    ("ELECTIONS", "The parties agreed to hold elections next spring.",
     "The text schedules a presidential election."),
    ("REGIME_AND_POLITICAL_DEMANDS", "The rebels want to remove the government in the capital.",
     "They demanded the replacement of the regime."),
    ("EU_AND_ECONOMIC_INTEGRATION", "The country hopes to join the European Union.",
     "Brussels opened talks on EU accession."),
    ("PRISONERS_AND_DETAINEES", "The militants will free 40 captives on Friday.",
     "The deal foresees the release of detainees held by both sides."),
    ("DEPORTED_CHILDREN_AND_CIVILIANS", "The parties will allow displaced families to return.",
     "The plan provides for the return of refugees to their homes."),
    ("HUMANITARIAN_ACCESS_PROTECTION", "The army will let relief convoys enter the city.",
     "Both sides committed to the protection of civilians."),
    ("ACCOUNTABILITY_JUSTICE", "A tribunal would prosecute those who committed atrocities.",
     "The states agreed on the withdrawal of interstate lawsuits."),
    ("AMNESTY", "Fighters who confess would avoid prison.",
     "Parliament granted an amnesty to the rebels."),
    ("SANCTIONS", "Washington promised to lift the economic restrictions.",
     "Pyongyang asked for sanctions relief."),
    ("GRAIN_SHIPPING_NAVIGATION", "The navy will allow vessels to navigate the strait safely.",
     "The accord guarantees freedom of navigation."),
    ("MONITORING_VERIFICATION_MISSION", "Observers will monitor the truce along the border.",
     "The deal sets up a joint verification mechanism."),
    ("ECONOMIC_NORMALIZATION_ASSETS", "The neighbours will reopen rail links and resume trade.",
     "The document promotes regional economic cooperation."),
    ("RECONSTRUCTION_AND_REPARATIONS", "Donors pledged to rebuild the damaged infrastructure.",
     "The victims asked for compensation for the damage."),
    ("PROCESS_FORMAT_SEQUENCING", "Parliament must ratify the accord before it enters into force.",
     "The agreement opens the way to intra-party negotiations and an implementation "
     "timetable."),
]


def _names(nlp, text: str) -> set[str]:
    return {r["provision"] for r in extract_terms(nlp(text), "doc")}


def test_every_provision_has_a_case():
    assert {c[0] for c in CASES} == {p.name for p in load_taxonomy().provisions.values()}


@pytest.mark.parametrize(("provision", "verb", "noun"), CASES, ids=[c[0] for c in CASES])
def test_verb_and_noun_forms(nlp, provision, verb, noun):
    assert provision in _names(nlp, verb), verb
    assert provision in _names(nlp, noun), noun


@pytest.mark.parametrize("text", [
    "The minister met his counterpart for lunch in the capital.",
    "Troops of the national army paraded in the capital on Monday.",
    "The bank reported higher profits and a new chief executive.",
    "The opposition held a rally against the rising price of bread.",
])
def test_ordinary_news_has_no_terms(nlp, text):
    assert _names(nlp, text) == set()


@pytest.mark.parametrize(("text", "provision"), [
    ("The US will provide military aid to its ally.", "HUMANITARIAN_ACCESS_PROTECTION"),
    ("The regional economic integration framework was discussed.",
     "EU_AND_ECONOMIC_INTEGRATION"),
    ("They held direct talks in Geneva.", "PROCESS_FORMAT_SEQUENCING"),
])
def test_near_misses_are_not_terms(nlp, text, provision):
    assert provision not in _names(nlp, text)


def _sentences(nlp, text: str) -> list[dict]:
    doc = nlp(text)
    rows, para, prev = [], 0, 0
    for idx, sent in enumerate(doc.sents):
        start = sent.start_char + len(sent.text) - len(sent.text.lstrip())
        if "\n" in text[prev:start]:
            para += 1
        prev = sent.start_char + len(sent.text.rstrip())
        rows.append({"idx": idx, "paragraph": para, "text": sent.text.strip()})
    return rows


@pytest.mark.parametrize("text", [
    "The rivals signed a truce on Monday.\n\nThe deal provides for the following:\n\n"
    "• the release of 30 detainees\n\n• the withdrawal of troops from the valley",
    "The rivals signed a truce on Monday.\n\nUnder the agreement:\n\n"
    "1. Both sides free their captives.\n\n2. Soldiers pull out of the valley.",
])
def test_list_items_after_an_introducing_line_are_terms(nlp, text):
    from detente.terms import terms_for_episode
    rows = terms_for_episode(_sentences(nlp, text), extract_terms(nlp(text), "doc"), {0})
    names = {r["provision"] for r in rows}
    assert {"PRISONERS_AND_DETAINEES", "WITHDRAWAL_OF_FORCES"} <= names
    for r in rows:
        assert all("id" in sp and sp["reason"] for sp in r["spans"])


def test_a_quote_intro_is_not_a_term_list(nlp):
    from detente.terms import terms_for_episode
    text = ("The rivals signed a truce on Monday.\n\nThe minister said:\n\n"
            "• prisoners of the old regime should be tried")
    rows = terms_for_episode(_sentences(nlp, text), extract_terms(nlp(text), "doc"), {0})
    assert "PRISONERS_AND_DETAINEES" not in {r["provision"] for r in rows}


# Further cue forms of one provision, and what the overlapping cue must not add
# (own sentences; each case is a way the words of a sentence state the term)
FORMS = [
    ("The accord sets out a formal prohibition of hostilities.", "CEASEFIRE", None),
    ("The generals agreed to ban hostilities in the valley.", "CEASEFIRE", None),
    ("The rebels accepted a temporary ceasefire for the harvest.", "CEASEFIRE",
     "SECTORAL_TRUCE"),
    ("The president promised to bring the soldiers home by winter.", "WITHDRAWAL_OF_FORCES",
     None),
    ("Both armies will withdraw from the hospitals and schools of the city.",
     "HUMANITARIAN_ACCESS_PROTECTION", "WITHDRAWAL_OF_FORCES"),
    ("The treaty bars the stationing of personnel of third countries on the frontier.",
     "FOREIGN_FORCES_AND_BASES", None),
    ("The capital wanted to restrict the mission by limiting its patrols.",
     "MONITORING_VERIFICATION_MISSION", None),
    ("The draft grants an amnesty for atrocities committed in the war.", "AMNESTY",
     "ACCOUNTABILITY_JUSTICE"),
    ("Talks aimed to disarm the regional nuclear threat.", "NUCLEAR_STATUS",
     "FORCE_LIMITS_DEMILITARIZATION"),
    ("The regime offered to shut down its enrichment site.", "NUCLEAR_STATUS",
     "NUCLEAR_PLANT_SAFETY"),
    ("The states pledged complete nuclear disarmament.", "NUCLEAR_STATUS",
     "FORCE_LIMITS_DEMILITARIZATION"),
    ("Most citizens voted against the pact in a referendum.", "PROCESS_FORMAT_SEQUENCING",
     None),
    ("The leaders promised a plebiscite to ratify the settlement.",
     "PROCESS_FORMAT_SEQUENCING", None),
    ("The envoys will resume negotiations in the spring.", "PROCESS_FORMAT_SEQUENCING", None),
    ("A subsequent round of talks is planned for May.", "PROCESS_FORMAT_SEQUENCING", None),
]


@pytest.mark.parametrize(("text", "provision", "absent"), FORMS, ids=[f[0][:40] for f in FORMS])
def test_more_cue_forms(nlp, text, provision, absent):
    names = _names(nlp, text)
    assert provision in names, (text, names)
    if absent:
        assert absent not in names, (text, names)


@pytest.mark.parametrize("text", [
    "The army conducted patrols along the river at night.",
    "The minister held talks with his counterpart on Monday.",
    "The talks were scheduled to end on Sunday.",
    "Soldiers withdrew from the hills after the battle.",
])
def test_background_is_not_a_process_or_mission_term(nlp, text):
    names = _names(nlp, text)
    assert not names & {"PROCESS_FORMAT_SEQUENCING", "MONITORING_VERIFICATION_MISSION",
                        "HUMANITARIAN_ACCESS_PROTECTION"}, names


def test_a_term_the_sentence_denies_is_not_the_episodes(nlp):
    from detente.terms import terms_for_episode
    text = ("The factions agreed to protect civilians but did not reach a ceasefire "
            "agreement.\n\nThe president said he would never accept a ceasefire.")
    terms = extract_terms(nlp(text), "doc")
    names = {r["provision"] for r in terms_for_episode(_sentences(nlp, text), terms, {0})}
    assert "HUMANITARIAN_ACCESS_PROTECTION" in names
    assert "CEASEFIRE" not in names
    # a rejection is a position on the term: it stays
    names = {r["provision"] for r in terms_for_episode(_sentences(nlp, text), terms, {1})}
    assert "CEASEFIRE" in names


@pytest.mark.parametrize(("text", "expected", "absent"), [
    # later paragraphs that go on about the deal give it their terms
    ("The rivals signed a peace accord in the capital on Monday.\n\n"
     "The two sides also committed themselves to the release of all detainees.\n\n"
     "The mediator said observers would verify the implementation of the accord.",
     {"PRISONERS_AND_DETAINEES", "MONITORING_VERIFICATION_MISSION"}, set()),
    ("The neighbours initialled a peace agreement in Geneva.\n\n"
     "It includes measures for the return of refugees.\n\n"
     "Additionally, both states promised to reopen rail links.",
     {"DEPORTED_CHILDREN_AND_CIVILIANS", "ECONOMIC_NORMALIZATION_ASSETS"}, set()),
    # background that does not go on about the deal is not taken, nor what follows it
    ("The rivals signed a peace accord in the capital on Monday.\n\n"
     "Last year soldiers withdrew from the northern hills.\n\n"
     "The two sides also agreed to free all detainees.",
     set(), {"WITHDRAWAL_OF_FORCES", "PRISONERS_AND_DETAINEES"}),
])
def test_paragraphs_that_go_on_about_the_deal(nlp, text, expected, absent):
    from detente.terms import terms_for_episode
    rows = terms_for_episode(_sentences(nlp, text), extract_terms(nlp(text), "doc"), {0})
    names = {r["provision"] for r in rows}
    assert expected <= names, names
    assert not names & absent, names
    assert all("goes on about" in r["reason"] for r in rows if r["sentence_idx"] > 0)


_PLAN_ITEMS = ["A ceasefire along the whole front.", "Withdrawal of foreign troops.",
               "Exchange of all prisoners.", "Return of refugees.", "Elections within a year.",
               "An amnesty for fighters.", "A monitoring mission of the UN.",
               "Demining of farmland.", "Reconstruction funds for the east.",
               "Sanctions relief.", "Autonomy for the region."]


@pytest.mark.parametrize(("text", "expected"), [
    # a heading about the deal, then item paragraphs
    ("The two presidents signed a peace deal in Vienna on Tuesday.\n\nMain points of the deal"
     "\n\nThe armies will pull back heavy weapons 20 km from the line.\n\n"
     "All prisoners will be exchanged within a month.",
     {"HEAVY_WEAPONS_PULLBACK", "PRISONERS_AND_DETAINEES"}),
    # a "first ..., second ..." sequence right after a plan is mentioned, without a lead line
    ("The minister unveiled a plan for the border on Monday.\n\n"
     "First, both armies would withdraw their troops from the valley.\n\n"
     "Second, observers from neutral states would monitor the line.\n\n"
     "Third, refugees would be allowed to return home.",
     {"WITHDRAWAL_OF_FORCES", "MONITORING_VERIFICATION_MISSION",
      "DEPORTED_CHILDREN_AND_CIVILIANS"}),
    # a numbered list longer than the sentence budget runs to its last item
    ("The mediator published an eleven-point plan on Friday.\n\n"
     + "\n\n".join(f"{i}. {t}" for i, t in enumerate(_PLAN_ITEMS, 1)),
     {"CEASEFIRE", "PRISONERS_AND_DETAINEES", "RECONSTRUCTION_AND_REPARATIONS",
      "SANCTIONS", "AUTONOMY_SPECIAL_STATUS"}),
])
def test_structured_terms_of_a_plan(nlp, text, expected):
    from detente.terms import terms_for_episode
    rows = terms_for_episode(_sentences(nlp, text), extract_terms(nlp(text), "doc"), {0})
    names = {r["provision"] for r in rows}
    assert expected <= names, expected - names
    for r in rows:  # each item is its own evidence
        assert all(sp["sentence_idx"] > 0 for sp in r["spans"])


def test_an_ordinal_heading_of_another_proposal_is_not_an_item(nlp):
    from detente.terms import terms_for_episode
    text = ("The envoys brokered a deal on early elections.\n\n"
            "Third proposal: the minister later proposed new talks.\n\n"
            "The talks touched on arms control and NATO enlargement.")
    rows = terms_for_episode(_sentences(nlp, text), extract_terms(nlp(text), "doc"), {0})
    assert {r["provision"] for r in rows} == {"ELECTIONS"}


def test_a_new_lead_inside_a_list_ends_it(nlp):
    from detente.terms import terms_for_episode
    text = ("The ministers accepted the proposals on the two open points of the treaty.\n\n"
            "Both states will drop their lawsuits at international courts.\n\n"
            "For the next stage, the demands are as follows: the neighbour must amend its "
            "constitution.")
    rows = terms_for_episode(_sentences(nlp, text), extract_terms(nlp(text), "doc"), {0})
    names = {r["provision"] for r in rows}
    assert "ACCOUNTABILITY_JUSTICE" in names
    assert "CONSTITUTIONAL_CHANGE" not in names


# One more way to say each of these provisions: phrasal verbs, adjectives, idioms
OTHER_FORMS = [
    ("LINE_OF_CONTACT", "The troops will stay where they currently stand."),
    ("WITHDRAWAL_OF_FORCES", "Foreign fighters will be sent back to their countries."),
    ("FORCE_LIMITS_DEMILITARIZATION", "The militias will hand in their weapons."),
    ("NUCLEAR_STATUS", "The country would give up its atomic bombs."),
    ("AUTONOMY_SPECIAL_STATUS", "The province would govern itself."),
    ("ELECTIONS", "Voters will go to the polls within six months."),
    ("PRISONERS_AND_DETAINEES", "Detained soldiers would be handed over."),
    ("HUMANITARIAN_ACCESS_PROTECTION", "Aid agencies will have unhindered access to the city."),
    ("HUMANITARIAN_ACCESS_PROTECTION", "Civilians may leave through safe corridors."),
    ("ACCOUNTABILITY_JUSTICE", "War criminals will face justice."),
    ("GRAIN_SHIPPING_NAVIGATION", "Grain ships will sail from the ports."),
    ("REGIME_AND_POLITICAL_DEMANDS", "The rebels insist that the president must step down."),
    # coordinated modifiers each count
    ("MONITORING_VERIFICATION_MISSION",
     "The truce is backed by a US-Saudi, and international ceasefire mechanism."),
]


@pytest.mark.parametrize(("provision", "text"), OTHER_FORMS, ids=[f[1][:40] for f in OTHER_FORMS])
def test_other_forms(nlp, provision, text):
    assert provision in _names(nlp, text), text


@pytest.mark.parametrize(("text", "provision"), [
    ("The president departed for the capital two hours early.", "REGIME_AND_POLITICAL_DEMANDS"),
    ("The ships sailed from the ports with containers of cars.", "GRAIN_SHIPPING_NAVIGATION"),
    ("The soldiers were detained by the police.", "PRISONERS_AND_DETAINEES"),
])
def test_other_near_misses(nlp, text, provision):
    assert provision not in _names(nlp, text)


@pytest.mark.parametrize(("text", "provision", "found"), [
    ("The regime keeps a missile force that it regards as its best security guarantee.",
     "SECURITY_GUARANTEES", False),
    ("Critics describe the pause as a ceasefire in all but name.", "CEASEFIRE", False),
    ("The allies offered security guarantees as part of the deal.", "SECURITY_GUARANTEES", True),
    ("Kyiv sees security guarantees as essential.", "SECURITY_GUARANTEES", True),
])
def test_a_characterization_is_not_a_term(nlp, text, provision, found):
    assert (provision in _names(nlp, text)) is found, text


@pytest.mark.parametrize(("text", "provision", "negated"), [
    ("Moscow agreed to a ceasefire without a withdrawal of its troops.",
     "WITHDRAWAL_OF_FORCES", 1),
    ("The war was unwinnable without the deployment of foreign troops.",
     "FOREIGN_FORCES_AND_BASES", 1),
    ("Both sides agreed to hold talks without preconditions.", "PROCESS_FORMAT_SEQUENCING", 0),
])
def test_without_negates_a_term(nlp, text, provision, negated):
    [row] = [r for r in extract_terms(nlp(text), "doc") if r["provision"] == provision]
    assert row["negated"] == negated


def test_a_list_marker_stays_in_its_items_sentence(nlp):
    text = ("The plan includes:\n- the withdrawal of all troops\n1. the release of prisoners\n"
            "(b) the return of refugees\n12) elections\nThe talks end today. Both sides left.")
    sents = [s.text.strip() for s in nlp(text).sents]
    assert sents == ["The plan includes:", "- the withdrawal of all troops",
                     "1. the release of prisoners", "(b) the return of refugees",
                     "12) elections", "The talks end today.", "Both sides left."]
