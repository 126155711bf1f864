"""The session (care contact) form and its questionnaires."""
