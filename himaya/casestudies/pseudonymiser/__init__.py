"""Himaya's pseudonymisation engine for court decisions in French and Arabic, usable without the
web layer:

    from himaya.casestudies.pseudonymiser import analyse, render
    result = analyse(text, "ar", parties=["زليخة بلعيد"])
    result.entities()   # [{"start", "end", "label"}], Python string offsets
    result.doubts       # the reviewer's checklist
    render(result)      # the text with consistent pseudonyms
"""

from .engine import EngineError, Result, analyse, recognizers, register
from .render import render

__all__ = ["EngineError", "Result", "analyse", "recognizers", "register", "render"]
