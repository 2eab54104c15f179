"""The demo partnership's findings and its responses to themes: fictional, written by us.

In 1 May 2021 - 31 December 2022 the findings carry all nine cross-cutting themes of the seed
report's section 4, each with good practice as well as learning, so that the analysis of that
period shows all nine as cross-cutting; disguised compliance and professional curiosity are
found together, as the seed notes. Complex health needs is found in two reviews, as in the seed.
"""

from __future__ import annotations

import datetime as dt

from safeguarding.accounts.models import Agency, Partnership, User
from safeguarding.learning.models import Theme, ThemeStatus
from safeguarding.learning.services import FindingInput, findings_create_many, theme_response_save
from safeguarding.reviews.models import Review

SEED_PERIOD = (dt.date(2021, 5, 1), dt.date(2022, 12, 31))

PC = "Professional curiosity"
DC = "Disguised compliance"
ESC = "Escalation"
BER = "Death of a significant family member"
DA = "Domestic abuse"
RA = "Different agencies' risk assessment processes"
COV = "Covid-19 impact"
CHN = "Complex health needs"
CSA = "Consistent application of safeguarding approaches"
NAI = "Non-accidental injury in babies"
FATHERS = "Fathers and male carers"
NEGLECT = "Neglect"
SHARING = "Information sharing"
VOICE = "Voice of the child"
PMH = "Parental mental health"
EDUCATION = "Missing education"
SLEEP = "Safer sleep"
SUBSTANCE = "Substance misuse"
EXPLOITATION = "Exploitation"

G, I = "good_practice", "improvement"  # noqa: E741 - G and I read as the two kinds

