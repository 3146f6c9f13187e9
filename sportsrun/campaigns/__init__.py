"""The road to the Baghdad Marathon (PRODUCT.md): a campaign's figures, province leaderboard, series standings
and invitations. The rules are pure modules: `identity` (who is one person across races), `series` (points
and standings), `invitations` and `figures`."""
