"""ACLED sub-event typing on made-up sentences: means, participants, outcomes, non-ACLED."""

from __future__ import annotations

import pytest

from rashomon.analyze.acled import (
    code_to_label,
    sub_event_info,
    sub_event_types,
    taxonomy,
    type_acled,
    type_text,
)
from rashomon.analyze.nlp import load_nlp

CASES = [
    # means of remote violence
    ("Warplanes carried out airstrikes on the village of Amberley, killing three people.",
     "AIR_STRIKE"),
    ("Artillery shells hit the outskirts of the town overnight.", "ART_MISS_ATTACK"),
    ("A roadside bomb exploded near an army convoy, wounding two soldiers.", "REM_EXPLOS"),
    ("Attackers hurled a grenade into a crowded cafe on Friday evening.", "GRENADE"),
    ("A suicide bomber blew himself up outside the station, killing six.", "SUIC_BOMB"),
    ("Residents reported breathing problems after a chlorine gas attack on the district.",
     "CHEM_WEAP"),
    # battles: who took the territory decides
    ("Rebel fighters captured the town of Westmoor after heavy fighting.",
     "NON_STATE_ACTOR_OVERTAKES_TER"),
    ("Government troops recaptured the village of Eastbrook from the insurgents.",
     "GOV_REGAINS_TERIT"),
    ("Militants attacked an army checkpoint, killing four soldiers.", "ARMED_CLASH"),
    # violence against civilians
    ("Gunmen attacked a church during the morning service, killing nine worshippers.",
     "ATTACK"),
    ("Armed men kidnapped five aid workers on the road to the border.", "ABDUCT_DISSAP"),
    ("Soldiers were accused of raping two women in the village.", "SEX_VIOL"),
    # demonstrations: who used force and how
    ("Thousands of demonstrators marched peacefully to the parliament on Sunday.",
     "PEACE_PROTEST"),
    ("Police fired tear gas to disperse protesters outside the ministry.", "PROTEST_WITH_INTER"),
    ("Protesters threw stones and petrol bombs at the police station.", "VIOL_DEMONSTR"),
    ("Security forces opened fire on peaceful protesters, killing five of them.",
     "FORCE_AGAINST_PROTEST"),
    ("An angry mob lynched two men accused of stealing cattle.", "MOB_VIOL"),
    # strategic developments
    ("The two armed groups signed a ceasefire agreement in the capital.", "AGREEMENT"),
    ("Police arrested twelve opposition activists at their homes.", "ARREST"),
    ("Police seized rifles, grenades and ammunition from a house in the suburb.", "DISR_WEAP"),
    ("Shops were looted and several cars set on fire in the market district.",
     "PROPERTY_DISTRUCT"),
    ("The army established a new military base near the northern border.", "HQ_ESTABLISHED"),
    ("Dozens of fighters defected and joined the army with their weapons.",
     "CHANGE_TO_GROUP_ACT"),
    # not ACLED events
    ("The foreign ministry expelled two diplomats and announced new sanctions.", "DIPLO"),
    ("The group claimed responsibility for the attack in a statement.", "ATTRIB"),
    ("Border guards caught a gang smuggling heroin across the river.", "ORG_CRIME"),
    ("A strong earthquake struck the coastal region, destroying hundreds of homes.",
     "NATURAL_DISASTER"),
    ("A chemical spill at the factory forced the evacuation of nearby streets.",
     "MAN_MADE_DISASTER"),
]


