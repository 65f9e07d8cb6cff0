"""One parse per language before a process takes patients' messages.

Some tokenizers load their dictionaries on the first text they split, not when
the spaCy pipeline is built at model load: PyThaiNLP's word list made the first
Thai message take about 1 s (measured in-process; 6 ms once loaded), and under
`make bench` load a server that had just become ready answered with p99 270 ms
instead of 14 ms. A greeting in every language loads all of them up front.
"""
from __future__ import annotations

from typing import Callable, List

from bot import texts
from bot.languages import TAGS


def sample_texts() -> List[str]:
    return [texts.get("utter_greet", tag) for tag in TAGS]


def warm_up(parse: Callable[[str], object]) -> None:
    for text in sample_texts():
        parse(text)


async def warm_up_async(parse) -> None:
    for text in sample_texts():
        await parse(text)
