"""dialogs of the recording screens."""
