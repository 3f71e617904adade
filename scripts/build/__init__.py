"""Build and publish the warehouse: see __main__.py."""
