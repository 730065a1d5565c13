"""bvdesk's shipped data: the indicator catalogue, fonts, icons, schemas and the methodology.

This folder sits at the top of the source tree and is installed as the ``bvdesk.resources``
package (see ``package-dir`` in pyproject.toml); ``bvdesk.paths.resource`` finds it.
"""
