"""bvdesk: Best Value self-assessment for registered social landlords."""

__version__ = "0.1.0"
