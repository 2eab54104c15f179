"""Possible personal names that are in no restricted record.

The restricted identifying records hold the child's name, but a report can still name a
parent, a sibling or a practitioner. This finds likely names from two maintained lists on PyPI:

- given names and surnames: every Latin-script list in Faker's person providers (``Faker`` is
  pinned in pyproject.toml; it is kept up to date and already served the test factories). A
  name that only one locale lists and that is also an English word is left out, because
  Faker's catch-all ``en`` list holds words such as "Case" and "Council".
- English words: ``english-words`` (Webster's Second, case kept), for the lower-case rule
  below, so "dawn" in lower case is a word but "kayleigh" is not, and for the filter above.

The rules, on the ``clean`` form of the text (NFKC, no zero-width characters):

1. A title (Mr, Mrs, Ms, Miss, Mx, Dr, PC, DS, ...) followed by a capitalised word.
2. A capitalised given name followed by a capitalised surname ("Kayleigh-Ann Brooks"), at the
   start of a sentence too.
3. A capitalised given name on its own: flagged unless it is a common English word; a common
   word that is also a name ("Dawn", "Grace", "Will") is flagged when capitalised in the middle
   of a sentence, where the word itself would be lower case.
4. A lower-case given name that is no English word at all ("kayleigh").

Never a name: months and days ("May", "June"), family roles and pseudonyms ("Mother", "Child
A"), a name inside a place or service ("St Mary's Hospital", "Grace Lodge Children's Centre",
"Hope Street"), and any text the caller says is safe (the partnership's agency and theme names,
the cases' pseudonyms).
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from faker.providers import person as faker_person

from safeguarding.reports.identifying.normalise import fold


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


TITLES = _words(
    "mr mrs ms miss mx dr prof professor pc dc ds di dci dsi sgt insp cllr rev revd sir dame "
    "lord lady sister nurse matron aunt auntie aunty uncle nan nana grandma grandad"
)
# Words after a common-word name at the start of a sentence that make it a person ("Will told
# the nurse", "Hope, aged four,"): "Will the plan work?" stays a question.
PERSON_CUES = _words(
    """said says told tells reported reports explained asked disclosed described stated felt
    wanted went lived was had did aged"""
)
DETERMINERS = _words("the a an this our their its every each")

# Common English words that are also given names or surnames. Each is a name only when it is
# capitalised in the middle of a sentence (rule 3) or part of a full name (rule 2).
COMMON_NAME_WORDS = _words(
    """
    will may hope faith grace bill rose mark sue pat joy dawn frank hunter summer baker smith
    guy rich young page early major star spring son price green white black brown long little
    north west king prince duke earl dean lane wood hill field brook heath moss ash reed glen
    dale cliff ray don jack harry bob rob nick pete carol chase gene jean penny sandy rusty
    dusty sunny angel precious blessing miracle gift favour patience prudence charity honour
    mercy constance liberty justice destiny harmony melody trinity unity ivy holly ruby lily
    jade amber crystal pearl heather daisy poppy violet iris sky rain storm river ocean autumn
    winter april june august marina mason cooper carter porter fletcher archer fisher tanner
    miller walker turner parker taylor butler cook bishop deacon sterling earnest ernest
    victor sage rowan willow hazel bay cash chance gay hardy noble royal sonny wade
    """
)

MONTHS_AND_DAYS = _words(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday christmas easter"""
)

# Words that are never a person here, whatever a name list says.
NOT_NAMES = _words(
    """
    child children baby babies infant mother father mum mom dad parent parents nan nana nanna
    gran granny grandma grandmother grandad granddad grandpa grandfather aunt auntie aunty
    uncle sister brother sibling siblings stepfather stepmother stepdad stepmum partner carer
    cousin family the a an and or of in on at to by for with from into this that these those
    it its he she they his her their we our you your i my
    police health council nhs court school nursery hospital practitioners practitioner
    """
)

# A capitalised word after a name that makes the whole a place, a building or a service.
PLACE_WORDS = _words(
    """
    hospital infirmary school academy college university nursery primary secondary centre
    center house road street avenue drive close crescent grove terrace gardens square place
    way walk lane mews court estate lodge cottage farm park trust council police service
    services team unit ward project surgery practice clinic foundation charity institute
    church chapel mosque temple hall library station prison children's childrens family
    families network partnership hub group programme program campaign fund society
    """
)
# A word before a name that makes it a place or an institution ("St Mary's", "Queen Elizabeth").
PLACE_BEFORE = _words("st saint queen king prince princess royal")

