"""Renderers: turn result objects into text, Markdown and JSON. They never compute law."""
