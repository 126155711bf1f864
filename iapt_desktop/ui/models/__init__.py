"""models of the recording screens."""
