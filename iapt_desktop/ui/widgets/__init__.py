"""widgets of the recording screens."""