_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-‐][^\W\d_]+)*(?:['’]s?)?")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;|•(\[\"“‘\n])\s*$")


def _latin(name: str) -> bool:
    return all(
        ch in " -'" or unicodedata.name(ch, "").startswith("LATIN") for ch in name if ch.strip()
    )


def _locale_names(kind: str) -> Counter[str]:
    """Each folded name part of ``kind`` ("first" or "last") with the number of Faker locales
    listing it. Only Latin-script names: the text of a report is in English."""
    counts: Counter[str] = Counter()
    for module in pkgutil.iter_modules(faker_person.__path__):
        provider = importlib.import_module(f"{faker_person.__name__}.{module.name}").Provider
        parts: set[str] = set()
        for attr in dir(provider):
            values = getattr(provider, attr)
            if attr.startswith("_") or not attr.endswith("names") or kind not in attr:
                continue
            if isinstance(values, tuple | list | dict):
                for name in map(str, values):
                    if _latin(name):
                        parts.update(fold(p) for p in re.split(r"[\s\-]+", name) if len(p) > 2)
        counts.update(parts)
    return counts


def _name_list(kind: str) -> frozenset[str]:
    # A name in one locale only that is also an English word is dropped: Faker's catch-all
    # lists hold words such as "Case" and "Council". "Amy" (in several lists) is kept.
    words = english_words()
    kept = {n for n, locales in _locale_names(kind).items() if locales > 1 or n not in words}
    return frozenset(kept) - NOT_NAMES - MONTHS_AND_DAYS - TITLES - PLACE_WORDS


@functools.cache
def given_names() -> frozenset[str]:
    """Every given name in Faker's person providers, folded ("Zoë" -> "zoe")."""
    return _name_list("first") | (COMMON_NAME_WORDS - MONTHS_AND_DAYS)


@functools.cache
def surnames() -> frozenset[str]:
    """Every surname in Faker's person providers, folded."""
    return _name_list("last")


@functools.cache
def common_words() -> frozenset[str]:
    """Common English words (Faker's English word list) and the name-words above."""
    from faker.providers.lorem.en_US import Provider as Lorem

    return frozenset(Lorem.word_list) | COMMON_NAME_WORDS | MONTHS_AND_DAYS


@functools.cache
def english_words() -> frozenset[str]:
    """Every lower-case word of Webster's Second (``english-words``): a word in lower case."""
    from english_words import get_english_words_set

    return frozenset(w for w in get_english_words_set(["web2"]) if w.islower())


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int
    initial: bool  # first word of a sentence, a heading, a list item or a table cell

    @property
    def bare(self) -> str:
        """Without a possessive ("Dawn's" -> "Dawn")."""
        return re.sub(r"['’]s?$", "", self.text)

    @property
    def key(self) -> str:
        return fold(self.bare)

    @property
    def capitalised(self) -> bool:
        return self.bare[:1].isupper()

    @property
    def lower(self) -> bool:
        return self.bare.islower()


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for m in _TOKEN.finditer(text):
        initial = _SENTENCE_END.search(text[max(0, m.start() - 3) : m.start()]) is not None
        tokens.append(_Token(m.group(0), m.start(), m.end(), initial))
    return tokens


def _in(names: frozenset[str], token: _Token) -> bool:
    """The word, or every part of a hyphenated word, is in ``names``. "DannyLee" (a soft
    hyphen removed) is read as "Danny-Lee"."""
    if token.key in names:
        return True
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", "-", token.bare)
    parts = [p for p in re.split(r"[\-‐]", spaced) if p]
    if len(parts) < 2 or fold(parts[0]) not in names:
        return False
    # "Ellie-Mae", "Tia-Rose": a name, then names or capitalised parts.
    return all(fold(p) in names or p[:1].isupper() for p in parts[1:])


def _is_given(token: _Token) -> bool:
    return token.key not in NOT_NAMES and _in(given_names(), token)


def _is_surname(token: _Token) -> bool:
    return (
        token.capitalised
        and token.key not in NOT_NAMES
        and token.key not in MONTHS_AND_DAYS
        and token.key not in PLACE_WORDS
        and (_in(surnames(), token) or _in(given_names(), token))
    )


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    """Only spaces (or a full stop after a title) between two words: one phrase."""
    return re.fullmatch(r"\.?\s{1,2}", text[left.end : right.start]) is not None


def _proper_phrase_is_a_place(tokens: list[_Token], i: int, text: str) -> bool:
    """The capitalised phrase around tokens[i] is a place or a service."""
    if i > 0 and tokens[i - 1].key in PLACE_BEFORE and _adjacent(text, tokens[i - 1], tokens[i]):
        return True
    j = i
    while j + 1 < len(tokens) and j - i < 3 and _adjacent(text, tokens[j], tokens[j + 1]):
        nxt = tokens[j + 1]
        if nxt.key in PLACE_WORDS and nxt.capitalised:
            return True
        if not nxt.capitalised:
            break
        j += 1
    return False


@dataclass(frozen=True)
class NameHit:
    start: int
    end: int
    rule: str


def _lone_given(tokens: list[_Token], i: int, text: str) -> bool:
    token = tokens[i]
    before = tokens[i - 1] if i > 0 and _adjacent(text, tokens[i - 1], token) else None
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    if token.key in MONTHS_AND_DAYS or len(token.key) < 3:
        return False
    if before is not None and before.key in DETERMINERS:
        return False  # "the Autumn", "a Hunter": a thing, not a person
    if token.capitalised:
        if token.key not in common_words():
            return True
        if token.initial:
            # "Will told the nurse", "Hope, aged four": a person; "Will the plan work?" not.
            return after is not None and after.key in PERSON_CUES
        # A common word capitalised mid-sentence ("told Dawn", "Grace said") is a name, unless
        # it ends a capitalised phrase ("the Practitioner Forum").
        return before is None or not before.capitalised or before.key in TITLES
    # Rule 4: lower case, and no English word at all.
    return (
        token.lower
        and len(token.key) >= 4
        and token.key not in common_words()
        and token.bare not in english_words()
        and not any(p in english_words() for p in re.split(r"[\-‐]", token.bare) if p)
    )


def _extend(tokens: list[_Token], end: int, text: str) -> int:
    """A third part of a full name ("Kayleigh Ann Brooks")."""
    following = end + 1 < len(tokens) and _adjacent(text, tokens[end], tokens[end + 1])
    return end + 1 if following and _is_surname(tokens[end + 1]) else end


def _match_at(tokens: list[_Token], i: int, text: str, safe: frozenset[str]) -> NameHit | None:
    """The name starting at tokens[i], if any, by the first rule that matches."""
    token = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    nxt = nxt if nxt is not None and _adjacent(text, token, nxt) else None
    # Rule 1: a title and a capitalised word ("Dr Patel", "Mrs. O'Neill").
    if (
        token.key in TITLES
        and token.capitalised
        and nxt is not None
        and nxt.capitalised
        and nxt.key not in NOT_NAMES
        and nxt.key not in PLACE_WORDS
    ):
        return NameHit(token.start, tokens[_extend(tokens, i + 1, text)].end, "title")
    if token.key in safe or _proper_phrase_is_a_place(tokens, i, text):
        return None
    given = _is_given(token)
    # Rule 2: a given name and a surname, both capitalised ("Kayleigh-Ann Brooks").
    if (
        given
        and token.capitalised
        and token.key not in MONTHS_AND_DAYS
        and nxt is not None
        and _is_surname(nxt)
        and nxt.key not in safe
    ):
        return NameHit(token.start, tokens[_extend(tokens, i + 1, text)].end, "full name")
    # Rule 2 for a given name missing from the lists: a capitalised word in the middle of a
    # sentence that is no English word, then a listed surname ("Oluwaseun Adeyemi").
    if (
        not given
        and token.capitalised
        and not token.initial
        and not token.bare.isupper()
        and nxt is not None
        and token.key not in common_words()
        and token.key not in english_words()
        and _is_surname(nxt)
        and _in(surnames(), nxt)
    ):
        return NameHit(token.start, nxt.end, "full name")
    if not given:
        return None
    # Rule 2 in lower case ("kayleigh brooks"), when the given name is no English word.
    lone = _lone_given(tokens, i, text)
    if token.lower and lone and nxt is not None and nxt.lower and _in(surnames(), nxt):
        return NameHit(token.start, nxt.end, "full name")
    # Rules 3 and 4: a given name on its own (not the first word of a longer proper noun).
    if lone and not (token.capitalised and nxt is not None and nxt.capitalised):
        return NameHit(token.start, token.end, "given name")
    return None


def possible_names(text: str, *, safe: Iterable[str] = ()) -> list[NameHit]:
    """Spans of ``text`` (a clean form) that look like a personal name. ``safe``: folded words
    never to report as the start of a name (the cases' pseudonyms, for example)."""
    safe_words = frozenset(safe)
    tokens = _tokens(text)
    hits: list[NameHit] = []
    i = 0
    while i < len(tokens):
        hit = _match_at(tokens, i, text, safe_words)
        if hit is None:
            i += 1
            continue
        hits.append(hit)
        while i < len(tokens) and tokens[i].start < hit.end:
            i += 1
    return hits
