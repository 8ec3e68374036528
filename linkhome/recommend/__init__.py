"""Recommendations: related snapshots (相关文章推荐), later tag suggestions and near-duplicates."""
