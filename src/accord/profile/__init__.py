"""AI-system profiles: model, YAML loading with positions, JSON Schema and questions."""

from accord.profile.loader import load_profile, profile_from_dict
from accord.profile.model import Profile

__all__ = ["Profile", "load_profile", "profile_from_dict"]
