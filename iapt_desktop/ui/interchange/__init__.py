"""Import and export of the data set tables from the app (administrators)."""
