"""The road to the Baghdad Marathon (PRODUCT.md): a campaign's figures, province leaderboard, series standings
and invitations. The rules are pure modules: `series` (points and standings),
`kept_standings` (the standings kept between imports), `invitations` and `figures`. Who is one person across
races is the registration domain's (`registration/people.py`), decided when each registration is made."""
