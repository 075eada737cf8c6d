"""Whether a version meets a declared range (not a rule): npm's engines.node and PEP 440's requires-python.

Only the forms packages really declare are understood: comparators (``>=20``, ``<4``, ``!=3.9.1``),
npm's ``^``, ``~``, x-ranges (``18.x``, ``20``), hyphen ranges (``18 - 20``) and ``||``; PEP 440's
``~=``, ``==3.11.*`` and comma-joined clauses. Anything else answers None: not judged.
Sources: node-semver's range grammar (README "Ranges"), PEP 440 "Version specifiers".
"""

from __future__ import annotations

import re

Version = tuple[int, int, int]
_PART = r"v?(?:\d+|[xX*])(?:\.(?:\d+|[xX*])){0,2}(?:-[0-9A-Za-z.-]+)?"
_COMPARATOR = re.compile(rf"^(>=|<=|~=|==|!=|>|<|=|\^|~)?\s*({_PART})$")


def satisfies(version: str, constraint: str, npm: bool = True) -> bool | None:
    """True/False when the constraint is understood, None when it is not (or the version is not a version)."""
    have = _version(version)
    if have is None or not constraint.strip():
        return None
    answers = [_all(have, alternative.strip(), npm) for alternative in constraint.split("||")]
    if any(a is None for a in answers):
        return None
    return any(answers)


def _all(have: Version, clause: str, npm: bool) -> bool | None:
    if not clause or clause in ("*", "x", "latest"):
        return True
    hyphen = re.fullmatch(rf"({_PART})\s+-\s+({_PART})", clause)
    if hyphen:
        low, high = _partial(hyphen.group(1)), _partial(hyphen.group(2))
        return None if low is None or high is None else (have >= _floor(low) and have < _ceiling(high))
    tokens = re.findall(r"(?:>=|<=|~=|==|!=|>|<|=|\^|~)?\s*[^\s,<>=!~^]+", clause.replace(",", " "))
    results = [_one(have, t.strip(), npm) for t in tokens]
    if not results or any(r is None for r in results):
        return None
    return all(results)


def _one(have: Version, token: str, npm: bool) -> bool | None:
    match = _COMPARATOR.match(token)
    if match is None:
        return None
    op, text = match.group(1) or "=", match.group(2)
    star = text.endswith(".*")  # PEP 440 prefix matching: ==3.11.* is any 3.11
    text = text.removesuffix(".*")
    given = _partial(text.split("-")[0])
    if given is None:
        return None
    low, high = _floor(given), _ceiling(given)
    if op in ("=", "=="):
        return low <= have < high if (npm or star) and len(given) < 3 else have == low
    if op == "!=":
        return have != low
    if op == ">=":
        return have >= low
    if op == ">":
        return have >= high if npm else have > low  # npm: >18 means >=19.0.0 (x-range)
    if op == "<":
        return have < low
    if op == "<=":
        return have < high if npm else have <= low
    if op == "^":  # the left-most non-zero part may not change
        index = next((i for i, n in enumerate(given) if n != 0), len(given) - 1)
        top = _bump(given[: index + 1])
        return low <= have < top
    if op == "~":
        return low <= have < _bump(given[:2] if len(given) >= 2 else given)
    if op == "~=":  # PEP 440: ~=3.10 is >=3.10, ==3.*
        return low <= have < _bump(given[:-1]) if len(given) >= 2 else None
    return None


def _version(text: str) -> Version | None:
    found = _partial(text.strip().lstrip("v").split("-")[0].split("+")[0])
    return _floor(found) if found is not None else None


def _partial(text: str) -> tuple[int, ...] | None:
    """The numbers given, up to the first x/*: "18.x" is (18,), "3.10" is (3, 10)."""
    numbers: list[int] = []
    for part in text.lstrip("v").split("."):
        if part in ("x", "X", "*"):
            break
        if not part.isdigit():
            return None
        numbers.append(int(part))
    return tuple(numbers[:3])


def _floor(given: tuple[int, ...]) -> Version:
    padded = (*given, 0, 0, 0)
    return padded[0], padded[1], padded[2]


def _ceiling(given: tuple[int, ...]) -> Version:
    """The first version above every version the partial one covers: 18 -> 19.0.0; 1.2.3 -> 1.2.4."""
    if not given:
        return (1 << 30, 0, 0)
    return _bump(given) if len(given) < 3 else (given[0], given[1], given[2] + 1)


def _bump(given: tuple[int, ...]) -> Version:
    if not given:
        return (1 << 30, 0, 0)
    return _floor((*given[:-1], given[-1] + 1))
