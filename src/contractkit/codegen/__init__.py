"""Code generation from contracts: Pydantic models (gen), bundles and wheels (bundle, package)."""
