"""dialogs of the LaborStation GUI."""
