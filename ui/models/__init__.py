"""models of the LaborStation GUI."""
