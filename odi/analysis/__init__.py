"""Analysis: scoring, segments, significance between segments, and persona unmet needs."""