# paraphrase variants of the codebook's criteria (other words, other constructions)
VARIANTS = [
    ("Fighter jets pounded rebel positions in the hills overnight.", "AIR_STRIKE"),
    ("A drone strike killed a senior commander in his car.", "AIR_STRIKE"),
    ("Helicopter gunships attacked a convoy of militants near the river.", "AIR_STRIKE"),
    ("The air force bombed an ammunition depot on the edge of the city.", "AIR_STRIKE"),
    ("Rockets slammed into a residential neighbourhood, wounding eleven residents.", "ART_MISS_ATTACK"),
    ("Government forces shelled the rebel-held district for a third day.", "ART_MISS_ATTACK"),
    ("A ballistic missile struck an airport in the south of the country.", "ART_MISS_ATTACK"),
    ("Mortar rounds landed near a school, killing a teacher.", "ART_MISS_ATTACK"),
    ("A car bomb went off outside a police station, killing seven officers.", "REM_EXPLOS"),
    ("Two soldiers died when their vehicle hit a landmine.", "REM_EXPLOS"),
    ("An improvised explosive device detonated as a patrol passed.", "REM_EXPLOS"),
    ("A bomb planted under a bench exploded in a busy market.", "REM_EXPLOS"),
    ("A man threw a hand grenade at a group of soldiers guarding a bank.", "GRENADE"),
    ("Unknown assailants lobbed a grenade at the house of a local official.", "GRENADE"),
    ("A female suicide bomber detonated her explosive vest at a checkpoint.", "SUIC_BOMB"),
    ("A suicide car bomb rammed into the gate of the military base.", "SUIC_BOMB"),
    ("Inspectors confirmed that sarin was used in the attack on the town.", "CHEM_WEAP"),
    ("Dozens suffered from suffocation after toxic gas was dropped on the village.", "CHEM_WEAP"),
    ("Insurgents overran an army outpost and took control of the district.", "NON_STATE_ACTOR_OVERTAKES_TER"),
    ("The town fell to the militants after a week-long siege.", "NON_STATE_ACTOR_OVERTAKES_TER"),
    ("The army retook the city after months of rebel control.", "GOV_REGAINS_TERIT"),
    ("Security forces regained control of three villages from the rebels.", "GOV_REGAINS_TERIT"),
    ("Rebels and soldiers exchanged fire for several hours near the border.", "ARMED_CLASH"),
    ("Militiamen ambushed a police patrol, killing two officers.", "ARMED_CLASH"),
    ("Heavy fighting broke out between two rival armed groups in the north.", "ARMED_CLASH"),
    ("Gunmen shot dead a journalist outside his home.", "ATTACK"),
    ("Militants attacked a village, killing twelve farmers and burning houses.", "ATTACK"),
    ("Soldiers executed four unarmed villagers, witnesses said.", "ATTACK"),
    ("Bandits abducted twenty students from a boarding school.", "ABDUCT_DISSAP"),
    ("A human rights activist disappeared after being taken by unidentified men.", "ABDUCT_DISSAP"),
    ("Militants were reported to have raped several women during the raid.", "SEX_VIOL"),
    ("Workers went on strike and gathered outside the factory to demand higher wages.", "PEACE_PROTEST"),
    ("Students staged a sit-in at the university against tuition fees.", "PEACE_PROTEST"),
    ("Riot police used water cannon against demonstrators blocking the highway.", "PROTEST_WITH_INTER"),
    ("Police detained dozens of protesters during a rally in the capital.", "PROTEST_WITH_INTER"),
    ("Demonstrators set fire to tyres and clashed with police in the city centre.", "VIOL_DEMONSTR"),
    ("Rioters smashed shop windows and hurled rocks at officers.", "VIOL_DEMONSTR"),
    ("Troops fired live ammunition at protesters, killing three.", "FORCE_AGAINST_PROTEST"),
    ("A mob beat a man to death after accusing him of theft.", "MOB_VIOL"),
    ("Villagers lynched a suspected thief in the market square.", "MOB_VIOL"),
    ("The government and the rebel movement agreed to a truce.", "AGREEMENT"),
    ("The warring parties exchanged prisoners under a deal brokered by elders.", "AGREEMENT"),
    ("Police arrested the leader of the opposition party at dawn.", "ARREST"),
    ("Security services detained three journalists for their reporting.", "ARREST"),
    ("Engineers defused a bomb found near the main bridge.", "DISR_WEAP"),
    ("Troops discovered a large weapons cache in a cave.", "DISR_WEAP"),
    ("Air defences shot down two drones over the capital.", "DISR_WEAP"),
    ("Rioters looted shops and burned a police car.", "VIOL_DEMONSTR"),
    ("Unknown people burned down the offices of the electoral commission.", "PROPERTY_DISTRUCT"),
    ("The militia set up a new headquarters in the town hall.", "HQ_ESTABLISHED"),
    ("Government troops withdrew from the town and handed it over to the rebels without a fight.", "NON_VIOL_TERRIT_TRANSFER"),
    ("The rebel group announced a merger with two smaller factions.", "CHANGE_TO_GROUP_ACT"),
    ("The army deployed additional troops to the northern province.", "CHANGE_TO_GROUP_ACT"),
    ("The two presidents met to discuss trade and border security.", "DIPLO"),
    ("The country recalled its ambassador in protest at the remarks.", "DIPLO"),
    ("The government denied that its forces were behind the massacre.", "ATTRIB"),
    ("No group has yet claimed responsibility for the bombing.", "ATTRIB"),
    ("Police dismantled a drug trafficking ring operating in the port.", "ORG_CRIME"),
    ("Armed robbers held up a bank and escaped with cash.", "ORG_CRIME"),
    ("Floods swept away hundreds of homes after days of heavy rain.", "NATURAL_DISASTER"),
    ("A cyclone made landfall on the coast, killing at least nine people.", "NATURAL_DISASTER"),
    ("A gas explosion at a chemical plant injured fifteen workers.", "MAN_MADE_DISASTER"),
    ("A passenger train derailed in the mountains, killing six.", "MAN_MADE_DISASTER"),
    ("A fire broke out in a garment factory, trapping dozens of workers.", "MAN_MADE_DISASTER"),
    ("At least eight people were killed when aircraft struck a market in the province.", "AIR_STRIKE"),
    ("The coalition said its aircraft had hit weapons depots belonging to the militia.", "AIR_STRIKE"),
    ("An unmanned aerial vehicle targeted a vehicle carrying two commanders.", "AIR_STRIKE"),
    ("Tank fire and artillery barrages hit the eastern suburbs.", "ART_MISS_ATTACK"),
    ("Militants fired several rockets at the army base, causing damage.", "ART_MISS_ATTACK"),
    ("Separatists shelled government positions along the line of contact.", "ART_MISS_ATTACK"),
    ("A blast from an explosive device hidden in a motorcycle killed three people.", "REM_EXPLOS"),
    ("A bomb attack on a bus left four passengers dead.", "REM_EXPLOS"),
    ("A police officer was injured by a grenade thrown from a passing car.", "GRENADE"),
    ("An attacker wearing an explosive belt blew himself up in a mosque.", "SUIC_BOMB"),
    ("Doctors treated patients for exposure to a nerve agent after the attack.", "CHEM_WEAP"),
    ("Jihadists seized control of the border crossing on Tuesday.", "NON_STATE_ACTOR_OVERTAKES_TER"),
    ("The rebels have taken over two more districts in the east.", "NON_STATE_ACTOR_OVERTAKES_TER"),
    ("Troops liberated the town from the insurgents after a two-day offensive.", "GOV_REGAINS_TERIT"),
    ("The military said it had cleared the area of militants and restored control.", "GOV_REGAINS_TERIT"),
    ("Clashes between the army and rebels left ten fighters dead.", "ARMED_CLASH"),
    ("Insurgents stormed a military camp before being repelled by soldiers.", "ARMED_CLASH"),
    ("A gunman opened fire on shoppers at a shopping centre, killing five.", "ATTACK"),
    ("Armed men raided a village and killed the chief and his two sons.", "ATTACK"),
    ("Two aid workers were seized by gunmen and are being held for ransom.", "ABDUCT_DISSAP"),
    ("A woman was sexually assaulted by a soldier at a checkpoint.", "SEX_VIOL"),
    ("Teachers protested outside the education ministry over unpaid salaries.", "PEACE_PROTEST"),
    ("A small crowd of activists held a vigil in memory of the victims.", "PEACE_PROTEST"),
    ("Police broke up a demonstration by opposition supporters and arrested twenty.", "PROTEST_WITH_INTER"),
    ("Protesters torched a police station and blocked roads with burning tyres.", "VIOL_DEMONSTR"),
    ("Security forces killed four demonstrators when they fired into the crowd.", "FORCE_AGAINST_PROTEST"),
    ("Residents armed with machetes attacked a family from the neighbouring village.", "MOB_VIOL"),
    ("The government and the insurgents signed a peace deal after years of war.", "AGREEMENT"),
    ("Both sides agreed to a humanitarian pause to allow aid deliveries.", "AGREEMENT"),
    ("Intelligence agents detained a former minister on charges of treason.", "ARREST"),
    ("Customs officers intercepted a shipment of rifles hidden in a truck.", "DISR_WEAP"),
    ("A bomb disposal team safely detonated an unexploded shell found in a field.", "DISR_WEAP"),
    ("Unknown assailants vandalised the party's offices overnight.", "PROPERTY_DISTRUCT"),
    ("The rebels opened a new office in the border town.", "HQ_ESTABLISHED"),
    ("Hundreds of fighters from the group surrendered to the authorities.", "AGREEMENT"),
    ("The ministry summoned the ambassador to protest the border incident.", "DIPLO"),
    ("Officials blamed the insurgents for the bombing of the pipeline.", "ATTRIB"),
    ("The militia denied any involvement in the killing of the journalist.", "ATTRIB"),
    ("Police raided a warehouse and seized two tonnes of cocaine.", "ORG_CRIME"),
    ("A landslide buried dozens of houses after torrential rains.", "NATURAL_DISASTER"),
    ("An outbreak of cholera has killed 40 people in the camps.", "NATURAL_DISASTER"),
    ("A ferry capsized on the lake, and at least 30 passengers drowned.", "MAN_MADE_DISASTER"),
    ("The building collapsed during renovation work, trapping workers.", "MAN_MADE_DISASTER"),
    ("Three killed in air raid on northern town", "AIR_STRIKE"),
    ("The hospital was hit by a drone on Tuesday night, the health ministry said.", "AIR_STRIKE"),
    ("Residents said the bombardment by aircraft lasted for hours.", "AIR_STRIKE"),
    ("Two children were wounded by shelling in the frontline village, officials said.", "ART_MISS_ATTACK"),
    ("A rocket attack on the airport damaged the runway.", "ART_MISS_ATTACK"),
    ("Five dead as explosive device hits minibus", "REM_EXPLOS"),
    ("The convoy struck a mine on the road to the capital.", "REM_EXPLOS"),
    ("Grenade attack on police station wounds three", "GRENADE"),
    ("Suicide attack at wedding kills 14", "SUIC_BOMB"),
    ("Witnesses described a strong smell of chlorine after the shells landed.", "CHEM_WEAP"),
    ("The insurgents now control the district after government forces fled.", "NON_STATE_ACTOR_OVERTAKES_TER"),
    ("Militants take over key town in overnight assault", "NON_STATE_ACTOR_OVERTAKES_TER"),
    ("Army recaptures strategic hill from rebels", "GOV_REGAINS_TERIT"),
    ("Soldiers and rebels fought for control of the bridge on Saturday.", "ARMED_CLASH"),
    ("Two policemen and three attackers were killed in a gun battle at a checkpoint.", "ARMED_CLASH"),
    ("Gunmen kill 11 at a bar in the port city", "ATTACK"),
    ("A local councillor was shot dead by unknown gunmen on his way home.", "ATTACK"),
    ("Fighters reportedly executed several villagers suspected of collaborating.", "ATTACK"),
    ("Kidnappers seized three engineers working on a road project.", "ABDUCT_DISSAP"),
    ("Reports of sexual violence against detainees by guards have emerged.", "SEX_VIOL"),
    ("Supporters of the jailed leader rallied in several cities to demand his release.", "PEACE_PROTEST"),
    ("Farmers blocked a highway with tractors in a protest over crop prices.", "PEACE_PROTEST"),
    ("Police used batons to disperse a peaceful march by students.", "PROTEST_WITH_INTER"),
    ("Several demonstrators were detained as police broke up the rally.", "PROTEST_WITH_INTER"),
    ("Protesters clashed with riot police and set vehicles on fire.", "VIOL_DEMONSTR"),
    ("Demonstrators stormed the parliament building and smashed windows.", "VIOL_DEMONSTR"),
    ("Soldiers shot dead six unarmed protesters during a march against the junta.", "FORCE_AGAINST_PROTEST"),
    ("An angry crowd set upon a suspected thief and beat him to death.", "MOB_VIOL"),
    ("The two factions agreed to withdraw heavy weapons from the front line.", "AGREEMENT"),
    ("Dozens of people were arrested in overnight raids, police said.", "ARREST"),
    ("Authorities took a prominent critic into custody on Friday.", "ARREST"),
    ("Police found a car packed with explosives near the stadium.", "DISR_WEAP"),
    ("A cache of rifles and grenades was discovered under the floor of a house.", "DISR_WEAP"),
    ("The militia burned down dozens of houses in the village.", "PROPERTY_DISTRUCT"),
    ("The rebels have set up a base in the hills overlooking the town.", "HQ_ESTABLISHED"),
    ("The army handed over control of the region to the police without incident.", "NON_VIOL_TERRIT_TRANSFER"),
    ("The armed group announced that it had appointed a new leader.", "CHANGE_TO_GROUP_ACT"),
    ("The foreign minister met his counterpart to discuss the crisis.", "DIPLO"),
    ("The government imposed sanctions on three senior officials of its neighbour.", "DIPLO"),
    ("The group said it was responsible for the killing of the two police officers.", "ATTRIB"),
    ("Officials accused the rebels of carrying out the attack on the power station.", "ATTRIB"),
    ("A gang of armed robbers attacked a bank and stole cash.", "ORG_CRIME"),
    ("Police broke up a people-smuggling network and arrested its leaders.", "ORG_CRIME"),
    ("Heavy snow and freezing temperatures killed at least 12 people.", "NATURAL_DISASTER"),
    ("A powerful typhoon slammed into the coast, forcing thousands to evacuate.", "NATURAL_DISASTER"),
    ("An oil tanker ran aground and spilled crude along the coast.", "MAN_MADE_DISASTER"),
    ("At least 20 people died in a bus crash on a mountain road.", "MAN_MADE_DISASTER"),
]


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.mark.parametrize(("text", "code"), CASES)
def test_types_made_up_sentences(nlp, text, code):
    typed = type_text(text, nlp)
    assert typed is not None, text
    assert typed.code == code, (text, typed.scores)


