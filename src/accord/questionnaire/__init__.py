"""The adaptive questionnaire: ask the top open question, re-assess, repeat."""

from accord.questionnaire.session import Questionnaire

__all__ = ["Questionnaire"]
