"""Recommendations: related snapshots (相关文章推荐, related.py), tag suggestions
(suggestions.py) and near-duplicates (fingerprint.py), from per-link profiles (profiles.py)."""
