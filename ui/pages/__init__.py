"""pages of the LaborStation GUI."""
