"""Data files shipped with the program (fonts, translations, icons). Reached via app.resources."""
