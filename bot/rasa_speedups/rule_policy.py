"""Rule matching that stops once no rule can be ruled out any more.

RulePolicy._get_possible_keys filters the rule keys against the
conversation's states from the newest back to the very first, although a
rule of n states only looks at the newest n: past the longest rule every
remaining key is kept by Rasa's own `_is_rule_applicable`, and an empty set
stays empty. Stopping there gives the same keys; the cost no longer grows
with the length of the conversation.
"""
from __future__ import annotations

from typing import Dict, List, Set, Text


def _longest_rule(policy, lookup: Dict[Text, Text]) -> int:
    # the lookups are fixed once the policy is loaded; keyed by identity, holding the dict itself
    known = policy.__dict__.setdefault("_patient_guide_longest", {})
    entry = known.get(id(lookup))
    if entry is None or entry[0] is not lookup:
        entry = (lookup, max((len(policy._rule_key_to_state(key)) for key in lookup), default=0))
        known[id(lookup)] = entry
    return entry[1]


def _get_possible_keys(self, lookup: Dict[Text, Text], states: List) -> Set[Text]:
    possible_keys = set(lookup.keys())
    longest = _longest_rule(self, lookup)
    for i, state in enumerate(reversed(states)):
        if i >= longest or not possible_keys:
            break
        possible_keys = {key for key in possible_keys if self._is_rule_applicable(key, i, state)}
    return possible_keys


def apply() -> None:
    from rasa.core.policies.rule_policy import RulePolicy

    _get_possible_keys.original = RulePolicy._get_possible_keys
    RulePolicy._get_possible_keys = _get_possible_keys
