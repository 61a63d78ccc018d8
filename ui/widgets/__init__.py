"""widgets of the LaborStation GUI."""
