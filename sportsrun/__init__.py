"""sportsrun: registration and results for Sports Against Violence."""