# review title -> findings: (kind, text, themes, agency short names)
Finding = tuple[str, str, tuple[str, ...], tuple[str, ...]]
FINDINGS: dict[str, list[Finding]] = {
    "Rapid review: Child A": [
        (
            I,
            "The health visitor accepted the parents' explanation of a small bruise on the "
            "baby's ear without asking how a baby who could not roll over came by it.",
            (PC, NAI),
            ("ICB",),
        ),
        (
            I,
            "No one recorded asking who else looked after the baby; the father's part in the "
            "baby's care was unknown to health services.",
            (FATHERS, PC),
            ("ICB", "Hospital"),
        ),
        (
            G,
            "During lockdown the health visiting team still made the new-birth visit in person "
            "and followed it with video calls.",
            (COV,),
            ("ICB",),
        ),
        (
            I,
            "Clinic sessions cancelled in the pandemic meant the baby was not weighed or seen by "
            "a health professional for eleven weeks.",
            (COV,),
            ("ICB", "Hospital"),
        ),
        (
            G,
            "Emergency department staff asked the mother about domestic abuse when she was on "
            "her own, and wrote down the question and her answer.",
            (DA,),
            ("Hospital",),
        ),
    ],
    "CSPR: Child A": [
        (
            I,
            "Practitioners did not know what the police risk level on the father's record meant "
            "for a household with a newborn.",
            (RA, NAI),
            ("Police", "LA"),
        ),
        (
            I,
            "The father's mental health history, known to adult services, was never connected "
            "with the baby's care: the Think Family approach was not used.",
            (CSA, PMH),
            ("ICB",),
        ),
    ],
    "Rapid review: Child B": [
        (
            I,
            "The mother kept enough appointments and told workers that things were better; "
            "nobody checked the home, where conditions had got much worse.",
            (DC, PC, NEGLECT),
            ("LA", "ICB"),
        ),
        (
            I,
            "No practitioner asked to see where the child slept or what she ate, and records "
            "described the mother as engaging well.",
            (PC, VOICE),
            ("LA",),
        ),
        (
            G,
            "A housing officer who saw the state of the flat made a safeguarding referral the "
            "same day, using the agreed route.",
            (CSA, SHARING),
            ("Housing",),
        ),
        (
            G,
            "The nursery kept the child's place open during lockdown and took food parcels to "
            "the family every week.",
            (COV,),
            ("Education",),
        ),
    ],
    "Local learning review: Child B": [
        (
            I,
            "With the nursery closed to most children, no professional saw the child in person "
            "for four months.",
            (COV,),
            ("Education", "LA"),
        ),
    ],
    "Rapid review: Child C": [
        (
            G,
            "The class teacher noticed the child had become withdrawn, asked open questions "
            "gently and passed on the disclosure the same morning.",
            (PC, VOICE),
            ("Education",),
        ),
        (
            G,
            "Police and children's social care held a strategy discussion within hours and each "
            "explained its own assessment of the risk.",
            (RA, SHARING),
            ("Police", "LA"),
        ),
        (
            I,
            "The school's worry that the family friend could still reach the child was not taken "
            "further when the first response seemed slow.",
            (ESC,),
            ("Education",),
        ),
    ],
    "Rapid review: Child D": [
        (
            I,
            "Health staff did not understand what probation's assessment of the mother's "
            "partner, a registered sex offender, meant for a toddler living with him.",
            (RA,),
            ("Probation", "ICB"),
        ),
        (
            I,
            "The partner went to every probation appointment and seemed co-operative, so no one "
            "checked who was living in the household.",
            (DC, PC, FATHERS),
            ("Probation", "Police"),
        ),
        (
            G,
            "Police shared a domestic incident with the health visitor at the next morning's "
            "daily risk meeting.",
            (DA, SHARING),
            ("Police", "ICB"),
        ),
    ],
    "CSPR: Child D": [
        (
            I,
            "The health visitor disagreed with the decision to close the case but did not know "
            "how to take the disagreement further.",
            (ESC,),
            ("ICB", "LA"),
        ),
        (
            G,
            "Once the partner's link to the child was known, the public protection meeting "
            "invited children's social care and shared its risk assessment.",
            (RA,),
            ("Police", "Probation", "LA"),
        ),
    ],
    "Rapid review: Child E": [
        (
            I,
            "The young person's diabetes care involved five services and many appointments, and "
            "nobody coordinated them or saw the whole picture.",
            (CHN,),
            ("ICB",),
        ),
        (
            G,
            "When clinics closed, the diabetes nurse kept in touch by phone and text and changed "
            "the care plan to fit.",
            (CHN, COV),
            ("ICB",),
        ),
        (
            I,
            "During remote schooling staff lost sight of the young person, and missed online "
            "lessons were not followed up.",
            (COV, EDUCATION),
            ("Education",),
        ),
        (
            I,
            "After her father died, missed appointments were put down to grief instead of being "
            "seen as a sign of growing risk.",
            (BER,),
            ("ICB", "LA"),
        ),
    ],
    "Rapid review: Child F": [
        (
            I,
            "No one checked that the child could get medical help while staying with relatives "
            "in another area.",
            (CHN,),
            ("ICB", "LA"),
        ),
        (
            I,
            "When the child was not brought to two appointments they were simply rebooked; the "
            "Was Not Brought approach was not used.",
            (CSA,),
            ("ICB",),
        ),
        (
            G,
            "After the grandmother died, the family support worker arranged bereavement support "
            "for the parents and the older brother.",
            (BER,),
            ("Early Help",),
        ),
    ],
    "Local learning review: Child F": [
        (
            G,
            "The Early Help worker used the Think Family approach to bring in adult services for "
            "the father's depression.",
            (CSA, PMH),
            ("Early Help",),
        ),
    ],
    "Rapid review: Child G": [
        (
            G,
            "The GP noticed the parents' grief after the grandparent's death, offered support "
            "and referred them to the bereavement service.",
            (BER,),
            ("ICB",),
        ),
        (
            I,
            "Supporting the bereaved parents took the place of assessing the baby's safety; the "
            "review of the plan was put off twice.",
            (BER, PC),
            ("LA",),
        ),
        (
            I,
            "The father's account of the baby's crying was accepted without asking who else "
            "looked after her.",
            (PC, NAI, FATHERS),
            ("ICB",),
        ),
    ],
    "CSPR: Child G": [
        (
            I,
            "Abuse in the mother's earlier relationship was known but was not part of the risk "
            "assessment in her first pregnancy.",
            (DA,),
            ("ICB", "Hospital"),
        ),
        (
            G,
            "Midwives kept antenatal visits going in person through the restrictions.",
            (COV,),
            ("Hospital",),
        ),
    ],
    "Rapid review: Child H": [
        (
            G,
            "Officers at the domestic incident identified and recorded every child in the "
            "household and referred them to children's social care that night.",
            (DA,),
            ("Police",),
        ),
        (
            I,
            "Earlier incidents were recorded without the outcome of the enquiries made, so the "
            "pattern of abuse could not be seen.",
            (DA, SHARING),
            ("Police", "LA"),
        ),
        (
            G,
            "The school raised its concern through the concerns resolution process and it was "
            "settled at manager level within a week.",
            (ESC,),
            ("Education", "LA"),
        ),
    ],
    "Rapid review: Child I": [
        (
            I,
            "The family agreed to every plan and then let it drift; Early Help closed on the "
            "parents' word that things had improved.",
            (DC, PC),
            ("Early Help",),
        ),
        (
            G,
            "A housing officer noticed that agreed repairs had not been allowed, challenged the "
            "family and asked for a joint visit.",
            (DC, PC),
            ("Housing",),
        ),
        (
            I,
            "Agencies applied the Early Help approach differently: some closed when the family "
            "stopped engaging, others carried on.",
            (CSA,),
            ("Early Help", "ICB"),
        ),
        (
            I,
            "Staff changes during the pandemic meant the family had four different workers in "
            "a year.",
            (COV,),
            ("Early Help", "LA"),
        ),
    ],
    "CSPR: Child I": [
        (
            G,
            "On a home visit the housing officer asked where the children slept and wrote down "
            "what was seen.",
            (PC,),
            ("Housing",),
        ),
        (
            I,
            "A health visitor's worry about the home was raised in conversation but never "
            "recorded as an escalation.",
            (ESC,),
            ("ICB",),
        ),
    ],
    "Rapid review: Child J": [
        (
            I,
            "The school escalated its concern twice without a resolution; staff felt unable to "
            "challenge a more senior professional.",
            (ESC,),
            ("Education", "LA"),
        ),
        (
            G,
            "The GP used routine enquiry, heard about the abuse and referred the mother to MARAC.",
            (DA,),
            ("ICB",),
        ),
        (I, "The child's own account of life at home was never asked for.", (VOICE, PC), ("LA",)),
    ],
    "Local learning review: Child J": [
        (
            I,
            "The risk to the child of living with domestic abuse was not assessed apart from "
            "the risk to the mother.",
            (DA,),
            ("LA", "Police"),
        ),
    ],
    "Rapid review: Child K": [
        (
            I,
            "Missed dental and clinic appointments were closed without telling the health "
            "visitor: the Was Not Brought policy was not followed.",
            (CSA, NEGLECT),
            ("ICB",),
        ),
        (
            G,
            "Once the nursery raised its concern, the health visitor applied Was Not Brought "
            "and arranged a joint home visit.",
            (CSA,),
            ("ICB", "Early Help"),
        ),
        (
            I,
            "The parents' promises to rebook appointments were accepted every time without "
            "being checked.",
            (DC, PC),
            ("ICB",),
        ),
        (
            G,
            "The Early Help worker asked to see the child's bedroom and noticed the untreated "
            "skin condition.",
            (PC, NEGLECT),
            ("Early Help",),
        ),
    ],
    "Multi-agency audit: domestic abuse in first pregnancies": [
        (
            G,
            "Routine enquiry about domestic abuse was recorded at booking in two thirds of the "
            "files audited.",
            (DA,),
            ("ICB", "Hospital"),
        ),
        (
            I,
            "Past domestic abuse was seldom assessed as a risk in a first pregnancy.",
            (DA,),
            ("ICB",),
        ),
    ],
    # Outside the seed's period, so that the period matters.
    "Rapid review: Child P": [
        (
            I,
            "Bruising seen at school was explained away by the parent and not questioned.",
            (PC, SHARING),
            ("Education",),
        ),
    ],
    "Rapid review: Child Q": [
        (
            I,
            "Safer sleep advice was given at birth but not repeated when the family's "
            "circumstances changed.",
            (SLEEP, SUBSTANCE),
            ("ICB", "Hospital"),
        ),
        (
            G,
            "The ambulance crew and police shared what they found at once.",
            (SHARING,),
            ("Police", "ICB"),
        ),
    ],
    "Rapid review: Child R": [
        (
            I,
            "Signs of criminal exploitation outside the home were not linked together across "
            "agencies.",
            (EXPLOITATION, SHARING),
            ("Police", "Education"),
        ),
    ],
}

