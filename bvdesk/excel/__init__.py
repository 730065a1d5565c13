"""Reading and writing workbooks: safety checks, the indicator reader, templates."""
