"""Match keys: the strings postings and seekers carry so that matching reads the few records that can
score well across a whole district, instead of every record near the place.

The embedded store answers one indexed ``$in`` over a multikey field quickly, but not a compound
index over two arrays (skills and area chains both are), and it reads every document a query
matches. So what a good match has in common is folded into one string per combination, with the
district in it:

- a posting carries, for each skill it wants, ``"<skill>|<trade>@<district>"``, ``"<skill>@<street>"``
  and, when it is placed at a public body (a street, community or league committee, not the
  employer itself), ``"<skill>|place=public@<district>"``; a posting wanting no skill (which every
  seeker half meets) carries ``"*|<trade>@<district>"``, ``"*|kind=<kind>@<district>"`` and
  ``"*@<street>"`` instead;
- a seeker still looking carries ``"<skill>|<wanted trade>|<wanted kind or *>@<district>"`` for
  their first ``MAX_KEY_SKILLS`` skills (certified first) and every wanted trade and kind; a seeker
  who is not looking, or wants no trade in particular, carries none (the neighbourhood walk still
  finds them near the place).

Codes are ``[a-z0-9_-]`` (the commands' patterns; a certificate's category that is not such a code
earns no key), so ``|``, ``@``, ``=`` and ``*`` cannot clash.
The keys decide only who is *read*; the score (domain/matching.py) is computed in full either way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

ANY = "*"
PUBLIC = "place=public"
_CODE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
SKILLS_READ = 4
"""Skills of a seeker (certified first) whose postings are read; the score still counts every skill."""
MAX_KEY_SKILLS = 8
"""Skills of a seeker (certified first) that earn match keys: it bounds the keys of one profile
(8 skills × 10 trades × 7 kinds at most); the score still counts every skill."""


def district_of(chain: Sequence[str]) -> str | None:
    """The level just below the top of an area chain (the district of 孝感's city → district →
    street → community), or the top itself for a chain of one (a city-wide posting)."""
    if not chain:
        return None
    return chain[-2] if len(chain) >= 2 else chain[-1]


def street_of(chain: Sequence[str]) -> str | None:
    """The level two below the top (the street), where the chain is that long."""
    return chain[-3] if len(chain) >= 3 else None


def posting_keys(
    category: str, kind: str, skills: Iterable[str], place_chain: Sequence[str], *, public: bool
) -> list[str]:
    """The keys a posting is found by (see the module docstring); ``public``: placed at a public
    body rather than at the employer itself."""
    district, street = district_of(place_chain), street_of(place_chain)
    if district is None:
        return []
    wanted = sorted(set(skills))
    if not wanted:
        keys = [f"{ANY}|{category}@{district}", f"{ANY}|kind={kind}@{district}"]
        return [*keys, f"{ANY}@{street}"] if street else keys
    keys = [f"{skill}|{category}@{district}" for skill in wanted]
    if street:
        keys += [f"{skill}@{street}" for skill in wanted]
    if public:
        keys += [f"{skill}|{PUBLIC}@{district}" for skill in wanted]
    return keys


def seeker_keys(
    certified: Iterable[str],
    declared: Iterable[str],
    wanted_categories: Iterable[str],
    wanted_kinds: Iterable[str],
    home_chain: Sequence[str],
    looking: bool,
) -> list[str]:
    """The keys a looking seeker is found by (see the module docstring); none once not looking."""
    district = district_of(home_chain)
    trades = sorted(set(wanted_categories))
    if not looking or district is None or not trades:
        return []
    first = sorted({s for s in certified if _CODE.match(s)})
    then = sorted({s for s in declared if _CODE.match(s)} - set(first))
    skills = [*first, *then][:MAX_KEY_SKILLS]
    kinds = sorted(set(wanted_kinds)) or [ANY]
    return [f"{s}|{c}|{k}@{district}" for s in skills for c in trades for k in kinds]


def postings_wanted_by(
    skills: Sequence[str],
    wanted_categories: Iterable[str],
    favoured_kinds: Iterable[str],
    home_chain: Sequence[str],
) -> list[str]:
    """The posting keys worth reading for a seeker (``skills`` certified first):

    - in the district, postings of a wanted trade wanting one of the first ``SKILLS_READ`` skills;
      in the district or city-wide, those of a wanted trade wanting no skill; for a seeker who takes
      any trade, postings wanting no skill of a wanted or favouring kind, and those of the street
      wanting no skill;
    - postings of any trade wanting one of the first ``SKILLS_READ`` skills, in the street or
      placed at a public body of the district or the city.

    Every key that matches costs the embedded store about a millisecond of its own, beyond the
    documents it reads, so the keys are few: a city-wide posting is public, and found as such."""
    district, street = district_of(home_chain), street_of(home_chain)
    if district is None:
        return []
    areas = list(dict.fromkeys([district, home_chain[-1]]))
    trades, first = sorted(set(wanted_categories)), list(skills[:SKILLS_READ])
    if trades:
        keys = [f"{s}|{c}@{district}" for s in first for c in trades]
        keys += [f"{ANY}|{c}@{area}" for c in trades for area in areas]
    else:
        keys = [f"{ANY}|kind={k}@{area}" for k in sorted(set(favoured_kinds)) for area in areas]
        keys += [f"{ANY}@{street}"] if street else []
    keys += [f"{s}|{PUBLIC}@{area}" for s in first for area in areas]
    return keys + ([f"{s}@{street}" for s in first] if street else [])


def seekers_wanted_by(
    category: str, kind: str, skills: Iterable[str], place_chain: Sequence[str]
) -> list[str]:
    """The seeker keys worth reading for a posting: seekers of its district holding one of its skills
    (or a skill named as its trade, which a certificate in that trade is) who want its trade, and
    its kind or any kind."""
    district = district_of(place_chain)
    if district is None or not category:
        return []
    codes = sorted({*skills, category})
    return [f"{s}|{category}|{k}@{district}" for s in codes for k in dict.fromkeys([kind, ANY])]