@pytest.mark.parametrize(("text", "code"), VARIANTS)
def test_types_paraphrased_variants(nlp, text, code):
    typed = type_text(text, nlp)
    assert typed is not None and typed.code == code, (text, typed and typed.scores)


def test_taxonomy_has_acleds_25_sub_event_types():
    subs = sub_event_types()
    assert len(subs) == 25
    assert {s.event_type for s in subs} == set(taxonomy()["event_types"])
    assert sub_event_info("AIR_STRIKE").sub_event_type == "Air/drone strike"
    assert sub_event_info("Air/drone strike").event_type == "Explosions/Remote violence"
    assert sub_event_info("Excessive force against protesters").disorder_type == \
        "Political violence; Demonstrations"
    assert code_to_label("DIPLO") == "Diplomacy"


def test_evidence_spans_are_offsets_into_the_text(nlp):
    text = "Warplanes carried out airstrikes on the village, killing three civilians."
    typed = type_acled(nlp(text), nlp)
    assert typed.acled and typed.event_type == "Explosions/Remote violence"
    assert typed.disorder_type == "Political violence"
    assert 0.5 <= typed.confidence <= 1.0
    assert typed.spans("trigger") and typed.spans("means")
    for ev in typed.evidence:
        assert text[ev.start:ev.end] == ev.text


