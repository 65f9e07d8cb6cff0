"""Slots copied without the pickle protocol.

Every tracker Rasa creates copies each of the domain's slots with
`copy.copy` (DialogueStateTracker.__init__), and Rasa creates many: one per
past turn to build the states the policies match, one per action run, one per
read from the tracker store. copy.copy on a plain object goes through
`__reduce_ex__` and `copyreg`, a twentieth of a message's time here. A Slot
is a plain object (no __slots__, no pickle hooks), so its copy is a new
instance of the same class with the same attribute dict, exactly what
`copy.copy` makes of it.
"""
from __future__ import annotations


def _copy(slot):
    new = slot.__class__.__new__(slot.__class__)
    new.__dict__.update(slot.__dict__)
    return new


def apply() -> None:
    from rasa.shared.core.slots import Slot

    Slot.__copy__ = _copy
