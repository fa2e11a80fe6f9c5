"""Users: first-start administrator, sign-in with lockout, passwords, user administration."""
