"""views of the recording screens."""
