"""Excel rosters: reading the files offices keep, importing them all or nothing, exporting."""
