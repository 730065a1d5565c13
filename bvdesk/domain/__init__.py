"""Pure Python value types and calculations: no Qt, no database, no file formats."""
