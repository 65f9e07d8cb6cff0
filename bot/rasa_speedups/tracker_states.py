"""A tracker's past states computed once per prediction and variant, not each time asked.

For each action prediction RulePolicy asks for the tracker's past states
twice (matching by text, then by intent), and a policy trained on stories
(MemoizationPolicy, TEDPolicy) would ask again without the rule-only turns;
each time Rasa replays the whole conversation event by event to build them
(`Domain.states_for_tracker_history`). They depend only on the events, the
domain and the arguments, so the answers for the tracker's current length
are kept on the tracker (events are only ever appended: a tracker with
another history is another object), and each caller gets its own copy,
since the featurizers edit the states they are given.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

_KEPT = "_patient_guide_past_states"


def _copy(states: List[Dict[Text, Dict[Text, Any]]]) -> List[Dict[Text, Dict[Text, Any]]]:
    # states hold sub-states of strings and tuples: copying two levels is a full copy
    return [{name: dict(sub_state) for name, sub_state in state.items()} for state in states]


def _remembered(original):
    def past_states(self, domain, omit_unset_slots: bool = False, ignore_rule_only_turns: bool = False,
                    rule_only_data: Optional[Dict[Text, Any]] = None):
        length, variant = len(self.events), (omit_unset_slots, ignore_rule_only_turns)
        kept = self.__dict__.get(_KEPT)
        if kept is None or kept[0] != length:
            kept = self.__dict__[_KEPT] = (length, {})
        found = kept[1].get(variant)
        if found is not None and found[0] is domain and found[1] == rule_only_data:
            return _copy(found[2])
        states = original(self, domain, omit_unset_slots=omit_unset_slots,
                          ignore_rule_only_turns=ignore_rule_only_turns, rule_only_data=rule_only_data)
        kept[1][variant] = (domain, rule_only_data, _copy(states))
        return states

    past_states.original = original
    return past_states


def apply() -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    DialogueStateTracker.past_states = _remembered(DialogueStateTracker.past_states)