def test_span_input_gives_document_offsets(nlp):
    text = ("The ministers met on Monday. Police fired tear gas at demonstrators in the square. "
            "Talks resumed later.")
    doc = nlp(text)
    sent = list(doc.sents)[1]
    typed = type_acled(sent, nlp)
    assert typed.code == "PROTEST_WITH_INTER"
    for ev in typed.evidence:
        assert text[ev.start:ev.end] == ev.text
        assert sent.start_char <= ev.start < sent.end_char


def test_a_seized_grenade_is_disrupted_use_not_a_grenade_attack(nlp):
    assert type_text("Soldiers found two grenades hidden in a car.", nlp).code == "DISR_WEAP"
    assert type_text("A grenade was thrown at a police patrol.", nlp).code == "GRENADE"


def test_aircraft_as_target_is_not_an_air_strike(nlp):
    typed = type_text("Rockets fired by the militia damaged two passenger planes at the airport.",
                      nlp)
    assert typed.code == "ART_MISS_ATTACK"


def test_non_acled_typing_is_flagged(nlp):
    typed = type_text("A volcano erupted on the island, sending ash over the villages.", nlp)
    assert typed.code == "NATURAL_DISASTER" and not typed.acled
    assert typed.event_type is None and typed.disorder_type is None


def test_text_without_any_criterion_is_untyped(nlp):
    assert type_text("The committee published its annual budget figures.", nlp) is None


def test_threats_and_intentions_are_not_realised(nlp):
    assert type_text("Militiamen attacked the town and killed two farmers.", nlp).realised
    for text in ("The militia will attack the town tomorrow, its leader warned.",
                 "Rebels threatened to attack the capital within days."):
        typed = type_text(text, nlp)
        assert typed is None or not typed.realised, text
    # preparing an offensive is itself a change in a group's activity, and it happened
    typed = type_text("The army is preparing to launch an offensive on the town.", nlp)
    assert typed.code == "CHANGE_TO_GROUP_ACT" and typed.realised
