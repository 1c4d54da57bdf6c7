"""The {{name}} service."""