RESPONSES: dict[str, str] = {
    PC: "Partnership workshops looked at what helps and hinders curiosity, and a survey asked "
    "each agency how supervision supports it. The results feed a shared set of city-wide "
    "resources being written with the adults board, and a regional masterclass series in "
    "spring will take professional curiosity as its subject.",
    DC: "Because apparent co-operation so often hid a lack of change, this learning has gone to "
    "the training officer and is built into the professional curiosity work above.",
    ESC: "Work across the partnership found the concerns resolution process is well known but "
    "used with little confidence where power is unequal. New guidance and training address "
    "this, and ask practitioners to record early, informal challenge as well as formal stages. "
    "Agencies have added their own actions to promote the process.",
    BER: "Learning about balancing support for grieving families with watching risk will be "
    "presented at the spring meeting of the children's partnership and taken to the learning "
    "and development subgroup. Assessments should always consider a recent bereavement.",
    DA: "The partnership's domestic abuse review took this learning and made recommendations "
    "on recording enquiries and their outcomes and on assessing past abuse in a first "
    "pregnancy.",
    RA: "The partnership is planning wider work on understanding each other's risk tools, "
    "starting with a police-led workshop on oversight of registered sex offenders.",
    COV: "Learning about reduced contact, changing workers and cancelled appointments during the "
    "pandemic has been shared through learning briefs, alongside the examples of staff going "
    "well beyond their usual roles.",
    CHN: "The partnership's policy on medical support for children with complex health needs "
    "who go abroad was widened in November 2022 to include stays elsewhere in the country, and "
    "the learning on coordinating many appointments has been shared with health partners.",
    CSA: "The core approaches (Think Family Work Family, Was Not Brought, Early Help) continue "
    "to be promoted across the partnership and are reviewed where learning shows a gap.",
}


def load_learning(*, actor: User, partnership: Partnership) -> int:
    """Record the demo findings and responses. Returns the number of findings."""
    reviews = {r.title: r for r in Review.objects.filter(partnership=partnership)}
    themes = {
        t.name: t for t in Theme.objects.filter(partnership=partnership, status=ThemeStatus.ACTIVE)
    }
    agencies: dict[str, Agency] = {a.short_name: a for a in partnership.agencies.all()}
    count = 0
    for title, findings in FINDINGS.items():
        saved = findings_create_many(
            actor=actor,
            review=reviews[title],
            findings=[
                FindingInput(
                    kind=kind,
                    text=text,
                    themes=[themes[name] for name in theme_names],
                    agencies=[agencies[short] for short in agency_names],
                )
                for kind, text, theme_names, agency_names in findings
            ],
        )
        count += len(saved)
    start, end = SEED_PERIOD
    for name, narrative in RESPONSES.items():
        theme_response_save(
            actor=actor,
            partnership=partnership,
            theme=themes[name],
            period_start=start,
            period_end=end,
            narrative=narrative,
        )
    return count
