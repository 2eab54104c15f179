"""The theme taxonomy every partnership starts with: the nine cross-cutting themes of the seed
report and the standard themes named in DESIGN.md. Definitions are our own words."""

from __future__ import annotations

# name -> (definition, keywords separated by semicolons)
SEED_THEMES: dict[str, tuple[str, str]] = {
    "Professional curiosity": (
        "Practitioners look beyond what they are told or shown, ask about what they notice, "
        "check what they hear against other sources, and write down what they asked and why.",
        "curiosity; challenge; lived experience; questioning; recording",
    ),
    "Disguised compliance": (
        "A parent or carer appears to co-operate with agencies, for example by keeping some "
        "appointments or supplying what is asked for, while the child's circumstances do not "
        "change or the worry is kept out of view.",
        "apparent co-operation; engagement; superficial; plan not progressing",
    ),
    "Escalation": (
        "Raising and resolving professional disagreement about a child's safety between "
        "agencies, including the use and recording of the multi-agency concerns resolution "
        "process at each of its stages.",
        "concerns resolution; professional challenge; disagreement; power; confidence",
    ),
    "Death of a significant family member": (
        "A recent bereavement in the family, how it affected parents and children and their "
        "use of services, and how practitioners balanced support with watching risk.",
        "bereavement; grief; loss; family death",
    ),
    "Domestic abuse": (
        "Abuse between adults in the household, past or present, and its effect on children: "
        "enquiry, recording, referral, risk meetings and assessment of the risk to children, "
        "including around pregnancy and a first baby.",
        "domestic violence; routine enquiry; MARAC; DRAMM; coercive control; pregnancy",
    ),
    "Different agencies' risk assessment processes": (
        "Whether practitioners understand the risk tools and risk levels other agencies use, "
        "what their outcomes mean, and how assessments are shared, including for people who "
        "pose a risk to children such as registered sex offenders.",
        "risk assessment; risk levels; registered sex offender; MAPPA; thresholds",
    ),
    "Covid-19 impact": (
        "How the pandemic changed services and family life: fewer face-to-face contacts, "
        "changing workers, cancelled appointments, isolation from school and friends, and the "
        "extra efforts staff made to keep in touch.",
        "pandemic; lockdown; remote contact; cancelled appointments; isolation",
    ),
    "Complex health needs": (
        "Children whose health needs bring many services and appointments, the load this "
        "places on families, the risk of getting used to a child's presentation, and medical "
        "support when the child is away from home.",
        "disability; medical appointments; coordination; travelling; normalisation",
    ),
    "Consistent application of safeguarding approaches": (
        "Whether the partnership's core approaches (Think Family Work Family, Was Not "
        "Brought, Early Help, safeguarding as everyone's responsibility) are used in the same "
        "way by every agency.",
        "Think Family; Was Not Brought; Early Help; consistency; core approaches",
    ),
}

STANDARD_THEMES: dict[str, tuple[str, str]] = {
    "Information sharing": (
        "Agencies pass on what they know about a child's safety to the right people in time, "
        "and act on what others share with them.",
        "sharing; communication; consent; records",
    ),
    "Voice of the child": (
        "The child's own views, feelings and daily experience are sought, heard and recorded, "
        "and shape what is done.",
        "lived experience; child's views; wishes and feelings",
    ),
    "Neglect": (
        "Persistent failure to meet a child's basic physical or emotional needs, including "
        "recognising cumulative harm over time.",
        "neglect; home conditions; cumulative harm; basic care",
    ),
    "Parental mental health": (
        "How a parent's or carer's mental ill health affects their care of the child, and how "
        "adult and children's services work together on it.",
        "mental health; depression; adult services; think family",
    ),
    "Substance misuse": (
        "Parents' or carers' use of alcohol or drugs and its effect on the safety and care of "
        "children.",
        "alcohol; drugs; intoxication; addiction",
    ),
    "Non-accidental injury in babies": (
        "Injuries to babies who are not yet mobile, recognising bruising and other signs, and "
        "the role of fathers and other carers around a new baby.",
        "bruising; non-mobile; fracture; head injury; infant",
    ),
    "Safer sleep": (
        "Advice to families about safe sleeping arrangements for infants and how risks such "
        "as co-sleeping after alcohol or drugs are discussed.",
        "co-sleeping; sudden infant death; sleeping arrangements",
    ),
    "Fathers and male carers": (
        "Whether fathers, partners and other men in a child's life are known to, seen by and "
        "assessed by services.",
        "fathers; male carers; partners; invisible men",
    ),
    "Exploitation": (
        "Criminal or sexual exploitation of children and young people outside the home, "
        "including county lines and grooming.",
        "criminal exploitation; sexual exploitation; county lines; grooming; contextual",
    ),
    "Online harm": (
        "Harm to children through the internet and social media, including abuse, grooming "
        "and harmful content.",
        "internet; social media; online grooming; images",
    ),
    "Missing education": (
        "Children who are not in school, on part-time timetables, electively home educated or "
        "missing from education, and what that means for their safety.",
        "school attendance; home education; exclusion; children missing education",
    ),
    "Transition to adult services": (
        "Young people moving from children's to adult services, and the gaps in support and "
        "safeguarding that can open at that point.",
        "transition; leaving care; 18; adult services",
    ),
}

DEFAULT_THEMES: dict[str, tuple[str, str]] = {**SEED_THEMES, **STANDARD_THEMES}
