"""Share cards: PNG images of a few figures for social networks, in Arabic, Kurdish or English."""

from sportsrun.core.cards.card import CardSpec, Figure, Progress, draw_card

__all__ = ["CardSpec", "Figure", "Progress", "draw_card"]
